"""Both languages: same keys, same placeholders, locale formats of en_CA and fr_CA."""

from __future__ import annotations

import datetime as dt
import re
import string

import pytest

from opengov.i18n import catalogue, fmt_date, fmt_fiscal_year, fmt_int, fmt_money, fmt_month, fmt_num, fmt_pct, t


def _fields(text: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(text) if f}


def test_every_key_exists_in_both_languages() -> None:
    en, fr = catalogue("en"), catalogue("fr")
    assert sorted(set(en) - set(fr)) == [], "missing in French"
    assert sorted(set(fr) - set(en)) == [], "missing in English"


def test_placeholders_match_and_no_empty_strings() -> None:
    en, fr = catalogue("en"), catalogue("fr")
    for key in en:
        assert _fields(en[key]) == _fields(fr[key]), key
        assert en[key].strip() and fr[key].strip(), key


def test_french_strings_are_not_left_in_english() -> None:
    en, fr = catalogue("en"), catalogue("fr")
    same = [k for k in en if en[k] == fr[k] and len(en[k]) > 25 and not re.search(r"https?://|\{", en[k])]
    assert same == [], f"untranslated: {same[:10]}"


def test_missing_key_raises() -> None:
    with pytest.raises(KeyError):
        t("no.such.key", "fr")


@pytest.mark.parametrize(
    ("fn", "args", "en", "fr"),
    [
        (fmt_int, (1234567,), "1,234,567", "1\u00a0234\u00a0567"),
        (fmt_num, (1234.5,), "1,234.5", "1\u00a0234,5"),
        (fmt_pct, (12.34,), "12.3%", "12,3\u00a0%"),
        (fmt_money, (695_000_000,), "$695M", "695\u00a0M$"),
        (fmt_money, (950,), "$950", "950\u00a0$"),
        (fmt_money, (-3_000_000,), "\u2212$3M", "\u22123\u00a0M$"),
        (fmt_date, (dt.date(2016, 3, 31),), "March 31, 2016", "31 mars 2016"),
        (fmt_date, (dt.date(2016, 4, 1),), "April 1, 2016", "1er avril 2016"),  # French writes the first "1er"
        (fmt_date, (dt.date(2026, 12, 11),), "December 11, 2026", "11 décembre 2026"),
        (fmt_month, (dt.date(2026, 7, 1),), "July 2026", "juillet 2026"),
        (fmt_fiscal_year, (2025,), "FY 2025-26", "EF 2025-2026"),
    ],
)
def test_locale_formats(fn, args, en, fr) -> None:
    assert fn(*args, "en") == en
    assert fn(*args, "fr") == fr


def test_signed_percent_and_missing_values() -> None:
    assert fmt_pct(-7.6, "fr") == "\u22127,6\u00a0%"
    assert fmt_pct(7.6, "en", signed=True) == "+7.6%"
    assert fmt_int(None, "en") == "–"
    assert fmt_int(float("nan"), "fr") == "–"


def test_first_of_the_month_in_every_french_date_style() -> None:
    assert fmt_date(dt.date(2026, 7, 1), "fr", "medium") == "1er juill. 2026"
    assert fmt_date("2026-12-01", "fr") == "1er décembre 2026"
    assert fmt_date(dt.date(2026, 7, 1), "en", "medium") == "Jul 1, 2026"


def test_french_portal_names_use_french_province_abbreviations() -> None:
    from opengov.ingest.shipped import french_portal_name

    assert french_portal_name("Calgary (Alta.)") == "Calgary (Alb.)"
    assert french_portal_name("Montréal (Que.)") == "Montréal (Qc)"
    assert french_portal_name("Yellowknife (N.W.T.)") == "Yellowknife (T.N.-O.)"
    assert french_portal_name("Ville de Québec") == "Ville de Québec"
    assert french_portal_name("Durham (Region) (Ont.)") == "Durham (Region) (Ont.)"


def test_bilingual_texts_show_the_ui_language_half() -> None:
    from opengov.i18n import pick_bilingual
    from opengov.ingest.shipped import GC_PUBLICATION, OGL

    assert pick_bilingual(OGL, "fr") == "Licence du gouvernement ouvert – Canada"
    assert pick_bilingual(OGL, "en") == "Open Government Licence – Canada"
    assert pick_bilingual(GC_PUBLICATION, "fr") == "Publication du gouvernement du Canada"
    assert pick_bilingual("MIT", "fr") == "MIT"
