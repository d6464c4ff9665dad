"""The self-assessment template a supplier fills in, written with openpyxl.

Sheets: ``Instructions``, ``Supplier``, ``Questionnaire``, ``Certificates``,
``Performance`` and a hidden ``_meta`` (questionnaire id, version, template
checksum, and the answer lists the drop-downs draw on). Structure cells are
locked; answer cells are unlocked, so no password is needed to fill it in.
"""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Protection
from openpyxl.utils import get_column_letter
from openpyxl.workbook.protection import WorkbookProtection
from openpyxl.worksheet.worksheet import Worksheet

from supplier_qual._version import VERSION
from supplier_qual.model import Question, Questionnaire, Supplier
from supplier_qual.outcomes import CERTIFICATION_CAVEAT, OUTCOMES

from . import layout as L
from .cells import (
    BOLD,
    GRID,
    INPUT_FILL,
    SECTION_FILL,
    SUBTITLE_FONT,
    TITLE_FONT,
    TOP,
    WRAP,
    fit_height,
    header_row,
    print_setup,
    put,
)
from .validation import Kind, Targets, num, number_validation, text_limit, validation

UNLOCKED = Protection(locked=False)
HEADER_ROW = 3
DATE_FORMAT = "yyyy-mm-dd"


def build_template(questionnaire: Questionnaire, supplier: Supplier | None = None) -> bytes:
    """The template for ``questionnaire`` as .xlsx bytes, with ``supplier``'s details filled in when given."""
    wb = Workbook()
    wb.remove(wb.worksheets[0])
    instructions: Worksheet = wb.create_sheet(L.INSTRUCTIONS)
    meta: Worksheet = wb.create_sheet(L.META)
    _instructions(instructions, questionnaire)
    _supplier(wb.create_sheet(L.SUPPLIER, 1), supplier)
    _questionnaire(wb.create_sheet(L.QUESTIONNAIRE, 2), questionnaire, _answer_lists(meta, questionnaire))
    _certificates(wb.create_sheet(L.CERTIFICATES, 3))
    _performance(wb.create_sheet(L.PERFORMANCE, 4))
    _meta(meta, questionnaire)
    wb.active = 0
    wb.security = WorkbookProtection(lockStructure=True)
    wb.properties.creator = f"supplier-qual {VERSION}"
    wb.properties.title = f"{questionnaire.title} ({questionnaire.id} {questionnaire.version})"
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _title(ws: Worksheet, title: str, subtitle: str) -> None:
    put(ws, 1, 1, title).font = TITLE_FONT
    put(ws, 2, 1, subtitle).font = SUBTITLE_FONT
    ws.row_dimensions[1].height = 24


def _protect(ws: Worksheet) -> None:
    """Lock the sheet without a password, still letting the supplier resize columns and rows."""
    ws.protection.sheet = True
    ws.protection.formatColumns = False
    ws.protection.formatRows = False
    ws.protection.selectLockedCells = False
    ws.protection.selectUnlockedCells = False


def _input(ws: Worksheet, row: int, column: int, *, wrap: bool = True, number_format: str = "") -> None:
    cell = ws.cell(row=row, column=column)
    cell.protection = UNLOCKED
    cell.fill = INPUT_FILL
    cell.border = GRID
    cell.alignment = WRAP if wrap else TOP
    if number_format:
        cell.number_format = number_format


# --- Instructions ------------------------------------------------------------------------


