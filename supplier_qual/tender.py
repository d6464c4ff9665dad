"""A tender's requirements, reading them from YAML or JSON, and each bidder's eligibility.

Terms used here:

- *tender*: a call for bids with a closing date, a contract end and the
  requirements a bidder must meet to be eligible;
- *requirement*: one condition of the tender, of a *kind*: ``certificate`` (an ISO
  9001 certificate with an edition, accreditation, IAF codes and a date it must be
  valid through), ``min_overall`` (an overall score), ``min_outcome`` (one
  outcome's score; one requirement per outcome named) or ``decision_at_least``
  (a qualification decision);
- *bidder*: a supplier that submitted a bid, assessed as of the evaluation date;
  eligible when it meets every requirement.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from .documents import parse_document, read_bytes
from .errors import TenderError
from .model import Provenance, RequirementResult, Supplier

REQUIREMENT_KINDS: tuple[str, ...] = ("certificate", "min_overall", "min_outcome", "decision_at_least")


@dataclass(frozen=True)
class Requirement:
    """One requirement of a tender: its kind, its parameters and how the report names it.

    ``params`` by kind: ``certificate`` has ``standard``, ``accredited``,
    ``iaf_codes``, ``valid_through`` (a date or ``None``: valid on the evaluation
    date) and ``valid_through_basis`` (``contract_end``, ``closing_date`` or
    ``date``); ``min_overall`` has ``score``; ``min_outcome`` has ``outcome`` and
    ``score``; ``decision_at_least`` has ``decision``.
    """

    kind: str
    params: Mapping[str, object]
    label: str


@dataclass(frozen=True)
class Tender:
    """A tender and the requirements every bid must meet."""

    id: str
    title: str
    closing_date: dt.date | None
    contract_end: dt.date | None
    requirements: tuple[Requirement, ...]
    sha256: str = field(default="", compare=False)
    source: str = field(default="", compare=False)


@dataclass(frozen=True)
class BidderResult:
    """One bidder: eligible or not, its qualification decision, and each requirement met or not."""

    supplier: Supplier
    eligible: bool
    decision: str
    requirements: tuple[RequirementResult, ...]
    source: str
    score: float = 0.0


@dataclass(frozen=True)
class Eligibility:
    """Every bidder of a tender checked against its requirements as of one date, in the order given."""

    tender: Tender
    as_of: dt.date
    bidders: tuple[BidderResult, ...]
    provenance: Provenance | None = None


def load_tender(path: str | Path) -> Tender:
    """Read a tender's requirements from a YAML or JSON file (JSON is YAML too).

    :raises TenderError: unreadable file, invalid YAML or JSON, unknown keys or bad
        values, each with the path of the offending field (``tender.yaml: $.requirements…``).
    """
    path = Path(path)
    source = str(path)
    raw = read_bytes(path, what="tender file", error=TenderError)
    tender = parse_tender(parse_document(raw, source=source, error=TenderError), source=source)
    return dataclasses.replace(tender, sha256=hashlib.sha256(raw).hexdigest(), source=source)


def parse_tender(data: object, *, source: str = "") -> Tender:
    """A tender from JSON-like data, validated.

    :raises TenderError: every problem found, with its JSON path.
    """
    from .schemas.tender import TenderSchema

    tender: Tender = TenderSchema.parse(data, source=source)
    return tender
