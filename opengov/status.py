"""One status vocabulary for every plan, mapped from each source's own terms.

Canonical statuses (ordered from least to most advanced):
not_started, delayed, limited, in_progress, on_track, substantial, complete, withdrawn.
An unknown term is an error (KeyError), never a guess.
"""

from __future__ import annotations

import unicodedata

from sqlalchemy import select
from sqlalchemy.orm import Session

CANONICAL: tuple[str, ...] = (
    "not_started", "delayed", "limited", "in_progress", "on_track", "substantial", "complete", "withdrawn",
)
DONE = frozenset({"complete"})
#: Statuses that count as "limited progress" for the at-risk list.
WEAK = frozenset({"not_started", "limited", "delayed"})

TERMS: dict[str, dict[str, str]] = {
    "plan_fr": {
        "terminé": "complete", "termine": "complete", "achevé": "complete", "réalisé": "complete",
        "en cours": "in_progress", "pas commencé": "not_started", "non commencé": "not_started",
        "respect de l'échéancier": "on_track", "respect de l’échéancier": "on_track",
        "retardé": "delayed", "en retard": "delayed", "progrès limité": "limited",
        "progrès important": "substantial", "retiré": "withdrawn",
    },
    "plan_en": {
        "completed": "complete", "complete": "complete", "in progress": "in_progress",
        "not started": "not_started", "on schedule": "on_track", "on track": "on_track",
        "delayed": "delayed", "limited progress": "limited", "substantial progress": "substantial",
        "withdrawn": "withdrawn",
    },
    "nap_code": {"ns": "not_started", "lp": "limited", "sp": "substantial", "c": "complete"},
    "irm": {
        "not started": "not_started", "limited": "limited", "substantial": "substantial",
        "complete": "complete", "completed": "complete", "withdrawn": "withdrawn",
        "no evidence available": "not_started",
    },
}


def _norm(term: str) -> str:
    text = unicodedata.normalize("NFC", term).strip().lower().replace("’", "'")
    return " ".join(text.split())


def canonical_status(term: str, scheme: str | None = None) -> str:
    """Map a source term to the canonical status.

    >>> canonical_status("Respect de l'échéancier")
    'on_track'
    >>> canonical_status("SP", scheme="nap_code")
    'substantial'
    """
    key = _norm(term)
    if key in CANONICAL:
        return key
    schemes = [scheme] if scheme else list(TERMS)
    for sc in schemes:
        table = {_norm(k): v for k, v in TERMS[sc].items()}
        if key in table:
            return table[key]
    raise KeyError(f"unknown status {term!r}")


def seed_status_terms(session: Session) -> None:
    """Write the mapping table into the store (idempotent)."""
    from opengov.store.models import StatusTerm

    existing = {(r.scheme, r.term) for r in session.scalars(select(StatusTerm))}
    for scheme, table in TERMS.items():
        for term, status in table.items():
            if (scheme, term) not in existing:
                session.add(StatusTerm(scheme=scheme, term=term, status=status))
