"""Reading what arrives over HTTP: a supplier's file, the buyer's performance data, a tender.

Each kind of upload goes through one function here, so that a stricter parser
(a child process with its own memory and time limits) or a new reader plugs in at
one place. Sizes are capped before any parser sees the bytes, with the limits the
Excel reader uses for every untrusted workbook (``SUPPLIER_QUAL_XLSX_MAX_BYTES`` …).
"""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import pluggy

import supplier_qual

from ..adapters.xlsx.limits import Limits  # type: ignore[import-not-found]  # (mapped from adapters/)
from ..errors import InputError, Problem, SubmissionError, TenderError
from ..model import Performance, Submission
from ..tender import Tender, load_tender

SUBMISSION_MEDIA_TYPES = {
    "application/json": ".json",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": ".xlsx",
    "application/xml": ".xml",
    "text/xml": ".xml",
}
TENDER_MEDIA_TYPES = {"application/json": ".json", "application/yaml": ".yaml", "application/x-yaml": ".yaml"}
TENDER_SUFFIXES = (".yaml", ".yml", ".json")


def upload_limit() -> int:
    """The largest upload accepted, in bytes: the Excel reader's file-size limit."""
    limit: int = Limits.from_env().max_bytes
    return limit


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

    :raises SubmissionError: refused or invalid, every problem at its cell or JSON path.
    """
    check_size(data, "file")
    return supplier_qual.read_submission(data, filename=filename, media_type=_media(media_type), pm=pm)


def _media(media_type: str | None) -> str | None:
    value = (media_type or "").split(";")[0].strip().lower()
    return value or None


@dataclass(frozen=True)
class PerformanceRecord:
    """The buyer's measurements of one supplier; ``supplier_id`` is empty when the record names none."""

    supplier_id: str
    performance: Performance


def read_performance(data: bytes, filename: str, media_type: str | None) -> tuple[PerformanceRecord, ...]:
    """The buyer's performance data: one JSON record (the submission's ``performance`` block,
    optionally with ``supplier_id``, or wrapped as ``{"performance": …}``), or CSV with a
    header row of the same field names.

    :raises InputError: every problem, at its JSON path or CSV row and column.
    """
    from ..schemas.submission import PerformanceSchema  # until the core reads performance files itself

    check_size(data, "performance file")
    is_csv = filename.lower().endswith(".csv") or _media(media_type) in ("text/csv", "application/csv")
    rows: list[tuple[object, str]] = []
    if is_csv:
        rows = _csv_rows(data, filename)
    else:
        parsed = _json(data, filename)
        if isinstance(parsed, dict) and set(parsed) == {"performance"}:
            rows = [(parsed["performance"], "$.performance")]
        else:
            rows = [(parsed, "$")]
    records = []
    problems: list[Problem] = []
    for given, where in rows:
        supplier_id, figures = "", given
        if isinstance(given, dict):
            figures = {k: v for k, v in given.items() if k != "supplier_id"}
            supplier_id = str(given.get("supplier_id") or "").strip()
        try:
            records.append(PerformanceRecord(supplier_id, PerformanceSchema.parse(figures)))
        except InputError as exc:
            problems.extend(Problem(p.message, _relocate(p.location, where)) for p in exc.problems)
    if problems:
        raise InputError(problems)
    return tuple(records)


def _relocate(location: str, where: str) -> str:
    """``$.deliveries`` inside the record at ``where``: ``$.performance.deliveries``, or ``row 2, deliveries``."""
    if where.startswith("row "):
        inner = location.removeprefix("$").removeprefix(".")
        return f"{where}, {inner}" if inner else where
    return where + location.removeprefix("$")


def _number(text: str) -> object:
    """A CSV cell as the number it spells, or the text itself (so the problem names it)."""
    try:
        return int(text)
    except ValueError:
        pass
    try:
        return float(text)
    except ValueError:
        return text


def _csv_rows(data: bytes, filename: str) -> list[tuple[object, str]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError([Problem("not UTF-8 text", f"byte {exc.start}")], source=filename) from exc
    reader = csv.DictReader(io.StringIO(text))
    rows: list[tuple[object, str]] = []
    for number, row in enumerate(reader, start=2):
        values: dict[str, object] = {}
        for key, value in row.items():
            if key and isinstance(value, str) and value.strip():
                name = key.strip()
                values[name] = value.strip() if name == "supplier_id" else _number(value.strip())
        rows.append((values, f"row {number}"))
    if not rows:
        raise InputError([Problem("no records: a header row and at least one row of figures are needed")])
    return rows


def _json(data: bytes, filename: str) -> object:
    try:
        return json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise InputError([Problem("not UTF-8 text", f"byte {exc.start}")], source=filename) from exc
    except json.JSONDecodeError as exc:
        where = f"line {exc.lineno} column {exc.colno}"
        raise InputError([Problem(f"not valid JSON: {exc.msg}", where)], source=filename) from exc


def read_tender(data: bytes, filename: str) -> Tender:
    """A tender's requirements, in any format the tender readers accept.

    :raises TenderError: unreadable or invalid, each problem at its place.
    """
    check_size(data, "tender file")
    suffix = Path(filename).suffix.lower()
    if suffix not in TENDER_SUFFIXES:
        suffix = ".yaml"
    # The tender readers take a file; hand them one with the name's suffix, then forget its path.
    handle, temporary = tempfile.mkstemp(suffix=suffix, prefix="tender-")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        try:
            tender = load_tender(temporary)
        except InputError as exc:
            raise TenderError([Problem(p.message, p.location, filename) for p in exc.problems]) from exc
    finally:
        os.unlink(temporary)
    return dataclasses.replace(tender, source=filename)


__all__ = [
    "SUBMISSION_MEDIA_TYPES",
    "TENDER_MEDIA_TYPES",
    "PerformanceRecord",
    "SubmissionError",
    "read_performance",
    "read_tender",
    "read_upload",
    "safe_filename",
    "upload_limit",
]
