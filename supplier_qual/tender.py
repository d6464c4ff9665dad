"""Tenders and bids, and reading the project's own tender file (YAML or JSON).

The terms (tender, lot, requirement, criterion, bid, state) are defined in
:mod:`supplier_qual.model.tender`, below the schema that validates a tender file;
they are re-exported here, where the file is read.
"""

from __future__ import annotations

import dataclasses
import hashlib
from pathlib import Path

from .documents import parse_document, read_bytes
from .errors import TenderError
from .model.tender import (
    CANNOT_TELL,
    MET,
    NOT_MET,
    REQUIREMENT_KINDS,
    STATES,
    Bid,
    BidderResult,
    Criterion,
    CriterionGroup,
    CriterionRequirement,
    Declaration,
    Duplicate,
    Eligibility,
    Lot,
    LotSummary,
    Requirement,
    Tender,
    combined_state,
)

__all__ = [
    "CANNOT_TELL",
    "MET",
    "NOT_MET",
    "REQUIREMENT_KINDS",
    "STATES",
    "Bid",
    "BidderResult",
    "Criterion",
    "CriterionGroup",
    "CriterionRequirement",
    "Declaration",
    "Duplicate",
    "Eligibility",
    "Lot",
    "LotSummary",
    "Requirement",
    "Tender",
    "combined_state",
    "load_tender",
    "parse_tender",
    "tender_from_bytes",
]


def load_tender(path: str | Path) -> Tender:
    """Read a tender's requirements from a YAML or JSON file (JSON is YAML too).

    Tender-system files (OCDS, ESPD requests, ProZorro) are read by their adapter
    plugins through :func:`supplier_qual.evaluation.read_tender`; this reads the
    project's own tender file.

    :raises TenderError: unreadable file, invalid YAML or JSON, unknown keys or bad
        values, each with the path of the offending field (``tender.yaml: $.requirements…``).
    """
    path = Path(path)
    source = str(path)
    raw = read_bytes(path, what="tender file", error=TenderError)
    return tender_from_bytes(raw, source=source)


def tender_from_bytes(raw: bytes, *, source: str) -> Tender:
    """A tender from the bytes of the project's YAML or JSON tender file (JSON read as JSON, tabs and all)."""
    tender = parse_tender(parse_document(raw, source=source, error=TenderError), source=source)
    return dataclasses.replace(tender, sha256=hashlib.sha256(raw).hexdigest(), source=source)


def parse_tender(data: object, *, source: str = "") -> Tender:
    """A tender from JSON-like data, validated.

    :raises TenderError: every problem found, with its JSON path.
    """
    from .schemas.tender import TenderSchema  # marshmallow, only when a tender is read

    tender: Tender = TenderSchema.parse(data, source=source)
    return dataclasses.replace(tender, source=source) if source else tender
