"""Reading what arrives over HTTP: a supplier's file, the buyer's performance data, a tender.

Each kind of upload goes through one function here, so that a new reader plugs in
at one place. A supplier's file is read the way the command line reads any untrusted
file (:func:`supplier_qual.read_upload`: the size cap, then the readers in a child
process under memory and time limits); sizes are capped before any parser sees the
bytes, by the limit every reader shares (``SUPPLIER_QUAL_MAX_BYTES``), and a workbook
by the Excel reader's own limits on top.
"""

from __future__ import annotations

from pathlib import PurePosixPath

import pluggy

import supplier_qual

from .. import PerformanceRecord
from ..errors import InputError, Problem
from ..model import Performance, Submission
from ..tender import Tender

SUBMISSION_MEDIA_TYPES = {
    "application/json": ".json",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": ".xlsx",
    "application/xml": ".xml",
    "text/xml": ".xml",
}
TENDER_MEDIA_TYPES = {
    "application/json": ".json",
    "application/yaml": ".yaml",
    "application/x-yaml": ".yaml",
    "application/xml": ".xml",
    "text/xml": ".xml",
}


def upload_limit() -> int:
    """The largest upload accepted, in bytes: the limit on every file supplier_qual reads."""
    return supplier_qual.ReadLimits.from_env().max_bytes


def safe_filename(name: str | None, media_type: str | None, known: dict[str, str], default: str) -> str:
    """The name an upload is known by: its last path part, or one made from its media type."""
    base = PurePosixPath((name or "").replace("\\", "/")).name.strip()
    if base and base not in (".", ".."):
        return base[:200]
    suffix = known.get((media_type or "").split(";")[0].strip().lower(), "")
    return f"{default}{suffix}"


def check_size(data: bytes, what: str) -> None:
    limit = upload_limit()
    if len(data) > limit:
        raise InputError([Problem(f"the {what} is {len(data):,} bytes; this service accepts at most {limit:,}")])


def read_upload(
    data: bytes, filename: str, media_type: str | None, *, pm: pluggy.PluginManager | None = None
) -> Submission:
    """A supplier's uploaded submission, read the way the command line reads an untrusted file.

    :raises SubmissionError: refused or invalid, every problem at its cell or JSON path;
        or the reader ran out of memory or time in its child process.
    """
    check_size(data, "file")
    return supplier_qual.read_upload(data, filename=filename, media_type=_media(media_type), pm=pm)


def read_stored(
    data: bytes, filename: str, media_type: str | None, *, pm: pluggy.PluginManager | None = None
) -> Submission:
    """A stored upload read again: the readers accepted these very bytes once, so no child process is needed."""
    return supplier_qual.read_submission(data, filename=filename, media_type=_media(media_type), pm=pm)


def _media(media_type: str | None) -> str | None:
    value = (media_type or "").split(";")[0].strip().lower()
    return value or None


def read_performance(data: bytes, filename: str) -> tuple[PerformanceRecord, ...]:
    """The buyer's performance data: one record (the submission's ``performance`` block,
    optionally with ``supplier_id``), many (``{"suppliers": [...]}``), or CSV, as the core reads them.

    :raises InputError: every problem, at its JSON path or CSV line and column.
    """
    check_size(data, "performance file")
    return supplier_qual.read_performance(data, filename=filename)


def performance_for(records: tuple[PerformanceRecord, ...], supplier_id: str) -> Performance | None:
    """The figures for ``supplier_id`` among ``records`` (a record naming no supplier is its)."""
    for record in records:
        if record.supplier_id in ("", supplier_id):
            return record.performance
    return None


def read_tender(data: bytes, filename: str, *, pm: pluggy.PluginManager | None = None) -> Tender:
    """A tender's requirements, in any format the tender readers recognise (YAML or JSON tender files,
    OCDS packages, ESPD requests, ProZorro tenders).

    :raises TenderError: unreadable or invalid, each problem at its place.
    """
    check_size(data, "tender file")
    return supplier_qual.read_tender(data, filename=filename, pm=pm)


__all__ = [
    "SUBMISSION_MEDIA_TYPES",
    "TENDER_MEDIA_TYPES",
    "performance_for",
    "read_performance",
    "read_tender",
    "read_upload",
    "safe_filename",
    "upload_limit",
]
