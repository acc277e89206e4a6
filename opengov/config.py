"""Every setting in one place, with its default and help text (a test checks the README documents each)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
DATA_DIR = REPO_ROOT / "data"


@dataclass(frozen=True)
class Setting:
    name: str
    default: str
    help: str


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "OPENGOV_DATABASE_URL",
        "sqlite:///var/opengov.db",
        "SQLAlchemy URL of the store. Default: a SQLite file under var/ in the project folder. "
        "PostgreSQL: postgresql+psycopg://user:password@host:5432/dbname",
    ),
    Setting("OPENGOV_DATA_DIR", "data", "Folder holding the shipped data files and PROVENANCE.md."),
    Setting(
        "OPENGOV_CACHE_TTL",
        "600",
        "Seconds an unused cached read is kept in memory at most. Freshness does not "
        "depend on it: every write bumps the store's data version, part of every cache key.",
    ),
    Setting("OPENGOV_DEFAULT_LANG", "", "Force the default language (en or fr). Empty: follow the browser."),
)


def get(name: str) -> str:
    """Return a setting's value from the environment, or its default."""
    for s in SETTINGS:
        if s.name == name:
            return os.environ.get(name, s.default)
    raise KeyError(name)


def database_url() -> str:
    url = get("OPENGOV_DATABASE_URL")
    if url.startswith("sqlite:///") and not url.startswith("sqlite:////"):
        rel = url[len("sqlite:///") :]
        if rel and rel != ":memory:":
            url = "sqlite:///" + str((REPO_ROOT / rel).resolve())
    return url


def data_dir() -> Path:
    p = Path(get("OPENGOV_DATA_DIR"))
    return p if p.is_absolute() else REPO_ROOT / p
