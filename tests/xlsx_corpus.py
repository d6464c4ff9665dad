"""Workbooks for the Excel tests, made by code: filled-in templates and a corpus of hostile files."""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import zipfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import openpyxl

from supplier_qual.adapters.xlsx import layout as L
from supplier_qual.adapters.xlsx.limits import Limits
from supplier_qual.adapters.xlsx.template import build_template
from supplier_qual.model import Questionnaire

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
CERTIFICATE_ROW: dict[str, Any] = {
    "Standard": "ISO 9001:2015",
    "Certificate number": "FM 612345",
    "Holder": "Northwind Components Ltd",
    "Certification body": "BSI Assurance UK Ltd",
    "Accreditation body": "UKAS",
    "Scope": "Machining of hydraulic valve components",
    "IAF codes": "17",
    "Issued": dt.date(2024, 3, 15),
    "Expires": dt.date(2027, 3, 14),
}


DEFAULT_SUPPLIER: dict[str, Any] = {
    "Supplier name": "Northwind Components Ltd",
    "Country": "GB",
    "What you supply to us": "Machined hydraulic valve components",
    "IAF codes of what you supply": "17",
}
"""The Supplier sheet as the default filled workbook has it: the supplier and its scope of supply."""


def best_answers(questionnaire: Questionnaire) -> dict[str, Any]:
    """The best label (or a good number, or text) for every question, as a supplier would pick it."""
    answers: dict[str, Any] = {}
    for q in questionnaire.questions:
        if q.options:
            answers[q.id] = max(q.options, key=lambda o: o.points).label
        elif q.type == "number":
            best = max(q.bands, key=lambda b: b.points)
            answers[q.id] = best.min if best.min is not None else (best.max or 1) - 1
        else:
            answers[q.id] = "Described in our quality manual"
    return answers


def fill(
    questionnaire: Questionnaire,
    answers: Mapping[str, Any] | None = None,
    *,
    evidence: Mapping[str, Any] | None = None,
    comments: Mapping[str, Any] | None = None,
    supplier: Mapping[str, Any] | None = None,
    certificates: list[Mapping[str, Any]] | None = None,
    performance: Mapping[str, Any] | None = None,
    edit: Callable[[openpyxl.Workbook], None] | None = None,
    template: bytes | None = None,
) -> bytes:
    """A template for ``questionnaire`` filled in with openpyxl, as a supplier would.

    Answers default to the best ones with evidence ``QM-<id> rev 2``; ``certificates``
    are rows keyed by header; ``edit`` may change the workbook further before saving.
    """
    wb = openpyxl.load_workbook(io.BytesIO(template or build_template(questionnaire)))
    answers = best_answers(questionnaire) if answers is None else answers
    evidence = {qid: f"QM-{qid} rev 2" for qid in answers} if evidence is None else evidence
    ws = wb[L.QUESTIONNAIRE]
    headers = {cell.value: cell.column for cell in ws[3]}
    for row in ws.iter_rows(min_row=4):
        qid = row[0].value
        if qid in answers:
            ws.cell(row=row[0].row, column=headers["Answer"]).value = answers[qid]
        if qid in evidence:
            ws.cell(row=row[0].row, column=headers["Evidence"]).value = evidence[qid]
        if qid in (comments or {}):
            ws.cell(row=row[0].row, column=headers["Comment"]).value = (comments or {})[qid]
    form = wb[L.SUPPLIER]
    supplier = DEFAULT_SUPPLIER if supplier is None else supplier
    for row in form.iter_rows(min_row=4):
        label = str(row[0].value or "").rstrip(" *")
        if label in supplier:
            row[1].value = supplier[label]
    sheet = wb[L.CERTIFICATES]
    columns = {cell.value: cell.column for cell in sheet[3]}
    for offset, certificate in enumerate([CERTIFICATE_ROW] if certificates is None else certificates):
        for header, value in certificate.items():
            sheet.cell(row=4 + offset, column=columns[header]).value = value
    if performance:
        perf = wb[L.PERFORMANCE]
        for row in perf.iter_rows(min_row=4):
            if row[0].value in performance:
                row[1].value = performance[row[0].value]
    if edit is not None:
        edit(wb)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


# --- taking a package apart and putting it back together ------------------------------------------


def parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def package(members: Mapping[str, bytes], *, compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


def sheet_part(members: Mapping[str, bytes], name: str) -> str:
    """The part holding sheet ``name`` (``xl/worksheets/sheet3.xml``)."""
    rid = re.search(
        rb'<sheet [^>]*name="' + re.escape(name.encode()) + rb'"[^>]*r:id="(rId\d+)"', members["xl/workbook.xml"]
    )
    assert rid is not None
    rels = members["xl/_rels/workbook.xml.rels"].decode()
    target = re.search(r'Id="' + rid[1].decode() + r'"[^>]*Target="([^"]+)"', rels) or re.search(
        r'Target="([^"]+)"[^>]*Id="' + rid[1].decode() + '"', rels
    )
    assert target is not None
    return "xl/" + target[1].lstrip("/").removeprefix("xl/")


def with_sheet_xml(data: bytes, sheet: str, change: Callable[[bytes], bytes]) -> bytes:
    members = parts(data)
    part = sheet_part(members, sheet)
    members[part] = change(members[part])
    return package(members)


def with_content_type(data: bytes, old: bytes, new: bytes, extra: Mapping[str, bytes] | None = None) -> bytes:
    members = parts(data)
    members["[Content_Types].xml"] = members["[Content_Types].xml"].replace(old, new)
    members.update(extra or {})
    return package(members)


def with_shared_strings(data: bytes, xml: bytes) -> bytes:
    members = parts(data)
    members["xl/sharedStrings.xml"] = xml
    members["[Content_Types].xml"] = members["[Content_Types].xml"].replace(
        b"</Types>",
        b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument'
        b'.spreadsheetml.sharedStrings+xml"/></Types>',
    )
    return package(members)


def rows_xml(count: int) -> bytes:
    rows = b"".join(b'<row r="%d"/>' % i for i in range(1, count + 1))
    return b'<worksheet xmlns="' + MAIN.encode() + b'"><sheetData>' + rows + b"</sheetData></worksheet>"


def insert_cells(sheet_xml: bytes, cells: bytes, row: int) -> bytes:
    """Put raw ``<c>`` elements at the end of row ``row`` (which must exist)."""
    pattern = re.compile(rb'(<row r="%d"[^>]*>.*?)(</row>)' % row, re.S)
    changed, count = pattern.subn(lambda m: m[1] + cells + m[2], sheet_xml, count=1)
    assert count == 1
    return changed


BILLION_LAUGHS = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
    + b"".join(b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10) for i in range(1, 10))
    + b']>\n<sst xmlns="'
    + MAIN.encode()
    + b'" count="1" uniqueCount="1"><si><t>&lol9;</t></si></sst>'
)
XXE_PROLOG = b'<?xml version="1.0"?>\n<!DOCTYPE r [<!ENTITY xxe SYSTEM "file:///etc/hostname">]>\n'


@dataclass(frozen=True)
class Hostile:
    """One hostile or broken upload and the message it must be refused with."""

    name: str
    build: Callable[[bytes], bytes]
    """From a valid filled-in workbook, the hostile bytes."""
    messages: tuple[str, ...]
    filename: str = "supplier.xlsx"
    limits: Limits = field(default_factory=Limits)


def random_bytes(count: int) -> bytes:
    return os.urandom(count)
