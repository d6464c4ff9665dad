"""Streaming a worksheet and the shared strings once, before calamine, to bound what calamine will allocate.

calamine materialises a sheet as a dense grid from its first to its last cell, and
gives every cell that shows a shared string a copy of it: one cell far out, or a
long string shown by many cells, costs gigabytes. So the scan reads what calamine
will read — every cell element, by its local name whatever its namespace, as
calamine matches it — and counts rows, cells, the furthest reference, the declared
dimension, formulas and the characters each cell will hold.

Two ways through a sheet, with the same result: a fast byte scan for the one
spelling Excel, LibreOffice and openpyxl write (``<c r="A1" s="1" t="s"><v>3</v>``),
used only when every cell in a block is written that way and there is no formula;
anything else (another spelling, a namespace prefix, formulas) is parsed exactly
with expat. Anything the fast scan is unsure of sends the sheet to expat.
"""

from __future__ import annotations

import re
import zipfile
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import IO, NoReturn, Protocol
from xml.parsers import expat

from supplier_qual.errors import SubmissionError

from .limits import MIB, Limits

MAX_COLUMN = "AX"
"""The last column the reader accepts a cell in (50 columns): the template uses ten."""
LAST_COLUMN = 50
_REF = re.compile(r"^\$?([A-Z]{1,3})\$?([0-9]{1,7})$")
_ANY_CELL = re.compile(rb"<c[\s/>]")
_CANONICAL_CELL = re.compile(rb'<c r="[A-Z]{1,3}[0-9]{1,7}"')
_FAR_REF = re.compile(rb' r="(?:[A-Z]{2,}|[A-Z]{0,3}[0-9]{5,})')
"""A reference with a two-letter column or a five-digit row: checked exactly in Python (rare in real files)."""
_SHARED_CELL = re.compile(
    rb'<c r="[A-Z]{1,3}[0-9]{1,7}"(?: s="[0-9]{1,6}")? t="s"(?: [a-z]{1,3}="[0-9]{1,6}")*>\s*<v>([0-9]{1,10})</v>'
)
_INLINE_TEXT = re.compile(rb"<t(?:\s[^>]*)?>([^<]*)<")
_DIMENSION = re.compile(rb'<dimension ref="([A-Z0-9:$]{1,30})"')
_SLOW = re.compile(rb"""<\w{1,20}:(?:c|row|f|v|is|t|dimension|sheetData)[\s/>]|<f[\s/>]|='|="[^"<>]*&""")
"""What the fast scan does not read: namespace-prefixed sheet elements, formulas, single-quoted attributes
and character references in attributes (``r="&#88;FD1"`` is XFD1 to an XML parser)."""


HEAD = 4096
"""Bytes at the start of a part in which its prolog (declaration, DTD) must lie."""


class _Rewound:
    """A part's stream whose first bytes, read already to check its prolog, are read again from memory."""

    def __init__(self, head: bytes, stream: IO[bytes]) -> None:
        self.head, self.stream = head, stream

    def read(self, size: int = -1) -> bytes:
        if not self.head:
            return self.stream.read(size)
        if size < 0:
            data, self.head = self.head + self.stream.read(), b""
            return data
        data, self.head = self.head[:size], self.head[size:]
        return data if len(data) == size else data + self.stream.read(size - len(data))


class Refuse(Protocol):
    """Type of the ``refuse`` helper: message (and place) → the error to raise."""

    def __call__(self, message: str, where: str = "") -> SubmissionError: ...


@dataclass
class SheetScan:
    """What one worksheet holds, as calamine will read it."""

    rows: int = 0
    cells: int = 0
    shared: Counter[int] = field(default_factory=Counter)
    """Shared-string index → how many cells show it."""
    inline_chars: int = 0
    formulas: dict[str, bool] = field(default_factory=dict)
    """Cells holding a formula → whether a calculated value is stored with it."""


def column_index(letters: str) -> int:
    """0-based index of a column given by letters: ``A`` → 0, ``AX`` → 49."""
    index = 0
    for letter in letters:
        index = index * 26 + ord(letter) - 64
    return index - 1


