"""Hostile and broken uploads are refused with a precise message, never a traceback or a partial result."""

from __future__ import annotations

import io

import openpyxl
import pytest
from python_calamine import CalamineError, CalamineWorkbook

from supplier_qual.adapters.xlsx.limits import MIB, Limits
from supplier_qual.adapters.xlsx.reader import read_workbook
from supplier_qual.catalog import Catalog
from supplier_qual.errors import ConfigurationError, SubmissionError
from supplier_qual.model import Questionnaire

from .xlsx_corpus import (
    BILLION_LAUGHS,
    XXE_PROLOG,
    Hostile,
    fill,
    insert_cells,
    package,
    parts,
    random_bytes,
    rows_xml,
    with_content_type,
    with_shared_strings,
    with_sheet_xml,
)

SAVE_AS = "open it in Excel or LibreOffice and save it as Excel Workbook (.xlsx)"
XLSX_MAIN = b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)


def _members(data: bytes, extra: dict[str, bytes]) -> bytes:
    members = parts(data)
    members.update(extra)
    return package(members)


def _many_parts(data: bytes) -> bytes:
    members = parts(data)
    members.update({f"customXml/item{i}.xml": b"<x/>" for i in range(120)})
    return package(members)


def _flagged_encrypted(data: bytes) -> bytes:
    """The package with styles.xml marked encrypted in the ZIP central directory (as a ZIP password does)."""
    name = b"xl/styles.xml"
    at = data.index(b"PK\x01\x02")
    while data[at + 46 : at + 46 + len(name)] != name:
        at = data.index(b"PK\x01\x02", at + 4)
    flags = int.from_bytes(data[at + 8 : at + 10], "little") | 0x1
    return data[: at + 8] + flags.to_bytes(2, "little") + data[at + 10 :]


def _overlapping(data: bytes) -> bytes:
    """A second central-directory entry, named xl/styles.xmm, pointing at xl/styles.xml's data (overlap bomb)."""
    at = data.index(b"PK\x01\x02")
    while data[at + 46 : at + 46 + len(b"xl/styles.xml")] != b"xl/styles.xml":
        at = data.index(b"PK\x01\x02", at + 4)
    size = 46 + sum(int.from_bytes(data[at + k : at + k + 2], "little") for k in (28, 30, 32))
    twin = data[at : at + 46] + b"xl/styles.xmm" + data[at + 46 + len(b"xl/styles.xml") : at + size]
    end = data.rindex(b"PK\x05\x06")
    count = int.from_bytes(data[end + 10 : end + 12], "little") + 1
    cd_size = int.from_bytes(data[end + 12 : end + 16], "little") + len(twin)
    eocd = data[end : end + 8] + count.to_bytes(2, "little") * 2 + cd_size.to_bytes(4, "little") + data[end + 16 :]
    return data[:end] + twin + eocd


def _bomb(data: bytes, size: int) -> bytes:
    members = parts(data)
    members["xl/media/image1.png"] = bytes(size)
    return package(members)


def _no_template(data: bytes) -> bytes:
    wb = openpyxl.load_workbook(io.BytesIO(data))
    meta = wb["_meta"]
    meta.delete_rows(1, 5)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _only_sheet1(data: bytes) -> bytes:
    wb = openpyxl.Workbook()
    wb.active.title = "Sheet1"  # type: ignore[union-attr]
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _formula_without_value(data: bytes) -> bytes:
    def edit(wb: openpyxl.Workbook) -> None:
        wb["Questionnaire"]["F5"] = '=IF(1=1,"Yes","No")'

    return _refill(data, edit)


def _merged_answers(data: bytes) -> bytes:
    def edit(wb: openpyxl.Workbook) -> None:
        wb["Questionnaire"].merge_cells("F5:F6")

    return _refill(data, edit)


def _long_text(data: bytes) -> bytes:
    def edit(wb: openpyxl.Workbook) -> None:
        wb["Questionnaire"]["G5"] = "x" * 32_767

    return _refill(data, edit)


def _refill(data: bytes, edit: object) -> bytes:
    wb = openpyxl.load_workbook(io.BytesIO(data))
    edit(wb)  # type: ignore[operator]
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