def _instructions(ws: Worksheet, questionnaire: Questionnaire) -> None:
    _title(ws, questionnaire.title, f"Questionnaire {questionnaire.id}, version {questionnaire.version}")
    ws.column_dimensions["A"].width = 4
    ws.column_dimensions["B"].width = 110
    scales = sorted({", ".join(q.choices) for q in questionnaire.questions if q.options})
    blocks: list[tuple[str, list[str]]] = [
        ("About this self-assessment", [questionnaire.description]),
        (
            "How to fill it in",
            [
                "1. Supplier sheet: give your legal name (required), identifier, country and a contact.",
                "2. Questionnaire sheet: answer every question in the Answer column (yellow cells). Pick from "
                "the drop-down; for numbers type the number only (97.5, not 97.5 %).",
                "3. In the Evidence column name the document or record that backs your answer: its title and "
                "revision, or a record number (for example \u201cQM-01 rev 4\u201d). Do not paste documents.",
                "4. Certificates sheet: one row per management-system certificate (ISO 9001 first). Dates as "
                "YYYY-MM-DD; dates typed with slashes are read day/month/year (31/12/2026). List the certified "
                "sites as City, Country separated by semicolons, the main site first (Leeds, GB; Hull, GB), and "
                "name the consultant who helped build your QMS, if any.",
                "5. Performance sheet: leave it blank unless your customer asks you to fill it in.",
                "6. Save as Excel Workbook (.xlsx) \u2014 not .xls, .xlsm, .xlsb or .csv \u2014 and send it back "
                "or upload it. Do not rename, move or delete sheets, and keep the ID column as it is.",
            ],
        ),
        (
            "What evidence means",
            [
                "An answer that cites evidence counts as \u201cevidenced\u201d; without it, only as your own "
                "declaration. Questions marked \u201crequired\u201d in the \u201cEvidence to cite\u201d column score "
                "at most half their points without evidence. Your customer may ask to see the documents.",
            ],
        ),
        ("Answer scales", scales),
        (
            "The expected outcomes (A\u2013I) this questionnaire covers",
            [f"{o.id}. {o.title}: {o.summary}" for o in OUTCOMES],
        ),
        ("Please note", [CERTIFICATION_CAVEAT]),
    ]
    row = 4
    for heading, lines in blocks:
        put(ws, row, 1, heading).font = BOLD
        row += 1
        for line in lines:
            put(ws, row, 2, line).alignment = WRAP
            fit_height(ws, row, 2)
            row += 1
        row += 1
    print_setup(ws, landscape=False)
    _protect(ws)


# --- Supplier ------------------------------------------------------------------------------


def _supplier(ws: Worksheet, supplier: Supplier | None) -> None:
    _title(ws, "Supplier", "Who is answering. Fill in the yellow cells.")
    header_row(ws, HEADER_ROW, (L.FORM_LABEL.header, L.FORM_VALUE.header, L.FORM_NOTE.header), (26, 44, 70))
    limit = text_limit(ws)
    for offset, column in enumerate(L.SUPPLIER_FIELDS):
        row = HEADER_ROW + 1 + offset
        put(ws, row, 1, column.header + (" *" if column.field == "name" else "")).font = BOLD
        given = getattr(supplier, column.field, "") if supplier is not None else ""
        put(ws, row, 2, given or None)
        _input(ws, row, 2)
        limit.add(ws.cell(row=row, column=2))
        put(ws, row, 3, L.SUPPLIER_NOTES[column.field]).alignment = WRAP
        fit_height(ws, row, 3)
    first = HEADER_ROW + 1 + len(L.SUPPLIER_FIELDS)
    for offset, column in enumerate(L.SCOPE_FIELDS):
        row = first + offset
        put(ws, row, 1, column.header).font = BOLD
        put(ws, row, 2, None)
        _input(ws, row, 2)
        limit.add(ws.cell(row=row, column=2))
        put(ws, row, 3, L.SCOPE_NOTES[column.field]).alignment = WRAP
        fit_height(ws, row, 3)
    ws.freeze_panes = f"A{HEADER_ROW + 1}"
    print_setup(ws, landscape=False, title_rows=f"{HEADER_ROW}:{HEADER_ROW}")
    _protect(ws)


# --- Questionnaire ---------------------------------------------------------------------------


