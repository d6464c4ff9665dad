"""Schema of a policy file: every key optional, every value range-checked.

The file's layout (see the README's "Policy file" section)::

    name: strict-buyer
    profile: automotive              # general | automotive | aerospace | services
    outcome_weights: {A: 1, G: 2}
    scoring: {evidence_cap: 0.5, evidenced_share: 0.75, unanswered_severity: major,
              placeholder_evidence: ["-", "TBD"], maturity_needs_evidence: true,
              special_processes: [welding, plating]}
    decision:
      not_qualified: {outcome_below: 50, overall_below: 60}
      qualified: {overall_at_least: 80, outcome_at_least: 70, require_certificate: true,
                  require_scope_of_supply: true}
    certificates: {max_validity_years: 3, grace_months: 6, accreditation_bodies: my-abs.csv,
                   cb_register: cbs.csv, registries: registries.yaml, required_iaf_codes: [17],
                   required_nace: ["25.62"], scope_keywords: [machining], supplying_sites: ["Leeds, GB"],
                   accepted_in_place_of_iso9001: ["IATF 16949"], standards: my-standards.yaml}
    performance:
      weight: 1
      min_sample: 10
      integrity: {on_time_delivery_pts: 5, complaints_closed_pts: 10, defect_ppm_factor: 2}
      kpis: {defect_ppm: {good: 100, conditional: 1000, not_qualified: 10000},
             complaints_per_year: {good: 0, bad: 12}}
    corrective_actions:
      due_days: {critical: 14, major: 30, minor: 90, observation: 180}
"""

from __future__ import annotations

import itertools
from typing import Any

from marshmallow import ValidationError, fields, post_load, validate, validates_schema

from ..errors import PolicyError
from ..model import SEVERITIES
from ..model.policy import KPI_NAMES, kpi_profiles, kpi_scale
from ..outcomes import OUTCOME_IDS
from .base import NACE_CODE, BaseSchema, Count, Number, Table, Text

_SCORE = validate.Range(0, 100, error="must be a score from 0 to 100")
_SHARE = validate.Range(0, 1, error="must be a share from 0 to 1")


class ScoringSchema(BaseSchema):
    evidence_cap = Number(validate=_SHARE)
    evidenced_share = Number(validate=_SHARE)
    unanswered_severity = Text(validate=validate.OneOf(SEVERITIES, error="must be one of {choices}"))
    placeholder_evidence = fields.List(Text())
    maturity_needs_evidence = fields.Boolean()
    special_processes = fields.List(Text(validate=validate.Length(min=1)))

    @post_load
    def tuples(self, data: dict[str, Any], **_: Any) -> dict[str, Any]:
        return {k: tuple(v) if isinstance(v, list) else v for k, v in data.items()}


class NotQualifiedSchema(BaseSchema):
    outcome_below = Number(validate=_SCORE)
    overall_below = Number(validate=_SCORE)


class QualifiedSchema(BaseSchema):
    overall_at_least = Number(validate=_SCORE)
    outcome_at_least = Number(validate=_SCORE)
    require_certificate = fields.Boolean()
    require_scope_of_supply = fields.Boolean()


class DecisionSchema(BaseSchema):
    not_qualified = fields.Nested(NotQualifiedSchema)
    qualified = fields.Nested(QualifiedSchema)

    @post_load
    def flatten(self, data: dict[str, Any], **_: Any) -> dict[str, Any]:
        flat = {f"not_qualified_{k}": v for k, v in data.get("not_qualified", {}).items()}
        flat.update({f"qualified_{k}": v for k, v in data.get("qualified", {}).items()})
        if "qualified_require_certificate" in flat:
            flat["qualified_requires_certificate"] = flat.pop("qualified_require_certificate")
        if "qualified_require_scope_of_supply" in flat:
            flat["qualified_requires_scope"] = flat.pop("qualified_require_scope_of_supply")
        return flat


class CertificatesSchema(BaseSchema):
    max_validity_years = Count(validate=validate.Range(1, 10, error="must be 1 to 10 years"))
    grace_months = Count(validate=validate.Range(0, 24, error="must be 0 to 24 months"))
    surveillance_months = Count(validate=validate.Range(1, 36, error="must be 1 to 36 months"))
    surveillance_grace_months = Count(validate=validate.Range(0, 12, error="must be 0 to 12 months"))
    accreditation_bodies = Text(validate=validate.Length(min=1))
    editions = Text(validate=validate.Length(min=1))
    cb_register = Text(validate=validate.Length(min=1))
    registries = Text(validate=validate.Length(min=1))
    required_iaf_codes = fields.List(Count(validate=validate.Range(1, 39, error="IAF sector codes run from 1 to 39")))
    required_nace = fields.List(Text(validate=NACE_CODE))
    scope_keywords = fields.List(Text(validate=validate.Length(min=1)))
    supplying_sites = fields.List(Text(validate=validate.Length(min=1)))
    wide_scope_codes = Count(validate=validate.Range(2, 39, error="must be 2 to 39 codes"))
    accepted_in_place_of_iso9001 = fields.List(Text(validate=validate.Length(min=1)))
    standards = Text(validate=validate.Length(min=1))

    @post_load
    def tuples(self, data: dict[str, Any], **_: Any) -> dict[str, Any]:
        return {k: tuple(v) if isinstance(v, list) else v for k, v in data.items()}


