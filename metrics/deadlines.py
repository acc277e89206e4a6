"""Deadlines written as text ("Fall 2027", "D'ici l'hiver 2025", "2027-28") read as date windows.

Pure functions, no I/O. The original text is always kept; what cannot be read is returned with
``kind == "unparsed"`` and no dates, never guessed.

Conventions (stated once, used everywhere):

* a month, season, quarter or year is a window from its first to its last day;
  a deadline is due at the window's last day (``due``);
* seasons are meteorological: spring = March-May, summer = June-August, fall = September-November,
  winter YEAR = December of YEAR-1 to the end of February of YEAR (the winter whose January is in YEAR);
* quarters are calendar quarters (Q1 = January-March); ``2027-28`` / ``2026-2027`` / "fiscal year
  2023-24" is a Government of Canada fiscal year (April 1 to March 31);
* "2025 to 2028" / "De 2025 à 2028" is a span of calendar years;
* "early 2026" / "le début de 2026" is January-April; "end of 2028" / "la fin de 2028" is the year;
* "Ongoing" / "En cours" / "Permanent" has no due date (``ongoing``); "Annually", "Biannually until
  2029" are recurring (``recurrence``), due at the end of the "until" year when one is given;
* several dates ("By February 2022 and February 2023") give the window from the first to the last.
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import re
import unicodedata
from dataclasses import dataclass

MONTHS: dict[str, int] = {
    "january": 1,
    "february": 2,
    "march": 3,
    "april": 4,
    "may": 5,
    "june": 6,
    "july": 7,
    "august": 8,
    "september": 9,
    "october": 10,
    "november": 11,
    "december": 12,
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "sept": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
    "janvier": 1,
    "février": 2,
    "fevrier": 2,
    "mars": 3,
    "avril": 4,
    "mai": 5,
    "juin": 6,
    "juillet": 7,
    "août": 8,
    "aout": 8,
    "septembre": 9,
    "octobre": 10,
    "novembre": 11,
    "décembre": 12,
    "decembre": 12,
}
SEASONS: dict[str, str] = {
    "spring": "spring",
    "summer": "summer",
    "fall": "fall",
    "autumn": "fall",
    "winter": "winter",
    "printemps": "spring",
    "été": "summer",
    "ete": "summer",
    "automne": "fall",
    "hiver": "winter",
}
RECURRENCE: dict[str, str] = {
    "annually": "annual",
    "yearly": "annual",
    "every year": "annual",
    "each year": "annual",
    "chaque année": "annual",
    "annuellement": "annual",
    "tous les ans": "annual",
    "biannually": "semiannual",
    "semi-annually": "semiannual",
    "semiannually": "semiannual",
    "twice a year": "semiannual",
    "twice yearly": "semiannual",
    "deux fois par année": "semiannual",
    "deux fois par an": "semiannual",
    "semestriellement": "semiannual",
    "quarterly": "quarterly",
    "trimestriellement": "quarterly",
    "chaque trimestre": "quarterly",
    "monthly": "monthly",
    "mensuellement": "monthly",
    "chaque mois": "monthly",
}
ONGOING = ("ongoing", "en cours", "permanent", "continu", "continuous", "in progress", "underway", "under way")

_MONTH_RE = "|".join(sorted(MONTHS, key=len, reverse=True))
_SEASON_RE = "|".join(sorted(SEASONS, key=len, reverse=True))
_Y = r"((?:19|20)\d\d)"


@dataclass(frozen=True)
class Deadline:
    """A deadline text read as a window. ``due`` is the last day by which it is expected."""

    text: str
    kind: str  # day | month | season | quarter | fiscal_year | year | span | multiple | recurring | ongoing | unparsed
    start: dt.date | None = None
    end: dt.date | None = None
    recurrence: str | None = None  # annual | semiannual | quarterly | monthly
    ongoing: bool = False

    @property
    def due(self) -> dt.date | None:
        return self.end

    @property
    def parsed(self) -> bool:
        return self.kind != "unparsed"


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _normalise(text: str) -> str:
    s = unicodedata.normalize("NFC", text).lower()
    for ch in ("\u2019", "\u2018", "`", "\u00b4"):
        s = s.replace(ch, "'")
    for ch in ("\u2010", "\u2011", "\u2012", "\u2013", "\u2014", "\u2212"):
        s = s.replace(ch, "-")
    s = s.replace("\u00a0", " ").replace("\u202f", " ")
    s = re.sub(r"\s+", " ", s).strip()
    return s.rstrip(" .;,")


_PREFIX = re.compile(
    r"^(?:(?:completion|achèvement|achevement|due|échéance|echeance)\s+)?"
    r"(?:by|no later than|not later than|before|d'ici|au plus tard(?: en| le)?|avant)\s+"
)
_ARTICLE = re.compile(r"^(?:the |l'|le |la |les |in |en )")


def _window(expr: str) -> tuple[str, dt.date, dt.date] | None:
    """One date expression (already normalised, prefix removed) -> (kind, start, end)."""
    e = _ARTICLE.sub("", expr).strip()
    m = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", e)
    if m:
        try:
            d = dt.date(int(m[1]), int(m[2]), int(m[3]))
        except ValueError:
            return None
        return "day", d, d
    m = re.fullmatch(rf"(1er|\d{{1,2}})\s+({_MONTH_RE})\.?,?\s+{_Y}", e) or None
    if m:
        day = 1 if m[1] == "1er" else int(m[1])
        try:
            d = dt.date(int(m[3]), MONTHS[m[2]], day)
        except ValueError:
            return None
        return "day", d, d
    m = re.fullmatch(rf"({_MONTH_RE})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+{_Y}", e)
    if m:
        try:
            d = dt.date(int(m[3]), MONTHS[m[1]], int(m[2]))
        except ValueError:
            return None
        return "day", d, d
    m = re.fullmatch(rf"({_MONTH_RE})\.?,?\s+{_Y}", e)
    if m:
        y, mo = int(m[2]), MONTHS[m[1]]
        return "month", dt.date(y, mo, 1), _month_end(y, mo)
    m = re.fullmatch(rf"(?:(?:the |l')?(?:end of|fin de)\s+(?:the |l'|le |la )?)?({_SEASON_RE})\s+{_Y}", e)
    if m:
        return ("season", *_season(SEASONS[m[1]], int(m[2])))
    m = re.fullmatch(rf"(?:q|t)([1-4])\s+{_Y}|{_Y}\s*-?\s*(?:q|t)([1-4])", e)
    if m:
        q, y = (int(m[1]), int(m[2])) if m[1] else (int(m[4]), int(m[3]))
        return "quarter", dt.date(y, 3 * q - 2, 1), _month_end(y, 3 * q)
    m = re.fullmatch(rf"(?:(?:fiscal year|fiscal|fy|exercice(?: financier)?|ef)\s+)?{_Y}\s*[-/]\s*(\d{{2}}|\d{{4}})", e)
    if m:
        y1 = int(m[1])
        y2 = int(m[2]) if len(m[2]) == 4 else (y1 // 100) * 100 + int(m[2])
        if y2 == y1 + 1:
            return "fiscal_year", dt.date(y1, 4, 1), dt.date(y2, 3, 31)
        if y2 > y1 + 1 and len(m[2]) == 4 and not re.match(r"fiscal|fy|exercice|ef", e):
            return "span", dt.date(y1, 1, 1), dt.date(y2, 12, 31)
        return None
    m = re.fullmatch(rf"(?:from |de |du )?{_Y}\s+(?:to|through|à|a|au)\s+{_Y}", e)
    if m and int(m[2]) >= int(m[1]):
        return "span", dt.date(int(m[1]), 1, 1), dt.date(int(m[2]), 12, 31)
    m = re.fullmatch(rf"(?:early|the beginning of|beginning of|début de|debut de|début|début d'année)\s+{_Y}", e)
    if m:
        y = int(m[1])
        return "year", dt.date(y, 1, 1), dt.date(y, 4, 30)
    m = re.fullmatch(rf"(?:(?:the )?end of|(?:la )?fin de|(?:la )?fin d'année)\s+{_Y}", e)
    if m:
        y = int(m[1])
        return "year", dt.date(y, 1, 1), dt.date(y, 12, 31)
    m = re.fullmatch(_Y, e)
    if m:
        y = int(m[1])
        return "year", dt.date(y, 1, 1), dt.date(y, 12, 31)
    return None


def _season(season: str, year: int) -> tuple[dt.date, dt.date]:
    if season == "winter":
        return dt.date(year - 1, 12, 1), _month_end(year, 2)
    first = {"spring": 3, "summer": 6, "fall": 9}[season]
    return dt.date(year, first, 1), _month_end(year, first + 2)


def _one(expr: str) -> tuple[str, dt.date, dt.date] | None:
    return _window(_PREFIX.sub("", expr).strip())


def parse_date(text: str) -> dt.date | None:
    """A single day written in French, English or ISO form; anything else -> None.

    >>> parse_date("1er novembre 2015"), parse_date("31 octobre\\n2015"), parse_date("March 31, 2016")
    (datetime.date(2015, 11, 1), datetime.date(2015, 10, 31), datetime.date(2016, 3, 31))
    >>> parse_date("31 février 2016") is None, parse_date("En cours") is None
    (True, True)
    """
    w = _window(_normalise(text))
    return w[1] if w and w[0] == "day" else None


def parse_deadline(text: str | None) -> Deadline:
    """Read a deadline text as a window (see the module docstring for the conventions). The same text
    always reads the same (a frozen result): a long plan table reads each distinct text once.

    >>> d = parse_deadline("Fall 2027"); (d.kind, d.start, d.end)
    ('season', datetime.date(2027, 9, 1), datetime.date(2027, 11, 30))
    >>> parse_deadline("D'ici l'hiver 2025").due
    datetime.date(2025, 2, 28)
    >>> d = parse_deadline("Biannually until 2029"); (d.kind, d.recurrence, d.due)
    ('recurring', 'semiannual', datetime.date(2029, 12, 31))
    >>> parse_deadline("2027-28").start, parse_deadline("Q2 2026").due
    (datetime.date(2027, 4, 1), datetime.date(2026, 6, 30))
    >>> parse_deadline("Feedback will be compiled in a report").kind
    'unparsed'
    """
    return _parse_deadline(text if text is not None else "")


@functools.cache
def _recurrence_re() -> str:
    """The recurrence words as one regular-expression alternation, longest first."""
    return "|".join(sorted((re.escape(k) for k in RECURRENCE), key=len, reverse=True))


@functools.lru_cache(maxsize=8192)
def _parse_deadline(raw: str) -> Deadline:
    s = _normalise(raw)
    if not s:
        return Deadline(raw, "unparsed")
    if s in ONGOING:
        return Deadline(raw, "ongoing", ongoing=True)
    # "Ongoing, annually" / "Permanent, chaque année"
    parts = [p.strip() for p in s.split(",")]
    if len(parts) == 2 and parts[0] in ONGOING and parts[1] in RECURRENCE:
        return Deadline(raw, "recurring", recurrence=RECURRENCE[parts[1]], ongoing=True)
    # Recurring, optionally "until YEAR"
    m = re.fullmatch(rf"({_recurrence_re()})(?:,?\s+(?:until|through|to|jusqu'en|jusqu'à|jusqu'a|jusqu'au)\s+(.+))?", s)
    if m:
        rec = RECURRENCE[m[1]]
        if m[2] is None:
            return Deadline(raw, "recurring", recurrence=rec)
        w = _one(m[2])
        if w is None:
            return Deadline(raw, "unparsed")
        return Deadline(raw, "recurring", start=None, end=w[2], recurrence=rec)
    # "May 2023 and ongoing" / "Mai 2023 et en cours"
    m = re.fullmatch(rf"(.+?),?\s+(?:and|et)\s+(?:{'|'.join(ONGOING)})", s)
    if m:
        w = _one(m[1])
        if w is None:
            return Deadline(raw, "unparsed")
        return Deadline(raw, "ongoing", start=w[1], end=None, ongoing=True)
    w = _one(s)
    if w is not None:
        return Deadline(raw, w[0], w[1], w[2])
    # Several dates: "By February 2022 and February 2023"
    pieces = re.split(r"\s*(?:;|,| and | et )\s*", s)
    if len(pieces) > 1:
        windows = []
        prefix_seen = bool(_PREFIX.match(s))
        for p in pieces:
            p = p.strip()
            if not p:
                continue
            w = _one(p) if not prefix_seen else _one(p) or _window(_ARTICLE.sub("", p))
            if w is None:
                return Deadline(raw, "unparsed")
            windows.append(w)
        if len(windows) > 1:
            return Deadline(raw, "multiple", min(w[1] for w in windows), max(w[2] for w in windows))
    return Deadline(raw, "unparsed")


def parse_first(*texts: str | None) -> Deadline:
    """The first text that parses (e.g. ``deadline_en`` then ``deadline_fr``); else the first text, unparsed.

    >>> parse_first("Something vague", "D'ici mars 2027").due
    datetime.date(2027, 3, 31)
    """
    first = None
    for t in texts:
        if not t:
            continue
        d = parse_deadline(t)
        if d.parsed:
            return d
        first = first or d
    return first or Deadline("", "unparsed")
