"""Bilingual strings and locale-aware formatting (en_CA / fr_CA through Babel).

Every user-visible string comes from `opengov/locales/{en,fr}.json`; `t(key, lang)` raises
KeyError on a missing key so that a test catches it instead of a user seeing a key.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from functools import lru_cache
from pathlib import Path

from babel import Locale
from babel.dates import format_date
from babel.numbers import format_compact_currency, format_decimal, format_percent

LANGS: tuple[str, ...] = ("en", "fr")
LOCALES = {"en": "en_CA", "fr": "fr_CA"}
_DIR = Path(__file__).resolve().parent / "locales"


@lru_cache(maxsize=4)
def catalogue(lang: str) -> dict[str, str]:
    """The flat key -> string catalogue of a language: every `locales/{lang}/*.json` merged.

    Each feature keeps its strings in its own file (core.json, usage.json, ...); a key defined
    in two files is an error, so features cannot silently overwrite each other.
    """
    if lang not in LANGS:
        raise ValueError(f"unsupported language: {lang!r}")
    merged: dict[str, str] = {}
    for path in sorted((_DIR / lang).glob("*.json")):
        with open(path, encoding="utf-8") as fh:
            part = json.load(fh)
        dup = set(part) & set(merged)
        if dup:
            raise ValueError(f"{path.name}: keys already defined elsewhere: {sorted(dup)[:5]}")
        merged.update(part)
    return merged


def t(key: str, lang: str, **kwargs: object) -> str:
    """Translate `key` into `lang`, formatting `{placeholders}` with kwargs.

    >>> t("app.title", "fr")
    'OpenGov Impact – Gouvernement ouvert au Canada'
    """
    text = catalogue(lang)[key]
    return text.format(**kwargs) if kwargs else text


def tn(key: str, n: int | float, lang: str, **kwargs: object) -> str:
    """`t` of `key + ".one"` or `key + ".other"` by the count `n` (its placeholder `{n}`, formatted for
    `lang`), by the CLDR plural rules: French takes the singular for 0 and 1, English for 1 only.

    >>> tn("wg.kpi.months_no_record", 1, "fr"), tn("wg.kpi.months_no_record", 0, "en")
    ('1 mois non couvert par les données', '0 months not covered by the data')
    """
    form = "one" if locale(lang).plural_form(n) == "one" else "other"
    return t(f"{key}.{form}", lang, n=fmt_int(n, lang), **kwargs)


def normalise_lang(value: str | None, fallback: str = "en") -> str:
    """Map 'fr', 'fr-CA', 'fr_CA', 'FR' ... to a supported language code."""
    if not value:
        return fallback
    code = str(value).strip().replace("_", "-").split("-")[0].lower()
    return code if code in LANGS else fallback


def locale(lang: str) -> Locale:
    return Locale.parse(LOCALES[lang])


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def fmt_int(value: float | int | None, lang: str) -> str:
    """12345 -> '12,345' (en) / '12 345' (fr). Missing -> '–'."""
    if _missing(value):
        return "–"
    return format_decimal(round(float(value)), format="#,##0", locale=LOCALES[lang])


def fmt_num(value: float | None, lang: str, digits: int = 1) -> str:
    """1234.5 -> '1,234.5' (en) / '1 234,5' (fr)."""
    if _missing(value):
        return "–"
    pattern = "#,##0." + "0" * digits if digits else "#,##0"
    return format_decimal(value, format=pattern, locale=LOCALES[lang]).replace("-", "\u2212", 1)


def fmt_pct(value: float | None, lang: str, digits: int = 1, signed: bool = False) -> str:
    """A percentage given in percent units: 12.3 -> '12.3%' (en) / '12,3 %' (fr)."""
    if _missing(value):
        return "–"
    pattern = ("#,##0." + "0" * digits if digits else "#,##0") + ("\u00a0%" if lang == "fr" else "%")
    out = format_percent(float(value) / 100.0, format=pattern, locale=LOCALES[lang])
    if signed and value > 0:
        out = "+" + out
    return out.replace("-", "\u2212", 1)  # a true minus sign, as fmt_signed_int writes


def fmt_signed_int(value: float | None, lang: str) -> str:
    if _missing(value):
        return "–"
    out = fmt_int(abs(value), lang)
    return ("+" if value > 0 else "−" if value < 0 else "") + out


def fmt_money(value: float | None, lang: str) -> str:
    """695_000_000 -> '$695M' (en) / '695 M$' (fr); 950 -> '$950' / '950 $'."""
    if _missing(value):
        return "–"
    out = format_compact_currency(value, "CAD", locale=LOCALES[lang], fraction_digits=0).replace("CA", "")
    # Canadian French writes the unit against the symbol ("695 M$", OQLF); some CLDR releases put a
    # space between them ("695 M $"), so the form is fixed here, whatever Babel's version.
    out = re.sub(r"(?<=[^\W\d])[\s\u00a0\u202f]+\$", "$", out)
    return out.replace("-", "\u2212", 1)  # a true minus sign, as the other formatters write


def fmt_date(value: dt.date | str | None, lang: str, style: str = "long") -> str:
    """date(2016, 3, 31) -> 'March 31, 2016' (en) / '31 mars 2016' (fr); the first of a month is
    '1er' in French ('1er avril 2016', '1er juill. 2026'), as French typography writes it."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or value == "":
        return "–"
    if isinstance(value, str):
        value = dt.date.fromisoformat(value[:10])
    if isinstance(value, dt.datetime):
        value = value.date()
    if hasattr(value, "to_pydatetime"):
        value = value.to_pydatetime().date()
    text = format_date(value, format=style, locale=LOCALES[lang])
    if lang == "fr" and value.day == 1 and style in ("long", "medium", "full"):
        text = re.sub(r"(?<!\d)1(?=[ \u00a0\u202f])", "1er", text, count=1)  # whatever space the CLDR release uses
    return text


