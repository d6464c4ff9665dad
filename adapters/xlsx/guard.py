"""Checks on an uploaded workbook before any spreadsheet parser sees it.

Nothing here trusts the file name or the declared media type. In order:

1. size cap, then the magic bytes: OLE2 (legacy .xls, or an encrypted .xlsx),
   anything that is not a ZIP package, a truncated or damaged ZIP;
2. the ZIP directory: member count, encrypted members, odd paths, declared
   per-member and total uncompressed sizes and compression ratio (zip bombs). The
   ZIP reader and calamine both refuse a member larger than it declares, so the
   declared sizes are a sound bound;
3. the package type from ``[Content_Types].xml``: .xlsm, .xlsb, templates, .ods,
   Word files renamed to .xlsx; macros, ActiveX, embedded files, external links;
4. every XML part's prolog: no DTD or entity declaration, UTF-8 only (XML bombs
   and external entities; defusedxml parses what we parse ourselves);
5. the worksheets the reader will read, streamed once: row count, cells far
   outside the template's area (calamine materialises a dense grid), formulas.

Every refusal is a :class:`~supplier_qual.errors.SubmissionError` with a message
a supplier can act on.
"""

from __future__ import annotations

import io
import itertools
import posixpath
import re
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import IO, NoReturn, Protocol
from xml.parsers import expat

from defusedxml import ElementTree as SafeET
from defusedxml.common import DefusedXmlException

from supplier_qual.errors import Problem, SubmissionError

from .limits import MIB, Limits

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
XLSX_MAIN = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
OTHER_MAIN_TYPES = {
    "application/vnd.ms-excel.sheet.macroEnabled.main+xml": "a macro-enabled workbook (.xlsm)",
    "application/vnd.ms-excel.sheet.binary.macroEnabled.main": "a binary workbook (.xlsb)",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.template.main+xml": "an Excel template (.xltx)",
    "application/vnd.ms-excel.template.macroEnabled.main+xml": "a macro-enabled template (.xltm)",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml": "a Word document (.docx)",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml": "a presentation (.pptx)",
}
FORBIDDEN_PARTS = (
    (re.compile(r"(^|/)vbaproject\.bin$"), "contains macros"),
    (re.compile(r"(^|/)macrosheets/"), "contains Excel 4.0 macro sheets"),
    (re.compile(r"(^|/)activex/"), "contains ActiveX controls"),
    (re.compile(r"(^|/)embeddings/"), "contains embedded files (cite documents in the Evidence column instead)"),
    (re.compile(r"(^|/)externallinks/"), "links to other workbooks (break the links and save again)"),
)
SAVE_AS = "open it in Excel or LibreOffice and save it as Excel Workbook (.xlsx)"
MAX_COLUMN = "AX"
"""The last column the reader accepts a cell in (50 columns): the template uses ten."""

_MAIN_PREFIX = re.compile(rb'xmlns:\w+="[^"]*spreadsheetml/(?:2006/)?main"')
"""A prefix bound to the worksheet namespace: then elements may be written ``<x:c>`` and need the slow patterns."""
_PLAIN = re.compile(rb"<(?:(?P<cell>c[\s/>](?!r=))|f[\s/>])")
"""A cell whose reference is not its first attribute (or is missing), or a formula."""
_PREFIXED = re.compile(rb"<(?:\w{1,10}:)?(?:(?P<cell>c[\s/>](?!r=))|f[\s/>])")
_PREFIXED_ROW = re.compile(rb"<(?:\w{1,10}:)?row[\s/>]")
_NO_REF = re.compile(rb"<(?:\w{1,10}:)?c(?=[\s/>])(?![^>]*\sr=)")
_FAR_REF = rb' r="(?:[A-Z]{2,}|[A-Z]{0,3}[0-9]{5,})'
"""A reference with a two-letter column or a five-digit row: checked exactly in Python (rare in real files)."""
_REF = re.compile(r"([A-Z]+)([0-9]+)")
_LAST_COLUMN = 50
_ELEMENT_START = re.compile(rb"<[A-Za-z_]")
_DECLARED_ENCODING = re.compile(rb"""^<\?xml[^>]*encoding\s*=\s*["']([^"']+)""")
_UNREAD = ("docprops/", "xl/theme/")
_SHEET_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PKG_REL_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_CT_NS = "{http://schemas.openxmlformats.org/package/2006/content-types}"


@dataclass
class Package:
    """What the guard learnt about an accepted workbook."""

    sheets: dict[str, str]
    """Sheet name → worksheet part, in workbook order."""
    formulas: dict[str, dict[str, bool]] = field(default_factory=dict)
    """Scanned sheet → cells holding a formula → whether a calculated value is stored with it."""


