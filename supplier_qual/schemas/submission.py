"""Schemas of a submission: supplier, answers, certificates and performance data."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from marshmallow import ValidationError, fields, post_load, pre_load, validate, validates_schema

from ..errors import SubmissionError
from ..model import (
    Answer,
    Certificate,
    Performance,
    QuestionnaireRef,
    ScopeOfSupply,
    Site,
    Submission,
    Supplier,
)
from .base import NACE_CODE, BaseSchema, Count, Day, Number, Table, Text

CERTIFICATE_STATUSES_DECLARED = ("", "active", "valid", "suspended", "withdrawn", "expired", "cancelled", "inactive")
_ANSWER_KEYS = ("value", "evidence", "comment")
_ANSWER_KEYSET = frozenset(_ANSWER_KEYS)


class SupplierSchema(BaseSchema):
    name = Text(
        required=True,
        allow_none=False,
        validate=validate.Length(min=1, error="the supplier's name is required"),
        error_messages={"null": "the supplier's name is required"},
    )
    id = Text()
    scheme = Text()
    country = Text()
    contact = Text()
    email = Text()

    @post_load
    def make(self, data: dict[str, Any], **_: Any) -> Supplier:
        return Supplier(**data)


class QuestionnaireRefSchema(BaseSchema):
    id = Text(required=True, validate=validate.Length(min=1))
    version = Text(required=True, validate=validate.Length(min=1))

    @post_load
    def make(self, data: dict[str, Any], **_: Any) -> QuestionnaireRef:
        return QuestionnaireRef(**data)


class AnswersField(fields.Field[dict[str, Answer]]):
    """``{"A1": {"value": "yes", "evidence": "QM-01", "comment": ""}, "A2": "no", …}``.

    An answer is an object with ``value``, ``evidence`` and ``comment``, or just its
    value. Values stay as given (text, number or null); the questionnaire decides
    later whether they are acceptable for their question.
    """

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> dict[str, Answer]:
        if not isinstance(value, Mapping):
            raise ValidationError("expected an object of answers keyed by question id")
        answers: dict[str, Answer] = {}
        errors: dict[str, Any] = {}
        for key, raw in value.items():
            qid = str(key).strip()
            try:
                answers[qid] = _answer(raw)
            except ValidationError as exc:
                errors[qid] = exc.messages
        if errors:
            raise ValidationError(errors)
        return answers


def _answer(raw: Any) -> Answer:
    if not isinstance(raw, Mapping):
        return Answer(_value(raw))
    value, evidence, comment = raw.get("value"), raw.get("evidence", ""), raw.get("comment", "")
    if (
        len(raw) <= len(_ANSWER_KEYS)
        and isinstance(value, str)
        and isinstance(evidence, str)
        and isinstance(comment, str)
        and raw.keys() <= _ANSWER_KEYSET
    ):
        return Answer(value.strip(), evidence.strip(), comment.strip())
    errors: dict[str, list[str]] = {
        str(k): ["unknown field (not part of the format)"] for k in raw if k not in _ANSWER_KEYS
    }
    texts: dict[str, str] = {}
    for key in ("evidence", "comment"):
        text = raw.get(key)
        if text is None:
            texts[key] = ""
        elif isinstance(text, str):
            texts[key] = text.strip()
        else:
            errors[key] = ["expected text"]
    try:
        value = _value(raw.get("value"))
    except ValidationError as exc:
        errors["value"] = [str(m) for m in exc.messages] if isinstance(exc.messages, list) else [str(exc.messages)]
        value = None
    if errors:
        raise ValidationError(errors)
    return Answer(value, texts["evidence"], texts["comment"])


def _value(raw: Any) -> str | float | None:
    if raw is None or isinstance(raw, str):
        return raw.strip() if isinstance(raw, str) else None
    if isinstance(raw, bool):
        raise ValidationError("expected text or a number, found true/false")
    if isinstance(raw, int | float):
        try:
            return float(raw)
        except OverflowError:
            raise ValidationError("too large a number") from None
    raise ValidationError(f"expected text or a number, found {type(raw).__name__}")


class SiteSchema(BaseSchema):
    """A certified site: ``{"city": "Leeds", "country": "GB", "address": "...", "scope": "...", "main": true}``."""

    city = Text()
    country = Text()
    address = Text()
    scope = Text()
    main = fields.Boolean(load_default=False)
    name = Text()

    @validates_schema
    def located(self, data: dict[str, Any], **_: Any) -> None:
        if not (data.get("city") or data.get("country") or data.get("address")):
            raise ValidationError("a site needs a city, a country or an address")

    @post_load
    def make(self, data: dict[str, Any], **_: Any) -> Site:
        return Site(**data)


class CertificateSchema(BaseSchema):
    standard = Text(required=True, validate=validate.Length(min=1, error="the standard is required"))
    number = Text()
    holder = Text()
    certification_body = Text()
    accreditation_body = Text()
    scope = Text()
    iaf_codes = fields.List(
        Count(validate=validate.Range(1, 39, error="IAF sector codes run from 1 to 39")), load_default=list
    )
    issued = Day(load_default=None, allow_none=True)
    expires = Day(load_default=None, allow_none=True)
    status = Text(
        validate=validate.OneOf(
            CERTIFICATE_STATUSES_DECLARED, error="must be one of active, suspended, withdrawn, expired (or empty)"
        )
    )
    country = Text()
    sites = fields.List(fields.Nested(SiteSchema), load_default=list)
    original_issued = Day(load_default=None, allow_none=True)
    last_surveillance = Day(load_default=None, allow_none=True)
    consultant = Text()
    registry_id = Text()
    holder_id = Text()
    evidence_url = Text()
    declared = fields.Boolean(load_default=False)

    @post_load
    def make(self, data: dict[str, Any], **_: Any) -> Certificate:
        data["iaf_codes"] = tuple(sorted(set(data["iaf_codes"])))
        data["sites"] = tuple(data["sites"])
        return Certificate(**data)

    @pre_load
    def lower_status(self, data: Any, **_: Any) -> Any:
        if isinstance(data, Mapping) and isinstance(data.get("status"), str):
            return {**data, "status": data["status"].strip().lower()}
        return data


_PCT = validate.Range(0, 100, error="must be a percentage from 0 to 100")
_NON_NEGATIVE = validate.Range(min=0, error="must be 0 or more")


class PerformanceSchema(BaseSchema):
    period_months = Count(load_default=12, validate=validate.Range(1, 120, error="must be 1 to 120 months"))
    deliveries = Count(load_default=None, allow_none=True)
    on_time_delivery_pct = Number(load_default=None, allow_none=True, validate=_PCT)
    defect_ppm = Number(
        load_default=None,
        allow_none=True,
        validate=validate.Range(0, 1_000_000, error="must be from 0 to 1,000,000 ppm"),
    )
    lots_received = Count(load_default=None, allow_none=True)
    lots_rejected = Count(load_default=None, allow_none=True)
    complaints = Count(load_default=None, allow_none=True)
    complaints_closed = Count(load_default=None, allow_none=True)
    corrective_actions_open = Count(load_default=None, allow_none=True)
    corrective_actions_overdue = Count(load_default=None, allow_none=True)
    previous_on_time_delivery_pct = Number(load_default=None, allow_none=True, validate=_PCT)
    previous_defect_ppm = Number(load_default=None, allow_none=True, validate=_NON_NEGATIVE)
    extra = Table(keys=fields.String(), values=Number(), load_default=dict)
    period_end = fields.Date(load_default=None, allow_none=True)

    @validates_schema(skip_on_field_errors=False)
    def consistent(self, data: dict[str, Any], **_: Any) -> None:
        pairs = (
            ("lots_rejected", "lots_received", "more lots rejected than received"),
            ("complaints_closed", "complaints", "more complaints closed than received"),
            ("corrective_actions_overdue", "corrective_actions_open", "more corrective actions overdue than open"),
        )
        errors = {
            part: [message]
            for part, whole, message in pairs
            if data.get(part) is not None and data.get(whole) is not None and data[part] > data[whole]
        }
        if errors:
            raise ValidationError(errors)

    @post_load
    def make(self, data: dict[str, Any], **_: Any) -> Performance:
        return Performance(**data)


class ScopeOfSupplySchema(BaseSchema):
    """What is supplied: ``{"description", "iaf_codes", "nace", "sites"}``, every part optional."""

    description = Text()
    iaf_codes = fields.List(
        Count(validate=validate.Range(1, 39, error="IAF sector codes run from 1 to 39")), load_default=list
    )
    nace = fields.List(Text(validate=NACE_CODE), load_default=list)
    sites = fields.List(Text(validate=validate.Length(min=1)), load_default=list)

    @post_load
    def make(self, data: dict[str, Any], **_: Any) -> ScopeOfSupply:
        return ScopeOfSupply(
            description=data.get("description", ""),
            iaf_codes=tuple(sorted(set(data["iaf_codes"]))),
            nace=tuple(data["nace"]),
            sites=tuple(data["sites"]),
            source="submission",
        )


class SubmissionSchema(BaseSchema):
    """A supplier's submission as JSON (see the README's "Submission" section)."""

    error_class = SubmissionError

    supplier = fields.Nested(SupplierSchema, required=True)
    questionnaire = fields.Nested(QuestionnaireRefSchema, load_default=None)
    answers = AnswersField(load_default=dict)
    certificates = fields.List(fields.Nested(CertificateSchema), load_default=list)
    performance = fields.Nested(PerformanceSchema, load_default=None, allow_none=True)
    scope_of_supply = fields.Nested(ScopeOfSupplySchema, load_default=None, allow_none=True)

    @post_load
    def make(self, data: dict[str, Any], **_: Any) -> dict[str, Any]:
        # The questionnaire reference may be absent; the reader resolves it, so the
        # schema returns the parts rather than a Submission.
        data["certificates"] = tuple(data["certificates"])
        return data


def build_submission(parts: dict[str, Any], questionnaire: QuestionnaireRef, *, source: str, sha256: str) -> Submission:
    """A :class:`Submission` from :class:`SubmissionSchema` output and the resolved questionnaire."""
    scope: ScopeOfSupply | None = parts.get("scope_of_supply")
    return Submission(
        supplier=parts["supplier"],
        questionnaire=questionnaire,
        answers=parts["answers"],
        certificates=parts["certificates"],
        performance=parts["performance"],
        scope_of_supply=scope if scope is not None and scope.stated else None,
        source=source,
        sha256=sha256,
    )
