"""The glossary (docs/glossary.csv) and the catalogues: one vocabulary in each language.

Every user-visible string lives in opengov/locales/{en,fr}/*.json; the glossary names the domain words
in English and French, and the words to avoid for them (``avoid_fr``, ``avoid_en``: terms separated by
" | "). A catalogue string, or the title of a shipped source (shown on the Data & sources page and in
the reports), that uses an avoided term fails here.
"""

from __future__ import annotations

import csv
import re
from functools import lru_cache
from pathlib import Path

import pytest

from opengov.i18n import LANGS, catalogue

REPO = Path(__file__).resolve().parents[1]
GLOSSARY = REPO / "docs" / "glossary.csv"
COLUMNS = ["term_en", "term_fr", "definition_en", "definition_fr", "where_used", "avoid_fr", "avoid_en"]

#: The domain words the glossary must define (issue 19): a government and its level, portal,
#: catalogue, dataset and record, download, visit and view, commitment, milestone and indicator,
#: the status scales, fiscal year and the working group's names.
REQUIRED_EN = {
    "jurisdiction",
    "level of government",
    "portal",
    "catalogue",
    "dataset",
    "record",
    "download",
    "visit",
    "view (Open Maps)",
    "commitment",
    "milestone",
    "indicator",
    "status",
    "fiscal year",
    "Canada Open Government Working Group (COGWG)",
}
#: Each status scale the screens show has its row (term_en starts with these words).
SCALES = ("Milestone status scale", "Source freshness scale", "Record freshness scale", "Refresh result scale")


@lru_cache(maxsize=1)
def glossary() -> tuple[dict[str, str], ...]:
    with GLOSSARY.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        assert reader.fieldnames == COLUMNS, reader.fieldnames
        return tuple(reader)


def avoided_terms(lang: str) -> dict[str, list[str]]:
    """Avoided term (lower case) -> the glossary terms to use instead, for `lang`."""
    out: dict[str, list[str]] = {}
    for row in glossary():
        for term in filter(None, (t.strip() for t in row[f"avoid_{lang}"].split("|"))):
            out.setdefault(term.lower(), []).append(row[f"term_{lang}"])
    return out


def _pattern(term: str) -> re.Pattern[str]:
    """The term as a whole word or phrase (any case, its plural in -s or -x too, any apostrophe or
    spacing): 'juridiction' matches 'Juridictions', not 'juridictionnel'; 'catalog' matches 'catalogs',
    not 'catalogue'."""
    words = [re.escape(w).replace("’", "['’]").replace("'", "['’]") for w in term.split()]
    return re.compile(r"(?<![\w])" + r"[\s\u00a0\u202f]+".join(words) + r"(?:s|x)?(?![\w])", re.IGNORECASE)


def findings(texts: dict[str, str], lang: str) -> list[str]:
    """'key: avoided term (use: glossary term)' for each text of `texts` (key -> text) that uses a term
    the glossary marks as avoided in `lang`."""
    out = []
    for term, instead in avoided_terms(lang).items():
        pattern = _pattern(term)
        use = " or ".join(instead)
        out += [f"{key}: «{term}» (use: {use})" for key, text in texts.items() if pattern.search(text)]
    return sorted(out)


def test_glossary_rows_are_complete_and_unique() -> None:
    rows = glossary()
    assert rows, "docs/glossary.csv has no rows"
    for row in rows:
        for col in ("term_en", "term_fr", "definition_en", "definition_fr", "where_used"):
            assert row[col].strip(), f"{row['term_en'] or row['term_fr']}: empty {col}"
    for col in ("term_en", "term_fr"):
        terms = [r[col].lower() for r in rows]
        assert len(terms) == len(set(terms)), f"a {col} is defined twice"
    # an avoided term must not be a term the glossary asks for
    for lang in LANGS:
        wanted = {r[f"term_{lang}"].lower() for r in rows}
        assert not set(avoided_terms(lang)) & wanted


def test_glossary_defines_the_domain_words() -> None:
    terms = {r["term_en"] for r in glossary()}
    assert REQUIRED_EN <= terms, sorted(REQUIRED_EN - terms)
    for scale in SCALES:
        assert any(t.startswith(scale) for t in terms), scale


def test_the_check_flags_avoided_terms() -> None:
    """The check itself: deliberately bad strings are flagged, good ones are not."""
    bad_fr = {
        "a": "Téléchargements mensuels, par juridiction",
        "b": "Aucune donnée dans le magasin de données.",
        "c": "Selon le Rapport ministériel du SCT",
        "d": "4 dans les délais",
        "e": "Juridictions choisies",
        "f": "Année fiscale 2025-2026",
    }
    flagged = findings(bad_fr, "fr")
    assert sorted({f.split(":")[0] for f in flagged}) == sorted(bad_fr), flagged
    assert findings({"en": "No action plan has milestone data in the store."}, "en")
    good_fr = {
        "a": "Téléchargements par ordre de gouvernement",
        "b": "Jeux de données par administration",
        "c": "Rapport organisationnel sur les données ouvertes du SCT",
        "d": "Respect de l’échéancier",
        "e": "Exercice financier 2025-2026",
    }
    assert findings(good_fr, "fr") == []
    assert findings({"en": "Records in the open.canada.ca catalogue"}, "en") == []


@pytest.mark.parametrize("lang", LANGS)
def test_catalogue_strings_use_the_glossary(lang: str) -> None:
    found = findings(catalogue(lang), lang)
    assert found == [], "catalogue strings use avoided terms (see docs/glossary.csv):\n" + "\n".join(found)


@pytest.mark.parametrize("lang", LANGS)
def test_shipped_source_titles_use_the_glossary(lang: str) -> None:
    """The titles of the shipped sources are on the Data & sources page and in the reports' source lists."""
    from opengov.ingest.shipped import SHIPPED

    found = findings({src.id: getattr(src, f"title_{lang}") for src in SHIPPED}, lang)
    assert found == [], "\n".join(found)


@pytest.mark.parametrize("lang", LANGS)
def test_one_milestone_status_scale_on_every_screen(lang: str) -> None:
    """The plans page (``status.*``), the working-group page and its yearly report (``wg.ms_status.*``)
    and the overview's KPI (``kpi.ms_on_track``) name each milestone status with the same words."""
    from metrics.vocab import CANONICAL

    cat = catalogue(lang)
    assert {s: cat[f"wg.ms_status.{s}"] for s in CANONICAL} == {s: cat[f"status.{s}"] for s in CANONICAL}
    assert cat["kpi.ms_on_track"] == cat["status.on_track"]