def pick_bilingual(text: object, lang: str) -> str:
    """The UI language's half of an 'English / Français' text (publishers, licences); any other text
    as it is.

    >>> pick_bilingual("Government of Canada / Gouvernement du Canada", "fr")
    'Gouvernement du Canada'
    >>> pick_bilingual("jpmckinney/open_data_canada (MIT)", "fr")
    'jpmckinney/open_data_canada (MIT)'
    """
    parts = str(text).split(" / ")
    return parts[0 if lang == "en" else 1].strip() if len(parts) == 2 else str(text)


#: Sites with a page in each language at an address that differs only by a language part:
#: (host pattern, English part, French part, English host, French host).
_BILINGUAL_SITES: tuple[tuple[str, str, str, str, str], ...] = (
    (r"(?:open|ouvert)\.canada\.ca", "/en/", "/fr/", "open.canada.ca", "ouvert.canada.ca"),
    (r"www\.princeedwardisland\.ca", "/en/", "/fr/", "www.princeedwardisland.ca", "www.princeedwardisland.ca"),
)
#: GeoNB (Service New Brunswick) writes the language twice: /geonb1/e/…-E.asp and /geonb1/f/…-F.asp.
_GEONB = re.compile(r"^(https?://www\.snb\.ca/geonb1/)([ef])(/.*?)-([EF])(\.asp.*)$")