def inspect(data: bytes, filename: str, limits: Limits, scan: Iterable[str] = ()) -> Package:
    """Refuse ``data`` unless it is a plain .xlsx within ``limits``; scan the sheets named in ``scan``.

    :raises SubmissionError: why the file is refused, in words a supplier can act on.
    """

    def refuse(message: str, where: str = "") -> SubmissionError:
        return SubmissionError([Problem(message, where)], source=filename)

    if len(data) > limits.max_bytes:
        raise refuse(f"the file is {_size(len(data))}, more than the {_size(limits.max_bytes)} accepted")
    if not data:
        raise refuse("the file is empty")
    if data.startswith(OLE2_MAGIC):
        if "EncryptedPackage".encode("utf-16-le") in data:
            raise refuse(
                "the workbook is password-protected (encrypted): remove the password in Excel "
                "(File › Info › Protect Workbook) or LibreOffice (File › Properties › Security) and save again"
            )
        raise refuse(f"this is a legacy Excel 97-2003 workbook (.xls) or another OLE2 file: {SAVE_AS}")
    if not data.startswith(ZIP_MAGIC):
        raise refuse(f"not an Excel workbook: the file is {_sniff(data)}; {SAVE_AS}")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError, OSError) as exc:
        raise refuse(f"the workbook is damaged or incomplete (was the upload cut short?): {exc}") from exc
    with archive:
        _check_directory(archive, limits, refuse)
        main = _check_package_type(archive, filename, refuse)
        sheets = _sheet_parts(archive, main, refuse)
        folded = {name.casefold(): name for name in sheets}
        scanned = {folded[w.casefold()]: sheets[folded[w.casefold()]] for w in scan if w.casefold() in folded}
        checked = {*sheets.values(), main, _rels_of(main), "[Content_Types].xml"}
        for info in archive.infolist():
            # Parts only a spreadsheet program reads (document properties, theme) are left alone, and so are
            # the sheets nobody asks calamine for; every part calamine or the guard parses is checked.
            lower = info.filename.lower()
            if lower.endswith((".xml", ".rels")) and info.filename not in checked and not lower.startswith(_UNREAD):
                _check_prolog(archive, info, refuse)
        package = Package(sheets)
        for name, part in scanned.items():
            if part in archive.NameToInfo:
                package.formulas[name] = _scan_sheet(archive, part, name, limits, refuse)
        return package


def _check_directory(archive: zipfile.ZipFile, limits: Limits, refuse: _Refuse) -> None:
    infos = archive.infolist()
    if len(infos) > limits.max_members:
        raise refuse(f"the package has {len(infos):,} parts, more than the {limits.max_members:,} accepted")
    total = 0
    for info in infos:
        name = info.filename
        if info.flag_bits & 0x1:
            raise refuse("the package has encrypted parts: remove the password and save again", name)
        if name.startswith(("/", "\\")) or ".." in name.replace("\\", "/").split("/") or ":" in name:
            raise refuse("the package has a part with an unsafe path", name)
        if info.file_size > limits.max_member_bytes:
            raise refuse(
                f"zip bomb suspected: the part would unpack to {_size(info.file_size)}, "
                f"more than the {_size(limits.max_member_bytes)} accepted",
                name,
            )
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > MIB and ratio > limits.max_ratio:
            raise refuse(
                f"zip bomb suspected: the part would unpack {ratio:,.0f} times larger than stored "
                f"({_size(info.compress_size)} to {_size(info.file_size)}; at most {limits.max_ratio} times)",
                name,
            )
        total += info.file_size
    if total > limits.max_total_bytes:
        raise refuse(
            f"zip bomb suspected: the package would unpack to {_size(total)}, "
            f"more than the {_size(limits.max_total_bytes)} accepted"
        )
    # Parts whose stored data overlap make a small file unpack many times over (CVE-2024-0450):
    # in a sound package each part's data ends before the next part begins.
    ordered = sorted(infos, key=lambda i: i.header_offset)
    for info, following in itertools.pairwise(ordered):
        if info.header_offset + info.compress_size > following.header_offset:
            raise refuse(
                f"zip bomb suspected: the parts {info.filename} and {following.filename} overlap", following.filename
            )


