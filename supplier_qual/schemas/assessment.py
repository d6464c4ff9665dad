"""Schemas of what supplier_qual outputs: assessments, certificate results and eligibility (JSON)."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, fields

from ..model import Assessment, CertificateReport, CertificateResult, OutcomeResult, Provenance, ScopeOfSupply


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


class LimitSchema(Schema):
    cap = fields.String()
    kind = fields.String()
    reason = fields.String()
    outcome = fields.String()
    source = fields.String()
    value = fields.Float(allow_none=True)
    threshold = fields.Float(allow_none=True)


class ScopeOfSupplySchema(Schema):
    description = fields.String()
    iaf_codes = fields.List(fields.Integer())
    nace = fields.List(fields.String())
    sites = fields.List(fields.String())
    keywords = fields.List(fields.String())
    source = fields.String()


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
    aspect = fields.String()
    verdict = fields.String(allow_none=True)
    source = fields.String()
    advisory = fields.Boolean()
    red_flag = fields.Boolean()
    holds_until = fields.Date(allow_none=True)
    counterfeit = fields.Boolean()


class SiteOutSchema(Schema):
    city = fields.String()
    country = fields.String()
    address = fields.String()
    scope = fields.String()
    main = fields.Boolean()


def _chain(result: CertificateResult) -> dict[str, Any]:
    """The certification body → accreditation body → IAF MLA chain, and whether it holds."""
    from ..certificates import counted_failures

    broken = [c for c in counted_failures(result.checks) if c.aspect == "accreditation"]
    return {
        "certification_body": result.certificate.certification_body,
        "accreditation_body": result.certificate.accreditation_body,
        "accredited": not broken,
        "checks": [c.check for c in result.checks if c.aspect == "accreditation"],
    }


def _not_counted(result: CertificateResult) -> str | None:
    from ..certificates import why_not_counting

    return why_not_counting(result) or None


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
    scope_statement = fields.Function(lambda r: r.certificate.scope)
    iaf_codes = fields.Function(lambda r: list(r.certificate.iaf_codes))
    sites = fields.Function(lambda r: SiteOutSchema(many=True).dump(r.certificate.sites))
    scope = fields.String(allow_none=True)
    registry = fields.String(allow_none=True)
    accreditation_chain = fields.Function(_chain)
    red_flags = fields.Function(lambda r: [c.message for c in r.red_flags])
    valid_until = fields.Date(allow_none=True)
    standard_family = fields.Function(lambda r: r.family)
    counts = fields.Function(lambda r: r.counts)
    not_counted_because = fields.Function(_not_counted)
    declared = fields.Function(lambda r: r.certificate.declared)


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


def _certificates_valid_until(assessment: Assessment) -> str | None:
    """The first day on which some certificate's result may change: when to re-assess."""
    days = [r.valid_until for r in assessment.certificates if r.valid_until is not None]
    return min(days).isoformat() if days else None


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
    scope_of_supply = fields.Method("_scope")

    def _outcomes(self, assessment: Assessment) -> dict[str, Any]:
        schema = OutcomeSchema()
        return {oid: _dump(schema, result) for oid, result in assessment.outcomes.items()}

    def _scope(self, assessment: Assessment) -> dict[str, Any] | None:
        scope: ScopeOfSupply | None = assessment.scope_of_supply
        return None if scope is None else dict(ScopeOfSupplySchema().dump(scope))

    def _overall(self, assessment: Assessment) -> dict[str, Any]:
        decision = assessment.decision
        if decision is None:
            return {"score": None, "decision": None, "reasons": [], "knockouts": []}
        return {
            "score": decision.score,
            "decision": decision.decision,
            "reasons": list(decision.reasons),
            "knockouts": KnockoutSchema(many=True).dump(decision.knockouts),
            "certificates_valid_until": _certificates_valid_until(assessment),
            "limits": LimitSchema(many=True).dump(decision.limits),
            "not_checked": list(decision.not_checked),
            "thresholds": dict(decision.thresholds),
        }


def _dump(schema: Schema, result: OutcomeResult) -> dict[str, Any]:
    data: dict[str, Any] = schema.dump(result)
    return data


def assessment_to_dict(assessment: Assessment) -> dict[str, Any]:
    """The JSON-ready form of an assessment."""
    data: dict[str, Any] = AssessmentSchema().dump(assessment)
    return data


class CertificateReportSchema(Schema):
    """Certificates checked on their own, as ``supplier-qual verify --json`` prints them."""

    as_of = fields.Date()
    certificates = fields.List(fields.Nested(CertificateResultSchema))
    provenance = fields.Nested(ProvenanceSchema, allow_none=True)


def certificate_report_to_dict(report: CertificateReport) -> dict[str, Any]:
    """The JSON-ready form of a certificate report."""
    data: dict[str, Any] = CertificateReportSchema().dump(report)
    return data
