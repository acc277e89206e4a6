"""One status vocabulary for every plan, mapped from each source's own terms.

Canonical statuses (ordered from least to most advanced):
not_started, delayed, limited, in_progress, on_track, substantial, complete, withdrawn.
A milestone with no status (None) is shown as "not reported" (NOT_REPORTED), never guessed.
An unknown term is an error (KeyError), never a guess.

Sources: departmental plan tables (French and English terms), the NAP tracker codes NS/LP/SP/C,
and the OGP Independent Reporting Mechanism (IRM) completion scale (Not started, Limited,
Substantial, Complete/Completed, Withdrawn). The NAP tracker's challenge codes
(CF, LR, SP, DA, OA, OT) map to the coded challenges in CHALLENGES.
"""

from __future__ import annotations

import functools
import unicodedata

from sqlalchemy import select
from sqlalchemy.orm import Session

# The canonical vocabulary is defined in metrics.vocab (pure, usable by metrics/); re-exported here.
from metrics.vocab import CANONICAL as CANONICAL

DONE = frozenset({"complete"})
#: Statuses that count as "limited progress" for the at-risk list.
WEAK = frozenset({"not_started", "limited", "delayed"})

TERMS: dict[str, dict[str, str]] = {
    "plan_fr": {
        "terminé": "complete",
        "termine": "complete",
        "achevé": "complete",
        "réalisé": "complete",
        "en cours": "in_progress",
        "pas commencé": "not_started",
        "non commencé": "not_started",
        "respect de l'échéancier": "on_track",
        "respect de l’échéancier": "on_track",
        "retardé": "delayed",
        "en retard": "delayed",
        "progrès limité": "limited",
        "progrès important": "substantial",
        "retiré": "withdrawn",
    },
    "plan_en": {
        "completed": "complete",
        "complete": "complete",
        "in progress": "in_progress",
        "not started": "not_started",
        "on schedule": "on_track",
        "on track": "on_track",
        "all deliverables on schedule": "on_track",
        "behind schedule": "delayed",
        "implementing": "in_progress",
        "all deliverables complete": "complete",
        "delayed": "delayed",
        "limited progress": "limited",
        "substantial progress": "substantial",
        "withdrawn": "withdrawn",
    },
    "nap_code": {"ns": "not_started", "lp": "limited", "sp": "substantial", "c": "complete"},
    "irm": {
        "not started": "not_started",
        "limited": "limited",
        "substantial": "substantial",
        "complete": "complete",
        "completed": "complete",
        "withdrawn": "withdrawn",
        "no evidence available": "not_started",
        "limité": "limited",
        "limitée": "limited",
        "substantiel": "substantial",
        "substantielle": "substantial",
        "complété": "complete",
        "complétée": "complete",
        "achevée": "complete",
    },
}

#: Order used for roll-ups (least advanced first) and legends.
RANK: dict[str, int] = {s: i for i, s in enumerate(CANONICAL)}
#: Display key for a milestone without a reported status.
NOT_REPORTED = "not_reported"

#: Coded challenges, as in the NAP tracker (tables/nap6.yaml `challenges`): code -> canonical.
CHALLENGES: tuple[str, ...] = ("funding", "resources", "priorities", "approvals", "dependencies", "other")
CHALLENGE_TERMS: dict[str, str] = {
    "cf": "funding",
    "change of funding": "funding",
    "changement de financement": "funding",
    "funding": "funding",
    "financement": "funding",
    "lr": "resources",
    "lack of resources": "resources",
    "manque de ressources": "resources",
    "resources": "resources",
    "ressources": "resources",
    "sp": "priorities",
    "shift in priorities": "priorities",
    "changement de priorités": "priorities",
    "priorities": "priorities",
    "priorités": "priorities",
    "da": "approvals",
    "delay in approvals": "approvals",
    "retard dans les approbations": "approvals",
    "approvals": "approvals",
    "approbations": "approvals",
    "oa": "dependencies",
    "dependant on other activities": "dependencies",
    "dependent on other activities": "dependencies",
    "dépendant d'autres activités": "dependencies",
    "dependencies": "dependencies",
    "dépendances": "dependencies",
    "ot": "other",
    "other": "other",
    "autre": "other",
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
        table = _normalised_terms(sc)
        if key in table:
            return table[key]
    raise KeyError(f"unknown status {term!r}")


@functools.cache
def _normalised_terms(scheme: str) -> dict[str, str]:
    """A scheme's terms, normalised once (a long import maps a status per row)."""
    return {_norm(k): v for k, v in TERMS[scheme].items()}


def canonical_challenge(term: str) -> str:
    """Map a challenge code or label (EN/FR) to its canonical code; unknown -> KeyError.

    >>> canonical_challenge("CF"), canonical_challenge("Retard dans les approbations")
    ('funding', 'approvals')
    >>> canonical_challenge("Dependant on other activities (e.g. an activity can only start after another)")
    'dependencies'
    """
    key = _norm(term)
    if key in CHALLENGES:
        return key
    if key in CHALLENGE_TERMS:
        return CHALLENGE_TERMS[key]
    base = _norm(key.split("(")[0])  # full-text choices carry an explanation in brackets
    if base in CHALLENGE_TERMS:
        return CHALLENGE_TERMS[base]
    raise KeyError(f"unknown challenge {term!r}")


def least_advanced(statuses: list[str | None]) -> str | None:
    """Roll-up of several reported statuses: the least advanced one; None if none reported.

    >>> least_advanced(["complete", "limited", None])
    'limited'
    >>> least_advanced([None]) is None
    True
    """
    reported = [s for s in statuses if s]
    return min(reported, key=RANK.__getitem__) if reported else None


def seed_status_terms(session: Session) -> None:
    """Write the mapping table into the store (idempotent)."""
    from opengov.store.models import StatusTerm

    existing = {(r.scheme, r.term) for r in session.scalars(select(StatusTerm))}
    for scheme, table in TERMS.items():
        for term, status in table.items():
            if (scheme, term) not in existing:
                session.add(StatusTerm(scheme=scheme, term=term, status=status))