def _answer_lists(meta: Worksheet, questionnaire: Questionnaire) -> dict[tuple[str, ...], str]:
    """Write each distinct answer list into ``_meta`` (from column D); return list → range reference."""
    ranges: dict[tuple[str, ...], str] = {}
    column = 4
    for question in questionnaire.questions:
        if not question.options or question.choices in ranges:
            continue
        letter = get_column_letter(column)
        put(meta, 1, column, f"choices {len(ranges) + 1}")
        for index, label in enumerate(question.choices, start=2):
            put(meta, index, column, label)
        ranges[question.choices] = f"'{L.META}'!${letter}$2:${letter}${len(question.choices) + 1}"
        column += 1
    return ranges


def _questionnaire(ws: Worksheet, questionnaire: Questionnaire, lists: dict[tuple[str, ...], str]) -> None:
    _title(
        ws,
        questionnaire.title,
        f"{questionnaire.id} {questionnaire.version} \u2014 answer in the yellow cells; "
        "cite evidence for every positive answer.",
    )
    columns = L.QUESTIONNAIRE_COLUMNS
    header_row(ws, HEADER_ROW, [c.header for c in columns], tuple(c.width for c in columns))
    where = {c.field: index for index, c in enumerate(columns, start=1)}
    limit = text_limit(ws)
    dropdowns = {
        choices: validation(
            ws,
            "list",
            formula1=ref,
            prompt="Pick an answer from the list.",
            error=f"Pick one of: {', '.join(choices)}",
        )
        for choices, ref in lists.items()
    }
    row = HEADER_ROW + 1
    targets = Targets()
    titles = {o.id: o.title for o in OUTCOMES}
    outcome = ""
    for question in questionnaire.questions:
        if question.outcome != outcome:
            outcome = question.outcome
            put(ws, row, where["outcome"], outcome)
            put(ws, row, where["question"], f"{outcome}. {titles.get(outcome, '')}")
            for index in range(1, len(columns) + 1):
                cell = ws.cell(row=row, column=index)
                cell.fill = SECTION_FILL
                cell.font = BOLD
            row += 1
        _question_row(ws, row, question, where)
        fit_height(ws, row, len(columns))
        answer = ws.cell(row=row, column=where["answer"])
        if question.options:
            targets.add(dropdowns[question.choices], answer)
        elif question.type == "number":
            number_validation(ws, question, answer.coordinate)
        else:
            targets.add(limit, answer)
        targets.add(limit, ws.cell(row=row, column=where["evidence"]))
        targets.add(limit, ws.cell(row=row, column=where["comment"]))
        row += 1
    targets.apply()
    ws.freeze_panes = ws.cell(row=HEADER_ROW + 1, column=where["question"]).coordinate
    print_setup(ws, title_rows=f"{HEADER_ROW}:{HEADER_ROW}")
    _protect(ws)


def _question_row(ws: Worksheet, row: int, question: Question, where: dict[str, int]) -> None:
    hint = question.evidence.hint
    if question.evidence.required:
        hint = f"Required: {hint}" if hint else "Required"
    unit = f" (answer in {question.unit})" if question.unit else ""
    knockout = " This question can rule a supplier out." if question.knockout else ""
    texts = {
        "id": question.id,
        "outcome": question.outcome,
        "question": question.text + unit,
        "guidance": question.guidance + knockout,
        "hint": hint,
    }
    for field, text in texts.items():
        cell = put(ws, row, where[field], text)
        cell.alignment = WRAP
        cell.border = GRID
    ws.cell(row=row, column=where["id"]).font = BOLD
    ws.cell(row=row, column=where["outcome"]).alignment = Alignment(horizontal="center", vertical="top")
    for field in ("answer", "evidence", "comment"):
        _input(ws, row, where[field], wrap=field != "answer")


# --- Certificates ------------------------------------------------------------------------------


