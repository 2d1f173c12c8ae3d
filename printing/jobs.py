"""Print jobs and the `Printer` service the kiosk and counter windows call.

A print never raises on a printer fault: the job comes back `failed` with a Spanish message, so
the kiosk can still show the ticket number on screen. Every finished job (printed or failed) is
handed to `on_job_finished`, which the caller uses to report it to the hub.
"""

from __future__ import annotations

import logging
import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import Any

from kiosk.clock import Clock, SystemClock
from kiosk.config import OfficeConfig
from kiosk.ids import new_id
from printing.backends import PrinterBackend, backend_from_config
from printing.blocks import Layout, paper
from printing.encoding import DEFAULT_CODEPAGE, codepage_name
from printing.errors import PrinterError
from printing.escpos_render import render_bytes

log = logging.getLogger(__name__)

KINDS = ("ticket", "receipt", "requirements", "cargo", "cierre", "test", "reclamo")  # PrintKind


class JobState(StrEnum):
    QUEUED = "queued"
    PRINTING = "printing"
    PRINTED = "printed"
    FAILED = "failed"


@dataclass(frozen=True)
class PrintJob:
    id: str
    kind: str  # ticket | receipt | requirements | cargo
    reference: str  # the ticket, receipt or procedure id
    created_at: datetime
    state: JobState = JobState.QUEUED
    reprint: bool = False
    attempts: int = 0
    finished_at: datetime | None = None
    error_code: str | None = None
    error_message: str | None = None  # Spanish, for the screen
    size_bytes: int = 0
    # Kept so the job can be printed again; not part of the job's identity or its report.
    layout: Layout | None = field(default=None, repr=False, compare=False)

    @property
    def ok(self) -> bool:
        return self.state is JobState.PRINTED

    def to_dict(self) -> dict[str, Any]:
        """The job as JSON-ready data (times in ISO 8601); a superset of the hub's
        PrintJobReport, so `PrintJobReport.model_validate(job.to_dict())` reports it."""
        return {
            "id": self.id,
            "kind": self.kind,
            "reference": self.reference,
            "state": self.state.value,
            "reprint": self.reprint,
            "attempts": self.attempts,
            "created_at": self.created_at.isoformat(),
            "finished_at": self.finished_at.isoformat() if self.finished_at else None,
            "error_code": self.error_code,
            "error_message": self.error_message,
            "size_bytes": self.size_bytes,
        }


class Printer:
    """Renders layouts for one printer and sends them through its backend, one job at a time."""

    def __init__(
        self,
        backend: PrinterBackend,
        *,
        width_mm: int = 80,
        codepage: str = DEFAULT_CODEPAGE,
        clock: Clock | None = None,
        on_job_finished: Callable[[PrintJob], None] | None = None,
        history: int = 50,
    ) -> None:
        paper(width_mm)  # a wrong setting fails now, with a Spanish message, not at each print
        self.codepage = codepage_name(codepage)
        self.width_mm = width_mm
        self.backend = backend
        self.clock: Clock = clock or SystemClock()
        self.on_job_finished = on_job_finished
        self._lock = threading.Lock()  # the windows may print from several threads
        self._history: deque[PrintJob] = deque(maxlen=history)

    @classmethod
    def from_config(
        cls,
        config: OfficeConfig,
        data_dir_root: Path,
        *,
        clock: Clock | None = None,
        on_job_finished: Callable[[PrintJob], None] | None = None,
    ) -> Printer:
        """This PC's printer; raises PrinterError when the printer settings are wrong."""
        return cls(backend_from_config(config, data_dir_root), width_mm=config.printer_width_mm,
                   codepage=config.printer_codepage, clock=clock,
                   on_job_finished=on_job_finished)

    @property
    def history(self) -> list[PrintJob]:
        """The latest finished jobs, oldest first."""
        return list(self._history)

    def render(self, layout: Layout) -> bytes:
        return render_bytes(layout, self.width_mm, self.codepage)

    def print(self, layout: Layout, kind: str, reference: str, reprint: bool = False) -> PrintJob:
        """Print `layout`; returns the finished job (state printed or failed), never raises."""
        if kind not in KINDS:
            raise ValueError(f"unknown print kind {kind!r}")
        reprint = reprint or layout.reprint
        job = PrintJob(id=new_id(), kind=kind, reference=reference, created_at=self.clock.now(),
                       reprint=reprint, layout=layout.as_reprint() if reprint else layout)
        return self._run(job)

    def reprint(self, job: PrintJob) -> PrintJob:
        """Print `job` again marked REIMPRESIÓN, whatever became of it (printed, lost, failed).

        Same job id, one more attempt: the hub keeps one row per job id, so a successful reprint
        of a failed ticket clears that failure."""
        if job.layout is None:
            raise ValueError("this job has no layout to reprint")
        return self._run(self._again(job, reprint=True, layout=job.layout.as_reprint()))

    def retry(self, job: PrintJob) -> PrintJob:
        """Send a failed job again unmarked (same id, one more attempt), e.g. when the printer
        was off line and nothing came out. Prefer `reprint` when part of it may have printed."""
        if job.state is not JobState.FAILED or job.layout is None:
            raise ValueError("only a failed job with its layout can be retried")
        return self._run(self._again(job, reprint=job.reprint, layout=job.layout))

    def _again(self, job: PrintJob, reprint: bool, layout: Layout | None) -> PrintJob:
        return replace(job, state=JobState.QUEUED, reprint=reprint, layout=layout,
                       finished_at=None, error_code=None, error_message=None, size_bytes=0)

    def _run(self, job: PrintJob) -> PrintJob:
        layout = job.layout
        assert layout is not None
        job = replace(job, state=JobState.PRINTING, attempts=job.attempts + 1)
        try:
            data = self.render(layout)
        except Exception as exc:  # a bug must not take the kiosk down: the number is on screen
            log.exception("could not render print job %s (%s)", job.id, job.kind)
            return self._finish(job, PrinterError(
                "render_failed", f"No se pudo preparar la impresión ({type(exc).__name__})."))
        job = replace(job, size_bytes=len(data))
        try:
            with self._lock:
                self.backend.send(data, job_id=job.id)
        except PrinterError as exc:
            return self._finish(job, exc)
        except Exception as exc:
            log.exception("printer backend %s failed on job %s", self.backend.label, job.id)
            return self._finish(job, PrinterError(
                "failed", f"La impresora devolvió un error: {exc}"))
        return self._finish(job, None)

    def _finish(self, job: PrintJob, error: PrinterError | None) -> PrintJob:
        if error is None:
            job = replace(job, state=JobState.PRINTED, finished_at=self.clock.now())
        else:
            log.warning("print job %s (%s %s) failed on %s: %s", job.id, job.kind, job.reference,
                        self.backend.label, error.code)
            job = replace(job, state=JobState.FAILED, finished_at=self.clock.now(),
                          error_code=error.code, error_message=error.message)
        self._history.append(job)
        if self.on_job_finished is not None:
            try:
                self.on_job_finished(job)
            except Exception:  # reporting is best effort; the print itself is done
                log.exception("on_job_finished hook failed for job %s", job.id)
        return job