CORPUS = [
    Hostile(
        "over the size cap",
        lambda ok: b"PK\x03\x04" + bytes(6 * MIB),
        ("supplier.xlsx: the file is 6.0 MB, more than the 5.0 MB accepted",),
    ),
    Hostile(
        "size cap configured lower",
        lambda ok: b"PK\x03\x04" + bytes(20_476),
        ("supplier.xlsx: the file is 20 kB, more than the 10 kB accepted",),
        limits=Limits(max_bytes=10_000),
    ),
    Hostile("empty file", lambda ok: b"", ("supplier.xlsx: the file is empty",)),
    Hostile(
        "legacy .xls renamed",
        lambda ok: OLE2,
        (f"supplier.xlsx: this is a legacy Excel 97-2003 workbook (.xls) or another OLE2 file: {SAVE_AS}",),
    ),
    Hostile(
        "password-protected (OLE2-encrypted) workbook",
        lambda ok: OLE2 + "EncryptedPackage".encode("utf-16-le") + bytes(64),
        (
            "supplier.xlsx: the workbook is password-protected (encrypted): remove the password in Excel "
            "(File › Info › Protect Workbook) or LibreOffice (File › Properties › Security) and save again",
        ),
    ),
    Hostile(
        "CSV renamed",
        lambda ok: b"ID,Answer\nA1,Yes\n",
        (f"supplier.xlsx: not an Excel workbook: the file is plain text (CSV?); {SAVE_AS}",),
    ),
    Hostile(
        "PDF renamed",
        lambda ok: b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n",
        (f"supplier.xlsx: not an Excel workbook: the file is a PDF document; {SAVE_AS}",),
    ),
    Hostile(
        "truncated zip",
        lambda ok: ok[: len(ok) // 2],
        ("supplier.xlsx: the workbook is damaged or incomplete (was the upload cut short?): File is not a zip file",),
    ),
    Hostile(
        "xlsm renamed (macro content type and vbaProject.bin)",
        lambda ok: with_content_type(
            ok,
            XLSX_MAIN,
            b"application/vnd.ms-excel.sheet.macroEnabled.main+xml",
            {"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0"},
        ),
        (f"supplier.xlsx: this is a macro-enabled workbook (.xlsm) renamed to .xlsx, not a plain workbook: {SAVE_AS}",),
    ),
    Hostile(
        "xlsb renamed",
        lambda ok: with_content_type(ok, XLSX_MAIN, b"application/vnd.ms-excel.sheet.binary.macroEnabled.main"),
        (f"supplier.xlsx: this is a binary workbook (.xlsb) renamed to .xlsx, not a plain workbook: {SAVE_AS}",),
    ),
    Hostile(
        "macros hidden in a plain xlsx",
        lambda ok: _members(ok, {"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0"}),
        (f"supplier.xlsx: xl/vbaProject.bin: the workbook contains macros: {SAVE_AS} without them",),
    ),
    Hostile(
        "links to external workbooks",
        lambda ok: _members(ok, {"xl/externalLinks/externalLink1.xml": b"<externalLink/>"}),
        (
            "supplier.xlsx: xl/externalLinks/externalLink1.xml: the workbook links to other workbooks "
            f"(break the links and save again): {SAVE_AS} without them",
        ),
    ),
    Hostile(
        "OpenDocument spreadsheet renamed",
        lambda ok: package({"mimetype": b"application/vnd.oasis.opendocument.spreadsheet", "content.xml": b"<x/>"}),
        (f"supplier.xlsx: this is an OpenDocument file (.ods) renamed to .xlsx: {SAVE_AS}",),
    ),
    Hostile(
        "Word document renamed",
        lambda ok: with_content_type(
            ok, XLSX_MAIN, b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
        ),
        (f"supplier.xlsx: this is a Word document (.docx) renamed to .xlsx, not a plain workbook: {SAVE_AS}",),
    ),
    Hostile(
        "zip bomb: one part inflating past the per-part cap",
        lambda ok: _bomb(ok, 41 * MIB),
        (
            "supplier.xlsx: xl/media/image1.png: zip bomb suspected: the part would unpack to 41.0 MB, "
            "more than the 40.0 MB accepted",
        ),
    ),
    Hostile(
        "zip bomb: compression ratio",
        lambda ok: _bomb(ok, 8 * MIB),
        (
            "supplier.xlsx: xl/media/image1.png: zip bomb suspected: the part would unpack 1,028 times larger "
            "than stored (8 kB to 8.0 MB; at most 200 times)",
        ),
    ),
    Hostile(
        "zip bomb: total unpacked size",
        lambda ok: package(
            {"xl/media/image1.png": random_bytes(200_000), "xl/media/image2.png": random_bytes(200_000)}
        ),
        ("supplier.xlsx: zip bomb suspected: the package would unpack to 391 kB, more than the 293 kB accepted",),
        limits=Limits(max_total_bytes=300_000),
    ),
    Hostile(
        "zip bomb: overlapping parts (CVE-2024-0450)",
        _overlapping,
        ("supplier.xlsx: xl/styles.xmm: zip bomb suspected: the parts xl/styles.xml and xl/styles.xmm overlap",),
    ),
    Hostile(
        "too many parts",
        _many_parts,
        ("supplier.xlsx: the package has 134 parts, more than the 100 accepted",),
    ),
    Hostile(
        "encrypted zip member",
        _flagged_encrypted,
        ("supplier.xlsx: xl/styles.xml: the package has encrypted parts: remove the password and save again",),
    ),
    Hostile(
        "path traversal in a part name",
        lambda ok: _members(ok, {"../../etc/cron.d/evil": b"x"}),
        ("supplier.xlsx: ../../etc/cron.d/evil: the package has a part with an unsafe path",),
    ),
    Hostile(
        "billion laughs in the shared strings",
        lambda ok: with_shared_strings(ok, BILLION_LAUGHS),
        (
            "supplier.xlsx: xl/sharedStrings.xml: XML part declares a DTD or entities, which workbooks never do "
            "(XML bomb or external entity attack)",
        ),
    ),
    Hostile(
        "external entity in a worksheet",
        lambda ok: with_sheet_xml(ok, "Questionnaire", lambda xml: XXE_PROLOG + xml),
        (
            "supplier.xlsx: xl/worksheets/sheet3.xml: XML part declares a DTD or entities, which workbooks never "
            "do (XML bomb or external entity attack)",
        ),
    ),
    Hostile(
        "UTF-16 XML (hides a DTD from byte scans)",
        lambda ok: with_sheet_xml(ok, "Supplier", lambda xml: xml.decode().encode("utf-16")),
        ("supplier.xlsx: xl/worksheets/sheet2.xml: XML part not in UTF-8, as Excel and LibreOffice write it: refused",),
    ),
    Hostile(
        "missing sheets",
        _only_sheet1,
        (
            'supplier.xlsx: Questionnaire: the sheet "Questionnaire" is missing (the workbook has: Sheet1); '
            "use the template as it is",
            'supplier.xlsx: Supplier: the sheet "Supplier" is missing (the workbook has: Sheet1); '
            "use the template as it is",
            'supplier.xlsx: _meta: the sheet "_meta" is missing (the workbook has: Sheet1); use the template as it is',
        ),
    ),
    Hostile(
        "not made from the template (_meta emptied)",
        _no_template,
        (
            "supplier.xlsx: _meta!B1: the questionnaire id and version are missing: this workbook was not made "
            "from a supplier-qual template (download one with `supplier-qual template`)",
        ),
    ),
    Hostile(
        "1,000,000 rows",
        lambda ok: with_sheet_xml(ok, "Questionnaire", lambda xml: rows_xml(1_000_000)),
        ("supplier.xlsx: Questionnaire: the sheet has more than 20,000 rows, more than a submission may have",),
    ),
    Hostile(
        "a cell in the last row of the sheet",
        lambda ok: with_sheet_xml(
            ok,
            "Questionnaire",
            lambda xml: xml.replace(
                b"</sheetData>", b'<row r="1048576"><c r="A1048576"><v>1</v></c></row></sheetData>'
            ),
        ),
        ("supplier.xlsx: Questionnaire: the sheet has more than 20,000 rows, more than a submission may have",),
    ),
    Hostile(
        "a cell in the last column of the sheet",
        lambda ok: with_sheet_xml(ok, "Questionnaire", lambda xml: insert_cells(xml, b'<c r="XFD5"><v>1</v></c>', 5)),
        ("supplier.xlsx: Questionnaire: the sheet has cells beyond column AX, outside the template",),
    ),
    Hostile(
        "cells without a reference",
        lambda ok: with_sheet_xml(ok, "Questionnaire", lambda xml: insert_cells(xml, b"<c><v>1</v></c>" * 3, 5)),
        ("supplier.xlsx: Questionnaire: the sheet has cells without a cell reference, which Excel never writes",),
    ),
    Hostile(
        "formula without a calculated value in an answer cell",
        _formula_without_value,
        ("supplier.xlsx: Questionnaire!F5: a formula without a calculated value: type the value itself",),
    ),
    Hostile(
        "32,767-character string",
        _long_text,
        (
            "supplier.xlsx: Questionnaire!G5: text of 32,767 characters, more than the 4,000 accepted: "
            "cite, don't paste",
        ),
    ),
    Hostile(
        "merged cells over the answer column",
        _merged_answers,
        (
            'supplier.xlsx: Questionnaire!F5:F6: merged cells over the "Answer" column: unmerge them so that each '
            "question has its own row",
        ),
    ),
]


@pytest.fixture(scope="module")
def valid(request: pytest.FixtureRequest) -> bytes:
    from supplier_qual import get_plugin_manager
    from supplier_qual.api import catalog

    return fill(catalog(get_plugin_manager(load_entrypoints=False)).default())


def test_the_corpus_is_large_enough() -> None:
    assert len(CORPUS) >= 20


@pytest.mark.parametrize("case", CORPUS, ids=[case.name for case in CORPUS])
def test_hostile_file_is_refused_with_its_message(
    case: Hostile, valid: bytes, catalog: Catalog, questionnaire: Questionnaire
) -> None:
    data = case.build(valid)
    with pytest.raises(SubmissionError) as caught:
        read_workbook(data, case.filename, questionnaire=None, catalog=catalog, limits=case.limits)
    assert tuple(str(problem) for problem in caught.value.problems) == case.messages


def test_the_valid_workbook_behind_the_corpus_is_accepted(valid: bytes, catalog: Catalog) -> None:
    submission = read_workbook(valid, "supplier.xlsx", questionnaire=None, catalog=catalog)
    assert submission.supplier.name == "Northwind Components Ltd"


def test_formula_with_a_calculated_value_uses_that_value(valid: bytes, catalog: Catalog) -> None:
    def cached(xml: bytes) -> bytes:
        start = xml.index(b'<c r="F5"')
        end = xml.index(b"</c>", start) + 4
        return xml[:start] + b'<c r="F5" t="str"><f>IF(1=1,"Partly","No")</f><v>Partly</v></c>' + xml[end:]

    data = with_sheet_xml(valid, "Questionnaire", cached)
    submission = read_workbook(data, "supplier.xlsx", questionnaire=None, catalog=catalog)
    assert submission.answers["A1"].value == "Partly"


def test_calamine_alone_refuses_entities(valid: bytes) -> None:
    """Defence in depth: even past the guard, calamine does not expand DTD entities."""
    data = with_shared_strings(valid, BILLION_LAUGHS)
    with pytest.raises(CalamineError):  # calamine 0.9 words it "Cannot detect file format"
        CalamineWorkbook.from_filelike(io.BytesIO(data))


def test_defusedxml_is_in_force_for_openpyxl(valid: bytes) -> None:
    from openpyxl.xml import DEFUSEDXML

    assert DEFUSEDXML is True
    with pytest.raises(ValueError, match="Unable to read workbook"):
        openpyxl.load_workbook(io.BytesIO(with_shared_strings(valid, BILLION_LAUGHS)))


def test_limits_come_from_the_environment() -> None:
    limits = Limits.from_env({"SUPPLIER_QUAL_XLSX_MAX_BYTES": "1_000_000", "SUPPLIER_QUAL_XLSX_MAX_ROWS": "500"})
    assert (limits.max_bytes, limits.max_rows, limits.max_text) == (1_000_000, 500, 4_000)
    with pytest.raises(ConfigurationError, match="SUPPLIER_QUAL_XLSX_MAX_BYTES='5MB' is not a whole number"):
        Limits.from_env({"SUPPLIER_QUAL_XLSX_MAX_BYTES": "5MB"})
