"""Worksheets as python-calamine reads them: cell references, header rows, and typed cell values.

calamine returns whole numbers as floats, empty cells as ``""`` and date-formatted
cells as :class:`datetime.date`; the converters here turn what a supplier typed
(numbers and dates as text too) into the types the schemas expect, or raise
:class:`CellError` with a message about that one cell.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import re
from collections.abc import Iterable, Iterator, MutableMapping, Sequence
from dataclasses import dataclass, field

from python_calamine import CalamineError, CalamineWorkbook

from supplier_qual.errors import Problem, SubmissionError

from .layout import HEADER_SEARCH_ROWS, Column

Raw = int | float | str | bool | dt.date | dt.datetime | dt.time | dt.timedelta

_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ]00:00(?::00)?)?$")
_DAY_FIRST = re.compile(r"^(\d{1,2})[/.](\d{1,2})[/.](\d{4})$")
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(,\d{3})+$")
_PLAIN_SHEET_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


class CellError(ValueError):
    """A cell's content cannot be read as what its column asks for; the message says why."""


def open_book(data: bytes, filename: str) -> CalamineWorkbook:
    """The workbook, opened by calamine from memory."""
    try:
        return CalamineWorkbook.from_filelike(io.BytesIO(data))
    except (CalamineError, ValueError, OSError) as exc:
        raise SubmissionError([Problem(f"the workbook could not be read: {exc}")], source=filename) from exc


@dataclass
class Sheet:
    """One worksheet's cells (0-based row and column), merged ranges and formula cells."""

    name: str
    rows: list[list[Raw]]
    merged: list[tuple[tuple[int, int], tuple[int, int]]] = field(default_factory=list)
    formulas: dict[str, bool] = field(default_factory=dict)

    @classmethod
    def load(
        cls,
        book: CalamineWorkbook,
        name: str,
        formulas: dict[str, bool],
        filename: str,
        columns: Sequence[Column] = (),
    ) -> Sheet:
        """Read a sheet; with ``columns``, rows below the header search keep only the columns they name.

        Dropping the rest (question texts, guidance) as rows stream in keeps a large
        questionnaire's memory down.
        """
        try:
            sheet = book.get_sheet_by_name(name)
            merged = sheet.merged_cell_ranges or []
            first_row, first_column = sheet.start or (0, 0)
            rows: list[list[Raw]] = [[] for _ in range(first_row)]
            keep: set[int] | None = None
            for streamed in sheet.iter_rows():
                values = [""] * first_column + streamed if first_column else streamed
                if keep is not None:
                    values = [v if i in keep else "" for i, v in enumerate(values[: max(keep, default=-1) + 1])]
                rows.append(values)
                if columns and keep is None and len(rows) >= HEADER_SEARCH_ROWS:
                    keep = _named(rows, columns)
        except (CalamineError, ValueError, OSError) as exc:
            raise SubmissionError([Problem(f"the sheet could not be read: {exc}", name)], source=filename) from exc
        return cls(name, rows, merged, formulas)

    def ref(self, row: int, column: int) -> str:
        """``Questionnaire!F14`` for 0-based (13, 5)."""
        return f"{self.prefix}{_letter(column)}{row + 1}"

    def span(self, first: tuple[int, int], last: tuple[int, int]) -> str:
        """``Questionnaire!F14:F16`` for a range."""
        return f"{self.ref(*first)}:{_letter(last[1])}{last[0] + 1}"

    @functools.cached_property
    def prefix(self) -> str:
        name = self.name if _PLAIN_SHEET_NAME.match(self.name) else "'" + self.name.replace("'", "''") + "'"
        return f"{name}!"

    def get(self, row: int, column: int) -> Raw:
        if row < len(self.rows) and column < len(self.rows[row]):
            return self.rows[row][column]
        return ""

    def formula_without_value(self, row: int, column: int) -> bool:
        """Whether the cell holds a formula that was saved without its calculated value."""
        if not self.formulas:
            return False
        cached = self.formulas.get(f"{_letter(column)}{row + 1}")
        return cached is False

    def find_header(self, columns: Sequence[Column], required: Iterable[Column]) -> tuple[int, dict[str, int]]:
        """The header row (0-based) and each column's position, found by header text.

        :raises CellError: no row in the first rows names every required column,
            or a column is named twice.
        """
        required = tuple(required)
        best: tuple[int, dict[str, list[int]]] | None = None
        for row in range(min(HEADER_SEARCH_ROWS, len(self.rows))):
            found: dict[str, list[int]] = {}
            for index, raw in enumerate(self.rows[row]):
                if isinstance(raw, str) and raw.strip():
                    for column in columns:
                        if column.matches(raw):
                            found.setdefault(column.field, []).append(index)
                            break
            if all(c.field in found for c in required):
                for name, where in found.items():
                    if len(where) > 1:
                        cells = " and ".join(self.ref(row, i).split("!")[1] for i in where)
                        header = next(c.header for c in columns if c.field == name)
                        raise CellError(f'two "{header}" columns ({cells}): keep one')
                return row, {name: where[0] for name, where in found.items()}
            if found and (best is None or len(found) > len(best[1])):
                best = (row, found)
        names = ", ".join(f'"{c.header}"' for c in required)
        if best is None:
            raise CellError(f"no header row with {names} in the first {HEADER_SEARCH_ROWS} rows")
        missing = ", ".join(f'"{c.header}"' for c in required if c.field not in best[1])
        raise CellError(f"the header row {best[0] + 1} has no {missing} column")

    def merged_over(self, columns: Iterable[int], below: int) -> list[tuple[str, int]]:
        """Merged ranges below row ``below`` covering any of ``columns``: (range, first such column)."""
        wanted = sorted(set(columns))
        found = []
        for first, last in self.merged:
            covered = [c for c in wanted if first[1] <= c <= last[1]]
            if last[0] > below and covered:
                found.append((self.span(first, last), covered[0]))
        return found


