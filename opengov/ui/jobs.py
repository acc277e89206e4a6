"""Long work started from a page (an import of many rows): run in a background thread, its progress
shown on the page (rows done, rows per second, time left) and a Cancel button that stops it without
writing anything.

The work is a function of one argument, ``progress(done, total)``, that it calls as it goes (the
imports' own progress callbacks). :class:`Job` records the figures; once Cancel is pressed, the next
call raises :class:`Cancelled` inside the work, which every import turns into "nothing written" (the
batches are staged, then copied in one transaction: see `opengov.store.bulk`). The thread never touches
Streamlit; the page polls the job in a fragment that reruns alone every half second.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import streamlit as st

from opengov.i18n import fmt_int, t

__all__ = ["Cancelled", "Job", "job_panel", "running", "start"]

Progress = Callable[[int, int], None]


class Cancelled(Exception):
    """Raised inside the work by its progress callback once the user pressed Cancel."""


@dataclass
class Job:
    """One piece of long work and what the page shows of it."""

    done: int = 0
    total: int = 0
    started: float = field(default_factory=time.monotonic)
    finished: bool = False
    result: Any = None
    error: BaseException | None = None
    cancel_requested: threading.Event = field(default_factory=threading.Event)

    def progress(self, done: int, total: int) -> None:
        """The work's progress callback: records the figures, raises :class:`Cancelled` once asked to.

        >>> job = Job(); job.progress(5, 10); (job.done, job.total, job.fraction)
        (5, 10, 0.5)
        >>> job.cancel(); job.progress(6, 10)
        Traceback (most recent call last):
        ...
        opengov.ui.jobs.Cancelled
        """
        if self.cancel_requested.is_set():
            raise Cancelled
        self.done, self.total = done, total

    def cancel(self) -> None:
        self.cancel_requested.set()

    @property
    def cancelled(self) -> bool:
        return isinstance(self.error, Cancelled)

    @property
    def fraction(self) -> float:
        return min(1.0, self.done / self.total) if self.total else 0.0

    def rate(self) -> float:
        """Rows per second so far."""
        spent = time.monotonic() - self.started
        return self.done / spent if spent > 0 else 0.0

    def seconds_left(self) -> float | None:
        rate = self.rate()
        return (self.total - self.done) / rate if rate > 0 and self.total > self.done else None


def start(key: str, work: Callable[[Progress], Any]) -> Job:
    """Run ``work(progress)`` in a background thread; the job is kept in the session under ``key``."""
    job = Job()

    def run() -> None:
        try:
            job.result = work(job.progress)
        except BaseException as exc:  # noqa: BLE001 - the page shows it (Cancelled, a rejection, a failure)
            job.error = exc
        finally:
            job.finished = True

    st.session_state[key] = job
    threading.Thread(target=run, name=f"opengov-job-{key}", daemon=True).start()
    return job


def running(key: str) -> bool:
    """A job under ``key`` is still at work."""
    job = st.session_state.get(key)
    return isinstance(job, Job) and not job.finished


def job_panel(key: str, lang: str, on_finished: Callable[[Job], None]) -> None:
    """The progress of the job under ``key`` (a bar with rows done and time left, and Cancel) while it
    runs, redrawn every half second on its own; once it has finished, ``on_finished(job)`` shows the
    outcome (a rejection, the counts) in the page's next full run and the job is forgotten."""
    job = st.session_state.get(key)
    if not isinstance(job, Job):
        return
    if job.finished:
        del st.session_state[key]
        on_finished(job)
        return

    @st.fragment(run_every=0.5)
    def panel() -> None:
        current = st.session_state.get(key)
        if not isinstance(current, Job) or current.finished:
            st.rerun(scope="app")  # the outcome belongs to the whole page
            return
        left = current.seconds_left()
        text = (
            t(
                "job.progress",
                lang,
                done=fmt_int(current.done, lang),
                total=fmt_int(current.total, lang),
                rate=fmt_int(round(current.rate()), lang),
                left=fmt_int(round(left), lang),
            )
            if current.total and left is not None
            else t("job.checking", lang)
        )
        if current.cancel_requested.is_set():
            text = t("job.cancelling", lang)
        st.progress(current.fraction, text=text)
        if st.button(
            t("job.cancel", lang),
            key=f"{key}_cancel",
            disabled=current.cancel_requested.is_set(),
            help=t("job.cancel_help", lang),
        ):
            current.cancel()

    panel()
