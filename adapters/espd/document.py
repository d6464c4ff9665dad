"""An ESPD document read safely: size cap, defusedxml, and which ESPD it is (request or response, which version).

Checks made before anything is taken from the file, in this order (each failure
is one located error naming what was found):

1. at most :data:`MAX_XML_BYTES` bytes (checked before parsing);
2. well-formed XML, parsed with defusedxml: a DTD, entity declarations and
   external references are refused (billion laughs, external entities);
3. the root element is an ESPD document — ``ESPDRequest`` / ``ESPDResponse``
   (v1, ``urn:grow:names:specification:ubl:schema:xsd:ESPD…-1``) or
   ``QualificationApplicationRequest`` / ``QualificationApplicationResponse``
   (v2 to v4, ``urn:oasis:names:specification:ubl:schema:xsd:QualificationApplication…-2``);
4. the version is stated and known: ``cbc:ProfileExecutionID`` (``ESPD-EDMv2.1.0…``,
   ``ESPD-EDMv4.1.0``) or, for v1, ``cbc:UBLVersionID`` 2.1 with the CEN BII
   ``cbc:CustomizationID``; UBL 2.2 means v2, 2.3 v3 or v4. Versions 1, 2.0, 2.1,
   3.x and 4.x are read; any other is refused, naming it.
"""

from __future__ import annotations

import os
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass

import defusedxml
import defusedxml.ElementTree as SafeET

from supplier_qual.errors import InputError, Problem
from supplier_qual.limits import size_text

MAX_XML_BYTES = int(os.environ.get("SUPPLIER_QUAL_MAX_XML_BYTES", "20000000"))
"""The largest ESPD document read, in bytes (``SUPPLIER_QUAL_MAX_XML_BYTES``; default 20 MB)."""

_ROOTS = {
    "ESPDRequest": ("request", "1"),
    "ESPDResponse": ("response", "1"),
    "QualificationApplicationRequest": ("request", "2"),
    "QualificationApplicationResponse": ("response", "2"),
}
_NAMESPACES = (
    "urn:grow:names:specification:ubl:schema:xsd:ESPD",
    "urn:oasis:names:specification:ubl:schema:xsd:QualificationApplication",
)
_KNOWN = re.compile(r"^(1(\.\d+)*|2\.0(\.\d+)?|2\.1(\.\d+)?|3\.\d+(\.\d+)?|4\.\d+(\.\d+)?)$")


@dataclass(frozen=True)
class EspdDocument:
    """A parsed ESPD document: request or response, its version and its root element."""

    kind: str
    version: str
    root: ET.Element
    source: str


def looks_like_xml(data: bytes) -> bool:
    """Whether the bytes start like an XML document (after a byte-order mark and white space)."""
    return data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<")


def parse_espd(data: bytes, *, source: str, error: type[InputError]) -> EspdDocument:
    """The ESPD document in ``data``.

    :raises InputError: of class ``error``: too large, not well-formed, unsafe, not
        ESPD or an unknown version — naming the element, namespace or version found.
    """
    if len(data) > MAX_XML_BYTES:
        raise error(
            [Problem(f"the file is {size_text(len(data))}, more than the {size_text(MAX_XML_BYTES)} accepted")],
            source=source,
        )
    try:
        root = SafeET.fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except defusedxml.DTDForbidden as exc:
        raise error([Problem("the XML declares a DTD, which ESPD documents never do; refused")], source=source) from exc
    except (defusedxml.EntitiesForbidden, defusedxml.ExternalReferenceForbidden) as exc:
        raise error([Problem("the XML declares entities or external references; refused")], source=source) from exc
    except ET.ParseError as exc:
        line, column = exc.position
        raise error(
            [Problem(f"not well-formed XML: {_reason(exc)}", f"line {line} column {column + 1}")], source=source
        ) from exc
    namespace, name = split(root.tag)
    known = _ROOTS.get(name)
    if known is None or not namespace.startswith(_NAMESPACES):
        found = f"<{name}>" + (f" in namespace {namespace}" if namespace else " with no namespace")
        raise error(
            [
                Problem(
                    f"not an ESPD document: the root element is {found}, not an ESPD request or response", f"/{name}"
                )
            ],
            source=source,
        )
    kind, generation = known
    version = _version(root, generation, source=source, error=error)
    return EspdDocument(kind, version, root, source)


def _reason(exc: ET.ParseError) -> str:
    return str(exc).split(":", 1)[0]


def _version(root: ET.Element, generation: str, *, source: str, error: type[InputError]) -> str:
    profile = text(root, "ProfileExecutionID")
    ubl = text(root, "UBLVersionID")
    where = f"/{split(root.tag)[1]}/cbc:ProfileExecutionID"
    if profile:
        match = re.search(r"ESPD-EDMv?(\d+(?:\.\d+)*)", profile, re.IGNORECASE)
        version = match.group(1) if match else ""
        if not version or not _KNOWN.match(version) or (generation == "1") != version.startswith("1"):
            raise error(
                [Problem(f"unknown ESPD version {profile!r} (supplier_qual reads ESPD 1, 2.0, 2.1, 3 and 4)", where)],
                source=source,
            )
        return version
    if generation == "1":
        if ubl == "2.1" or "biitrns092" in text(root, "CustomizationID"):
            return "1"
        raise error(
            [Problem(f"unknown ESPD version: an ESPD v1 document with UBL version {ubl!r}", where)], source=source
        )
    if ubl == "2.2":
        return "2"
    if ubl == "2.3":
        return "3 or 4"  # both are UBL 2.3 and read alike; without a ProfileExecutionID nothing says which
    raise error(
        [
            Problem(
                f"unknown ESPD version: no cbc:ProfileExecutionID, and UBL version {ubl or '(none)'!r} "
                "is not ESPD 2 to 4",
                where,
            )
        ],
        source=source,
    )


def split(tag: str) -> tuple[str, str]:
    """``{namespace}name`` as (namespace, name)."""
    if tag.startswith("{"):
        namespace, _, name = tag[1:].partition("}")
        return namespace, name
    return "", tag


def name(element: ET.Element) -> str:
    return split(element.tag)[1]


def children(element: ET.Element, local: str) -> list[ET.Element]:
    """The element's direct children of local name ``local``, whatever their namespace."""
    return [child for child in element if name(child) == local]


def child(element: ET.Element, *path: str) -> ET.Element | None:
    """The first element along ``path`` of local names, or ``None``."""
    current: ET.Element | None = element
    for local in path:
        if current is None:
            return None
        current = next((c for c in current if name(c) == local), None)
    return current


def text(element: ET.Element | None, *path: str) -> str:
    """The stripped text at ``path`` under ``element``, or ``""``."""
    if element is None:
        return ""
    found = child(element, *path) if path else element
    return (found.text or "").strip() if found is not None else ""


def descendants(element: ET.Element, local: str) -> list[ET.Element]:
    """Every element of local name ``local`` below ``element``, in document order."""
    return [e for e in element.iter() if e is not element and name(e) == local]
