"""Reading a filled-in self-assessment workbook (.xlsx) into a submission, with cell-precise problems.

The upload first passes :mod:`.guard`; then python-calamine reads the cells.
Columns and form rows are found by their header text (:mod:`.layout`), values are
converted cell by cell (:mod:`.grid`), and validation reuses the core's schemas
and :func:`~supplier_qual.questionnaire.check_answers`, with each problem's JSON
path mapped back to the cell it came from. Every problem in the workbook is
reported at once; nothing is returned unless the whole workbook is acceptable.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import re
from typing import Any

from python_calamine import CalamineWorkbook

from supplier_qual.catalog import Catalog
from supplier_qual.errors import InputError, Problem, SubmissionError
from supplier_qual.model import Answer, Questionnaire, Submission, Supplier
from supplier_qual.questionnaire import check_answers
from supplier_qual.schemas.submission import CertificateSchema, PerformanceSchema, ScopeOfSupplySchema, SupplierSchema
from supplier_qual.submission import NOTHING_ANSWERED

from . import grid, meta
from . import layout as L
from .guard import Package, inspect
from .limits import Limits

_PATH_STEP = re.compile(r"(\.[^.\[\]]+|\[\d+\])$")


def read_workbook(
    data: bytes,
    filename: str,
    *,
    questionnaire: Questionnaire | None,
    catalog: Catalog,
    limits: Limits | None = None,
) -> Submission:
    """The submission a workbook holds.

    :param questionnaire: the questionnaire the caller insists on; ``None`` takes the
        one named in the workbook's ``_meta`` sheet.
    :param limits: upload limits; by default :meth:`Limits.from_env`.
    :raises SubmissionError: the file is refused, or lists every problem, each at its cell.
    """
    limits = limits or Limits.from_env()
    package = inspect(data, filename, limits, scan=(L.SUPPLIER, L.QUESTIONNAIRE, L.CERTIFICATES, L.PERFORMANCE, L.META))
    names = {name.casefold(): name for name in package.sheets}
    missing = [name for name in L.REQUIRED_SHEETS if name.casefold() not in names]
    if missing:
        has = ", ".join(package.sheets) or "none"
        raise SubmissionError(
            [
                Problem(f'the sheet "{name}" is missing (the workbook has: {has}); use the template as it is', name)
                for name in missing
            ],
            source=filename,
        )
    book = grid.open_book(package.data, filename)
    with book:
        reading = _Reading(book, package, names, filename, limits)
        chosen = meta.resolve(reading.required(L.META), questionnaire, catalog, filename)
        submission = reading.submission(chosen)
    return submission


class _Reading:
    """One workbook being read: its sheets, and the problems and cell locations found so far."""

    def __init__(
        self, book: CalamineWorkbook, package: Package, names: dict[str, str], filename: str, limits: Limits
    ) -> None:
        self.book, self.package, self.names, self.filename, self.limits = book, package, names, filename, limits
        self.problems: list[Problem] = []
        self.locations = grid.CellMap()

    def sheet(self, name: str, columns: tuple[L.Column, ...] = ()) -> grid.Sheet | None:
        actual = self.names.get(name.casefold())
        if actual is None:
            return None
        return grid.Sheet.load(self.book, actual, self.package.formulas.get(actual, {}), self.filename, columns)

    def required(self, name: str, columns: tuple[L.Column, ...] = ()) -> grid.Sheet:
        sheet = self.sheet(name, columns)
        if sheet is None:
            raise self.refusal(f'the sheet "{name}" is missing', name)
        return sheet

    def problem(self, message: str, where: str) -> None:
        self.problems.append(Problem(message, where, self.filename))

    def cell(self, sheet: grid.Sheet, row: int, column: int | None, path: str) -> grid.Raw:
        """The raw value at a cell, its location recorded under ``path``; formulas without a value are problems."""
        if column is None:
            return ""
        where = sheet.ref(row, column)
        self.locations[path] = where
        if sheet.formula_without_value(row, column):
            self.problem("a formula without a calculated value: type the value itself", where)
            return ""
        return sheet.get(row, column)

    def convert(self, converter: Any, raw: grid.Raw, path: str, *args: Any, **kwargs: Any) -> Any:
        """``converter(raw, …)``, or ``None`` with a problem at the cell recorded for ``path``."""
        try:
            return converter(raw, *args, **kwargs)
        except grid.CellError as exc:
            self.problem(str(exc), self.locations.get(path, ""))
            return None

    def refusal(self, message: str, where: str) -> SubmissionError:
        return SubmissionError([Problem(message, where)], source=self.filename)

    # --- the submission ----------------------------------------------------------------------

    def submission(self, questionnaire: Questionnaire) -> Submission:
        supplier = self._validated(SupplierSchema, self._supplier(), ("supplier",))
        answers = self._answers()
        certificates = [
            self._validated(CertificateSchema, row, ("certificates", index))
            for index, row in enumerate(self._certificates())
        ]
        measures = self._performance()
        performance = self._validated(PerformanceSchema, measures, ("performance",)) if measures else None
        stated = self._scope()
        scope = self._validated(ScopeOfSupplySchema, stated, ("scope_of_supply",)) if stated else None
        provisional = Submission(
            supplier=supplier if isinstance(supplier, Supplier) else Supplier(name="?"),
            questionnaire=questionnaire.ref,
            answers=answers,
            source=self.filename,
            locations=self.locations,
        )
        try:
            check_answers(questionnaire, provisional)
        except SubmissionError as exc:
            self.problems.extend(exc.problems)
        if not any(answer.value is not None for answer in answers.values()) and not any(
            p.location.startswith(L.QUESTIONNAIRE) for p in self.problems
        ):
            self.problem(NOTHING_ANSWERED, L.QUESTIONNAIRE)
        if self.problems:
            raise SubmissionError(self.problems, source=self.filename)
        submission = dataclasses.replace(
            provisional,
            supplier=supplier,
            certificates=tuple(certificates),
            performance=performance,
            scope_of_supply=scope if scope is not None and scope.stated else None,
            locations=self.locations,
        )
        return dataclasses.replace(submission, sha256=content_digest(submission))

    def _validated(self, schema: Any, data: dict[str, Any], prefix: tuple[str | int, ...]) -> Any:
        try:
            return schema.parse(data, source=self.filename, prefix=prefix)
        except InputError as exc:
            for problem in exc.problems:
                self.problem(problem.message, self._cell_of(problem.location))
            return None

    def _cell_of(self, json_path: str) -> str:
        path = json_path.removeprefix("$.")
        while path:
            if path in self.locations:
                return self.locations[path]
            shorter = _PATH_STEP.sub("", path)
            if shorter == path:
                break
            path = shorter
        return json_path

    def _form(self, sheet_name: str, fields: tuple[L.Column, ...], prefix: str) -> dict[str, grid.Raw] | None:
        """A label | value form: each known label's raw value, keyed by field."""
        sheet = self.sheet(sheet_name)
        if sheet is None:
            return None
        self.locations[prefix] = sheet_name
        try:
            header, columns = sheet.find_header((L.FORM_LABEL, L.FORM_VALUE), (L.FORM_LABEL, L.FORM_VALUE))
        except grid.CellError as exc:
            self.problem(str(exc), sheet_name)
            return {}
        label_at, value_at = columns["label"], columns["value"]
        for span, _ in sheet.merged_over([value_at], header):
            self.problem("merged cells over the Value column: unmerge them", span)
        found: dict[str, grid.Raw] = {}
        for row in range(header + 1, len(sheet.rows)):
            label = sheet.get(row, label_at)
            if not isinstance(label, str) or not label.strip():
                continue
            column = next((c for c in fields if c.matches(label)), None)
            if column is not None and column.field not in found:
                found[column.field] = self.cell(sheet, row, value_at, f"{prefix}.{column.field}")
        return found

    def _supplier(self) -> dict[str, Any]:
        found = self._form(L.SUPPLIER, L.SUPPLIER_FIELDS, "supplier") or {}
        data: dict[str, Any] = {"name": ""}
        for column in L.SUPPLIER_FIELDS:
            if column.field in found:
                data[column.field] = self.convert(
                    grid.text, found[column.field], f"supplier.{column.field}", self.limits.max_text
                )
        return data

    def _scope(self) -> dict[str, Any]:
        """The scope of supply stated on the Supplier sheet (nothing when its rows are empty or absent)."""
        found = self._form(L.SUPPLIER, L.SCOPE_FIELDS, "scope_of_supply") or {}
        data: dict[str, Any] = {}
        for column in L.SCOPE_FIELDS:
            raw = found.get(column.field)
            if raw is None or grid.blank(raw):
                continue
            path = f"scope_of_supply.{column.field}"
            if column.field == "iaf_codes":
                data["iaf_codes"] = self.convert(grid.codes, raw, path) or []
                continue
            text = self.convert(grid.text, raw, path, self.limits.max_text) or ""
            if column.field == "description":
                data["description"] = text
            elif column.field == "nace":
                data["nace"] = [p for p in re.split(r"[,;\s]+", text) if p]
            else:
                data["sites"] = [p.strip() for p in re.split(r"[;\n]+", text) if p.strip()]
        return data

    def _performance(self) -> dict[str, Any]:
        found = self._form(L.PERFORMANCE, L.PERFORMANCE_COLUMNS, "performance") or {}
        data: dict[str, Any] = {}
        for measure in L.PERFORMANCE_MEASURES:
            if measure.field in found:
                value = self.convert(
                    grid.number, found[measure.field], f"performance.{measure.field}", whole=measure.whole
                )
                if value is not None:
                    data[measure.field] = value
        return data

    def _answers(self) -> dict[str, Answer]:
        sheet = self.required(L.QUESTIONNAIRE, L.QUESTIONNAIRE_READ)
        try:
            header, columns = sheet.find_header(L.QUESTIONNAIRE_READ, L.QUESTIONNAIRE_REQUIRED)
        except grid.CellError as exc:
            self.problem(str(exc), L.QUESTIONNAIRE)
            return {}
        headers = {columns[c.field]: c.header for c in L.QUESTIONNAIRE_READ if c.field in columns}
        for span, column in sheet.merged_over(columns.values(), header):
            self.problem(
                f'merged cells over the "{headers[column]}" column: unmerge them so that each question has its own row',
                span,
            )
        answers: dict[str, Answer] = {}
        wanted = tuple(columns.values())
        limit = self.limits.max_text
        self.locations.prefix = sheet.prefix
        self.locations.columns = {"id": columns["id"]} | {
            part: columns[field]
            for part, field in (("value", "answer"), ("evidence", "evidence"), ("comment", "comment"))
            if field in columns
        }
        for row in range(header + 1, len(sheet.rows)):
            if grid.blank_row(sheet.rows[row], wanted):
                continue
            qid = self._question_id(sheet, row, columns["id"])
            if qid is None:
                continue
            answers[qid] = Answer(
                self._answer_cell(sheet, row, columns["answer"], qid, "value", grid.answer, limit),
                self._answer_cell(sheet, row, columns["evidence"], qid, "evidence", grid.text, limit) or "",
                self._answer_cell(sheet, row, columns.get("comment"), qid, "comment", grid.text, limit) or "",
            )
        return answers

    def _answer_cell(
        self, sheet: grid.Sheet, row: int, column: int | None, qid: str, part: str, converter: Any, limit: int
    ) -> Any:
        """One cell of an answer, converted; its location comes from the question's row (see :class:`CellMap`)."""
        if column is None:
            return None
        if sheet.formula_without_value(row, column):
            self.problem("a formula without a calculated value: type the value itself", sheet.ref(row, column))
            return None
        try:
            return converter(sheet.get(row, column), limit)
        except grid.CellError as exc:
            self.problem(str(exc), sheet.ref(row, column))
            return None

    def _question_id(self, sheet: grid.Sheet, row: int, column: int) -> str | None:
        """The question id of a row that has content, or ``None`` (with a problem) when it has none or a repeat."""
        where = sheet.ref(row, column)
        try:
            qid = grid.text(sheet.get(row, column), 200)
        except grid.CellError as exc:
            self.problem(str(exc), where)
            return None
        if not qid:
            self.problem("an answer without a question ID: keep the ID column as it is", where)
            return None
        seen = self.locations.rows
        if qid in seen:
            self.problem(f"question {qid} appears twice (also in row {seen[qid] + 1})", where)
            return None
        seen[qid] = row
        return qid

    def _certificates(self) -> list[dict[str, Any]]:
        sheet = self.sheet(L.CERTIFICATES)
        if sheet is None:
            return []
        required = [c for c in L.CERTIFICATE_COLUMNS if c.field in L.CERTIFICATE_REQUIRED]
        try:
            header, columns = sheet.find_header(L.CERTIFICATE_COLUMNS, required)
        except grid.CellError as exc:
            self.problem(str(exc), L.CERTIFICATES)
            return []
        for span, _ in sheet.merged_over(columns.values(), header):
            self.problem("merged cells in the certificate table: unmerge them", span)
        rows: list[dict[str, Any]] = []
        for row in range(header + 1, len(sheet.rows)):
            if all(grid.blank(sheet.get(row, c)) for c in columns.values()):
                continue
            base = f"certificates[{len(rows)}]"
            self.locations[base] = sheet.ref(row, min(columns.values()))
            data: dict[str, Any] = {"standard": ""}
            for name, column in columns.items():
                path = f"{base}.{name}"
                raw = self.cell(sheet, row, column, path)
                if name in L.CERTIFICATE_DATES:
                    day = self.convert(grid.date, raw, path)
                    data[name] = day.isoformat() if day else None
                elif name == "iaf_codes":
                    data[name] = self.convert(grid.codes, raw, path) or []
                elif name == "sites":
                    data[name] = _sites(self.convert(grid.text, raw, path, self.limits.max_text) or "")
                else:
                    data[name] = self.convert(grid.text, raw, path, self.limits.max_text) or ""
            rows.append(data)
        return rows