_KPI_VALUE = validate.Range(-1_000_000_000, 1_000_000_000, error="must be from -1,000,000,000 to 1,000,000,000")


class KpiScaleSchema(BaseSchema):
    """``{good, conditional, not_qualified}`` for a gated KPI; ``{good, bad}``, perhaps with ``conditional``, if not.

    An entry replaces the profile's scale of that KPI as a whole.
    """

    good = Number(required=True, validate=_KPI_VALUE)
    conditional = Number(validate=_KPI_VALUE)
    not_qualified = Number(validate=_KPI_VALUE)
    bad = Number(validate=_KPI_VALUE)

    @validates_schema
    def ordered(self, data: dict[str, Any], **_: Any) -> None:
        if "not_qualified" not in data and "bad" not in data:
            raise ValidationError("give a not_qualified gate, or the bad value that scores 0", "not_qualified")
        if "not_qualified" in data and "bad" in data and data["bad"] != data["not_qualified"]:
            raise ValidationError("the not_qualified gate is the value that scores 0: leave out bad", "bad")
        zero = "not_qualified" if "not_qualified" in data else "bad"
        if data.get("good") == data[zero]:
            raise ValidationError(f"good and {zero} must differ", zero)
        points = list(dict.fromkeys(data[k] for k in ("good", "conditional", "not_qualified", "bad") if k in data))
        descending = all(a > b for a, b in itertools.pairwise(points))
        ascending = all(a < b for a, b in itertools.pairwise(points))
        if not (descending or ascending):
            raise ValidationError(
                "good, conditional and not_qualified (or bad) must run in one direction, from best to worst", "good"
            )

    @post_load
    def make(self, data: dict[str, Any], **_: Any) -> Any:
        return kpi_scale(**data)


class IntegritySchema(BaseSchema):
    on_time_delivery_pts = Number(validate=validate.Range(min=0, error="must be 0 points or more"))
    complaints_closed_pts = Number(validate=validate.Range(min=0, error="must be 0 points or more"))
    defect_ppm_factor = Number(validate=validate.Range(min=1, error="must be a factor of 1 or more"))


class PerformanceSchema(BaseSchema):
    weight = Number(validate=validate.Range(0, 100, error="must be from 0 to 100"))
    min_sample = Count(validate=validate.Range(0, 100_000, error="must be 0 to 100,000 deliveries"))
    integrity = fields.Nested(IntegritySchema)
    kpis = Table(
        keys=fields.String(validate=validate.OneOf(KPI_NAMES, error="unknown KPI; known: {choices}")),
        values=fields.Nested(KpiScaleSchema),
    )

    @post_load
    def flatten(self, data: dict[str, Any], **_: Any) -> dict[str, Any]:
        flat = {k: v for k, v in data.items() if k != "kpis"}
        flat.update(data.get("kpis", {}))
        return flat


class CorrectiveActionsSchema(BaseSchema):
    due_days = Table(
        keys=fields.String(validate=validate.OneOf(SEVERITIES, error="must be one of {choices}")),
        values=Count(validate=validate.Range(1, 3650, error="must be 1 to 3650 days")),
    )


class PolicySchema(BaseSchema):
    """A policy file; what it leaves out keeps the default."""

    error_class = PolicyError

    name = Text(validate=validate.Length(min=1))
    profile = Text(validate=validate.OneOf(tuple(kpi_profiles()), error="unknown sector profile; known: {choices}"))
    outcome_weights = Table(
        keys=fields.String(validate=validate.OneOf(OUTCOME_IDS, error="must be one of the outcomes A to I")),
        values=Number(validate=validate.Range(0, 1000, error="must be from 0 to 1000")),
    )
    scoring = fields.Nested(ScoringSchema)
    decision = fields.Nested(DecisionSchema)
    certificates = fields.Nested(CertificatesSchema)
    performance = fields.Nested(PerformanceSchema)
    corrective_actions = fields.Nested(CorrectiveActionsSchema)

    @validates_schema
    def coherent(self, data: dict[str, Any], **_: Any) -> None:
        weights = data.get("outcome_weights")
        if weights is not None and len(weights) == len(OUTCOME_IDS) and not any(weights.values()):
            raise ValidationError("at least one outcome needs a weight above 0", "outcome_weights")

    @post_load
    def arrange(self, data: dict[str, Any], **_: Any) -> dict[str, Any]:
        """The overrides in the shape of :class:`~supplier_qual.policy.Policy`."""
        arranged = {k: v for k, v in data.items() if k not in ("scoring", "corrective_actions")}
        arranged.update(data.get("scoring", {}))
        if "due_days" in data.get("corrective_actions", {}):
            arranged["due_days"] = data["corrective_actions"]["due_days"]
        return arranged
