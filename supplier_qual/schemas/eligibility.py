"""Schema of the eligibility report as JSON (``eligibility -f json``).

The contract ``{tender: {id, title}, as_of, bidders: [{supplier, eligible, decision,
requirements: [{requirement, met, reason}]}]}`` is kept and extended: each
requirement and bidder has a ``state`` (``met``, ``not_met``, ``cannot_tell``),
each bidder its ``lot``, ``identifiers``, ``evidence``, ``matched_by`` and
``to_supply``; the report lists ``lots`` (per lot, the bidders counted and the
eligible ones), ``duplicates`` and ``notices``.
"""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, fields

from ..model.tender import Eligibility
from .assessment import ProvenanceSchema, SupplierOutSchema


class RequirementResultSchema(Schema):
    requirement = fields.String()
    met = fields.Boolean()
    reason = fields.String()
    state = fields.String()


class BidderSchema(Schema):
    supplier = fields.Nested(SupplierOutSchema)
    eligible = fields.Boolean()
    decision = fields.String()
    score = fields.Float(allow_none=True)
    requirements = fields.List(fields.Nested(RequirementResultSchema))
    source = fields.String()
    state = fields.String()
    lot = fields.String(allow_none=True)
    identifiers = fields.List(fields.String())
    evidence = fields.String()
    matched_by = fields.String()
    to_supply = fields.List(fields.String())


class LotOutSchema(Schema):
    id = fields.String()
    title = fields.String()


class TenderOutSchema(Schema):
    id = fields.String()
    title = fields.String()
    closing_date = fields.Date(allow_none=True)
    contract_end = fields.Date(allow_none=True)
    format = fields.String()
    lots = fields.List(fields.Nested(LotOutSchema))


class LotSummarySchema(Schema):
    id = fields.String()
    title = fields.String()
    bidders = fields.Integer()
    eligible = fields.List(fields.String())
    cannot_tell = fields.List(fields.String())


class DuplicateSchema(Schema):
    source = fields.String()
    same_as = fields.String()
    why = fields.String()


class EligibilitySchema(Schema):
    """A tender's bidders checked for eligibility, as ``eligibility -f json`` prints them."""

    tender = fields.Nested(TenderOutSchema)
    as_of = fields.Date()
    bidders = fields.List(fields.Nested(BidderSchema))
    provenance = fields.Nested(ProvenanceSchema, allow_none=True)
    lot = fields.String(allow_none=True)
    lots = fields.List(fields.Nested(LotSummarySchema))
    duplicates = fields.List(fields.Nested(DuplicateSchema))
    notices = fields.List(fields.String())


def eligibility_to_dict(eligibility: Eligibility) -> dict[str, Any]:
    """The JSON-ready form of a tender's eligibility report."""
    data: dict[str, Any] = EligibilitySchema().dump(eligibility)
    return data
