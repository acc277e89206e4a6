"""A plan's progress as its sources report it: the unit its statuses are reported for, one row per unit
("items"), what share of them has a reported status and as of which period. Frames in, frames out: no
Streamlit, no store.

The unit follows the source: the national tracker reports per **indicator** (NAP4, NAP5, NAP6), a
departmental plan table per **milestone** (the CSIS plan), self-assessments and subnational plans per
**commitment** (NAP2, NAP3, Québec, Ontario). An item without a reported status stays "not reported": it
is never counted as on track nor late.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, NamedTuple

import pandas as pd

UNITS: tuple[str, ...] = ("indicator", "milestone", "commitment")
#: Plan kinds in the order the page lists them: national plans first.
KIND_ORDER: dict[str, int] = {"national": 0, "subnational": 1, "departmental": 2}


def plan_order(plans: pd.DataFrame) -> list[str]:
    """Plan ids, national plans first (latest first), then subnational, then departmental.

    >>> p = pd.DataFrame({"id": ["CSIS", "NAP4", "NAP5", "QC"], "kind": ["departmental", "national", "national",
    ...     "subnational"], "period_end": pd.to_datetime(["2020-03-31", "2020-08-31", "2024-12-31", "2023-03-31"])})
    >>> plan_order(p)
    ['NAP5', 'NAP4', 'QC', 'CSIS']
    """
    key = plans.assign(
        _k=plans["kind"].map(KIND_ORDER).fillna(9),
        _e=pd.to_datetime(plans["period_end"]).fillna(pd.Timestamp("1900-01-01")),
    )
    return key.sort_values(["_k", "_e", "id"], ascending=[True, False, True])["id"].tolist()


def plan_unit(milestones: pd.DataFrame, indicators: pd.DataFrame) -> str:
    """The unit a plan's statuses are reported for: indicator, else milestone, else commitment.

    >>> plan_unit(pd.DataFrame({"id": [1]}), pd.DataFrame({"id": [7]})), plan_unit(pd.DataFrame(), pd.DataFrame())
    ('indicator', 'commitment')
    """
    if not indicators.empty:
        return "indicator"
    return "milestone" if not milestones.empty else "commitment"


def latest_observations(obs: pd.DataFrame) -> pd.DataFrame:
    """The latest observation **with a status** per (milestone, indicator): status, period, period end.

    >>> o = pd.DataFrame({"milestone_id": [1, 1, 1], "indicator_code": ["C1.1.1"] * 3,
    ...     "reporting_period": ["2022-03", "2022-06", "2022-09"], "period_end": pd.to_datetime(
    ...     ["2022-03-31", "2022-06-30", "2022-09-30"]), "status": ["limited", "substantial", None]})
    >>> latest_observations(o)[["indicator_code", "status", "reporting_period"]].values.tolist()
    [['C1.1.1', 'substantial', '2022-06']]
    """
    cols = ["milestone_id", "indicator_code", "status", "reporting_period", "period_end"]
    if obs.empty:
        return pd.DataFrame(columns=cols)
    rep = obs[obs["status"].notna()].sort_values("reporting_period")
    return rep.groupby(["milestone_id", "indicator_code"], as_index=False).last()[cols]


def indicator_items(ms: pd.DataFrame, ind: pd.DataFrame, obs: pd.DataFrame) -> pd.DataFrame:
    """One row per indicator (milestone-shaped, so metrics.milestones applies): its text as the title, its
    milestone and commitment, lead, deadline, and its latest reported status with the period of that report."""
    mcols = ["id", "code", "title_en", "title_fr", "commitment_code", "commitment_en", "commitment_fr", "lead"]
    m = ms[mcols].rename(
        columns={"id": "milestone_id", "code": "milestone_code", "title_en": "milestone_en", "title_fr": "milestone_fr"}
    )
    m = m.rename(columns={"lead": "milestone_lead"})
    items = ind.drop(columns=["milestone_code"], errors="ignore").merge(m, on="milestone_id", how="left")
    latest = latest_observations(obs).rename(columns={"indicator_code": "code", "status": "reported_status"})
    items = items.merge(latest, on=["milestone_id", "code"], how="left")
    out = pd.DataFrame(
        {
            "id": items["id"],
            "milestone_id": items["milestone_id"],
            "code": items["code"],
            "reference": items["commitment_code"],
            "milestone_code": items["milestone_code"],
            "milestone_en": items["milestone_en"],
            "milestone_fr": items["milestone_fr"],
            "commitment_code": items["commitment_code"],
            "commitment_en": items["commitment_en"],
            "commitment_fr": items["commitment_fr"],
            "title_en": items["text_en"],
            "title_fr": items["text_fr"],
            "lead": items["lead"].where(items["lead"].astype(bool), items["milestone_lead"]).fillna(""),
            "deadline_en": items["deadline_en"],
            "deadline_fr": items["deadline_fr"],
            "start_date": pd.NaT,
            "end_date": pd.NaT,
            "end_text": "",
            "actual_end_date": pd.NaT,
            "year_index": None,
            "year_label_fr": "",
            "status": items["reported_status"].astype(object).where(items["reported_status"].notna(), None),
            "status_source_term": "",
            "status_period": items["reporting_period"].fillna(""),
            "status_as_of": pd.to_datetime(items["period_end"]),
            "version": items["version"],
        }
    )
    return out


def commitment_items(com: pd.DataFrame) -> pd.DataFrame:
    """One row per commitment of a plan reported per commitment (milestone-shaped), with milestones done / total.

    >>> c = pd.DataFrame({"id": [1], "code": ["C01"], "title_en": ["Open data"], "title_fr": [""],
    ...     "status": [None], "status_source_term": [""], "status_as_of": [pd.NaT], "status_period": ["2023"],
    ...     "milestones_done": [4.0], "milestones_total": [5.0], "lead": [""], "deadline_text": ["Mar 2023"],
    ...     "deadline_date": pd.to_datetime(["2023-03-31"]), "source_url": [""], "note": [""]})
    >>> commitment_items(c)[["code", "status", "milestones_done", "milestones_total"]].values.tolist()
    [['C01', None, 4.0, 5.0]]
    """
    return pd.DataFrame(
        {
            "id": com["id"],
            "milestone_id": com["id"],
            "code": com["code"],
            "reference": "",
            "milestone_code": "",
            "milestone_en": "",
            "milestone_fr": "",
            "commitment_code": com["code"],
            "commitment_en": com["title_en"],
            "commitment_fr": com["title_fr"],
            "title_en": com["title_en"],
            "title_fr": com["title_fr"],
            "lead": com["lead"],
            "deadline_en": com["deadline_text"],
            "deadline_fr": "",
            "start_date": pd.NaT,
            "end_date": pd.to_datetime(com["deadline_date"]),
            "end_text": com["deadline_text"],
            "actual_end_date": pd.NaT,
            "year_index": None,
            "year_label_fr": "",
            "status": com["status"].astype(object).where(com["status"].notna(), None),
            "status_source_term": com["status_source_term"],
            "status_period": com["status_period"],
            "status_as_of": pd.to_datetime(com["status_as_of"]),
            "milestones_done": com["milestones_done"],
            "milestones_total": com["milestones_total"],
            "source_url": com["source_url"],
            "note": com["note"],
        }
    )


def milestone_items(ms: pd.DataFrame) -> pd.DataFrame:
    """A departmental plan's milestones as items (their own status, dates and status date)."""
    out = ms.copy()
    out["milestone_id"] = out["id"]
    out["milestone_code"] = out["code"]
    out["status_period"] = pd.to_datetime(out["status_as_of"]).dt.strftime("%Y-%m-%d").fillna("")
    return out


