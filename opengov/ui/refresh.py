"""Streamlit pieces of the live refresh: per-portal status table and the editors' Refresh button.

Business rules live in :mod:`opengov.ingest.refresh`; this module only renders. The Refresh button is shown
to editors and administrators only, AND :func:`opengov.ingest.refresh.refresh_portals` checks the role again
on the server side. Status colours always come with an icon and a word (never colour alone).
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from opengov.auth import Actor, AuthError
from opengov.cache import cached
from opengov.i18n import catalogue, fmt_date, fmt_int, t
from opengov.ui.blocks import grid

__all__ = ["error_text", "portal_status_table", "refresh_panel", "signed_in_actor"]


def signed_in_actor() -> Actor | None:
    """The signed-in actor (``opengov.ui.auth``); ``None`` when nobody is signed in."""
    from opengov.ui.auth import current_actor

    try:
        return current_actor()
    except Exception:  # noqa: BLE001 - an auth problem must never break a reading page
        return None


def error_text(code: str | None, lang: str) -> str:
    """Translated, plain-language text of an error code (``http_418`` → generic HTTP text)."""
    if not code:
        return ""
    key = f"refresh.error.{code}"
    if key in catalogue(lang):
        return t(key, lang)
    if code.startswith("http_") and code[5:].isdigit():
        return t("refresh.error.http_other", lang, status=code[5:])
    return t("refresh.error.source_error", lang)


def _when(value: object, lang: str) -> str:
    if value is None or pd.isna(value):
        return "–"
    ts = pd.Timestamp(value)
    if ts.tzinfo is not None:
        ts = ts.tz_convert("UTC").tz_localize(None)
    return f"{fmt_date(ts.date(), lang, 'medium')} {ts:%H:%M} UTC"


@cached(max_entries=4, resource=True)
def _status(url: str = "") -> tuple[pd.DataFrame, int]:
    """Each refreshable portal's last attempt and last good count, and how many portals the store has
    (read once per data version: every refresh write bumps it)."""
    from opengov.ingest.refresh import portal_status
    from opengov.store import reads as queries

    return portal_status(url or None), len(queries.portals(url or None))


@cached(max_entries=4, resource=True)
def _runs(url: str = "") -> pd.DataFrame:
    """The newest refresh runs (a run opening or closing bumps the data version)."""
    from opengov.ingest.refresh import recent_runs

    return recent_runs(url or None, limit=10)


def portal_status_table(lang: str, url: str) -> None:
    """One row per refreshable portal: last attempt, result, dataset count, data date, freshness, error."""
    from metrics.staleness import staleness

    df, total = _status(url=url)
    now = pd.Timestamp.now(tz="UTC").tz_localize(None)
    rows = []
    for r in df.itertuples():
        good_at = r.last_good_at.tz_localize(None) if pd.notna(r.last_good_at) else None
        badge, _age = staleness(good_at, "daily", now)
        freshness = t(f"refresh.badge.{badge if badge in ('current', 'stale', 'outdated') else 'unknown'}", lang)
        if pd.isna(r.last_attempt_at):
            result = t("refresh.result.never", lang)
        else:
            result = t("refresh.result.ok" if bool(r.last_ok) else "refresh.result.failed", lang)
        error = ""
        if pd.notna(r.last_attempt_at) and not bool(r.last_ok):
            error = error_text(r.error_code, lang)
            if good_at is not None:
                error += " — " + t("refresh.kept_previous", lang, date=fmt_date(good_at.date(), lang, "medium"))
        rows.append(
            {
                t("refresh.col.portal", lang): r.name_fr if lang == "fr" else r.name_en,
                # the platform's name, as the portal directory writes it ("ckan" -> "CKAN")
                t("refresh.col.platform", lang): t(f"jur.platform.{r.platform or 'unknown'}", lang)
                if f"jur.platform.{r.platform or 'unknown'}" in catalogue(lang)
                else r.platform,
                t("refresh.col.last_attempt", lang): _when(r.last_attempt_at, lang),
                t("refresh.col.result", lang): result,
                t("refresh.col.datasets", lang): fmt_int(r.dataset_count, lang) if pd.notna(r.dataset_count) else "–",
                t("refresh.col.data_as_of", lang): fmt_date(good_at.date(), lang, "medium")
                if good_at is not None
                else "–",
                t("refresh.col.freshness", lang): freshness,
                t("refresh.col.error", lang): error,
            }
        )
    refreshable = int(df["refreshable"].sum()) if not df.empty else 0
    st.caption(
        t("refresh.status.caption", lang, n=fmt_int(refreshable, lang), skipped=fmt_int(total - refreshable, lang))
    )
    if not rows:
        st.info(t("refresh.status.empty", lang))
    else:
        grid(pd.DataFrame(rows), hide_index=True, width="stretch", key="sources_refresh_status")

    runs = _runs(url=url)
    if not runs.empty:
        # its table is sent when it is opened (it reruns), not with every load of the page
        box = st.expander(t("refresh.runs.title", lang), key="sources_refresh_runs_box", on_change="rerun")
        if box.open:
            with box:
                grid(
                    pd.DataFrame(
                        {
                            t("refresh.runs.col.started", lang): [_when(v, lang) for v in runs["started_at"]],
                            t("refresh.runs.col.by", lang): runs["actor"],
                            t("refresh.runs.col.status", lang): [
                                t(f"refresh.run_status.{s}", lang)
                                if f"refresh.run_status.{s}" in catalogue(lang)
                                else s
                                for s in runs["status"]
                            ],
                            t("refresh.runs.col.counts", lang): [
                                f"{a} / {b} / {c}"
                                for a, b, c in zip(
                                    runs["portals_ok"], runs["portals_failed"], runs["portals_skipped"], strict=True
                                )
                            ],
                        }
                    ),
                    hide_index=True,
                    width="stretch",
                    key="sources_refresh_runs",
                )


def refresh_panel(lang: str, actor: Actor | None, url: str | None = None) -> None:
    """The Refresh button (editors/admins only), a progress bar while it runs, then the summary."""
    from sqlalchemy.exc import SQLAlchemyError

    from opengov import cache
    from opengov.ingest.refresh import DEFAULT_WORKERS, refresh_portals
    from opengov.store.db import StoreError

    if actor is None or actor.role not in ("editor", "admin"):
        st.caption(t("refresh.panel.signed_out", lang))
        return
    st.markdown(f"**{t('refresh.panel.title', lang)}**")
    st.caption(t("refresh.panel.help", lang, workers=DEFAULT_WORKERS))
    if not st.button(t("refresh.panel.button", lang), key="sources_refresh_button", icon=":material/sync:"):
        return
    bar = st.progress(0.0, text=t("refresh.panel.running", lang))

    def progress(done: int, total: int, portal_id: str, _ok: bool) -> None:
        bar.progress(
            done / total if total else 1.0,
            text=t(
                "refresh.panel.progress", lang, done=fmt_int(done, lang), total=fmt_int(total, lang), portal=portal_id
            ),
        )

    try:
        summary = refresh_portals(url or cache.url(), progress=progress, actor=actor)
    except AuthError:
        bar.empty()
        st.error(t("refresh.panel.forbidden", lang), icon=":material/block:")
        return
    except (SQLAlchemyError, StoreError):
        bar.empty()
        st.error(t("refresh.panel.store_error", lang), icon=":material/error:")
        return
    bar.progress(
        1.0,
        text=t(
            f"refresh.summary.{summary.status}",
            lang,
            ok=fmt_int(len(summary.succeeded), lang),
            failed=fmt_int(len(summary.failed), lang),
        ),
    )
    message = t(
        f"refresh.summary.{summary.status}",
        lang,
        ok=fmt_int(len(summary.succeeded), lang),
        failed=fmt_int(len(summary.failed), lang),
    )
    {"ok": st.success, "partial": st.warning, "failed": st.error}[summary.status](message)
    if summary.analytics is not None:
        if summary.analytics.status == "ok":
            st.caption(t("refresh.summary.analytics.ok", lang, rows=fmt_int(summary.analytics.rows, lang)))
        else:
            st.caption(
                t("refresh.summary.analytics.failed", lang, error=error_text(summary.analytics.error_code, lang))
            )
    attempted = [p for p in summary.portals if p.status != "skipped"]
    if attempted:
        grid(
            pd.DataFrame(
                {
                    t("refresh.col.portal", lang): [p.name_fr if lang == "fr" else p.name_en for p in attempted],
                    t("refresh.col.status", lang): [t(f"refresh.result.{p.status}", lang) for p in attempted],
                    t("refresh.col.datasets", lang): [fmt_int(p.dataset_count, lang) for p in attempted],
                    t("refresh.col.duration", lang): [f"{p.duration_s:.1f} s" for p in attempted],
                    t("refresh.col.error", lang): [error_text(p.error_code, lang) for p in attempted],
                }
            ),
            hide_index=True,
            width="stretch",
            key="sources_refresh_summary",
        )
