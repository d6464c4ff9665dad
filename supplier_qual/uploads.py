"""Reading a submission nobody vouches for: a supplier's upload, a file in a buyer's inbox.

:func:`read_upload` is the one way in for such files, for the command line, bulk
runs and the web service alike:

1. the size cap, before anything is read (a path is checked with ``stat`` and read
   up to the cap and one byte more; bytes are checked as given);
2. the readers (the workbook guard, calamine, the JSON reader …) in a child process
   under a memory limit and a time limit (:mod:`supplier_qual.isolation`), so that a
   reader defect a crafted file triggers becomes one refusal naming the file;
3. the same located problems as :func:`supplier_qual.read_submission` otherwise.

A file the caller trusts (its own, already vetted) may still be read in-process
with :func:`supplier_qual.read_submission`, which skips the child.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pluggy

from .documents import read_bytes
from .errors import Problem, SubmissionError
from .isolation import run_isolated
from .limits import ReadLimits, size_text
from .model import Questionnaire, Submission
from .plugins import shared_plugin_manager

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xlsb", ".xls", ".xltx", ".xltm", ".ods")


@dataclasses.dataclass(frozen=True)
class _Reading:
    """One file to read in the child; picklable, so that a fork server's child can take it too."""

    data: bytes
    filename: str
    media_type: str | None
    questionnaire: Questionnaire | None
    pm: pluggy.PluginManager | None = dataclasses.field(default=None, compare=False)

    def __reduce__(self) -> tuple[object, ...]:
        # A plugin manager does not travel to a fresh process: there the installed plugins are loaded anew.
        return (_Reading, (self.data, self.filename, self.media_type, self.questionnaire))

    def __call__(self) -> Submission:
        from .catalog import catalog_of
        from .engine import read_submission

        pm = self.pm if self.pm is not None else shared_plugin_manager()
        return read_submission(
            self.data,
            self.filename,
            pm=pm,
            catalog=catalog_of(pm),
            questionnaire=self.questionnaire,
            media_type=self.media_type,
        )


def read_upload(
    source: bytes | str | Path,
    *,
    filename: str | None = None,
    media_type: str | None = None,
    questionnaire: Questionnaire | None = None,
    pm: pluggy.PluginManager | None = None,
    limits: ReadLimits | None = None,
    in_process: bool = False,
) -> Submission:
    """Read an untrusted submission (workbook, JSON …) from bytes or a path, safely.

    :param source: the upload's bytes (then ``filename`` names its format), or a path.
    :param filename: the name problems are reported under, and whose extension picks the reader.
    :param media_type: the declared media type, a hint for readers (never trusted alone).
    :param questionnaire: the questionnaire the submission must answer; by default the one it names.
    :param pm: the plugin manager whose readers to use (a forked child inherits it; a fork
        server's child loads the installed plugins); by default the shared one.
    :param limits: size cap, memory and time limits; by default :meth:`ReadLimits.from_env`.
    :param in_process: read here rather than in a child, refusing in the same words; only for
        a caller that is itself an isolated worker (see :func:`~supplier_qual.isolation.run_isolated`).
    :return: the submission, exactly as :func:`supplier_qual.read_submission` gives it.
    :raises SubmissionError: too large, refused, invalid (every problem located), or the
        reader ran out of memory or time or failed (``this workbook could not be read safely``).
    """
    limits = limits or ReadLimits.from_env()
    if isinstance(source, bytes):
        data, name = source, filename or "<upload>"
        if len(data) > limits.max_bytes:
            message = f"the file is {size_text(len(data))}, more than the {size_text(limits.max_bytes)} accepted"
            raise SubmissionError([Problem(message)], source=name)
    else:
        name = filename or str(source)
        try:
            data = read_bytes(Path(source), what="file", error=SubmissionError, max_bytes=limits.max_bytes)
        except SubmissionError as exc:
            raise SubmissionError([dataclasses.replace(p, source=name) for p in exc.problems]) from exc
    if pm is None:
        pm = shared_plugin_manager()
    what = "workbook" if name.lower().endswith(WORKBOOK_SUFFIXES) else "file"
    reading = _Reading(data, name, media_type, questionnaire, pm)
    return run_isolated(reading, limits=limits, source=name, what=what, in_process=in_process)
