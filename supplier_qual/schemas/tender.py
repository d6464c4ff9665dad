"""Schema of a tender's requirements file (YAML or JSON).

The file's layout (see the README's "Tender requirements" section)::

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

``valid_through`` is ``contract_end``, ``closing_date`` or a date (YYYY-MM-DD);
left out, the certificate must be valid on the evaluation date.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from marshmallow import ValidationError, fields, post_load, validate, validates_schema

from ..certificates import iso9001_edition
from ..errors import TenderError
from ..limits import date_problem
from ..model import DECISIONS
from ..outcomes import OUTCOME_IDS
from ..tender import Requirement, Tender
from .base import BaseSchema, Count, Number, Table, Text

_SCORE = validate.Range(0, 100, error="must be a score from 0 to 100")
_BASES = ("contract_end", "closing_date")
_BASIS_WORDS = {"contract_end": "the contract end ", "closing_date": "the closing date ", "date": ""}


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


def _iso9001(text: str) -> None:
    if iso9001_edition(text) is None:
        raise ValidationError("must name an ISO 9001 edition (e.g. ISO 9001:2015)")


class CertificateRequirementSchema(BaseSchema):
    standard = Text(load_default="ISO 9001:2015", validate=_iso9001)
    accredited = fields.Boolean(load_default=True)
    iaf_codes = fields.List(
        Count(validate=validate.Range(1, 39, error="IAF sector codes run from 1 to 39")), load_default=list
    )
    valid_through = ValidThrough(load_default=None, allow_none=True)


class RequirementsSchema(BaseSchema):
    certificate = fields.Nested(CertificateRequirementSchema)
    min_overall = Number(validate=_SCORE)
    min_outcome = Table(
        keys=fields.String(validate=validate.OneOf(OUTCOME_IDS, error="must be one of the outcomes A to I")),
        values=Number(validate=_SCORE),
    )
    decision_at_least = Text(validate=validate.OneOf(DECISIONS, error="must be one of {choices}"))


class TenderSchema(BaseSchema):
    """A tender: who issues it, its dates and the requirements a bid must meet."""

    error_class = TenderError

    id = Text(required=True, validate=validate.Length(min=1))
    title = Text(load_default="")
    closing_date = Day(load_default=None, allow_none=True)
    contract_end = Day(load_default=None, allow_none=True)
    requirements = fields.Nested(RequirementsSchema, required=True)

    @validates_schema
    def dates_exist(self, data: dict[str, Any], **_: Any) -> None:
        basis = data.get("requirements", {}).get("certificate", {}).get("valid_through")
        if basis in _BASES and data.get(basis) is None:
            message = f"the tender gives no {basis} to be valid through"
            raise ValidationError({"requirements": {"certificate": {"valid_through": [message]}}})

    @post_load
    def build(self, data: dict[str, Any], **_: Any) -> Tender:
        return Tender(
            id=data["id"],
            title=data["title"],
            closing_date=data["closing_date"],
            contract_end=data["contract_end"],
            requirements=_requirements(data["requirements"], data),
        )


def _requirements(found: dict[str, Any], tender: dict[str, Any]) -> tuple[Requirement, ...]:
    """The requirements in a fixed order: certificate, overall score, outcomes A–I, decision."""
    requirements = []
    if "certificate" in found:
        requirements.append(_certificate(found["certificate"], tender))
    if "min_overall" in found:
        score = found["min_overall"]
        requirements.append(Requirement("min_overall", {"score": score}, f"overall score at least {score:g}"))
    for oid in OUTCOME_IDS:
        if oid in found.get("min_outcome", {}):
            score = found["min_outcome"][oid]
            label = f"outcome {oid} at least {score:g}"
            requirements.append(Requirement("min_outcome", {"outcome": oid, "score": score}, label))
    if "decision_at_least" in found:
        decision = found["decision_at_least"]
        requirements.append(Requirement("decision_at_least", {"decision": decision}, f"decision at least {decision}"))
    return tuple(requirements)


def _certificate(found: dict[str, Any], tender: dict[str, Any]) -> Requirement:
    basis = found["valid_through"]
    through: dt.date | None
    if basis is None:
        through, words = None, "valid on the evaluation date"
    elif isinstance(basis, str):
        through = tender[basis]
        words = f"valid through {_BASIS_WORDS[basis]}{through.isoformat() if through else ''}"
    else:
        through, basis = basis, "date"
        words = f"valid through {through.isoformat()}"
    codes = tuple(sorted(set(found["iaf_codes"])))
    parts = [f"{found['standard']} certificate"]
    if found["accredited"]:
        parts.append("accredited")
    if codes:
        parts.append("covering IAF " + ", ".join(str(c) for c in codes))
    parts.append(words)
    params = {
        "standard": found["standard"],
        "accredited": found["accredited"],
        "iaf_codes": codes,
        "valid_through": through,
        "valid_through_basis": basis,
    }
    return Requirement("certificate", params, ", ".join(parts))