def _named(rows: list[list[Raw]], columns: Sequence[Column]) -> set[int]:
    """Indexes of the columns whose header, somewhere in ``rows``, names one of ``columns``."""
    return {
        index
        for values in rows
        for index, raw in enumerate(values)
        if isinstance(raw, str) and raw.strip() and any(c.matches(raw) for c in columns)
    }


class CellMap(MutableMapping[str, str]):
    """Where each field of a submission came from (``answers.A1.value`` → ``Questionnaire!F5``).

    Answers are kept as one row number per question, not one string per cell, so
    a large questionnaire's locations cost little; other fields are stored as given.
    """

    ANSWER_PARTS = ("value", "evidence", "comment")

    def __init__(self) -> None:
        self.cells: dict[str, str] = {}
        self.rows: dict[str, int] = {}
        self.prefix = ""
        self.columns: dict[str, int] = {}
        """``id`` and each answer part → its 0-based column."""

    def _answer(self, path: str) -> str | None:
        if not path.startswith("answers."):
            return None
        rest = path[len("answers.") :]
        qid, _, part = rest.rpartition(".")
        if part in self.ANSWER_PARTS and qid in self.rows and part in self.columns:
            return f"{self.prefix}{_letter(self.columns[part])}{self.rows[qid] + 1}"
        if rest in self.rows and "id" in self.columns:
            return f"{self.prefix}{_letter(self.columns['id'])}{self.rows[rest] + 1}"
        return None

    def __getitem__(self, path: str) -> str:
        found = self.cells.get(path) or self._answer(path)
        if found is None:
            raise KeyError(path)
        return found

    def __setitem__(self, path: str, where: str) -> None:
        self.cells[path] = where

    def __delitem__(self, path: str) -> None:
        del self.cells[path]

    def __iter__(self) -> Iterator[str]:
        yield from self.cells
        parts = [p for p in self.ANSWER_PARTS if p in self.columns]
        for qid in self.rows:
            yield f"answers.{qid}"
            for part in parts:
                yield f"answers.{qid}.{part}"

    def __len__(self) -> int:
        return len(self.cells) + len(self.rows) * (1 + sum(p in self.columns for p in self.ANSWER_PARTS))


# --- converters: raw calamine value → what a field expects ------------------------------------


def text(raw: Raw, limit: int) -> str:
    """Any cell as text: numbers without a spurious ``.0``, dates as YYYY-MM-DD, stripped."""
    if isinstance(raw, str):
        value = raw.strip()
    elif isinstance(raw, bool):
        value = "TRUE" if raw else "FALSE"
    elif isinstance(raw, int | float):
        value = number_text(float(raw))
    elif isinstance(raw, dt.datetime):
        value = raw.date().isoformat() if raw.time() == dt.time() else raw.isoformat(sep=" ")
    elif isinstance(raw, dt.date | dt.time):
        value = raw.isoformat()
    else:
        value = str(raw)
    if len(value) > limit:
        raise CellError(f"text of {len(value):,} characters, more than the {limit:,} accepted: cite, don't paste")
    return value


