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

import dataclasses
import datetime as dt
from typing import Any

from marshmallow import ValidationError, fields, post_load, validate, validates_schema

from ..certificates import iso9001_edition
from ..errors import TenderError
from ..limits import date_problem
from ..model import DECISIONS
from ..model.tender import Lot, Requirement, Tender
from ..outcomes import OUTCOME_IDS
from ..standards import standard_of
from .base import BaseSchema, Count, Number, Table, Text

_SCORE = validate.Range(0, 100, error="must be a score from 0 to 100")
_BASES = ("contract_end", "closing_date")
_BASIS_WORDS = {"contract_end": "the contract end ", "closing_date": "the closing date ", "date": ""}
_PCT = validate.Range(0, 100, error="must be a percentage from 0 to 100")
_AT_LEAST_0 = validate.Range(min=0, error="must be 0 or more")

PERFORMANCE_MEASURES: dict[str, tuple[str, str, validate.Validator]] = {
    "on_time_delivery_pct": ("on-time delivery", "%", _PCT),
    "defect_ppm": ("defect rate", " ppm", validate.Range(0, 1_000_000, error="must be from 0 to 1,000,000 ppm")),
    "lot_rejection_pct": ("lots rejected", "%", _PCT),
    "complaints_closed_pct": ("complaints closed", "%", _PCT),
    "complaints": ("complaints", "", _AT_LEAST_0),
    "corrective_actions_open": ("corrective actions open", "", _AT_LEAST_0),
    "corrective_actions_overdue": ("corrective actions overdue", "", _AT_LEAST_0),
    "deliveries": ("deliveries measured", "", _AT_LEAST_0),
}
"""Performance thresholds a tender may set, as ``min_<measure>`` or ``max_<measure>``: words, unit, range."""

_KIND_ORDER = ("certificate", "knockouts_passed", "min_overall", "min_outcome", "decision_at_least", "performance")


class Day(fields.Field):  # type: ignore[type-arg]
    """A date: YAML gives one already, JSON a ``YYYY-MM-DD`` string."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> dt.date:
        return _day(value)


class ValidThrough(fields.Field):  # type: ignore[type-arg]
    """``contract_end``, ``closing_date`` or a date."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str | dt.date:
        if isinstance(value, str) and value.strip() in _BASES:
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


class _One(list):  # type: ignore[type-arg]
    """A certificate requirement given on its own, not in a list (so errors point at it, not at ``[0]``)."""


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
        families = [_family(spec["standard"]) for spec in found]
        doubled = sorted({f for f in families if families.count(f) > 1})
        if doubled:
            raise ValidationError(f"{', '.join(doubled)} is asked for twice")
        return found if isinstance(value, list) else _One(found)


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
        for place, message in _missing_dates(data.get("requirements", {}), data):
            where = {"valid_through": [message]}
            errors.setdefault("requirements", {})["certificate"] = where if place is None else {place: where}
        ids: list[str] = []
        for index, lot in enumerate(data.get("lots", [])):
            if lot["id"] in ids:
                errors.setdefault("lots", {})[index] = {"id": [f"lot {lot['id']} is listed twice"]}
            ids.append(lot["id"])
            dates = {key: lot.get(key) or data.get(key) for key in _BASES}
            merged = _merge(data.get("requirements", {}), lot["requirements"])
            for _place, message in _missing_dates(merged, dates):
                errors.setdefault("lots", {})[index] = {"requirements": {"certificate": [message]}}
        if errors:
            raise ValidationError(errors)

    @post_load
    def build(self, data: dict[str, Any], **_: Any) -> Tender:
        lots = []
        for lot in data["lots"]:
            dates = {key: lot.get(key) or data.get(key) for key in _BASES}
            merged = _merge(data["requirements"], lot["requirements"])
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


def _family(standard: str) -> str:
    found = standard_of(standard)
    return found.family if found else "ISO 9001"


def _missing_dates(found: dict[str, Any], dates: dict[str, Any]) -> list[tuple[Any, str]]:
    """Each certificate whose ``valid_through`` names a date the tender lacks: where to report it, and why."""
    specs = found.get("certificate", [])
    missing: list[tuple[Any, str]] = []
    for index, spec in enumerate(specs):
        if spec["valid_through"] in _BASES and dates.get(spec["valid_through"]) is None:
            message = f"the tender gives no {spec['valid_through']} to be valid through"
            place: Any = None if isinstance(specs, _One) else index
            missing.append((place, message))
    return missing


def _merge(tender: dict[str, Any], lot: dict[str, Any]) -> dict[str, Any]:
    """The tender's requirements as a lot changes them: certificates by standard, outcomes by outcome."""
    merged = {**tender, **lot}
    if "certificate" in tender and "certificate" in lot:
        by_family = {_family(spec["standard"]): spec for spec in tender["certificate"]}
        by_family.update({_family(spec["standard"]): spec for spec in lot["certificate"]})
        merged["certificate"] = list(by_family.values())
    if "min_outcome" in tender and "min_outcome" in lot:
        merged["min_outcome"] = {**tender["min_outcome"], **lot["min_outcome"]}
    return merged


