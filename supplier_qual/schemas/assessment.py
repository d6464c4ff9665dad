"""Schemas of what supplier_qual outputs: assessments and certificate results (JSON)."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, fields

from ..model import Assessment, CertificateResult, OutcomeResult, Provenance


class SupplierOutSchema(Schema):
    name = fields.String()
    id = fields.String()
    scheme = fields.String()
    country = fields.String()


class QuestionnaireRefOutSchema(Schema):
    id = fields.String()
    version = fields.String()


class FindingSchema(Schema):
    severity = fields.String()
    message = fields.String()
    question = fields.String()
    source = fields.String()


class KnockoutSchema(Schema):
    outcome = fields.String()
    question = fields.String()
    reason = fields.String()
    answer = fields.String()


class EvidenceSchema(Schema):
    source = fields.String()
    assurance = fields.String()
    score = fields.Method("_score")
    weight = fields.Float()
    detail = fields.Dict()

    def _score(self, evidence: Any) -> float | None:
        return None if evidence.score is None else round(evidence.score, 1)


class OutcomeSchema(Schema):
    title = fields.String()
    score = fields.Float()
    assurance = fields.String()
    findings = fields.List(fields.Nested(FindingSchema))
    evidence = fields.List(fields.Nested(EvidenceSchema))


class CheckSchema(Schema):
    check = fields.String()
    passed = fields.Boolean()
    message = fields.String()
    status = fields.String(allow_none=True)


class CertificateResultSchema(Schema):
    """One certificate with its status and every check behind it."""

    number = fields.Function(lambda r: r.certificate.number)
    standard = fields.Function(lambda r: r.certificate.standard)
    holder = fields.Function(lambda r: r.certificate.holder)
    certification_body = fields.Function(lambda r: r.certificate.certification_body)
    accreditation_body = fields.Function(lambda r: r.certificate.accreditation_body)
    issued = fields.Function(lambda r: r.certificate.issued.isoformat() if r.certificate.issued else None)
    expires = fields.Function(lambda r: r.certificate.expires.isoformat() if r.certificate.expires else None)
    status = fields.String()
    verified_by = fields.String(allow_none=True)
    checks = fields.List(fields.Nested(CheckSchema))


class CorrectiveActionSchema(Schema):
    outcome = fields.String()
    severity = fields.String()
    question = fields.String()
    finding = fields.String()
    action = fields.String()
    due_days = fields.Integer()


class ProvenanceSchema(Schema):
    engine_version = fields.String()
    plugins = fields.Method("_plugins")
    input_sha256 = fields.String()
    questionnaire_sha256 = fields.String()
    policy = fields.String()
    policy_sha256 = fields.String()

    def _plugins(self, provenance: Provenance) -> list[dict[str, str]]:
        return [{"name": name, "version": version} for name, version in provenance.plugins]


class AssessmentSchema(Schema):
    """An assessment as ``assess -f json`` prints it (see the README's "Assessment" section)."""

    supplier = fields.Nested(SupplierOutSchema)
    questionnaire = fields.Nested(QuestionnaireRefOutSchema)
    as_of = fields.Date()
    outcomes = fields.Method("_outcomes")
    certificates = fields.List(fields.Nested(CertificateResultSchema))
    overall = fields.Method("_overall")
    corrective_actions = fields.List(fields.Nested(CorrectiveActionSchema))
    provenance = fields.Nested(ProvenanceSchema)

    def _outcomes(self, assessment: Assessment) -> dict[str, Any]:
        schema = OutcomeSchema()
        return {oid: _dump(schema, result) for oid, result in assessment.outcomes.items()}

    def _overall(self, assessment: Assessment) -> dict[str, Any]:
        decision = assessment.decision
        if decision is None:
            return {"score": None, "decision": None, "reasons": [], "knockouts": []}
        return {
            "score": decision.score,
            "decision": decision.decision,
            "reasons": list(decision.reasons),
            "knockouts": KnockoutSchema(many=True).dump(decision.knockouts),
        }


def _dump(schema: Schema, result: OutcomeResult) -> dict[str, Any]:
    data: dict[str, Any] = schema.dump(result)
    return data


def assessment_to_dict(assessment: Assessment) -> dict[str, Any]:
    """The JSON-ready form of an assessment."""
    data: dict[str, Any] = AssessmentSchema().dump(assessment)
    return data


def certificates_to_list(results: list[CertificateResult] | tuple[CertificateResult, ...]) -> list[dict[str, Any]]:
    """The JSON-ready form of checked certificates."""
    data: list[dict[str, Any]] = CertificateResultSchema(many=True).dump(results)
    return data