def localized_url(url: object, lang: str) -> str:
    """The address of the same page in `lang`, for the sites known to publish every page in English and
    French at addresses that differ by a language part; any other address as it is (a site in one
    language only keeps its page).

    >>> localized_url("http://open.canada.ca/data/en/dataset", "fr")
    'http://ouvert.canada.ca/data/fr/dataset'
    >>> localized_url("https://ouvert.canada.ca/data/fr/dataset/2916fad5", "en")
    'https://open.canada.ca/data/en/dataset/2916fad5'
    >>> localized_url("http://www.snb.ca/geonb1/e/DC/catalogue-E.asp", "fr")
    'http://www.snb.ca/geonb1/f/DC/catalogue-F.asp'
    >>> localized_url("https://open.canada.ca/data/api/3/action", "fr")  # no language part: an API
    'https://open.canada.ca/data/api/3/action'
    >>> localized_url("https://open.canada.ca", "fr")
    'https://ouvert.canada.ca'
    >>> localized_url("https://www.milton.ca/en/townhall/opendata.asp", "fr")  # English only
    'https://www.milton.ca/en/townhall/opendata.asp'
    """
    text = "" if url is None or (isinstance(url, float) and math.isnan(url)) else str(url)
    geonb = _GEONB.match(text)
    if geonb:
        e, f = ("e", "E") if lang == "en" else ("f", "F")
        return f"{geonb[1]}{e}{geonb[3]}-{f}{geonb[5]}"
    for host, en_part, fr_part, en_host, fr_host in _BILINGUAL_SITES:
        m = re.match(rf"^(https?://)({host})(/.*)?$", text)
        if m and (m[3] or "/") == "/" and en_host != fr_host:  # the site's home: its host in that language
            return f"{m[1]}{fr_host if lang == 'fr' else en_host}{m[3] or ''}"
        if not m or not m[3]:
            continue
        path = m[3]
        parts = (en_part, fr_part) if lang == "fr" else (fr_part, en_part)
        if parts[0] not in path and parts[1] not in path:
            return text
        path = path.replace(parts[0], parts[1], 1)
        return f"{m[1]}{fr_host if lang == 'fr' else en_host}{path}"
    return text


def fmt_list(items: list[str], lang: str) -> str:
    """['a', 'b', 'c'] -> 'a, b, and c' (en) / 'a, b et c' (fr), by the CLDR list patterns.

    >>> fmt_list(["de juillet 2022 à juin 2023", "de mars 2024 à juillet 2026"], "fr")
    'de juillet 2022 à juin 2023 et de mars 2024 à juillet 2026'
    """
    from babel.lists import format_list

    return format_list([str(i) for i in items], locale=LOCALES[lang]) if items else ""


def fmt_month(value: dt.date | str, lang: str) -> str:
    """date(2026, 7, 1) -> 'July 2026' (en) / 'juillet 2026' (fr)."""
    if isinstance(value, str):
        value = dt.date.fromisoformat(value[:10])
    if hasattr(value, "to_pydatetime"):
        value = value.to_pydatetime().date()
    return _fmt_month(value.year, value.month, lang)


@lru_cache(maxsize=4096)
def _fmt_month(year: int, month: int, lang: str) -> str:
    # a month label depends on the year, the month and the language only; the pages format the same
    # few hundred months (sliders, tables, alt texts) on every run
    return format_date(dt.date(year, month, 1), format="LLLL y", locale=LOCALES[lang])


def fmt_fiscal_year(start_year: int, lang: str) -> str:
    """2025 -> 'FY 2025-26' (en) / 'EF 2025-2026' (fr)."""
    if lang == "fr":
        return f"EF {start_year}-{start_year + 1}"
    return f"FY {start_year}-{str(start_year + 1)[-2:]}"


def d3_locale(lang: str) -> dict:
    """Number format locale for Vega-Lite/Altair charts (thin non-breaking space in French)."""
    if lang == "fr":
        return {"decimal": ",", "thousands": "\u202f", "grouping": [3], "currency": ["", "\u00a0$"]}
    return {"decimal": ".", "thousands": ",", "grouping": [3], "currency": ["$", ""]}


def d3_time_locale(lang: str) -> dict:
    loc = locale(lang)
    months = [loc.months["stand-alone"]["wide"][i] for i in range(1, 13)]
    short = [loc.months["stand-alone"]["abbreviated"][i] for i in range(1, 13)]
    days_order = [6, 0, 1, 2, 3, 4, 5]  # Babel: 0=Monday; d3: Sunday first
    days = [loc.days["format"]["wide"][i] for i in days_order]
    sdays = [loc.days["format"]["abbreviated"][i] for i in days_order]
    return {
        "dateTime": "%x, %X",
        "date": "%Y-%m-%d",
        "time": "%H:%M:%S",
        "periods": ["AM", "PM"],
        "days": days,
        "shortDays": sdays,
        "months": months,
        "shortMonths": short,
    }
