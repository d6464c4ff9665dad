"""Data validation for the template: drop-downs, typed number and date checks, text limits.

Excel limits a validation's prompt and message to 255 characters; openpyxl adds
cells to a validation in quadratic time, so large questionnaires collect their
cells in :class:`Targets` and apply them once as compact ranges.
"""

from __future__ import annotations

from typing import Any, Literal

from openpyxl.cell.cell import Cell, MergedCell
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.cell_range import MultiCellRange
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from supplier_qual.model import Question
from supplier_qual.model.questionnaire import LARGEST

from .limits import Limits

MAX_TEXT = Limits.max_text
"""Characters a supplier may type in one answer, evidence or comment cell: the reader's default limit."""

Kind = Literal["whole", "decimal", "list", "date", "textLength", "custom"]


def validation(ws: Worksheet, kind: Kind, *, prompt: str = "", error: str = "", **options: Any) -> DataValidation:
    """A data validation added to ``ws``: Excel limits prompts and messages to 255 characters."""
    dv = DataValidation(
        type=kind,
        allow_blank=True,
        showInputMessage=bool(prompt),
        showErrorMessage=True,
        prompt=prompt[:255] or None,
        error=error[:255] or None,
        errorTitle="Not accepted" if error else None,
        **options,
    )
    ws.add_data_validation(dv)
    return dv


def text_limit(ws: Worksheet) -> DataValidation:
    return validation(
        ws,
        "textLength",
        operator="lessThanOrEqual",
        formula1=str(MAX_TEXT),
        error=f"At most {MAX_TEXT:,} characters, please: cite documents rather than pasting them.",
    )


class Targets:
    """Cells for data validations, applied at once as compact ranges: openpyxl adds cells in quadratic time."""

    def __init__(self) -> None:
        self._cells: dict[int, tuple[DataValidation, list[tuple[int, int]]]] = {}

    def add(self, dv: DataValidation, cell: Cell | MergedCell) -> None:
        self._cells.setdefault(id(dv), (dv, []))[1].append((cell.column or 1, cell.row or 1))

    def apply(self) -> None:
        for dv, cells in self._cells.values():
            runs: list[str] = []
            ordered = sorted(cells)
            start = previous = ordered[0]
            for column, row in [*ordered[1:], (0, 0)]:
                if column == previous[0] and row == previous[1] + 1:
                    previous = (column, row)
                    continue
                first = f"{get_column_letter(start[0])}{start[1]}"
                last = f"{get_column_letter(previous[0])}{previous[1]}"
                runs.append(first if start == previous else f"{first}:{last}")
                start = previous = (column, row)
            dv.sqref = MultiCellRange(" ".join(runs))


def number_validation(ws: Worksheet, question: Question, coordinate: str) -> None:
    """The answers the reader accepts (:attr:`Question.answer_range`), checked as the supplier types."""
    lowest, highest = question.answer_range
    low = lowest if lowest > -LARGEST else None
    high = highest if highest < LARGEST else None
    unit = f" in {question.unit}" if question.unit else ""
    prompt = f"Type a number{unit}" + (" or N/A" if question.na_allowed else "") + "."
    if question.na_allowed:
        bounds = [f"{coordinate}{op}{num(bound)}" for op, bound in ((">=", low), ("<=", high)) if bound is not None]
        number = f"AND(ISNUMBER({coordinate}),{','.join(bounds)})" if bounds else f"ISNUMBER({coordinate})"
        formula = f'OR({number},UPPER(TRIM({coordinate}))="N/A")'
        dv = validation(ws, "custom", formula1=formula, prompt=prompt, error=prompt)
    elif low is not None and high is not None:
        dv = validation(ws, "decimal", operator="between", formula1=num(low), formula2=num(high), prompt=prompt)
        dv.error = f"Type a number from {num(low)} to {num(high)}{unit}."
    elif low is not None:
        dv = validation(ws, "decimal", operator="greaterThanOrEqual", formula1=num(low), prompt=prompt)
        dv.error = f"Type a number of at least {num(low)}{unit}."
    else:
        dv = validation(ws, "decimal", operator="between", formula1="-1E+15", formula2="1E+15", prompt=prompt)
        dv.error = prompt
    dv.add(coordinate)


def num(value: float) -> str:
    """A bound as Excel wants it: ``100``, not ``100.0``."""
    return str(int(value)) if float(value).is_integer() else str(value)