@dataclass(frozen=True)
class Coverage:
    """How many of a plan's items have a reported status, and the latest period reported."""

    unit: str
    reported: int
    total: int
    latest_period: str  # "2024-12", a date, or the years the source gives ("2017"); "" if none
    known_total: bool = True  # False: a plan reported per commitment whose full list is not in the data

    @property
    def none_reported(self) -> bool:
        return self.reported == 0


def coverage(items: pd.DataFrame, unit: str, declared_total: int | None = None) -> Coverage:
    """Reported statuses among `items` and the latest period they were reported for. A plan reported per
    commitment counts against its own number of commitments (`declared_total`); without it the total is not
    known (only the commitments the source lists are in the data), and the coverage says so.

    >>> it = pd.DataFrame({"status": ["complete", None, "limited"], "status_period": ["2024-06", "", "2023-12"]})
    >>> coverage(it, "indicator")
    Coverage(unit='indicator', reported=2, total=3, latest_period='2024-06', known_total=True)
    >>> coverage(it.iloc[:1], "commitment", 12), coverage(it.iloc[:1], "commitment").known_total
    (Coverage(unit='commitment', reported=1, total=12, latest_period='2024-06', known_total=True), False)
    """
    rep = items["status"].notna() if not items.empty else pd.Series(dtype=bool)
    periods = [p for p in items.loc[rep, "status_period"].astype(str) if p] if not items.empty else []
    dated = sorted(p for p in periods if p[:4].isdigit())
    latest = dated[-1] if dated else (periods[0] if periods else "")
    total = int(len(items))
    declared = int(declared_total) if declared_total is not None and pd.notna(declared_total) else None
    if unit != "commitment":
        return Coverage(unit, int(rep.sum()), total, latest)
    return Coverage(unit, int(rep.sum()), max(declared or 0, total), latest, known_total=declared is not None)