class _Bounds:
    """Checks one sheet's references against the limits, refusing the first that is out."""

    def __init__(self, sheet: str, limits: Limits, refuse: Refuse) -> None:
        self.sheet, self.limits, self.refuse = sheet, limits, refuse

    def cell(self, ref: str) -> None:
        match = _REF.match(ref)
        if match is None:
            raise self.refuse(f'the sheet has a cell reference "{ref[:20]}" that Excel never writes', self.sheet)
        self.place(match[1], int(match[2]))

    def place(self, letters: str, row: int) -> None:
        if column_index(letters) >= LAST_COLUMN:
            raise self.refuse(f"the sheet has cells beyond column {MAX_COLUMN}, outside the template", self.sheet)
        if row > self.limits.max_rows:
            self.rows()

    def rows(self) -> NoReturn:
        raise self.refuse(
            f"the sheet has more than {self.limits.max_rows:,} rows, more than a submission may have", self.sheet
        )

    def dimension(self, ref: str) -> None:
        for corner in ref.split(":"):
            match = _REF.match(corner)
            if match is None:
                raise self.refuse(f'the sheet declares a size "{ref[:30]}" that Excel never writes', self.sheet)
            self.place(match[1], int(match[2]))


def scan_sheet(
    archive: zipfile.ZipFile,
    part: str,
    sheet: str,
    limits: Limits,
    refuse: Refuse,
    check_head: Callable[[bytes], None] | None = None,
) -> SheetScan:
    """Stream one worksheet once (twice when it needs the exact parse) and bound what it holds.

    :param check_head: checks the part's first :data:`HEAD` bytes (its prolog) on the way, so that
        the prolog check costs no pass of its own.
    :raises SubmissionError: rows, columns or the declared size beyond the limits, cells
        without a reference, a damaged part.
    """
    bounds = _Bounds(sheet, limits, refuse)
    try:
        with archive.open(part) as stream:
            head = stream.read(HEAD)
            if check_head is not None:
                check_head(head)
            found = _fast(_Rewound(head, stream), bounds)  # type: ignore[arg-type]
        if found is None:
            with archive.open(part) as stream:
                found = _exact(stream, bounds)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
        raise refuse(f"the workbook is damaged: {exc}", sheet) from exc
    if found.rows > limits.max_rows:
        bounds.rows()
    return found


def _fast(stream: IO[bytes], bounds: _Bounds) -> SheetScan | None:
    """The byte scan; ``None`` as soon as something is written in a way it does not read."""
    found = SheetScan()
    for block in _blocks(stream, bounds):
        if _SLOW.search(block):
            return None
        cells = len(_ANY_CELL.findall(block))
        if len(_CANONICAL_CELL.findall(block)) != cells:
            return None
        shared = _SHARED_CELL.findall(block)
        if len(shared) != block.count(b't="s"') or block.count(b"<dimension") != len(_DIMENSION.findall(block)):
            return None
        found.cells += cells
        found.rows += block.count(b"<row")
        if found.rows > bounds.limits.max_rows:
            bounds.rows()
        found.shared.update(int(index) for index in shared)
        found.inline_chars += sum(len(text) for text in _INLINE_TEXT.findall(block))
        for match in _FAR_REF.finditer(block):
            ref = re.match(r"([A-Z]*)([0-9]*)", match[0][4:].decode("ascii"))
            if ref is not None:
                bounds.place(ref[1] or "A", int(ref[2] or 0))
        for dimension in _DIMENSION.findall(block):
            bounds.dimension(dimension.decode("ascii"))
    return found


def _blocks(stream: IO[bytes], bounds: _Bounds) -> Iterator[bytes]:
    """The part in blocks of whole rows (a row is never split between two), the last one its tail."""
    carry = b""
    while chunk := stream.read(1 << 18):
        buffer = carry + chunk
        cut = buffer.rfind(b"</row>")
        cut = cut + len(b"</row>") if cut >= 0 else buffer.rfind(b">") + 1
        block, carry = buffer[:cut], buffer[cut:]
        if len(carry) > 4 * MIB:
            raise bounds.refuse("the worksheet is malformed", bounds.sheet)
        yield block
    yield carry