def _sites(text: str) -> list[dict[str, Any]]:
    """``"Leeds, GB; Hull, GB"`` as sites, the first one the main site."""
    sites = []
    for index, part in enumerate(p.strip() for p in text.replace("\n", ";").split(";")):
        if not part:
            continue
        city, _, country = part.rpartition(",") if "," in part else (part, "", "")
        sites.append({"city": city.strip(), "country": country.strip(), "main": index == 0})
    return sites


def content_digest(submission: Submission) -> str:
    """SHA-256 of a submission's content: the same answers give the same digest whatever program saved the file."""
    parts = {
        "supplier": dataclasses.asdict(submission.supplier),
        "questionnaire": dataclasses.asdict(submission.questionnaire),
        "certificates": [dataclasses.asdict(c) for c in submission.certificates],
        "performance": dataclasses.asdict(submission.performance) if submission.performance else None,
    }
    if submission.scope_of_supply is not None:
        parts["scope_of_supply"] = dataclasses.asdict(submission.scope_of_supply)
    digest = hashlib.sha256(_canonical(parts))
    ids = sorted(submission.answers)
    for start in range(0, len(ids), 500):  # in batches: no copy of a large submission in memory at once
        batch = [(qid, submission.answers[qid]) for qid in ids[start : start + 500]]
        digest.update(_canonical([[qid, a.value, a.evidence, a.comment] for qid, a in batch]))
    return digest.hexdigest()


def _canonical(data: object) -> bytes:
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str).encode() + b"\n"