def _certificates(ws: Worksheet) -> None:
    _title(
        ws,
        "Certificates",
        "One row per management-system certificate, ISO 9001 first. Dates as YYYY-MM-DD; "
        "sites as City, Country; City, Country (main site first).",
    )
    columns = L.CERTIFICATE_COLUMNS
    header_row(ws, HEADER_ROW, [c.header for c in columns], tuple(c.width for c in columns))
    where = {c.field: index for index, c in enumerate(columns, start=1)}
    first, last = HEADER_ROW + 1, HEADER_ROW + L.CERTIFICATE_ROWS
    standard = validation(
        ws,
        "list",
        formula1='"ISO 9001:2015"',
        prompt="The standard and edition, for example ISO 9001:2015.",
        error="Not in the list: keep it only if your certificate says so.",
        errorStyle="warning",
    )
    dates = validation(
        ws,
        "date",
        operator="between",
        formula1="DATE(1987,1,1)",
        formula2="DATE(2100,12,31)",
        prompt="A date, YYYY-MM-DD.",
        error="Type a date, YYYY-MM-DD.",
    )
    status = validation(
        ws,
        "list",
        formula1='"active,suspended,withdrawn,expired"',
        prompt="Leave blank unless the certificate is suspended, withdrawn or expired.",
        error="Pick one of: active, suspended, withdrawn, expired (or leave blank).",
    )
    codes = validation(ws, "textLength", operator="lessThanOrEqual", formula1="200")
    codes.prompt = "IAF sector codes (1\u201339) of the scope, separated by commas: 17, 18"
    codes.showInputMessage = True
    limit = text_limit(ws)
    for row in range(first, last + 1):
        for column in columns:
            fmt = DATE_FORMAT if column.field in L.CERTIFICATE_DATES else ("@" if column.field == "iaf_codes" else "")
            _input(ws, row, where[column.field], wrap=column.field == "scope", number_format=fmt)
            cell = ws.cell(row=row, column=where[column.field])
            {"standard": standard, "issued": dates, "expires": dates, "status": status, "iaf_codes": codes}.get(
                column.field, limit
            ).add(cell)
    ws.freeze_panes = f"B{first}"
    print_setup(ws, title_rows=f"{HEADER_ROW}:{HEADER_ROW}")
    _protect(ws)


# --- Performance -------------------------------------------------------------------------------


def _performance(ws: Worksheet) -> None:
    _title(
        ws,
        "Performance",
        "For your customer's own delivery and quality figures: leave blank unless you are asked to fill it in.",
    )
    header_row(ws, HEADER_ROW, ("Measure", L.FORM_VALUE.header, "Unit", L.FORM_NOTE.header), (36, 16, 10, 60))
    for offset, measure in enumerate(L.PERFORMANCE_MEASURES):
        row = HEADER_ROW + 1 + offset
        put(ws, row, 1, measure.label).font = BOLD
        _input(ws, row, 2, wrap=False, number_format="0" if measure.whole else "0.0##")
        put(ws, row, 3, measure.unit)
        put(ws, row, 4, measure.note).alignment = WRAP
        fit_height(ws, row, 4)
        high = num(measure.maximum) if measure.maximum is not None else "1E+15"
        kind: Kind = "whole" if measure.whole else "decimal"
        dv = validation(ws, kind, operator="between", formula1=num(measure.minimum), formula2=high)
        dv.error = f"Type a {'whole ' if measure.whole else ''}number from {num(measure.minimum)} to {high}."
        dv.add(ws.cell(row=row, column=2))
    ws.freeze_panes = f"A{HEADER_ROW + 1}"
    print_setup(ws, landscape=False, title_rows=f"{HEADER_ROW}:{HEADER_ROW}")
    _protect(ws)


# --- _meta ----------------------------------------------------------------------------------------


def _meta(ws: Worksheet, questionnaire: Questionnaire) -> None:
    values = {
        "questionnaire_id": questionnaire.id,
        "questionnaire_version": questionnaire.version,
        "template_checksum": L.template_checksum(questionnaire),
        "template_format": L.TEMPLATE_FORMAT,
        "generator": f"supplier-qual {VERSION}",
    }
    for row, key in enumerate(L.META_KEYS, start=1):
        put(ws, row, 1, key)
        put(ws, row, 2, values[key], number_format="@")
    ws.column_dimensions["A"].width = 24
    ws.column_dimensions["B"].width = 70
    ws.sheet_state = "hidden"
    _protect(ws)
