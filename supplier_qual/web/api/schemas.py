"""The marshmallow schemas that validate requests and describe responses; the OpenAPI document is made from them."""

from __future__ import annotations

from typing import Any

from marshmallow import EXCLUDE, Schema, ValidationError, fields, validate, validates_schema

from ...model import DECISIONS
from ...outcomes import OUTCOME_IDS
from ..auth import ROLES

SUPPLIER_ID = validate.Regexp(
    r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$",
    error="must be 1 to 64 letters, digits, '.', '_', ':' or '-', starting with a letter or digit",
)


class NonBlank(fields.String):
    """Text with surrounding whitespace removed that must not end up empty."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        text = str(super()._deserialize(value, attr, data, **kwargs)).strip()
        if not text:
            raise ValidationError("must not be blank")
        return text


class ErrorItemSchema(Schema):
    location = fields.String(required=True, metadata={"description": "JSON path, query.NAME, header.NAME or a cell"})
    message = fields.String(required=True)


class ErrorSchema(Schema):
    errors = fields.List(fields.Nested(ErrorItemSchema), required=True)


class SupplierCreateSchema(Schema):
    id = fields.String(required=True, validate=SUPPLIER_ID, metadata={"example": "GB-COH-04567123"})
    name = NonBlank(required=True, validate=validate.Length(max=300))
    country = fields.String(load_default="", validate=validate.Length(max=64))
    contact = fields.String(load_default="", validate=validate.Length(max=200))
    email = fields.Email(load_default="", validate=validate.Length(max=320))
    notes = fields.String(load_default="", validate=validate.Length(max=5000))


class SupplierPatchSchema(Schema):
    name = NonBlank(validate=validate.Length(max=300))
    country = fields.String(validate=validate.Length(max=64))
    contact = fields.String(validate=validate.Length(max=200))
    email = fields.Email(validate=validate.Length(max=320))
    notes = fields.String(validate=validate.Length(max=5000))

    @validates_schema
    def something(self, data: dict[str, Any], **_: Any) -> None:
        if not data:
            raise ValidationError("give at least one of name, country, contact, email, notes")


class LatestSchema(Schema):
    assessment_id = fields.Integer(required=True)
    decision = fields.String(required=True, metadata={"description": "the override's decision if any, else computed"})
    computed_decision = fields.String(required=True)
    overridden = fields.Boolean(required=True)
    overall_score = fields.Float(required=True)
    as_of = fields.Date(required=True)
    assessed_at = fields.DateTime(required=True)


class SupplierSchema(Schema):
    id = fields.String(required=True)
    name = fields.String(required=True)
    country = fields.String(required=True)
    contact = fields.String(required=True)
    email = fields.String(required=True)
    notes = fields.String(required=True)
    created_at = fields.DateTime(required=True)
    updated_at = fields.DateTime(required=True)
    latest_assessment = fields.Nested(LatestSchema, allow_none=True, required=True)


class QueryArgsSchema(Schema):
    """Query parameters: one this operation does not know is ignored, as caches and proxies expect."""

    class Meta:
        unknown = EXCLUDE


class PageArgsSchema(QueryArgsSchema):
    limit = fields.Integer(load_default=50, validate=validate.Range(1, 200))
    cursor = fields.String(load_default=None, validate=validate.Length(max=200))


class SupplierListArgsSchema(PageArgsSchema):
    decision = fields.String(validate=validate.OneOf(DECISIONS), metadata={"description": "effective decision"})
    outcome = fields.String(validate=validate.OneOf(OUTCOME_IDS), metadata={"description": "with below: this outcome"})
    below = fields.Float(
        validate=validate.Range(0, 100), metadata={"description": "an outcome (or the one named) scores below this"}
    )
    expiring_within = fields.Integer(
        validate=validate.Range(0, 3650), metadata={"description": "a certificate expires within N days (or has)"}
    )
    q = fields.String(validate=validate.Length(max=200), metadata={"description": "text in the name or id"})


class SupplierPageSchema(Schema):
    items = fields.List(fields.Nested(SupplierSchema), required=True)
    next_cursor = fields.String(allow_none=True, required=True)


class SubmissionInfoSchema(Schema):
    id = fields.Integer(required=True)
    filename = fields.String(required=True)
    media_type = fields.String(required=True)
    file_sha256 = fields.String(required=True)
    questionnaire_id = fields.String(required=True)
    questionnaire_version = fields.String(required=True)
    uploaded_at = fields.DateTime(required=True)


class OverrideSchema(Schema):
    id = fields.Integer(required=True)
    assessment_id = fields.Integer(required=True)
    decision = fields.String(required=True)
    computed_decision = fields.String(required=True)
    reason = fields.String(required=True)
    by = fields.String(required=True)
    created_at = fields.DateTime(required=True)


class OverrideCreateSchema(Schema):
    decision = fields.String(required=True, validate=validate.OneOf(DECISIONS))
    reason = NonBlank(required=True, validate=validate.Length(min=3, max=4000))


class AssessmentSchema(Schema):
    id = fields.Integer(required=True)
    supplier_id = fields.String(required=True)
    trigger = fields.String(
        required=True, metadata={"description": "upload, performance (new buyer data) or reassess (policy re-run)"}
    )
    as_of = fields.Date(required=True)
    created_at = fields.DateTime(required=True)
    decision = fields.String(required=True, metadata={"description": "the latest override's decision, else computed"})
    computed_decision = fields.String(required=True)
    overall_score = fields.Float(required=True)
    overrides = fields.List(fields.Nested(OverrideSchema), required=True)
    submission = fields.Nested(SubmissionInfoSchema, required=True)
    performance_id = fields.Integer(allow_none=True, required=True)
    policy = fields.String(required=True)
    result_sha256 = fields.String(required=True)
    assessment = fields.Dict(
        required=True, metadata={"description": "the assessment exactly as `supplier-qual assess -f json` prints it"}
    )


class AssessmentPageSchema(Schema):
    items = fields.List(fields.Nested(AssessmentSchema), required=True)
    next_cursor = fields.String(allow_none=True, required=True)


class FormatArgsSchema(QueryArgsSchema):
    format = fields.String(load_default="json", validate=validate.OneOf(("json", "text", "xlsx")))


class ChangeSchema(Schema):
    before = fields.Raw(allow_none=True, required=True, metadata={"type": ["string", "number", "null"]})
    after = fields.Raw(allow_none=True, required=True, metadata={"type": ["string", "number", "null"]})


class OutcomeChangeSchema(Schema):
    outcome = fields.String(required=True)
    score = fields.Nested(ChangeSchema, required=True)
    assurance = fields.Nested(ChangeSchema, required=True)


class CertificateChangeSchema(Schema):
    number = fields.String(required=True)
    status = fields.Nested(ChangeSchema, required=True)


class FindingSchema(Schema):
    outcome = fields.String(required=True)
    severity = fields.String(required=True)
    message = fields.String(required=True)


class DiffSchema(Schema):
    supplier_id = fields.String(required=True)
    before = fields.Integer(required=True, metadata={"description": "assessment id"})
    after = fields.Integer(required=True, metadata={"description": "assessment id"})
    changed = fields.Boolean(required=True)
    decision = fields.Nested(ChangeSchema, required=True)
    computed_decision = fields.Nested(ChangeSchema, required=True)
    overall_score = fields.Nested(ChangeSchema, required=True)
    as_of = fields.Nested(ChangeSchema, required=True)
    outcomes = fields.List(fields.Nested(OutcomeChangeSchema), required=True)
    certificates_added = fields.List(fields.String(), required=True)
    certificates_removed = fields.List(fields.String(), required=True)
    certificates_changed = fields.List(fields.Nested(CertificateChangeSchema), required=True)
    findings_added = fields.List(fields.Nested(FindingSchema), required=True)
    findings_removed = fields.List(fields.Nested(FindingSchema), required=True)


class PerformanceResultSchema(Schema):
    performance_id = fields.Integer(required=True)
    supplier_id = fields.String(required=True)
    performance = fields.Dict(required=True)
    assessment = fields.Nested(AssessmentSchema, allow_none=True, required=True)


class EligibilityCreateSchema(Schema):
    suppliers = fields.List(
        fields.String(validate=SUPPLIER_ID),
        load_default=list,
        validate=validate.Length(0, 200),
        metadata={"description": "bidders by their id in the register (a tender system's own bidders come too)"},
    )
    as_of = fields.Date(load_default=None, metadata={"description": "evaluation date; default today"})
    lot = fields.String(load_default=None, validate=validate.Length(1, 100), metadata={"description": "one lot only"})


class EligibilityRunSchema(Schema):
    id = fields.Integer(required=True)
    tender_id = fields.String(required=True)
    as_of = fields.Date(required=True)
    created_at = fields.DateTime(required=True)
    result = fields.Dict(required=True, metadata={"description": "as `supplier-qual eligibility -f json` prints it"})


class LotSchema(Schema):
    id = fields.String(required=True)
    title = fields.String(required=True)
    requirements = fields.List(fields.String(), required=True)


class TenderSchema(Schema):
    id = fields.String(required=True)
    title = fields.String(required=True)
    closing_date = fields.Date(allow_none=True, required=True)
    contract_end = fields.Date(allow_none=True, required=True)
    requirements = fields.List(fields.String(), required=True)
    lots = fields.List(fields.Nested(LotSchema), required=True)
    filename = fields.String(required=True)
    file_sha256 = fields.String(required=True)
    created_at = fields.DateTime(required=True)
    eligibility = fields.List(fields.Nested(EligibilityRunSchema), required=True)


class TenderSummarySchema(Schema):
    id = fields.String(required=True)
    title = fields.String(required=True)
    closing_date = fields.Date(allow_none=True, required=True)
    contract_end = fields.Date(allow_none=True, required=True)
    created_at = fields.DateTime(required=True)


class TenderPageSchema(Schema):
    items = fields.List(fields.Nested(TenderSummarySchema), required=True)
    next_cursor = fields.String(allow_none=True, required=True)


class ExpiringArgsSchema(QueryArgsSchema):
    days = fields.Integer(load_default=90, validate=validate.Range(0, 3650))


class DueSchema(Schema):
    date = fields.Date(required=True)
    in_days = fields.Integer(required=True)
    event = fields.String(required=True, metadata={"description": "expires, expired or surveillance due"})
    supplier_id = fields.String(required=True)
    supplier = fields.String(required=True)
    number = fields.String(required=True)
    standard = fields.String(required=True)
    holder = fields.String(required=True)
    certification_body = fields.String(required=True)
    expires = fields.Date(allow_none=True, required=True)
    assessment_id = fields.Integer(required=True)


class ExpiringSchema(Schema):
    as_of = fields.Date(required=True)
    days = fields.Integer(required=True)
    until = fields.Date(required=True)
    due = fields.List(fields.Nested(DueSchema), required=True)
    expired = fields.List(
        fields.Nested(DueSchema), required=True, metadata={"description": "certificates already expired: to replace"}
    )


class AuditArgsSchema(PageArgsSchema):
    action = fields.String(validate=validate.Length(max=60))
    supplier_id = fields.String(validate=validate.Length(max=64))


class AuditEntrySchema(Schema):
    id = fields.Integer(required=True)
    at = fields.DateTime(required=True)
    action = fields.String(required=True)
    subject_type = fields.String(required=True)
    subject_id = fields.String(required=True)
    supplier_id = fields.String(allow_none=True, required=True)
    actor = fields.String(required=True)
    role = fields.String(required=True)
    account_id = fields.Integer(allow_none=True, required=True)
    token_id = fields.Integer(allow_none=True, required=True)
    remote_addr = fields.String(required=True)
    request_id = fields.String(required=True)
    detail = fields.Dict(required=True)


class AuditPageSchema(Schema):
    items = fields.List(fields.Nested(AuditEntrySchema), required=True)
    next_cursor = fields.String(allow_none=True, required=True)


class TokenCreateSchema(Schema):
    role = fields.String(required=True, validate=validate.OneOf(ROLES))
    supplier_id = fields.String(load_default=None, allow_none=True, validate=SUPPLIER_ID)
    name = fields.String(load_default="", validate=validate.Length(max=200))
    expires_days = fields.Integer(load_default=None, allow_none=True, validate=validate.Range(1, 3650))


class TokenSchema(Schema):
    id = fields.Integer(required=True)
    name = fields.String(required=True)
    prefix = fields.String(required=True)
    role = fields.String(required=True)
    supplier_id = fields.String(allow_none=True, required=True)
    state = fields.String(required=True, metadata={"description": "active, expired or revoked"})
    created_at = fields.DateTime(required=True)
    expires_at = fields.DateTime(allow_none=True, required=True)
    revoked_at = fields.DateTime(allow_none=True, required=True)
    last_used_at = fields.DateTime(allow_none=True, required=True)


class TokenCreatedSchema(TokenSchema):
    token = fields.String(required=True, metadata={"description": "shown this once; only its digest is stored"})


class HealthSchema(Schema):
    status = fields.String(required=True)


class ReadySchema(Schema):
    status = fields.String(required=True)
    database = fields.String(required=True)
    revision = fields.String(allow_none=True, required=True)
    head = fields.String(required=True)