def _exact(stream: IO[bytes], bounds: _Bounds) -> SheetScan:
    """The exact parse with expat: elements by local name, as calamine matches them; no DTD or entity."""
    found = SheetScan()
    state: dict[str, object] = {"cell": None, "type": "", "formula": False, "value": None, "inline": False}

    def forbidden(*_: object) -> NoReturn:
        raise bounds.refuse("XML part declares a DTD or entities, which workbooks never do", bounds.sheet)

    def start(name: str, attributes: dict[str, str]) -> None:
        local = name.rpartition("}")[2]
        if local == "c":
            found.cells += 1
            ref = attributes.get("r")
            if ref is None:
                message = "the sheet has cells without a cell reference, which Excel never writes"
                raise bounds.refuse(message, bounds.sheet)
            bounds.cell(ref)
            state.update(cell=ref.replace("$", ""), type=attributes.get("t", ""), formula=False, value=None)
        elif local == "row":
            found.rows += 1
            if found.rows > bounds.limits.max_rows:
                bounds.rows()
        elif local == "f":
            state["formula"] = True
        elif local == "v":
            state["value"] = []
        elif local == "is":
            state["inline"] = True
        elif local == "dimension" and "ref" in attributes:
            bounds.dimension(attributes["ref"])

    def end(name: str) -> None:
        local = name.rpartition("}")[2]
        if local == "c" and state["cell"] is not None:
            raw = state["value"]
            value = "".join(raw) if isinstance(raw, list) else str(raw or "")
            if state["formula"]:
                found.formulas[str(state["cell"])] = bool(value) or bool(state["inline"])
            if state["type"] == "s" and value.strip().isdigit():
                found.shared[int(value)] += 1
            state.update(cell=None, value=None, inline=False)
        elif local == "v" and isinstance(state["value"], list):
            state["value"] = "".join(state["value"])  # closed: later text is not the value
        elif local == "is":
            state["inline"] = False

    def text(data: str) -> None:
        if isinstance(state["value"], list):
            state["value"].append(data)
        elif state["inline"]:
            found.inline_chars += len(data)

    parser = _parser(forbidden)
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = text
    try:
        parser.ParseFile(stream)
    except expat.ExpatError as exc:
        raise bounds.refuse(f"the worksheet is damaged: {exc}", bounds.sheet) from exc
    return found


def shared_string_lengths(
    archive: zipfile.ZipFile, part: str, refuse: Refuse, check_head: Callable[[bytes], None] | None = None
) -> list[int]:
    """The length in characters of each shared string, in order (calamine keeps empty ones too).

    :param check_head: checks the part's first :data:`HEAD` bytes (its prolog) on the way.
    """
    lengths: list[int] = []
    state = {"in": False, "length": 0}

    def forbidden(*_: object) -> NoReturn:
        raise refuse("XML part declares a DTD or entities, which workbooks never do", part)

    def start(name: str, attributes: dict[str, str]) -> None:
        if name.rpartition("}")[2] == "si":
            state.update({"in": True, "length": 0})

    def end(name: str) -> None:
        if name.rpartition("}")[2] == "si":
            lengths.append(int(state["length"]))
            state["in"] = False

    def text(data: str) -> None:
        if state["in"]:
            state["length"] += len(data)

    parser = _parser(forbidden)
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = text
    try:
        with archive.open(part) as stream:
            head = stream.read(HEAD)
            if check_head is not None:
                check_head(head)
            parser.Parse(head, False)
            while chunk := stream.read(1 << 16):
                parser.Parse(chunk, False)
            parser.Parse(b"", True)
    except (expat.ExpatError, zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
        raise refuse(f"the workbook is damaged: {exc}", part) from exc
    return lengths


def _parser(forbidden: Callable[..., NoReturn]) -> expat.XMLParserType:
    parser = expat.ParserCreate(namespace_separator="}")
    parser.StartDoctypeDeclHandler = forbidden
    parser.EntityDeclHandler = forbidden
    parser.ExternalEntityRefHandler = forbidden
    parser.buffer_text = True
    return parser