def build_requirements(found: dict[str, Any], dates: dict[str, Any]) -> tuple[Requirement, ...]:
    """The requirements in a fixed order: certificates, knockouts, scores, decision, performance, ages."""
    requirements = [certificate_requirement(spec, dates) for spec in found.get("certificate", [])]
    if found.get("knockouts_passed"):
        requirements.append(Requirement("knockouts_passed", {}, "no knockout question failed", "knockouts_passed"))
    if "min_overall" in found:
        score = found["min_overall"]
        requirements.append(
            Requirement("min_overall", {"score": score}, f"overall score at least {score:g}", "min_overall")
        )
    for oid in OUTCOME_IDS:
        if oid in found.get("min_outcome", {}):
            score = found["min_outcome"][oid]
            label = f"outcome {oid} at least {score:g}"
            requirements.append(
                Requirement("min_outcome", {"outcome": oid, "score": score}, label, f"min_outcome:{oid}")
            )
    if "decision_at_least" in found:
        decision = found["decision_at_least"]
        label = f"decision at least {decision.replace('_', ' ')}"
        requirements.append(Requirement("decision_at_least", {"decision": decision}, label, "decision_at_least"))
    for measure, (words, unit, _) in PERFORMANCE_MEASURES.items():
        for bound, word in (("min", "at least"), ("max", "at most")):
            key = f"{bound}_{measure}"
            if key in found:
                value = found[key]
                params = {"measure": measure, "bound": bound, "value": value}
                requirements.append(Requirement("performance", params, f"{words} {word} {value:g}{unit}", key))
    for of in ("submission", "assessment"):
        key = f"max_{of}_age_days"
        if key in found:
            days = found[key]
            label = f"{of} at most {days} days old"
            requirements.append(Requirement("max_age", {"of": of, "days": days}, label, key))
    return tuple(requirements)


def certificate_requirement(
    spec: dict[str, Any], dates: dict[str, Any], *, criterion: object = None, origin: str = ""
) -> Requirement:
    """A certificate requirement from its specification, its ``valid_through`` resolved against ``dates``."""
    basis = spec.get("valid_through")
    through: dt.date | None
    if basis is None:
        through, words = None, "valid on the evaluation date"
    elif isinstance(basis, str):
        through = dates.get(basis)
        words = f"valid through {_BASIS_WORDS[basis]}{through.isoformat() if through else ''}"
    else:
        through, basis = basis, "date"
        words = f"valid through {through.isoformat()}"
    codes = tuple(sorted(set(spec.get("iaf_codes", ()))))
    accredited = bool(spec.get("accredited", True))
    standard = str(spec.get("standard") or "ISO 9001:2015")
    parts = [f"{standard} certificate"]
    if accredited:
        parts.append("accredited")
    if codes:
        parts.append("covering IAF " + ", ".join(str(c) for c in codes))
    parts.append(words)
    params: dict[str, object] = {
        "standard": standard,
        "accredited": accredited,
        "iaf_codes": codes,
        "valid_through": through,
        "valid_through_basis": basis,
    }
    if criterion is not None:
        params["criterion"] = criterion
    return Requirement("certificate", params, ", ".join(parts), f"certificate:{_family(standard)}", origin)


def sort_requirements(requirements: list[Requirement]) -> tuple[Requirement, ...]:
    """Requirements in the report's order of kinds; criteria and other kinds after, as given."""
    order = {kind: index for index, kind in enumerate(_KIND_ORDER)}
    return tuple(sorted(requirements, key=lambda r: order.get(r.kind, len(order))))


def overlay(base: Tender, extra: Tender) -> Tender:
    """``base`` (read from a tender system) with the requirements of a tender file ``based_on`` it added.

    The file's dates, id and title win where it gives them; its requirements replace
    the base's of the same key and add the rest, for the tender and each lot; its
    certificates' ``valid_through`` is resolved against the lot's or tender's dates.
    """
    closing = extra.closing_date or base.closing_date
    end = extra.contract_end or base.contract_end

    def combined(
        base_reqs: tuple[Requirement, ...], extra_reqs: tuple[Requirement, ...], dates: dict[str, Any]
    ) -> tuple[Requirement, ...]:
        found = {r.key or r.label: r for r in base_reqs}
        for requirement in extra_reqs:
            found[requirement.key or requirement.label] = _resolved(requirement, dates)
        return sort_requirements(list(found.values()))

    extra_lots = {lot.id: lot for lot in extra.lots}
    lots = []
    for lot in base.lots or extra.lots:
        own = extra_lots.get(lot.id)
        dates = {
            "closing_date": lot.closing_date or closing,
            "contract_end": (own.contract_end if own else None) or lot.contract_end or end,
        }
        start = lot.requirements if base.lots else base.requirements
        lots.append(
            dataclasses.replace(
                lot,
                requirements=combined(start, own.requirements if own else extra.requirements, dates),
                closing_date=dates["closing_date"],
                contract_end=dates["contract_end"],
            )
        )
    dates = {"closing_date": closing, "contract_end": end}
    return dataclasses.replace(
        base,
        id=extra.id or base.id,
        title=extra.title or base.title,
        closing_date=closing,
        contract_end=end,
        requirements=combined(base.requirements, extra.requirements, dates),
        lots=tuple(lots),
        based_on=extra.based_on,
    )


def _resolved(requirement: Requirement, dates: dict[str, Any]) -> Requirement:
    if requirement.kind != "certificate":
        return requirement
    params = requirement.params
    basis = params.get("valid_through_basis")
    spec = {
        "standard": params["standard"],
        "accredited": params["accredited"],
        "iaf_codes": params["iaf_codes"],
        "valid_through": basis if basis in _BASES else params.get("valid_through"),
    }
    if basis in _BASES and dates.get(str(basis)) is None:
        raise TenderError(f"the tender gives no {basis} to be valid through (requirement {requirement.label!r})")
    return certificate_requirement(spec, dates, criterion=params.get("criterion"), origin=requirement.origin)
