"""Checks on an uploaded workbook before any spreadsheet parser sees it.

Nothing here trusts the file name or the declared media type. In order:

1. size cap, then the magic bytes: OLE2 (legacy .xls, or an encrypted .xlsx),
   anything that is not a ZIP package, a truncated or damaged ZIP;
2. the ZIP directory: member count, two members of one name, encrypted members, odd
   paths, compression methods Excel never uses, declared per-member and total
   uncompressed sizes and compression ratio (zip bombs). The ZIP reader and calamine
   both refuse a member larger than it declares, so the declared sizes are a sound bound;
3. the package type from ``[Content_Types].xml``: one workbook part, the one the
   package relationships name; .xlsm, .xlsb, templates, .ods, Word files renamed to
   .xlsx; macros, ActiveX, embedded files, external links;
4. every XML part's prolog: no DTD or entity declaration, UTF-8 only (XML bombs
   and external entities; defusedxml parses what we parse ourselves);
5. the workbook: sheet names unique, part paths literal and canonical, one shared
   strings part and one styles part;
6. the worksheets the reader will read and the shared strings, streamed once
   (:mod:`.scan`): rows, cells, the furthest reference and the declared size,
   formulas, and the characters the cells will hold, so that nothing calamine
   allocates is unbounded.

Then :mod:`.rebuild` makes the package calamine reads from the checked parts alone:
whatever the guard checked is exactly what the parser reads. Every refusal is a
:class:`~supplier_qual.errors.SubmissionError` with a message a supplier can act on.
"""

from __future__ import annotations

import io
import itertools
import re
import zipfile
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from supplier_qual.errors import Problem, SubmissionError
from supplier_qual.limits import size_text

from .limits import MIB, Limits
from .parts import PKG_REL_NS, WorkbookPart, check_head, check_prolog, elements, rels_of, resolve, workbook_part
from .rebuild import rebuild
from .scan import Refuse, scan_sheet, shared_string_lengths

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
_UNREAD = ("docprops/", "xl/theme/")
CT_NS = "{http://schemas.openxmlformats.org/package/2006/content-types}"


@dataclass
class Package:
    """What the guard learnt about an accepted workbook."""

    sheets: dict[str, str]
    """Sheet name → worksheet part, in workbook order."""
    formulas: dict[str, dict[str, bool]] = field(default_factory=dict)
    """Scanned sheet → cells holding a formula → whether a calculated value is stored with it."""
    data: bytes = b""
    """The package calamine reads: the scanned sheets, shared strings and styles alone (:mod:`.rebuild`)."""


def inspect(data: bytes, filename: str, limits: Limits, scan: Iterable[str] = ()) -> Package:
    """Refuse ``data`` unless it is a plain .xlsx within ``limits``; scan the sheets named in ``scan``.

    :raises SubmissionError: why the file is refused, in words a supplier can act on.
    """

    def refuse(message: str, where: str = "") -> SubmissionError:
        return SubmissionError([Problem(message, where)], source=filename)

    if len(data) > limits.max_bytes:
        raise refuse(f"the file is {size_text(len(data))}, more than the {size_text(limits.max_bytes)} accepted")
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
        workbook = workbook_part(archive, main, refuse)
        wanted = {w.casefold() for w in scan}
        scanned = {name: part for name, part in workbook.sheets.items() if name.casefold() in wanted}
        checked = {*workbook.sheets.values(), main, rels_of(main), "[Content_Types].xml"}
        if workbook.shared_strings is not None:
            checked.add(workbook.shared_strings)  # its prolog is checked as it is scanned (_scan)
        for info in archive.infolist():
            # Parts only a spreadsheet program reads (document properties, theme) are left alone, and so are
            # the sheets nobody asks calamine for; every part calamine or the guard parses is checked.
            lower = info.filename.lower()
            if lower.endswith((".xml", ".rels")) and info.filename not in checked and not lower.startswith(_UNREAD):
                check_prolog(archive, info, refuse)
        package = Package(workbook.sheets)
        _scan(archive, workbook, scanned, package, limits, refuse)
        try:
            package.data = rebuild(
                data,
                archive,
                list(scanned.items()),
                shared_strings=workbook.shared_strings,
                styles=workbook.styles,
                date1904=workbook.date1904,
            )
        except ValueError as exc:
            raise refuse(f"the workbook is damaged: {exc}") from exc
        return package


def _scan(
    archive: zipfile.ZipFile,
    workbook: WorkbookPart,
    scanned: dict[str, str],
    package: Package,
    limits: Limits,
    refuse: Refuse,
) -> None:
    """Scan each sheet the reader reads, holding the whole workbook to the cell and text limits."""

    def prolog(part: str) -> Callable[[bytes], None]:
        return lambda head: check_head(head, part, refuse)

    strings = workbook.shared_strings
    lengths = shared_string_lengths(archive, strings, refuse, prolog(strings)) if strings else []
    text, cells = sum(lengths), 0
    for name, part in scanned.items():
        if part not in archive.NameToInfo:
            raise refuse(f'the workbook is damaged: the sheet "{name}" has no worksheet part', name)
        found = scan_sheet(archive, part, name, limits, refuse, prolog(part))  # the prolog checked on the way
        package.formulas[name] = found.formulas
        cells += found.cells
        text += found.inline_chars + sum(count * _at(lengths, index) for index, count in found.shared.items())
        if cells > limits.max_cells:
            raise refuse(
                f"the workbook has more than {limits.max_cells:,} filled cells, more than a submission may have", name
            )
        if text > limits.max_text_total:
            raise refuse(
                f"the workbook's cells hold more than {limits.max_text_total:,} characters of text, more than a "
                "submission may have (a text shown in many cells counts in each)",
                name,
            )


