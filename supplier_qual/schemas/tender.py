"""Schema of a tender's requirements file (YAML or JSON).

The file's layout (see ``docs/eligibility.md``)::

    id: T-2026-014
    title: Road resurfacing framework
    closing_date: 2026-12-15
    contract_end: 2028-12-31
    requirements:
      certificate: {standard: "ISO 9001:2015", accredited: true, iaf_codes: [28],
                    valid_through: contract_end}
      min_overall: 60
      min_outcome: {G: 50, H: 50}
      decision_at_least: conditional
      knockouts_passed: true
      min_on_time_delivery_pct: 95
      max_defect_ppm: 500
      max_submission_age_days: 180
    lots:
      - id: LOT-1
        title: Asphalt
        contract_end: 2029-06-30
        requirements:
          certificate: [{standard: "ISO 9001:2015", iaf_codes: [28]}, {standard: ISO 14001}]

``valid_through`` is ``contract_end``, ``closing_date`` or a date (YYYY-MM-DD);
left out, the certificate must be valid on the evaluation date. ``certificate``
is one requirement or a list (one per standard). A lot inherits the tender's
requirements; what it states replaces the tender's requirement of the same kind
(certificates by standard, outcome minimums by outcome), and its dates replace the
tender's for its own requirements and the inherited ones.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from marshmallow import ValidationError, fields, post_load, validate, validates_schema

from ..certificates import iso9001_edition
from ..errors import TenderError
from ..limits import date_problem
from ..model import DECISIONS
from ..model.tender import Lot, Tender
from ..outcomes import OUTCOME_IDS
from ..standards import standard_of
from .base import BaseSchema, Count, Number, Table, Text
from .tender_requirements import (
    PERFORMANCE_MEASURES,
    VALIDITY_BASES,
    SingleRequirement,
    build_requirements,
    certificate_requirement,
    merged_requirements,
    missing_dates,
    overlay,
    sort_requirements,
    standard_family,
)

_SCORE = validate.Range(0, 100, error="must be a score from 0 to 100")
"""Performance thresholds a tender may set, as ``min_<measure>`` or ``max_<measure>``: words, unit, range."""


class Day(fields.Field):  # type: ignore[type-arg]
    """A date: YAML gives one already, JSON a ``YYYY-MM-DD`` string."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> dt.date:
        return _day(value)


class ValidThrough(fields.Field):  # type: ignore[type-arg]
    """``contract_end``, ``closing_date`` or a date."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str | dt.date:
        if isinstance(value, str) and value.strip() in VALIDITY_BASES:
            return value.strip()
        try:
            return _day(value)
        except ValidationError as exc:
            raise ValidationError("must be contract_end, closing_date or a date (YYYY-MM-DD)") from exc


def _day(value: Any) -> dt.date:
    day = _any_day(value)
    problem = date_problem(day)
    if problem:
        raise ValidationError(problem)
    return day


def _any_day(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise ValidationError("not a date (YYYY-MM-DD)")


def _management_standard(text: str) -> None:
    if iso9001_edition(text) is None and standard_of(text) is None:
        raise ValidationError(
            "must name a management-system standard (e.g. ISO 9001:2015, ISO 14001:2015, ISO 45001:2018)"
        )


class CertificateRequirementSchema(BaseSchema):
    standard = Text(load_default="ISO 9001:2015", validate=_management_standard)
    accredited = fields.Boolean(load_default=True)
    iaf_codes = fields.List(
        Count(validate=validate.Range(1, 39, error="IAF sector codes run from 1 to 39")), load_default=list
    )
    valid_through = ValidThrough(load_default=None, allow_none=True)


class OneOrMany(fields.Field):  # type: ignore[type-arg]
    """One certificate requirement, or a list of them (one per standard)."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> list[dict[str, Any]]:
        items = value if isinstance(value, list) else [value]
        found: list[dict[str, Any]] = []
        errors: dict[Any, Any] = {}
        for index, item in enumerate(items):
            try:
                found.append(CertificateRequirementSchema._shared().load(item))
            except ValidationError as exc:
                errors[index] = exc.messages
        if errors:
            raise ValidationError(errors if isinstance(value, list) else errors[0])
        families = [standard_family(spec["standard"]) for spec in found]
        doubled = sorted({f for f in families if families.count(f) > 1})
        if doubled:
            raise ValidationError(f"{', '.join(doubled)} is asked for twice")
        return found if isinstance(value, list) else SingleRequirement(found)


