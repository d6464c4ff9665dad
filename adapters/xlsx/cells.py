"""Writing cells safely, and the styles the template and the report share.

Every value supplier_qual writes into a workbook goes through :func:`put`. Text is
never a formula: openpyxl turns a string that starts with ``=`` into a live
formula, and Excel or LibreOffice re-evaluate a cell starting with ``=``, ``+``,
``-``, ``@``, tab or carriage return when a user edits it (CSV/formula injection,
OWASP ASVS 1.2.10, CWE-1236). :func:`put` stores such text as a plain string and
marks it with a quote prefix, which the spreadsheet shows as the text itself. Text
is kept verbatim otherwise: escaping happens on output, never on input.
"""

from __future__ import annotations

import datetime as dt
from typing import cast

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
"""First characters that make a spreadsheet treat text as a formula."""

MAX_CELL_TEXT = 32_767
"""The most characters an Excel cell holds."""

CellValue = str | float | int | bool | dt.date | dt.datetime | None

NAVY = "1F3864"
HEADER_FILL = PatternFill("solid", fgColor=NAVY)
INPUT_FILL = PatternFill("solid", fgColor="FFF7D6")
SECTION_FILL = PatternFill("solid", fgColor="D9E2F3")
MUTED_FILL = PatternFill("solid", fgColor="F2F2F2")
HEADER_FONT = Font(bold=True, color="FFFFFF")
TITLE_FONT = Font(bold=True, size=15, color=NAVY)
SUBTITLE_FONT = Font(italic=True, color="595959")
BOLD = Font(bold=True)
_THIN = Side(style="thin", color="BFBFBF")
GRID = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
WRAP = Alignment(wrap_text=True, vertical="top")
TOP = Alignment(vertical="top")
CENTRE = Alignment(horizontal="center", vertical="top")


def safe_text(text: str) -> str:
    """``text`` as a cell can hold it: characters XML forbids removed, cut to Excel's 32,767 characters."""
    text = ILLEGAL_CHARACTERS_RE.sub("", text)
    if len(text) > MAX_CELL_TEXT:
        text = text[: MAX_CELL_TEXT - 1] + "…"
    return text


def put(ws: Worksheet, row: int, column: int, value: CellValue, *, number_format: str = "") -> Cell:
    """Write ``value`` at (``row``, ``column``) so that text can never become a formula.

    :return: the cell, for styling.
    """
    cell = cast(Cell, ws.cell(row=row, column=column))
    if isinstance(value, str):
        value = safe_text(value)
        cell.value = value
        if cell.data_type == "f":
            cell.data_type = "s"
        if value.startswith(FORMULA_TRIGGERS):
            cell.quotePrefix = True
    else:
        cell.value = value
    if number_format:
        cell.number_format = number_format
    return cell


def fit_height(ws: Worksheet, row: int, columns: int) -> None:
    """Set a row's height to show the wrapped text in its first ``columns`` cells.

    Neither Excel nor LibreOffice reliably grows a row for wrapped text in a file it
    did not write, so the height is estimated from text length and column widths.
    """
    from openpyxl.utils import get_column_letter

    lines = 1
    for column in range(1, columns + 1):
        cell = ws.cell(row=row, column=column)
        if not isinstance(cell.value, str) or not cell.alignment.wrap_text:
            continue
        width = ws.column_dimensions[get_column_letter(column)].width or 8.43
        per_line = max(int(width * 1.15), 1)
        needed = sum(max(1, -(-len(part) // per_line)) for part in cell.value.split("\n"))
        lines = max(lines, needed)
    if lines > 1:
        ws.row_dimensions[row].height = 15 * lines + 2


def header_row(ws: Worksheet, row: int, headers: list[str] | tuple[str, ...], widths: tuple[float, ...] = ()) -> None:
    """A styled header row; ``widths`` sets the column widths in the same order."""
    from openpyxl.utils import get_column_letter

    for index, text in enumerate(headers, start=1):
        cell = put(ws, row, index, text)
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        cell.border = GRID
    for index, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(index)].width = width


def print_setup(ws: Worksheet, *, landscape: bool = True, title_rows: str | None = None) -> None:
    """A4, fit to page width, page numbers in the footer, header rows repeated on every page."""
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    footer = ws.oddFooter
    if footer is not None:
        footer.left.text = "&A"
        footer.right.text = "Page &P of &N"
    if title_rows:
        ws.print_title_rows = title_rows
