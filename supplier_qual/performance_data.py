"""The buyer's performance data: one supplier's figures, or many suppliers' in one file.

A performance file is what a buyer exports from its ERP or supplier scorecard:

- JSON, one supplier: the submission's ``performance`` block (optionally wrapped as
  ``{"performance": {...}}``), with an optional ``supplier_id``;
- JSON, many suppliers: ``{"suppliers": [{"supplier_id": "GB-COH-04567123", ...}, ...]}``
  (or the bare list);
- CSV: a header row of the same field names (case and spaces do not matter), one row
  per supplier and period; comma, semicolon or tab separated, decimal comma accepted.

Several records for one supplier are periods: ``period_end`` tells them apart, the
latest is the current period, and the one before it fills the ``previous_…``
figures it does not give. A record is applied only to the submission whose
supplier identifier matches; a single record without ``supplier_id`` applies to the
one submission it is given with; a record naming another supplier is refused, never
applied to the wrong supplier.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .documents import parse_json
from .errors import InputError, Problem, json_path
from .legal_names import identifier_key
from .model import Performance, Supplier

_CSV_DELIMITERS = ",;\t"
_NUMBER = re.compile(r"^[+-]?\d+(\.\d+)?$")


@dataclass(frozen=True)
class PerformanceRecord:
    """One supplier's measured performance for one period, and where the file gave it."""

    supplier_id: str
    performance: Performance
    location: str = ""
    source: str = ""


def read_performance(source: str | Path | bytes, *, filename: str | None = None) -> tuple[PerformanceRecord, ...]:
    """The records of a performance file (a path, or bytes with ``filename`` naming the format).

    :return: one record per supplier, periods merged (see the module docstring).
    :raises InputError: unreadable file, or every invalid field with its place
        (``$.suppliers[2].defect_ppm``, ``line 5, column on_time_delivery_pct``).
    """
    if isinstance(source, bytes):
        data, name = source, filename or "<performance>"
    else:
        name = filename or str(source)
        try:
            data = Path(source).read_bytes()
        except OSError as exc:
            raise InputError([Problem(f"cannot read the performance file: {exc.strerror}")], source=name) from exc
    return parse_performance(data, source=name)


def parse_performance(data: bytes, *, source: str) -> tuple[PerformanceRecord, ...]:
    """Performance records from JSON or CSV bytes; JSON when the text starts with ``{`` or ``[``."""
    text = data.lstrip(b"\xef\xbb\xbf \t\r\n")
    if text[:1] in (b"{", b"["):
        return _from_json(parse_json(data, source=source), source)
    return _from_csv(data, source)


def performance_for(records: Sequence[PerformanceRecord], supplier: Supplier) -> Performance | None:
    """The current performance of ``supplier`` among ``records``, or ``None`` when they hold none for it.

    :raises InputError: a single record that names another supplier.
    """
    if len(records) == 1 and not records[0].supplier_id:
        return records[0].performance
    wanted = {identifier_key(i) for i in _identifiers(supplier)}
    for record in records:
        if identifier_key(record.supplier_id) in wanted:
            return record.performance
    if len(records) == 1:
        record = records[0]
        whose = f"{supplier.name} ({supplier.id})" if supplier.id else f"{supplier.name}, which gives no identifier"
        raise InputError(
            [
                Problem(
                    f"this performance data is for supplier {record.supplier_id}, not for {whose}: "
                    "it is not applied to another supplier",
                    record.location,
                )
            ],
            source=record.source,
        )
    return None


Row = tuple[dict[str, Any], tuple[str | int, ...], str]
"""A record to validate: its fields, its JSON path prefix, and its place for a CSV row (``line 5``)."""


def _identifiers(supplier: Supplier) -> list[str]:
    """The supplier's identifier as given, and in ``SCHEME-ID`` form (``GB-COH`` + ``04567123``)."""
    if not supplier.id:
        return []
    found = [supplier.id]
    if supplier.scheme and not identifier_key(supplier.id).startswith(identifier_key(supplier.scheme)):
        found.append(f"{supplier.scheme}-{supplier.id}")
    return found


def _from_json(data: object, source: str) -> tuple[PerformanceRecord, ...]:
    if isinstance(data, Mapping) and set(data) == {"performance"}:
        return _records([(_mapping(data["performance"], source, ("performance",)), ("performance",), "")], source)
    if isinstance(data, Mapping) and "suppliers" in data:
        extra = sorted(str(k) for k in data if k != "suppliers")
        if extra:
            raise InputError(
                [Problem("unknown field (not part of the format)", f"$.{key}") for key in extra], source=source
            )
        items = data["suppliers"]
        prefix: tuple[str, ...] = ("suppliers",)
    elif isinstance(data, list):
        items, prefix = data, ()
    else:
        return _records([(_mapping(data, source, ()), (), "")], source)
    if not isinstance(items, list):
        raise InputError([Problem("expected a list of suppliers' records", "$.suppliers")], source=source)
    if not items:
        raise InputError([Problem("no performance records", "$.suppliers" if prefix else "$")], source=source)
    return _records([(_mapping(item, source, (*prefix, i)), (*prefix, i), "") for i, item in enumerate(items)], source)


def _mapping(item: object, source: str, path: tuple[str | int, ...]) -> dict[str, Any]:
    if not isinstance(item, Mapping):
        raise InputError([Problem("expected an object of performance figures", json_path(path))], source=source)
    return dict(item)