class RequirementsSchema(BaseSchema):
    certificate = OneOrMany()
    min_overall = Number(validate=_SCORE)
    min_outcome = Table(
        keys=fields.String(validate=validate.OneOf(OUTCOME_IDS, error="must be one of the outcomes A to I")),
        values=Number(validate=_SCORE),
    )
    decision_at_least = Text(validate=validate.OneOf(DECISIONS, error="must be one of {choices}"))
    knockouts_passed = fields.Boolean()
    max_submission_age_days = Count(validate=validate.Range(1, 36_500, error="must be 1 to 36,500 days"))
    max_assessment_age_days = Count(validate=validate.Range(0, 36_500, error="must be 0 to 36,500 days"))


for _measure, (_words, _unit, _range) in PERFORMANCE_MEASURES.items():
    for _bound in ("min", "max"):
        RequirementsSchema._declared_fields[f"{_bound}_{_measure}"] = Number(validate=_range)


class LotSchema(BaseSchema):
    id = Text(required=True, validate=validate.Length(min=1, error="a lot needs an id"))
    title = Text(load_default="")
    closing_date = Day(load_default=None, allow_none=True)
    contract_end = Day(load_default=None, allow_none=True)
    requirements = fields.Nested(RequirementsSchema, load_default=dict)


class TenderSchema(BaseSchema):
    """A tender: who issues it, its dates, its lots and the requirements a bid must meet."""

    error_class = TenderError

    id = Text(load_default="")
    title = Text(load_default="")
    based_on = Text(load_default="")
    closing_date = Day(load_default=None, allow_none=True)
    contract_end = Day(load_default=None, allow_none=True)
    requirements = fields.Nested(RequirementsSchema, load_default=dict)
    lots = fields.List(fields.Nested(LotSchema), load_default=list)

    @validates_schema(skip_on_field_errors=True)
    def consistent(self, data: dict[str, Any], **_: Any) -> None:
        errors: dict[str, Any] = {}
        if not data.get("id") and not data.get("based_on"):
            errors["id"] = ["Missing data for required field."]
        if data.get("based_on"):
            # The dates may come from the tender this file is based on; they are checked once it is read.
            if errors:
                raise ValidationError(errors)
            return
        if not data.get("requirements") and not any(lot.get("requirements") for lot in data.get("lots", [])):
            errors["requirements"] = ["the tender states no requirement (give requirements, or lots with some)"]
        for place, message in missing_dates(data.get("requirements", {}), data):
            where = {"valid_through": [message]}
            errors.setdefault("requirements", {})["certificate"] = where if place is None else {place: where}
        ids: list[str] = []
        for index, lot in enumerate(data.get("lots", [])):
            if lot["id"] in ids:
                errors.setdefault("lots", {})[index] = {"id": [f"lot {lot['id']} is listed twice"]}
            ids.append(lot["id"])
            dates = {key: lot.get(key) or data.get(key) for key in VALIDITY_BASES}
            merged = merged_requirements(data.get("requirements", {}), lot["requirements"])
            for _place, message in missing_dates(merged, dates):
                errors.setdefault("lots", {})[index] = {"requirements": {"certificate": [message]}}
        if errors:
            raise ValidationError(errors)

    @post_load
    def build(self, data: dict[str, Any], **_: Any) -> Tender:
        lots = []
        for lot in data["lots"]:
            dates = {key: lot.get(key) or data.get(key) for key in VALIDITY_BASES}
            merged = merged_requirements(data["requirements"], lot["requirements"])
            lots.append(
                Lot(
                    id=lot["id"],
                    title=lot["title"],
                    requirements=build_requirements(merged, dates),
                    closing_date=dates["closing_date"],
                    contract_end=dates["contract_end"],
                )
            )
        return Tender(
            id=data["id"],
            title=data["title"],
            closing_date=data["closing_date"],
            contract_end=data["contract_end"],
            requirements=build_requirements(data["requirements"], data),
            lots=tuple(lots),
            based_on=data["based_on"],
        )


__all__ = [
    "PERFORMANCE_MEASURES",
    "TenderSchema",
    "build_requirements",
    "certificate_requirement",
    "overlay",
    "sort_requirements",
]


__all__ = [
    "PERFORMANCE_MEASURES",
    "TenderSchema",
    "build_requirements",
    "certificate_requirement",
    "overlay",
    "sort_requirements",
]
