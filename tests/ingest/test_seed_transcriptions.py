"""Checks the CSV transcriptions in data/seeds/ against the text of the source documents (data/seeds/documents/).

The expected counts are derived from the seed text itself (status words per plan-year section,
bullets per meeting, "ACHEVÉ LE" markers, the number words in the narrative, ...), so a missing,
duplicated or misplaced row makes a test fail. Only the csv module and the standard library are used.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from functools import cache
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
DATA = REPO / "data" / "seeds"
#: The text of the five source documents, kept in the repository (see data/PROVENANCE.md, section 3).
SEEDS = DATA / "documents"
SEED_FILES = (
    "000_c9286908dbd9cbfe.txt",
    "001_e9a5f43ea96066e7.txt",
    "002_d1a05bf52a182cfa.txt",
    "003_c17dd84d76512011.txt",
    "004_0a44516a16b32160.txt",
    "README.md",
)

SEED_CSIS = "003_c17dd84d76512011.txt"
SEED_COGWG = "001_e9a5f43ea96066e7.txt"

HEADERS = {
    "csis_milestones.csv": [
        "row_id",
        "plan_year_index",
        "plan_year_label_fr",
        "plan_year_label_en",
        "plan_year_start",
        "plan_year_end",
        "reference",
        "milestone_fr",
        "milestone_en",
        "start_text_fr",
        "start_date",
        "end_text_fr",
        "end_date",
        "status_fr",
        "seed_line",
    ],
    "cogwg_meetings.csv": [
        "meeting_id",
        "year",
        "month",
        "meeting_date",
        "meeting_held",
        "no_meeting_reason_fr",
        "no_meeting_reason_en",
        "annex",
        "seed_line",
    ],
    "cogwg_activities.csv": [
        "activity_id",
        "meeting_id",
        "kind",
        "text_fr",
        "text_en",
        "presenter_fr",
        "presenter_jurisdiction",
        "seed_line",
    ],
    "cogwg_agenda_2022.csv": [
        "item_id",
        "topic_fr",
        "topic_en",
        "presenter_fr",
        "presenter_jurisdiction",
        "status",
        "done_date",
        "status_text_fr",
        "seed_line",
    ],
    "cogwg_priorities.csv": [
        "priority_id",
        "year",
        "rank",
        "priority_fr",
        "priority_en",
        "kind",
        "status_text_fr",
        "status_text_en",
        "seed_line",
    ],
    "cogwg_projects.csv": [
        "project_id",
        "title_fr",
        "title_en",
        "rationale_fr",
        "rationale_en",
        "activities_fr",
        "activities_en",
        "seed_line",
    ],
    "impact_facts.csv": [
        "fact_id",
        "seed_file",
        "document_fr",
        "document_en",
        "document_date",
        "document_date_precision",
        "subject_jurisdiction",
        "value",
        "unit",
        "qualifier",
        "statement_fr",
        "statement_en",
        "quote",
        "seed_line",
    ],
}
JURISDICTIONS = {
    "",
    "federal",
    "NL",
    "PE",
    "NS",
    "NB",
    "QC",
    "ON",
    "MB",
    "SK",
    "AB",
    "BC",
    "YT",
    "NT",
    "NU",
    "municipal",
    "international",
}
FR_MONTHS = {
    "janvier": 1,
    "février": 2,
    "mars": 3,
    "avril": 4,
    "mai": 5,
    "juin": 6,
    "juillet": 7,
    "août": 8,
    "septembre": 9,
    "octobre": 10,
    "novembre": 11,
    "décembre": 12,
}
EN_MONTHS = {
    m: i
    for i, m in enumerate(
        [
            "january",
            "february",
            "march",
            "april",
            "may",
            "june",
            "july",
            "august",
            "september",
            "october",
            "november",
            "december",
        ],
        1,
    )
}
FR_NUMBERS = {
    "un": 1,
    "deux": 2,
    "trois": 3,
    "quatre": 4,
    "cinq": 5,
    "six": 6,
    "sept": 7,
    "huit": 8,
    "neuf": 9,
    "dix": 10,
    "onze": 11,
    "douze": 12,
}


# ----------------------------------------------------------------------------------------------- helpers
def norm(s: str) -> str:
    """Whitespace-normalise, drop PDF bullets, re-join words hyphenated across a line break."""
    s = s.replace("\uf0b7", " ").replace("•", " ")
    s = re.sub(r"(\w)-\s+(\w)", r"\1-\2", s)
    return re.sub(r"\s+", " ", s).strip()


@cache
def seed_lines(name: str) -> tuple[str, ...]:
    return tuple((SEEDS / name).read_text(encoding="utf-8").split("\n"))


def seed_text(name: str, start: int = 1, end: int | None = None) -> str:
    """Normalised text of lines start..end (1-based, inclusive)."""
    lines = seed_lines(name)
    return norm(" ".join(lines[start - 1 : end]))


def find_line(name: str, pattern: str, start: int = 1) -> int:
    rx = re.compile(pattern)
    for i, line in enumerate(seed_lines(name)[start - 1 :], start):
        if rx.search(line):
            return i
    raise AssertionError(f"pattern {pattern!r} not found in {name} after line {start}")


@cache
def rows(fname: str) -> tuple[dict, ...]:
    with open(DATA / fname, encoding="utf-8", newline="") as f:
        return tuple(csv.DictReader(f))


def parse_fr_date(s: str) -> dt.date:
    m = re.fullmatch(r"(\d{1,2})(?:er)?\s+(\w+)\s+(\d{4})", s.strip())
    assert m, f"not a date: {s!r}"
    month = FR_MONTHS.get(m.group(2).lower()) or EN_MONTHS[m.group(2).lower()]
    return dt.date(int(m.group(3)), month, int(m.group(1)))


def tokens_in_order(text: str, seed_name: str, start_line: int, span: int = 30) -> bool:
    """All words of `text` appear, in order, in the seed from start_line on (columns may be interleaved)."""
    hay = iter(seed_text(seed_name, start_line, start_line + span).split())
    return all(tok in hay for tok in norm(text).split())


def starts_on_line(text: str, seed_name: str, line_no: int, n: int = 15) -> bool:
    """The normalised first n characters of `text` begin on line `line_no` (and may run onto the next lines)."""
    line = norm(seed_lines(seed_name)[line_no - 1])
    window = seed_text(seed_name, line_no, line_no + 4)
    prefix = norm(text)[:n]
    pos = window.find(prefix)
    return bool(line) and 0 <= pos < len(line)


def paragraphs(lines: list[str]) -> list[str]:
    """Group consecutive non-blank lines (whitespace-only lines count as blank)."""
    out, cur = [], []
    for line in lines:
        if line.strip():
            cur.append(line)
        elif cur:
            out.append(norm(" ".join(cur)))
            cur = []
    if cur:
        out.append(norm(" ".join(cur)))
    return out


# ----------------------------------------------------------------------------------------------- generic
def test_seed_documents_are_in_the_repository():
    """The checks below need the source documents: a missing one is a failure, never a skip."""
    missing = [name for name in SEED_FILES if not (SEEDS / name).is_file()]
    assert missing == [], f"source documents missing from {SEEDS}: {missing}"


@pytest.mark.parametrize("fname", sorted(HEADERS))
def test_file_encoding_and_header(fname):
    raw = (DATA / fname).read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf"), "no BOM"
    raw.decode("utf-8")
    with open(DATA / fname, encoding="utf-8", newline="") as f:
        header = next(csv.reader(f))
    assert header == HEADERS[fname]
    data = rows(fname)
    assert data, "file is empty"
    for r in data:
        assert None not in r and all(v is not None for v in r.values()), f"ragged row {r}"
        assert "•" not in "".join(r.values()) and "\uf0b7" not in "".join(r.values())
    key = HEADERS[fname][0]
    assert len({r[key] for r in data}) == len(data), f"duplicate {key}"


# ----------------------------------------------------------------------------------------------- CSIS
def csis_sections() -> dict[int, tuple[int, int]]:
    """Line ranges of each plan-year section of the section-7 table, located from the headings in the seed."""
    name = SEED_CSIS
    table = find_line(name, r"^\s*Référence\s+Jalons\s+Date\s+de\s+début\s+Date\s+de\s+fin\s+Statut")
    heads = {
        1: find_line(name, r"^\s*Première année \(", table),
        2: find_line(name, r"^\s*Deuxième année \(", table),
        3: find_line(name, r"^\s*Troisième année \(", table),
        4: find_line(name, r"^\s*Quatrième année \(", table),
        5: find_line(name, r"^\s*Cinquième année \(", table),
        0: find_line(name, r"^\s*Éléments s’étendant sur plusieurs années", table),
    }
    order = sorted(heads, key=heads.get)
    assert order == [1, 2, 3, 4, 5, 0]
    end = len(seed_lines(name))
    bounds = {}
    for i, k in enumerate(order):
        bounds[k] = (heads[k], heads[order[i + 1]] - 1 if i + 1 < len(order) else end)
    return bounds


STATUS_WORDS = re.compile(r"\b(Terminé|commencé|l’échéancier)\b")


def test_csis_row_count_per_year_matches_status_cells():
    counts: dict[int, int] = {}
    for r in rows("csis_milestones.csv"):
        counts[int(r["plan_year_index"])] = counts.get(int(r["plan_year_index"]), 0) + 1
    for year, (a, b) in csis_sections().items():
        # every row of the table carries exactly one status cell: Terminé / Pas commencé / Respect de l’échéancier
        expected = len(STATUS_WORDS.findall(seed_text(SEED_CSIS, a, b)))
        assert expected > 0
        assert counts.get(year, 0) == expected, f"plan year {year}: {counts.get(year, 0)} rows, seed has {expected}"


def test_csis_rows_sit_in_their_year_section_and_in_order():
    sections = csis_sections()
    data = rows("csis_milestones.csv")
    for r in data:
        a, b = sections[int(r["plan_year_index"])]
        assert a < int(r["seed_line"]) <= b, r["row_id"]
        assert re.fullmatch(rf"CSIS-Y{r['plan_year_index']}-\d\d", r["row_id"]), r["row_id"]
    lines = [int(r["seed_line"]) for r in data]
    assert lines == sorted(lines), "rows must follow the order of the table"


def test_csis_year_labels_and_bounds():
    for r in rows("csis_milestones.csv"):
        a, _ = csis_sections()[int(r["plan_year_index"])]
        heading = seed_text(SEED_CSIS, a, a + 4).replace("1 er ", "1er ")
        assert heading.startswith(r["plan_year_label_fr"]), (r["plan_year_label_fr"], heading)
        if r["plan_year_index"] == "0":
            assert r["plan_year_start"] == r["plan_year_end"] == ""
            continue
        found = re.findall(r"(\d{1,2}(?:er)? \w+ \d{4})", r["plan_year_label_fr"])
        assert len(found) == 2
        assert r["plan_year_start"] == parse_fr_date(found[0]).isoformat()
        assert r["plan_year_end"] == parse_fr_date(found[1]).isoformat()
        assert r["plan_year_label_en"]


def test_csis_references_are_directive_requirements_from_the_seed():
    table = find_line(SEED_CSIS, r"^\s*Référence Jalons")
    intro = find_line(SEED_CSIS, r"^\s*7\. Tableau de planification")
    refs = {m.group(1) for line in seed_lines(SEED_CSIS)[intro:table] if (m := re.match(r"\s*(\d\.\d)\s", line))}
    assert {"6.1", "6.2", "6.3", "6.4", "6.5", "6.6", "7.1"} <= refs
    lines = seed_lines(SEED_CSIS)
    for r in rows("csis_milestones.csv"):
        assert r["reference"] in refs, r
        ln = int(r["seed_line"])
        assert any(
            re.match(re.escape(r["reference"]) + r"(\s|$)", lines[k - 1].strip()) for k in (ln, ln - 1, ln - 2)
        ), f"{r['row_id']}: reference not found at/above line {ln}"


def test_csis_milestone_text_is_faithful():
    for r in rows("csis_milestones.csv"):
        ln = int(r["seed_line"])
        assert starts_on_line(r["milestone_fr"], SEED_CSIS, ln), r["row_id"]
        assert tokens_in_order(r["milestone_fr"], SEED_CSIS, ln), r["row_id"]
        assert r["milestone_en"] and r["milestone_en"] != r["milestone_fr"]


def test_csis_statuses_and_dates():
    table_text = seed_text(SEED_CSIS, find_line(SEED_CSIS, r"^\s*Référence Jalons"))
    statuses_in_text = {s for s in ("Terminé", "Pas commencé", "Respect de l’échéancier") if s in table_text}
    for r in rows("csis_milestones.csv"):
        assert r["status_fr"] in statuses_in_text, r
        assert r["end_date"] == parse_fr_date(r["end_text_fr"]).isoformat(), r["row_id"]
        if r["start_text_fr"] == "En cours":
            assert r["start_date"] == "", r["row_id"]
        else:
            assert r["start_date"] == parse_fr_date(r["start_text_fr"]).isoformat(), r["row_id"]
            assert dt.date.fromisoformat(r["end_date"]) >= dt.date.fromisoformat(r["start_date"]), r["row_id"]
        # the verbatim start/end/status cells occur (in order) after the row's reference
        for col in ("start_text_fr", "end_text_fr", "status_fr"):
            assert tokens_in_order(r[col].replace("1er ", "1 er "), SEED_CSIS, int(r["seed_line"]) - 2, 25), (
                r["row_id"],
                col,
            )


def test_csis_status_cell_of_each_row_is_its_own():
    """Between one row's reference line and the next row's, exactly one status cell appears, equal to status_fr."""
    data = rows("csis_milestones.csv")
    lines = seed_lines(SEED_CSIS)

    def ref_line(r):
        ln = int(r["seed_line"])
        return next(
            k for k in (ln, ln - 1, ln - 2) if re.match(re.escape(r["reference"]) + r"(\s|$)", lines[k - 1].strip())
        )

    starts = [ref_line(r) for r in data] + [len(lines) + 1]
    heads = sorted(a for a, _ in csis_sections().values())
    want = {"Terminé": "Terminé", "commencé": "Pas commencé", "l’échéancier": "Respect de l’échéancier"}
    cell_vocab = re.compile(
        r"(En|cours|\d{1,4}|er|Terminé|Pas|commencé|Respect|de|l’échéancier|October|" + "|".join(FR_MONTHS) + ")"
    )
    for i, r in enumerate(data):
        end = min([starts[i + 1]] + [h for h in heads if h > starts[i]]) - 1
        block = seed_text(SEED_CSIS, starts[i], end)
        found = STATUS_WORDS.findall(block)
        assert [want[f] for f in found] == [r["status_fr"]], (r["row_id"], found)
        # completeness: once the reference and the milestone words are taken out (in order), only the
        # date and status cells may remain in the row's block -- nothing of the milestone text is dropped
        toks = block.split()
        assert toks[0] == r["reference"]
        rest, want_toks = [], norm(r["milestone_fr"]).split()
        for t in toks[1:]:
            if want_toks and t == want_toks[0]:
                want_toks.pop(0)
            else:
                rest.append(t)
        assert not want_toks, (r["row_id"], "milestone words not found in the row block", want_toks[:5])
        leftovers = [t for t in rest if not cell_vocab.fullmatch(t)]
        assert not leftovers, (r["row_id"], "seed words missing from milestone_fr", leftovers)


# ----------------------------------------------------------------------------------------------- COGWG meetings
def annex_bounds() -> dict[str, tuple[int, int]]:
    a = find_line(SEED_COGWG, r"^Annexe A – ")
    b = find_line(SEED_COGWG, r"^Annexe B – ")
    c = find_line(SEED_COGWG, r"^Annexe C – ")
    return {"A": (a, b - 1), "B": (b, c - 1), "C": (c, len(seed_lines(SEED_COGWG)))}


def number_word(pattern: str) -> int:
    m = re.search(pattern, seed_text(SEED_COGWG))
    assert m, pattern
    return FR_NUMBERS[m.group(1)]


def test_meetings_held_counts_match_narrative():
    held = [r for r in rows("cogwg_meetings.csv") if r["meeting_held"] == "true"]
    n2021 = number_word(r"En 2021, le GTGOC a tenu (\w+) réunions internes")
    n2022 = number_word(r"De janvier à juillet 2022, le GTGOC a tenu (\w+) réunions internes")
    assert (n2021, n2022) == (8, 7)
    assert sum(r["year"] == "2021" for r in held) == n2021
    assert sum(r["year"] == "2022" and 1 <= int(r["month"]) <= 7 for r in held) == n2022


def test_meeting_dates_match_annex_tables():
    a0, a1 = annex_bounds()["A"]
    b0, b1 = annex_bounds()["B"]
    lines = seed_lines(SEED_COGWG)
    dates_a = {m.group(0) for line in lines[a0 - 1 : a1] if (m := re.match(r"\d{4}-\d\d-\d\d", line.strip()))}
    table_b = find_line(SEED_COGWG, r"^Date Activités supplémentaires", b0)
    dates_b = {m.group(0) for line in lines[table_b - 1 : b1] if (m := re.match(r"\d{4}-\d\d-\d\d", line.strip()))}
    held = {r["meeting_date"]: r for r in rows("cogwg_meetings.csv") if r["meeting_held"] == "true"}
    assert {d for d, r in held.items() if r["annex"] == "A"} == dates_a
    assert {d for d, r in held.items() if r["annex"] == "B"} == dates_b
    for d, r in held.items():
        assert r["meeting_id"] == d
        assert (int(r["year"]), int(r["month"])) == (int(d[:4]), int(d[5:7]))
        assert r["no_meeting_reason_fr"] == r["no_meeting_reason_en"] == ""


def test_no_meeting_months_2021_are_those_of_annex_a():
    abbrev = {
        "janv.": 1,
        "févr.": 2,
        "mars": 3,
        "avr.": 4,
        "mai": 5,
        "juin": 6,
        "juil.": 7,
        "août": 8,
        "sept.": 9,
        "oct.": 10,
        "nov.": 11,
        "déc.": 12,
    }
    a0, a1 = annex_bounds()["A"]
    months = set()
    for line in seed_lines(SEED_COGWG)[a0 - 1 : a1]:
        m = re.match(r"\s*(\S+) (\d{4}) • Pas de réunion", line)
        if m:
            months.add((int(m.group(2)), abbrev[m.group(1).lower()]))
    assert months == {(2021, 8), (2021, 9), (2021, 10), (2021, 12)}
    not_held = {
        (int(r["year"]), int(r["month"]))
        for r in rows("cogwg_meetings.csv")
        if r["meeting_held"] == "false" and r["annex"] == "A"
    }
    assert not_held == months
    reason = (
        "Certaines réunions n’ont pas eu lieu en raison de la période d’élection fédérale canadienne et des "
        "congés saisonniers."
    )
    assert reason in seed_text(SEED_COGWG)
    for r in rows("cogwg_meetings.csv"):
        if r["meeting_held"] == "false" and r["year"] == "2021":
            assert r["no_meeting_reason_fr"] == reason and r["no_meeting_reason_en"]
            assert r["meeting_date"] == "" and r["meeting_id"] == f"2021-{int(r['month']):02d}-none"
    # every month of 2021 is accounted for exactly once
    assert sorted(int(r["month"]) for r in rows("cogwg_meetings.csv") if r["year"] == "2021") == list(range(1, 13))


def test_no_meeting_august_2022():
    sentence = "Aucune réunion n’a eu lieu en août 2022 en raison des congés saisonniers prévus."
    assert sentence in seed_text(SEED_COGWG)
    aug = [r for r in rows("cogwg_meetings.csv") if (r["year"], r["month"]) == ("2022", "8")]
    assert len(aug) == 1
    r = aug[0]
    assert r["meeting_held"] == "false" and r["meeting_date"] == "" and r["meeting_id"] == "2022-08-none"
    assert r["no_meeting_reason_fr"] == sentence and r["no_meeting_reason_en"]
    assert r["annex"] == "B"


def test_meeting_seed_lines():
    for r in rows("cogwg_meetings.csv"):
        line = seed_lines(SEED_COGWG)[int(r["seed_line"]) - 1]
        assert r["meeting_held"] in {"true", "false"}
        if r["meeting_held"] == "true":
            assert line.strip().startswith(r["meeting_date"]), r
        else:
            assert "Pas de réunion" in line or "Aucune réunion" in line, r


# ----------------------------------------------------------------------------------------------- COGWG activities
def meeting_blocks() -> dict[str, list[str]]:
    """Seed lines of each held meeting, from its date line up to the next date / month line / annex."""
    lines = seed_lines(SEED_COGWG)
    marks = []
    for key in ("A", "B"):
        a0, a1 = annex_bounds()[key]
        start = a0 if key == "A" else find_line(SEED_COGWG, r"^Date Activités supplémentaires", a0)
        for i in range(start, a1 + 1):
            s = lines[i - 1].strip()
            if re.match(r"\d{4}-\d\d-\d\d", s) or re.match(r"\S+ \d{4} • Pas de réunion", s):
                marks.append(i)
        marks.append(a1 + 1)
    blocks = {}
    for i, m in enumerate(marks[:-1]):
        s = lines[m - 1].strip()
        d = re.match(r"\d{4}-\d\d-\d\d", s)
        if d:
            blocks[d.group(0)] = [lines[m - 1][lines[m - 1].index(d.group(0)) + 10 :]] + list(
                lines[m : marks[i + 1] - 1]
            )
    return blocks


def test_activity_counts_per_meeting():
    blocks = meeting_blocks()
    per_meeting: dict[str, int] = {}
    for r in rows("cogwg_activities.csv"):
        per_meeting[r["meeting_id"]] = per_meeting.get(r["meeting_id"], 0) + 1
    held = {r["meeting_id"] for r in rows("cogwg_meetings.csv") if r["meeting_held"] == "true"}
    assert set(per_meeting) <= held
    for date, block in blocks.items():
        if date.startswith("2021"):
            # one bullet per activity in Annex A
            items = [norm(b) for b in " ".join(block).split("•")[1:]]
        else:
            items = paragraphs(block)  # one paragraph per activity in Annex B
        assert items
        assert per_meeting.get(date, 0) == len(items), (date, per_meeting.get(date, 0), len(items))
        # and the texts are the seed's, complete and in the seed's order
        texts = [norm(r["text_fr"]) for r in rows("cogwg_activities.csv") if r["meeting_id"] == date]
        assert texts == items, date


def test_activity_text_kind_and_presenter():
    presenter_codes = [  # name fragment in the presenter -> jurisdiction code
        ("Territoires du Nord-Ouest", "NT"),
        ("Ontario", "ON"),
        ("Québec", "QC"),
        ("Colombie-Britannique", "BC"),
        ("Nouvelle-Écosse", "NS"),
        ("Manitoba", "MB"),
        ("gouvernement du Canada", "federal"),
        ("Conseil du Trésor du Canada", "federal"),
        ("PGO", "international"),
        ("Partenariat pour un gouvernement ouvert", "international"),
    ]
    for r in rows("cogwg_activities.csv") + rows("cogwg_agenda_2022.csv"):
        text = r.get("text_fr") or r["topic_fr"]
        kind = (
            "presentation"
            if text.startswith("Présentation")
            else "discussion"
            if text.startswith("Discussion")
            else "other"
        )
        if "kind" in r:
            assert r["kind"] == kind, r
        assert r["presenter_jurisdiction"] in JURISDICTIONS
        if not r["presenter_fr"]:
            assert r["presenter_jurisdiction"] == "", r
            continue
        assert r["presenter_fr"] in text, r
        assert (
            text.rstrip(".").endswith(r["presenter_fr"])
            or f"par le {r['presenter_fr']}" in text
            or "par le gouvernement" in text
            or f"menée par le {r['presenter_fr']}" in text
        ), r
        codes = {code for frag, code in presenter_codes if frag in r["presenter_fr"]}
        assert codes == {r["presenter_jurisdiction"]}, (r["presenter_fr"], codes, r["presenter_jurisdiction"])


def test_activity_seed_lines_and_faithful_text():
    for r in rows("cogwg_activities.csv"):
        ln = int(r["seed_line"])
        assert starts_on_line(r["text_fr"], SEED_COGWG, ln), r
        assert tokens_in_order(r["text_fr"], SEED_COGWG, ln, 12), r
        assert r["text_en"]
        assert r["activity_id"].startswith(r["meeting_id"] + "-")


# ----------------------------------------------------------------------------------------------- agenda 2022
def test_agenda_done_items_match_acheve_markers():
    text = "\n".join(seed_lines(SEED_COGWG))
    markers = re.findall(r"ACHEVÉ LE (\d{4}-\d\d-\d\d)", text)
    assert len(markers) == 4
    done = [r for r in rows("cogwg_agenda_2022.csv") if r["status"] == "done"]
    assert sorted(r["done_date"] for r in done) == sorted(markers)
    held_2022 = {r["meeting_date"] for r in rows("cogwg_meetings.csv") if r["meeting_held"] == "true"}
    start = find_line(SEED_COGWG, r"^Sujet de l’ordre du jour des prochaines réunions\s+État")
    end = find_line(SEED_COGWG, r"^Sujets de l’ordre du jour des prochaines réunions", start)
    paras = paragraphs(list(seed_lines(SEED_COGWG)[start : end - 1]))
    topics = [p for p in paras if not p.startswith("ACHEVÉ LE")]
    assert [norm(r["topic_fr"]) for r in done] == topics
    for r in done:
        assert r["status_text_fr"] == f"ACHEVÉ LE {r['done_date']}"
        assert r["done_date"] in held_2022, "an item can only be completed at a meeting that took place"
        # the marker follows the topic in the seed, before the next topic starts
        ln = int(r["seed_line"])
        assert r["status_text_fr"] in seed_text(SEED_COGWG, ln, ln + 8)


def test_agenda_pending_items_match_list():
    start = find_line(SEED_COGWG, r"^Sujets de l’ordre du jour des prochaines réunions")
    end = find_line(SEED_COGWG, r"^Outre les sujets de l’ordre du jour", start)
    topics = paragraphs(list(seed_lines(SEED_COGWG)[start : end - 1]))
    assert topics[-1] == "Bilan de l’année."
    pending = [r for r in rows("cogwg_agenda_2022.csv") if r["status"] == "pending"]
    assert [norm(r["topic_fr"]) for r in pending] == topics
    for r in pending:
        assert r["done_date"] == r["status_text_fr"] == ""
    assert {r["status"] for r in rows("cogwg_agenda_2022.csv")} == {"done", "pending"}


def test_agenda_seed_lines():
    for r in rows("cogwg_agenda_2022.csv"):
        ln = int(r["seed_line"])
        assert starts_on_line(r["topic_fr"], SEED_COGWG, ln), r
        assert tokens_in_order(r["topic_fr"], SEED_COGWG, ln, 10), r
        assert r["topic_en"]


# ----------------------------------------------------------------------------------------------- priorities / projects
def numbered_items(start_pat: str, end_pat: str) -> list[tuple[int, str, int]]:
    a = find_line(SEED_COGWG, start_pat)
    b = find_line(SEED_COGWG, end_pat, a)
    out = []
    for i in range(a, b):
        m = re.match(r"\s*(\d)\. (.+)", seed_lines(SEED_COGWG)[i - 1])
        if m:
            out.append((int(m.group(1)), norm(m.group(2)), i))
    return out


def test_priorities_2021_and_future():
    pri = rows("cogwg_priorities.csv")
    items_2021 = numbered_items(r"^Priorités du GTGOC pour 2021", r"^Réunions et activités en 2021")
    items_future = numbered_items(r"^Priorités pour l’avenir", r"^Un aperçu des projets")
    assert len(items_2021) == 3 and len(items_future) == 2
    wp = [r for r in pri if r["kind"] == "workplan_priority"]
    pp = [r for r in pri if r["kind"] == "proposed_project"]
    assert [(int(r["rank"]), norm(r["priority_fr"]), int(r["seed_line"])) for r in wp] == items_2021
    assert [(int(r["rank"]), norm(r["priority_fr"]), int(r["seed_line"])) for r in pp] == items_future
    assert all(r["year"] == "2021" for r in wp)
    assert len(pri) == len(wp) + len(pp)
    for r in pri:
        assert r["priority_en"]
        if r["status_text_fr"]:
            assert norm(r["status_text_fr"]) in seed_text(SEED_COGWG), r
            assert r["status_text_en"]
    portals = next(r for r in wp if "centrés sur l’utilisateur" in r["priority_fr"])
    assert "les progrès ont été limités" in portals["status_text_fr"]


def test_projects_annex_c():
    c0, c1 = annex_bounds()["C"]
    lines = seed_lines(SEED_COGWG)
    justif = [i for i in range(c0, c1 + 1) if lines[i - 1].strip() == "Justification"]
    prj = rows("cogwg_projects.csv")
    assert len(prj) == len(justif) == 2
    annex_text = seed_text(SEED_COGWG, c0, c1)
    annex_flat = annex_text.replace(" o ", " ")
    bounds = justif[1:] + [c1 + 1]
    for r, j, nxt in zip(prj, justif, bounds, strict=True):
        title_line = int(r["seed_line"])
        assert title_line < j and norm(lines[title_line - 1]) == norm(r["title_fr"]), r["project_id"]
        block = lines[j : nxt - 1]
        bullets = [i for i, line in enumerate(block) if line.lstrip().startswith("•")]
        res = [i for i in bullets if "Des ressources supplémentaires" in block[i]]
        assert len(res) == 1
        rationale = r["rationale_fr"].split(" | ")
        activities = r["activities_fr"].split(" | ")
        assert len(rationale) == len(bullets) - 1
        sub_after = sum(1 for line in block[res[0] :] if re.match(r"\s*o ", line))
        assert len(activities) == sub_after
        for part in rationale + activities:
            assert norm(part) in annex_flat, part[:60]
        assert len(r["rationale_en"].split(" | ")) == len(rationale)
        assert len(r["activities_en"].split(" | ")) == len(activities)


# ----------------------------------------------------------------------------------------------- impact facts
README_FACTS = {  # (seed file, value, unit) for every figure named in seeds/README.md
    ("000_c9286908dbd9cbfe.txt", 150, "count"),
    ("000_c9286908dbd9cbfe.txt", 695000000, "cad"),
    ("000_c9286908dbd9cbfe.txt", 1, "rank"),
    ("000_c9286908dbd9cbfe.txt", 75, "percent"),
    ("000_c9286908dbd9cbfe.txt", 79, "count"),
    ("000_c9286908dbd9cbfe.txt", 1750, "count"),
    ("002_d1a05bf52a182cfa.txt", 51, "count"),
    ("002_d1a05bf52a182cfa.txt", 12, "count"),
    ("002_d1a05bf52a182cfa.txt", 1200, "count"),
    ("004_0a44516a16b32160.txt", 20, "count"),
    ("004_0a44516a16b32160.txt", 19, "count"),
    ("004_0a44516a16b32160.txt", 78000, "count"),
    ("004_0a44516a16b32160.txt", 500, "count"),
}


def test_impact_facts_cover_readme_figures():
    have = {(r["seed_file"], int(r["value"]), r["unit"]) for r in rows("impact_facts.csv")}
    assert README_FACTS <= have, README_FACTS - have
    readme = (SEEDS / "README.md").read_text(encoding="utf-8")
    for seed in {r["seed_file"] for r in rows("impact_facts.csv")}:
        assert seed in readme and seed in {
            "000_c9286908dbd9cbfe.txt",
            "002_d1a05bf52a182cfa.txt",
            "004_0a44516a16b32160.txt",
        }


def value_spellings(v: int) -> set[str]:
    s = {str(v), f"{v:,}", f"{v:,}".replace(",", " ")}
    if v % 1_000_000 == 0:
        s.add(f"{v // 1_000_000} millions")
    if v == 100:
        s.add("cent")
    if v == 1:
        s.add("1er rang")
    return s


def test_impact_facts_quotes_are_verbatim():
    for r in rows("impact_facts.csv"):
        full = seed_text(r["seed_file"])
        assert norm(r["quote"]) in full, r["fact_id"]
        ln = int(r["seed_line"])
        assert starts_on_line(r["quote"], r["seed_file"], ln), r["fact_id"]
        assert any(sp in r["quote"] for sp in value_spellings(int(r["value"]))), r["fact_id"]
        assert r["unit"] in {"count", "percent", "cad", "rank"}
        assert r["qualifier"] in {"exact", "more_than", "approx"}
        q = r["quote"].lower()
        if r["qualifier"] == "more_than":
            assert "plus de" in q or "more than" in q or "over" in q, r["fact_id"]
        if r["qualifier"] == "approx":
            assert "environ" in q or "quelque" in q or "about" in q, r["fact_id"]
        if r["unit"] == "percent":
            assert re.search(rf"\b{r['value']} ?%", r["quote"])
        assert r["subject_jurisdiction"] in {"CA", "QC", "international"}
        assert r["statement_fr"] and r["statement_en"] and r["document_fr"] and r["document_en"]


def test_impact_fact_dates():
    fmt = {"day": r"\d{4}-\d\d-\d\d", "month": r"\d{4}-\d\d", "year": r"\d{4}", "approx": r"\d{4}(-\d\d(-\d\d)?)?"}
    for r in rows("impact_facts.csv"):
        assert re.fullmatch(fmt[r["document_date_precision"]], r["document_date"]), r["fact_id"]
        if r["document_date_precision"] == "day":
            dt.date.fromisoformat(r["document_date"])
    # the Québec letter is dated in its own text
    letter = [r for r in rows("impact_facts.csv") if r["seed_file"] == "002_d1a05bf52a182cfa.txt"]
    assert letter and "Québec, le 6 octobre 2020" in seed_text("002_d1a05bf52a182cfa.txt", 1, 10)
    assert {r["document_date"] for r in letter} == {"2020-10-06"}
