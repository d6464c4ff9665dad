"""The parts of a workbook package the guard reads: prologs checked, elements streamed, the workbook resolved.

Every XML part is read with expat, refusing a DTD or entity declaration; the
workbook part's relationships are resolved to the sheets, shared strings and styles
calamine will read, refusing paths that leave the package.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from dataclasses import dataclass
from typing import NoReturn
from xml.parsers import expat

from .scan import Refuse

ELEMENT_START = re.compile(rb"<[A-Za-z_]")
DECLARED_ENCODING = re.compile(rb"""^<\?xml[^>]*encoding\s*=\s*["']([^"']+)""")
SHEET_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
REL_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
PKG_REL_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"


@dataclass
class WorkbookPart:
    """The workbook part as the guard resolved it."""

    sheets: dict[str, str]
    shared_strings: str | None
    styles: str | None
    date1904: bool


def check_prolog(archive: zipfile.ZipFile, info: zipfile.ZipInfo, refuse: Refuse) -> None:
    """No DTD, no entity declarations, UTF-8: what Excel and LibreOffice write, and nothing an XML bomb needs."""
    try:
        with archive.open(info) as stream:
            head = stream.read(4096)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError) as exc:
        raise refuse(f"the workbook is damaged: {exc}", info.filename) from exc
    check_head(head, info.filename, refuse)


def check_head(head: bytes, name: str, refuse: Refuse) -> None:
    head = head.removeprefix(b"\xef\xbb\xbf")
    if head.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in head[:4]:
        raise refuse("XML part not in UTF-8, as Excel and LibreOffice write it: refused", name)
    declared = DECLARED_ENCODING.match(head)
    if declared and declared.group(1).lower() not in (b"utf-8", b"utf8"):
        encoding = declared.group(1).decode("ascii", "replace")
        raise refuse(f"XML part declares the encoding {encoding}, not UTF-8: refused", name)
    start = ELEMENT_START.search(head)
    prolog = head[: start.start()] if start else head
    if b"<!doctype" in prolog.lower() or b"<!entity" in prolog.lower():
        raise refuse(
            "XML part declares a DTD or entities, which workbooks never do (XML bomb or external entity attack)",
            name,
        )
    if start is None and len(head) >= 4096:
        raise refuse("XML part with an unusually long prolog: refused", name)


def elements(archive: zipfile.ZipFile, name: str, tag: str, refuse: Refuse) -> list[dict[str, str]]:
    """The attributes of every ``tag`` element (``{namespace}local``) in a small package part."""
    return [attributes for _, attributes in elements_of(archive, name, (tag,), refuse)]


def elements_of(
    archive: zipfile.ZipFile, name: str, tags: tuple[str, ...], refuse: Refuse
) -> list[tuple[str, dict[str, str]]]:
    """Each element named in ``tags`` (``{namespace}local``) in a small package part, with its attributes.

    expat (C) parses it with defusedxml's rule built in: a DTD or an entity
    declaration stops the parse. (defusedxml's own ElementTree is pure Python and
    costs more than the rest of the guard for these few lines.)
    """
    found: list[tuple[str, dict[str, str]]] = []

    def forbidden(*_: object) -> NoReturn:
        raise refuse("XML part declares a DTD or entities, which workbooks never do", name)

    def start(element: str, attributes: dict[str, str]) -> None:
        # expat names a namespaced element or attribute "namespace}local"; ElementTree's "{namespace}local" is used here
        if "{" + element in tags:
            found.append(("{" + element, {("{" + k if "}" in k else k): v for k, v in attributes.items()}))

    parser = expat.ParserCreate(namespace_separator="}")
    parser.StartDoctypeDeclHandler = forbidden
    parser.EntityDeclHandler = forbidden
    parser.ExternalEntityRefHandler = forbidden
    parser.StartElementHandler = start
    try:
        data = archive.read(name)
        check_head(data[:4096], name, refuse)
        parser.Parse(data, True)
    except (expat.ExpatError, zipfile.BadZipFile, OSError, ValueError) as exc:
        raise refuse(f"the workbook is damaged: {exc}", name) from exc
    return found


def workbook_part(archive: zipfile.ZipFile, main: str, refuse: Refuse) -> WorkbookPart:
    """The sheets (name → part), shared strings, styles and date system, each resolved to one literal part."""
    base = posixpath.dirname(main)
    rels_name = rels_of(main)
    if rels_name not in archive.NameToInfo:
        raise refuse("the workbook is damaged: its relationships are missing", rels_name)
    targets: dict[str, str] = {}
    by_kind: dict[str, list[str]] = {}
    for rel in elements(archive, rels_name, f"{PKG_REL_NS}Relationship", refuse):
        if rel.get("TargetMode", "") == "External":
            continue
        part = resolve(base, rel.get("Target", ""), refuse)
        targets[rel.get("Id", "")] = part
        by_kind.setdefault(rel.get("Type", "").rpartition("/")[2], []).append(part)
    found: dict[str, str | None] = {}
    for kind in ("sharedStrings", "styles"):
        parts = by_kind.get(kind, [])
        if len(parts) > 1:
            raise refuse(f"the workbook names {len(parts)} {kind} parts: a workbook has one", rels_name)
        found[kind] = parts[0] if parts and parts[0] in archive.NameToInfo else None
    sheets: dict[str, str] = {}
    folded: set[str] = set()
    date1904 = False
    for element, attributes in elements_of(archive, main, (f"{SHEET_NS}sheet", f"{SHEET_NS}workbookPr"), refuse):
        if element.endswith("workbookPr"):
            date1904 = attributes.get("date1904", "").strip().lower() in ("1", "true")
            continue
        name = attributes.get("name", "")
        if name.casefold() in folded:
            raise refuse(f'two sheets are named "{name}": which one to read is ambiguous; rename one', main)
        folded.add(name.casefold())
        sheets[name] = targets.get(attributes.get(f"{REL_NS}id", ""), "")
    return WorkbookPart(sheets, found["sharedStrings"], found["styles"], date1904)


def resolve(base: str, target: str, refuse: Refuse) -> str:
    """A relationship's target as a part name; a path with ``.``, ``..``, ``//`` or a backslash is refused."""
    path = target[1:] if target.startswith("/") else posixpath.join(base, target)
    if not target or "\\" in target or any(segment in ("", ".", "..") for segment in path.split("/")):
        raise refuse(f'the workbook is damaged: the part path "{target[:100]}" is not written as Excel writes it')
    return path


def rels_of(part: str) -> str:
    return posixpath.join(posixpath.dirname(part), "_rels", posixpath.basename(part) + ".rels")