def _check_package_type(archive: zipfile.ZipFile, filename: str, refuse: _Refuse) -> str:
    """The workbook part's name, once the package is known to be a plain .xlsx without active content."""
    names = {info.filename.lower(): info.filename for info in archive.infolist()}
    renamed = " renamed to .xlsx" if filename.lower().endswith(".xlsx") else ""
    if "mimetype" in names and archive.read(names["mimetype"])[:100].startswith(b"application/vnd.oasis.opendocument"):
        raise refuse(f"this is an OpenDocument file (.ods){renamed}: {SAVE_AS}")
    if "[content_types].xml" not in names:
        raise refuse(f"not an Excel workbook: a ZIP archive without [Content_Types].xml; {SAVE_AS}")
    main = ""
    for override in _elements(archive, names["[content_types].xml"], f"{_CT_NS}Override", refuse):
        kind = override.get("ContentType", "")
        if kind in OTHER_MAIN_TYPES:
            raise refuse(f"this is {OTHER_MAIN_TYPES[kind]}{renamed}, not a plain workbook: {SAVE_AS}")
        if kind == XLSX_MAIN:
            main = override.get("PartName", "").lstrip("/")
    for lower, name in names.items():
        for pattern, what in FORBIDDEN_PARTS:
            if pattern.search(lower):
                raise refuse(f"the workbook {what}: {SAVE_AS} without them", name)
    if not main or main not in archive.NameToInfo:
        raise refuse(f"not an Excel workbook: the package has no workbook part; {SAVE_AS}")
    return main


def _check_prolog(archive: zipfile.ZipFile, info: zipfile.ZipInfo, refuse: _Refuse) -> None:
    """No DTD, no entity declarations, UTF-8: what Excel and LibreOffice write, and nothing an XML bomb needs."""
    try:
        with archive.open(info) as stream:
            head = stream.read(4096)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError) as exc:
        raise refuse(f"the workbook is damaged: {exc}", info.filename) from exc
    _check_head(head, info.filename, refuse)


def _check_head(head: bytes, name: str, refuse: _Refuse) -> None:
    head = head.removeprefix(b"\xef\xbb\xbf")
    if head.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in head[:4]:
        raise refuse("XML part not in UTF-8, as Excel and LibreOffice write it: refused", name)
    declared = _DECLARED_ENCODING.match(head)
    if declared and declared.group(1).lower() not in (b"utf-8", b"utf8"):
        encoding = declared.group(1).decode("ascii", "replace")
        raise refuse(f"XML part declares the encoding {encoding}, not UTF-8: refused", name)
    start = _ELEMENT_START.search(head)
    prolog = head[: start.start()] if start else head
    if b"<!doctype" in prolog.lower() or b"<!entity" in prolog.lower():
        raise refuse(
            "XML part declares a DTD or entities, which workbooks never do (XML bomb or external entity attack)",
            name,
        )
    if start is None and len(head) >= 4096:
        raise refuse("XML part with an unusually long prolog: refused", name)


def _elements(archive: zipfile.ZipFile, name: str, tag: str, refuse: _Refuse) -> list[dict[str, str]]:
    """The attributes of every ``tag`` element (``{namespace}local``) in a small package part.

    expat (C) parses it with defusedxml's rule built in: a DTD or an entity
    declaration stops the parse. (defusedxml's own ElementTree is pure Python and
    costs more than the rest of the guard for these few lines.)
    """
    found: list[dict[str, str]] = []

    def forbidden(*_: object) -> NoReturn:
        raise refuse("XML part declares a DTD or entities, which workbooks never do", name)

    def start(element: str, attributes: dict[str, str]) -> None:
        # expat names a namespaced element or attribute "namespace}local"; ElementTree's "{namespace}local" is used here
        if "{" + element == tag:
            found.append({("{" + k if "}" in k else k): v for k, v in attributes.items()})

    parser = expat.ParserCreate(namespace_separator="}")
    parser.StartDoctypeDeclHandler = forbidden
    parser.EntityDeclHandler = forbidden
    parser.ExternalEntityRefHandler = forbidden
    parser.StartElementHandler = start
    try:
        data = archive.read(name)
        _check_head(data[:4096], name, refuse)
        parser.Parse(data, True)
    except (expat.ExpatError, zipfile.BadZipFile, OSError, ValueError) as exc:
        raise refuse(f"the workbook is damaged: {exc}", name) from exc
    return found


def _sheet_parts(archive: zipfile.ZipFile, main: str, refuse: _Refuse) -> dict[str, str]:
    base = posixpath.dirname(main)
    rels_name = _rels_of(main)
    if rels_name not in archive.NameToInfo:
        raise refuse("the workbook is damaged: its relationships are missing", rels_name)
    targets = {}
    for rel in _elements(archive, rels_name, f"{_PKG_REL_NS}Relationship", refuse):
        target = rel.get("Target", "")
        part = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(base, target))
        targets[rel.get("Id", "")] = part
    sheets: dict[str, str] = {}
    for sheet in _elements(archive, main, f"{_SHEET_NS}sheet", refuse):
        sheets[sheet.get("name", "")] = targets.get(sheet.get(f"{_REL_NS}id", ""), "")
    return sheets