def _records(rows: Iterable[Row], source: str) -> tuple[PerformanceRecord, ...]:
    """Validated records, periods of one supplier merged; every problem of every row listed."""
    from .schemas.submission import PerformanceSchema

    problems: list[Problem] = []
    records: list[PerformanceRecord] = []
    for row, path, line in rows:
        supplier_id = row.pop("supplier_id", "") or ""
        if not isinstance(supplier_id, str):
            problems.append(Problem("expected text", json_path((*path, "supplier_id"))))
            continue
        try:
            performance: Performance = PerformanceSchema.parse(row, source=source, prefix=path)
        except InputError as exc:
            problems.extend(_in_row(p, line) for p in exc.problems)
            continue
        records.append(PerformanceRecord(supplier_id.strip(), performance, line or json_path(path), source))
    if problems:
        raise InputError(problems, source=source)
    return _merge_periods(records, source)


def _in_row(problem: Problem, line: str) -> Problem:
    """A CSV row's problem at ``line 5, column defect_ppm`` rather than ``$.defect_ppm``."""
    if not line:
        return problem
    column = problem.location.removeprefix("$").lstrip(".")
    return Problem(problem.message, f"{line}, column {column}" if column else line, problem.source)


def _merge_periods(records: list[PerformanceRecord], source: str) -> tuple[PerformanceRecord, ...]:
    by_supplier: dict[str, list[PerformanceRecord]] = {}
    for record in records:
        by_supplier.setdefault(identifier_key(record.supplier_id), []).append(record)
    problems: list[Problem] = []
    merged: list[PerformanceRecord] = []
    for periods in by_supplier.values():
        if len(periods) == 1:
            merged.append(periods[0])
            continue
        who = periods[0].supplier_id or "the supplier"
        undated = [r for r in periods if r.performance.period_end is None]
        if undated:
            problems.extend(
                Problem(f"a second record for {who}: give period_end to tell its periods apart", r.location)
                for r in periods[1:]
            )
            continue
        ordered = sorted(periods, key=lambda r: r.performance.period_end or dt.date.min)
        ends = [r.performance.period_end for r in ordered]
        clashes = [r for r, end in zip(ordered[1:], ends[:-1], strict=True) if r.performance.period_end == end]
        if clashes:
            problems.extend(
                Problem(f"{who} has two records for the period ending {r.performance.period_end}", r.location)
                for r in clashes
            )
            continue
        current, previous = ordered[-1], ordered[-2].performance
        performance = current.performance
        fill: dict[str, Any] = {}
        if performance.previous_on_time_delivery_pct is None:
            fill["previous_on_time_delivery_pct"] = previous.on_time_delivery_pct
        if performance.previous_defect_ppm is None:
            fill["previous_defect_ppm"] = previous.defect_ppm
        merged.append(dataclasses.replace(current, performance=dataclasses.replace(performance, **fill)))
    if problems:
        raise InputError(problems, source=source)
    return tuple(merged)


def _from_csv(data: bytes, source: str) -> tuple[PerformanceRecord, ...]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError([Problem("not UTF-8 text", f"byte {exc.start}")], source=source) from exc
    if not text.strip():
        raise InputError([Problem("empty performance file: expected JSON, or CSV with a header row")], source=source)
    header = text.splitlines()[0]
    reader = csv.reader(io.StringIO(text), delimiter=max(_CSV_DELIMITERS, key=header.count))
    names = [_column(name) for name in next(reader)]
    known = ({f.name for f in dataclasses.fields(Performance)} - {"extra"}) | {"supplier_id"}
    problems = [
        Problem(f"unknown column {name!r} (not a performance field)", "line 1")
        for name in names
        if name and name not in known
    ]
    rows: list[Row] = []
    for line, cells in enumerate(reader, start=2):
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) > len(names):
            problems.append(Problem(f"{len(cells)} cells, but the header names {len(names)} columns", f"line {line}"))
            continue
        row: dict[str, Any] = {}
        for name, cell in zip(names, cells, strict=False):
            if name and cell.strip():
                row[name] = cell.strip() if name in ("supplier_id", "period_end") else _csv_number(cell)
        rows.append((row, (), f"line {line}"))
    if len(rows) > 1 and "supplier_id" not in names:
        problems.append(Problem("several rows need a supplier_id column to say whose figures they are", "line 1"))
    if not rows and not problems:
        problems.append(Problem("no performance records: the file has a header row only", "line 2"))
    if problems:
        raise InputError(problems, source=source)
    return _records(rows, source)


def _column(name: str) -> str:
    return re.sub(r"[\s\-]+", "_", name.strip().casefold())


def _csv_number(cell: str) -> float | int | str:
    """A CSV cell as a number where it is one (``97,5`` and ``1.234,5`` included), else the text."""
    text = cell.strip().replace("\u00a0", "").replace(" ", "").rstrip("%")
    if "," in text and "." in text:
        decimal = "," if text.rfind(",") > text.rfind(".") else "."
        text = text.replace("." if decimal == "," else ",", "").replace(",", ".")
    elif "," in text:
        text = text.replace(",", ".")
    if not _NUMBER.match(text):
        return cell.strip()
    number = float(text)
    return int(number) if "." not in text else number