def answer(raw: Raw, limit: int) -> str | float | None:
    """An answer kept raw for the questionnaire to judge: a number stays a number, text stays text."""
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        return float(raw)
    value = text(raw, limit)
    return value or None


def number(raw: Raw, *, whole: bool) -> int | float | None:
    """A number typed as a number or as text (``97.5``, ``97,5``, ``1,000``, ``97.5 %``); blank is ``None``."""
    if isinstance(raw, bool):
        raise CellError(f"{'TRUE' if raw else 'FALSE'} is not a number")
    if isinstance(raw, dt.date | dt.time | dt.timedelta):
        raise CellError("a date or time, not a number: format the cell as a number")
    if isinstance(raw, str):
        cleaned = raw.strip().rstrip("%").strip()
        if not cleaned:
            return None
        cleaned = re.sub(r"[\s\u00a0\u202f']", "", cleaned)
        if _THOUSANDS.match(cleaned):
            cleaned = cleaned.replace(",", "")
        elif cleaned.count(",") == 1 and "." not in cleaned:
            cleaned = cleaned.replace(",", ".")
        if not _NUMBER.match(cleaned):
            raise CellError(f'"{raw.strip()}" is not a number')
        raw = float(cleaned)
    value = float(raw)
    if whole:
        if not value.is_integer():
            raise CellError(f"{number_text(value)} is not a whole number")
        return int(value)
    return value


def date(raw: Raw) -> dt.date | None:
    """A date cell, or text as YYYY-MM-DD or day/month/year (``31/12/2026``, ``31.12.2026``)."""
    if isinstance(raw, dt.datetime):
        return raw.date()
    if isinstance(raw, dt.date):
        return raw
    if isinstance(raw, str):
        value = raw.strip()
        if not value:
            return None
        iso = _ISO_DATE.match(value)
        day_first = _DAY_FIRST.match(value)
        try:
            if iso:
                return dt.date(int(iso[1]), int(iso[2]), int(iso[3]))
            if day_first:
                return dt.date(int(day_first[3]), int(day_first[2]), int(day_first[1]))
        except ValueError:
            raise CellError(f'"{value}" is not a date (slashed dates are read day/month/year)') from None
        raise CellError(f'"{value}" is not a date: type YYYY-MM-DD or day/month/year')
    if isinstance(raw, bool | int | float):
        raise CellError(f"{text(raw, 64)} is a number, not a date: format the cell as a date or type YYYY-MM-DD")
    raise CellError(f"{raw} is not a date")


def codes(raw: Raw) -> list[int]:
    """IAF sector codes: a number, or several separated by commas, semicolons or spaces."""
    if isinstance(raw, bool):
        raise CellError("TRUE/FALSE is not an IAF code")
    if isinstance(raw, int | float):
        value = float(raw)
        if not value.is_integer():
            raise CellError(f"{number_text(value)} is not an IAF code (a whole number from 1 to 39)")
        return [int(value)]
    parts = [p for p in re.split(r"[,;/\s]+", text(raw, 200)) if p]
    wrong = [p for p in parts if not p.isdigit()]
    if wrong:
        raise CellError(f'"{wrong[0]}" is not an IAF code (whole numbers from 1 to 39, separated by commas)')
    return [int(p) for p in parts]


def number_text(value: float) -> str:
    return str(int(value)) if value.is_integer() else repr(value)


def blank_row(values: list[Raw], columns: tuple[int, ...]) -> bool:
    """Whether a row is empty in all of ``columns``."""
    width = len(values)
    for column in columns:
        if column < width:
            value = values[column]
            if not isinstance(value, str) or value.strip():
                return False
    return True


@functools.lru_cache(maxsize=128)
def _letter(column: int) -> str:
    """Column letters for a 0-based column index: 0 → ``A``, 26 → ``AA``."""
    letters = ""
    number = column + 1
    while number:
        number, remainder = divmod(number - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def blank(raw: Raw) -> bool:
    return raw is None or (isinstance(raw, str) and not raw.strip())
