"""Reads the project's own tender file (YAML or JSON); tender-system formats have their adapters."""

from __future__ import annotations

from ..hookspecs import hookimpl
from ..tender import Tender, tender_from_bytes


@hookimpl(trylast=True)
def read_tender(data: bytes, filename: str, media_type: str | None) -> Tender | None:
    return tender_from_bytes(data, source=filename)
