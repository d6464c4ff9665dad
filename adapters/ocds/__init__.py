"""OCDS (Open Contracting Data Standard): packages and releases as tenders, eligibility back as a release.

Recognised by content (a release package, a record package or a release), never
by the file's extension. ``eligibility -f ocds`` writes the result as an OCDS 1.1
release package with the bids and requirements extensions.
"""

from __future__ import annotations

import dataclasses
import json

from supplier_qual import hookimpl
from supplier_qual.documents import parse_json
from supplier_qual.errors import TenderError
from supplier_qual.tender import Eligibility, Tender

from .read import compiled_release, is_ocds, read_release
from .write import eligibility_release_package

__all__ = ["eligibility_release_package", "read_ocds_tender"]


@hookimpl
def read_tender(data: bytes, filename: str, media_type: str | None) -> Tender | None:
    if not data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{"):
        return None
    parsed = parse_json(data, source=filename, error=TenderError)
    if not is_ocds(parsed):
        return None
    return read_ocds_tender(parsed, filename)


def read_ocds_tender(data: object, filename: str) -> Tender:
    """The tender of an OCDS release package, record package or release (already parsed JSON)."""
    if not is_ocds(data) or not isinstance(data, dict):
        raise TenderError("not OCDS: expected a release package, a record package or a release", source=filename)
    tender = read_release(compiled_release(data, source=filename), source=filename)
    return dataclasses.replace(tender, source=filename)


@hookimpl
def render(result: object, fmt: str) -> str | None:
    if fmt != "ocds" or not isinstance(result, Eligibility):
        return None
    return json.dumps(eligibility_release_package(result), ensure_ascii=False, indent=2) + "\n"