def column_index(letters: str) -> int:
    """0-based index of a column given by letters: ``A`` → 0, ``AX`` → 49."""
    index = 0
    for letter in letters:
        index = index * 26 + ord(letter) - 64
    return index - 1


def _rels_of(part: str) -> str:
    return posixpath.join(posixpath.dirname(part), "_rels", posixpath.basename(part) + ".rels")


def _scan_sheet(archive: zipfile.ZipFile, part: str, sheet: str, limits: Limits, refuse: _Refuse) -> dict[str, bool]:
    """Stream one worksheet: check its prolog, bound its rows and columns, and find formula cells.

    calamine materialises a sheet as a dense grid from A1 to its last cell, so a
    single cell far out (or cells without references, placed one after another)
    would cost gigabytes; the scan refuses that before calamine starts.
    """
    rows = 0
    has_formula = False
    carry = b""
    first = True
    patterns = _PLAIN
    far = re.compile(_FAR_REF)
    try:
        with archive.open(part) as stream:
            while chunk := stream.read(1 << 18):
                if first:
                    _check_head(chunk[:4096], part, refuse)
                    first = False
                buffer = carry + chunk
                cut = buffer.rfind(b">") + 1
                block, carry = buffer[:cut], buffer[cut:]
                if len(carry) > 4 * MIB:
                    raise refuse("the worksheet is malformed", sheet)
                if patterns is _PLAIN and _MAIN_PREFIX.search(block):
                    patterns = _PREFIXED
                rows += block.count(b"<row") if patterns is _PLAIN else len(_PREFIXED_ROW.findall(block))
                for match in far.finditer(block):
                    ref = _REF.match(match[0][4:].decode("ascii") + "0")
                    if ref is None:
                        continue
                    if column_index(ref[1]) >= _LAST_COLUMN:
                        raise refuse(f"the sheet has cells beyond column {MAX_COLUMN}, outside the template", sheet)
                    if int(ref[2][:-1] or 0) > limits.max_rows:
                        rows = limits.max_rows + 1
                if rows > limits.max_rows:
                    raise refuse(
                        f"the sheet has more than {limits.max_rows:,} rows, more than a submission may have", sheet
                    )
                suspects = {"cell" if match["cell"] else "formula" for match in patterns.finditer(block)}
                if "cell" in suspects and _NO_REF.search(block):
                    raise refuse("the sheet has cells without a cell reference, which Excel never writes", sheet)
                has_formula = has_formula or "formula" in suspects
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
        raise refuse(f"the workbook is damaged: {exc}", sheet) from exc
    if not has_formula:
        return {}
    with archive.open(part) as stream:
        return _formula_cells(stream, sheet, refuse)


def _formula_cells(stream: IO[bytes], sheet: str, refuse: _Refuse) -> dict[str, bool]:
    found: dict[str, bool] = {}
    try:
        for _, element in SafeET.iterparse(stream, events=("end",), forbid_dtd=True):
            if element.tag == f"{_SHEET_NS}c":
                if element.find(f"{_SHEET_NS}f") is not None:
                    value = element.find(f"{_SHEET_NS}v")
                    inline = element.find(f"{_SHEET_NS}is")
                    cached = (value is not None and bool(value.text)) or inline is not None
                    found[element.get("r", "")] = cached
                element.clear()
    except (DefusedXmlException, SafeET.ParseError) as exc:
        raise refuse(f"the worksheet is damaged: {exc}", sheet) from exc
    return found


class _Refuse(Protocol):
    """Type of the ``refuse`` helper: message (and place) → the error to raise."""

    def __call__(self, message: str, where: str = "") -> SubmissionError: ...


def _size(count: int) -> str:
    if count >= MIB:
        return f"{count / MIB:,.1f} MB"
    if count >= 1024:
        return f"{count / 1024:,.0f} kB"
    return f"{count:,} bytes"


def _sniff(data: bytes) -> str:
    head = data[:512].lstrip()
    if head.startswith(b"%PDF"):
        return "a PDF document"
    if head.startswith((b"{", b"[")):
        return "JSON text"
    if head[:1] == b"<":
        return "an HTML or XML file (a web page or an Excel 2003 XML file?)"
    if head.startswith(b"PK"):
        return "an empty or unusual ZIP archive"
    try:
        head.decode("utf-8")
    except UnicodeDecodeError:
        return "not a ZIP package"
    return "plain text (CSV?)" if b"\x00" not in head else "not a ZIP package"