def rollup_milestones(ms: pd.DataFrame, items: pd.DataFrame) -> pd.DataFrame:
    """Milestones of an indicator-reported plan with a status only when every indicator has one (the least
    advanced), else None (not reported): a milestone is never judged on part of its indicators.

    >>> ms = pd.DataFrame({"id": [1, 2], "status": [None, None]})
    >>> it = pd.DataFrame({"milestone_id": [1, 1, 2], "status": ["complete", "limited", None]})
    >>> rollup_milestones(ms, it)["status"].tolist()
    ['limited', None]
    """
    from metrics.vocab import CANONICAL

    rank = {s: i for i, s in enumerate(CANONICAL)}
    out = ms.copy()

    def roll(group: pd.Series) -> str | None:
        vals = list(group)
        if not vals or any(v is None or (isinstance(v, float) and pd.isna(v)) for v in vals):
            return None
        return str(min(vals, key=lambda s: rank.get(s, 0)))

    rolled = items.groupby("milestone_id")["status"].agg(roll) if not items.empty else pd.Series(dtype=object)
    out["status"] = out["id"].map(rolled).astype(object)
    out["status"] = out["status"].where(out["status"].notna(), None)
    return out


def history(obs: pd.DataFrame) -> pd.DataFrame:
    """Every observation, one row per (indicator, reporting period), latest period first within each indicator."""
    if obs.empty:
        return obs
    return obs.sort_values(["indicator_code", "reporting_period"], ascending=[True, False]).reset_index(drop=True)


def with_lead_names(items: pd.DataFrame, orgs: pd.DataFrame) -> pd.DataFrame:
    """`lead_en` / `lead_fr`: the lead department's names where `lead` holds organization slugs
    (``pwgsc-tpsgc;hc-sc``), else the lead text itself.

    >>> it = pd.DataFrame({"lead": ["tbs-sct", "Natural Resources Canada", ""]})
    >>> o = pd.DataFrame({"slug": ["tbs-sct"], "name_en": ["Treasury Board"], "name_fr": ["Conseil du Trésor"]})
    >>> with_lead_names(it, o)[["lead_en", "lead_fr"]].values.tolist()
    [['Treasury Board', 'Conseil du Trésor'], ['Natural Resources Canada', 'Natural Resources Canada'], ['', '']]
    """
    out = items.copy()
    if "lead" not in out:
        out["lead"] = ""
    names = {lang: dict(zip(orgs["slug"], orgs[f"name_{lang}"], strict=True)) for lang in ("en", "fr")}

    def name(text: object, lang: str) -> str:
        parts = [p.strip() for p in str(text or "").split(";") if p.strip()]
        return "; ".join(names[lang].get(p, p) for p in parts)

    for lang in ("en", "fr"):
        out[f"lead_{lang}"] = out["lead"].map(lambda v, lang=lang: name(v, lang))
    return out


class PlanStanding(NamedTuple):
    """One plan's standing at a date: counts by reported status, coverage and what is overdue."""

    plan_id: str
    kind: str
    title_en: str
    title_fr: str
    unit: str
    counts: dict[str, int]  # canonical status -> items, plus "not_reported"
    coverage: Coverage
    overdue: int  # items past their planned end with a reported status that is not complete
    overdue_max_days: int
    past_due_unreported: int


def standing(plan_id: str, plan: pd.Series, view: Any, ref: dt.date) -> PlanStanding:
    """One plan's standing at `ref` from its view (opengov.features.plans.queries.PlanView)."""
    from metrics.milestones import deadline_windows, overdue_list, past_due_unreported

    items = deadline_windows(view.items, None)
    ts = pd.Timestamp(ref)
    state = items["status"].map(lambda s: s if s is not None and s == s else "not_reported")
    late = overdue_list(items, ts)
    return PlanStanding(
        plan_id,
        str(plan["kind"]),
        str(plan["title_en"]),
        str(plan["title_fr"]),
        view.unit,
        {str(k): int(v) for k, v in state.value_counts().items()},
        view.coverage,
        int(len(late)),
        int(late["days_overdue"].max()) if not late.empty else 0,
        past_due_unreported(items, ts),
    )


def default_plan(standings: list[PlanStanding]) -> str:
    """The plan the page and its exports open on: the latest national plan with a reported status, else the
    first plan listed.

    >>> cov = Coverage("indicator", 0, 65, "")
    >>> a = PlanStanding("NAP6", "national", "", "", "indicator", {}, cov, 0, 0, 0)
    >>> default_plan([a, a._replace(plan_id="NAP5", coverage=Coverage("indicator", 12, 106, "2024-06"))])
    'NAP5'
    """
    return next((s.plan_id for s in standings if s.kind == "national" and s.coverage.reported), standings[0].plan_id)