def _at(lengths: list[int], index: int) -> int:
    return lengths[index] if 0 <= index < len(lengths) else 0


def _check_directory(archive: zipfile.ZipFile, limits: Limits, refuse: Refuse) -> None:
    infos = archive.infolist()
    if len(infos) > limits.max_members:
        raise refuse(f"the package has {len(infos):,} parts, more than the {limits.max_members:,} accepted")
    names = Counter(info.filename.casefold() for info in infos)
    twice = next((info.filename for info in infos if names[info.filename.casefold()] > 1), None)
    if twice is not None:
        raise refuse("the package holds two parts of this name: which one belongs to the workbook is ambiguous", twice)
    total = 0
    for info in infos:
        name = info.filename
        if info.flag_bits & 0x1:
            raise refuse("the package has encrypted parts: remove the password and save again", name)
        segments = name.split("/")
        if name.startswith("/") or "\\" in name or ":" in name or any(s in (".", "..") for s in segments):
            raise refuse("the package has a part with an unsafe path", name)
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise refuse("the part is compressed in a way Excel and LibreOffice never use", name)
        if info.file_size > limits.max_member_bytes:
            raise refuse(
                f"zip bomb suspected: the part would unpack to {size_text(info.file_size)}, "
                f"more than the {size_text(limits.max_member_bytes)} accepted",
                name,
            )
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > MIB and ratio > limits.max_ratio:
            raise refuse(
                f"zip bomb suspected: the part would unpack {ratio:,.0f} times larger than stored "
                f"({size_text(info.compress_size)} to {size_text(info.file_size)}; at most {limits.max_ratio} times)",
                name,
            )
        total += info.file_size
    if total > limits.max_total_bytes:
        raise refuse(
            f"zip bomb suspected: the package would unpack to {size_text(total)}, "
            f"more than the {size_text(limits.max_total_bytes)} accepted"
        )
    # Parts whose stored data overlap make a small file unpack many times over (CVE-2024-0450):
    # in a sound package each part's data ends before the next part begins.
    ordered = sorted(infos, key=lambda i: i.header_offset)
    for info, following in itertools.pairwise(ordered):
        if info.header_offset + info.compress_size > following.header_offset:
            raise refuse(
                f"zip bomb suspected: the parts {info.filename} and {following.filename} overlap", following.filename
            )


def _check_package_type(archive: zipfile.ZipFile, filename: str, refuse: Refuse) -> str:
    """The workbook part's name, once the package is known to be a plain .xlsx without active content."""
    names = {info.filename.lower(): info.filename for info in archive.infolist()}
    renamed = " renamed to .xlsx" if filename.lower().endswith(".xlsx") else ""
    if "mimetype" in names and archive.read(names["mimetype"])[:100].startswith(b"application/vnd.oasis.opendocument"):
        raise refuse(f"this is an OpenDocument file (.ods){renamed}: {SAVE_AS}")
    if "[content_types].xml" not in names:
        raise refuse(f"not an Excel workbook: a ZIP archive without [Content_Types].xml; {SAVE_AS}")
    mains: list[str] = []
    for override in elements(archive, names["[content_types].xml"], f"{CT_NS}Override", refuse):
        kind = override.get("ContentType", "").strip()
        if kind in OTHER_MAIN_TYPES:
            raise refuse(f"this is {OTHER_MAIN_TYPES[kind]}{renamed}, not a plain workbook: {SAVE_AS}")
        if kind == XLSX_MAIN:
            mains.append(override.get("PartName", "").lstrip("/"))
    if len(mains) > 1:
        raise refuse(f"the package names {len(mains)} workbook parts ({', '.join(mains)}): a workbook has one")
    main = mains[0] if mains else ""
    for lower, name in names.items():
        for pattern, what in FORBIDDEN_PARTS:
            if pattern.search(lower):
                raise refuse(f"the workbook {what}: {SAVE_AS} without them", name)
    if not main or main not in archive.NameToInfo:
        raise refuse(f"not an Excel workbook: the package has no workbook part; {SAVE_AS}")
    if "_rels/.rels" in archive.NameToInfo:
        for rel in elements(archive, "_rels/.rels", f"{PKG_REL_NS}Relationship", refuse):
            target = rel.get("Target", "")
            if rel.get("Type", "").endswith("/officeDocument") and resolve("", target, refuse) != main:
                raise refuse(f"the package names two workbook parts ({main} and {target}): a workbook has one")
    return main


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
