"""Results as JSON: plain dictionaries built directly, and their stable bytes.

This is the fast path of ``-f json``. The marshmallow schemas of
:mod:`supplier_qual.schemas.assessment` remain the documented shape of an
assessment (they generate the service's OpenAPI); :func:`assessment_to_plain`
builds the same dictionary without them, field for field and in the same order,
and the tests hold the two to the same bytes.

:func:`to_json` gives the bytes of today's form — two-space indent, keys in the
schema's order, UTF-8 kept as is, floats written as Python writes them, one
trailing newline — with orjson, falling back to :func:`json.dumps` wherever
orjson would write something else (numbers below 10⁻⁴, integers beyond 64 bits,
keys that are not text, text that is not valid Unicode).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from .model import (
    Assessment,
    CertificateCheck,
    CertificateReport,
    CertificateResult,
    CorrectiveAction,
    Evidence,
    Finding,
    Knockout,
    Limit,
    OutcomeResult,
    Provenance,
    ScopeOfSupply,
)

try:
    import orjson
except ImportError:  # pragma: no cover - orjson is a dependency; json.dumps gives the same bytes
    orjson = None  # type: ignore[assignment]

_PASSTHROUGH = (orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS) if orjson is not None else 0
_ORJSON_OPTIONS = (orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE | _PASSTHROUGH) if orjson is not None else 0
_DIGITS = frozenset(b"0123456789")


def _python_floats(encoded: bytes) -> bool:
    """Whether orjson wrote every float as Python's ``repr`` does: it differs only below 10⁻⁴, where it writes
    ``0.00001`` for ``1e-05`` and ``2.5e-7`` for ``2.5e-07`` (text that merely looks so only costs the slow path)."""
    if b"0.0000" in encoded:
        return False
    at = encoded.find(b"e-")
    while at > 0:
        if encoded[at - 1] in _DIGITS:
            return False
        at = encoded.find(b"e-", at + 2)
    return True


def to_json(data: Any) -> str:
    """Stable JSON: the same data always gives the same text (the form :func:`json.dumps` gives with ``indent=2``)."""
    encoded = _fast(data)
    return encoded.decode() if encoded is not None else json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def to_json_bytes(data: Any) -> bytes:
    """:func:`to_json` as UTF-8 bytes."""
    encoded = _fast(data)
    return encoded if encoded is not None else (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode()


def _fast(data: Any) -> bytes | None:
    """orjson's bytes when they are those :func:`json.dumps` would give, else ``None``."""
    if orjson is None:  # pragma: no cover
        return None
    try:
        encoded = orjson.dumps(data, default=_refuse, option=_ORJSON_OPTIONS)
    except TypeError:
        return None
    return encoded if _python_floats(encoded) else None


def canonical_json_bytes(data: Any) -> bytes | None:
    """``json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))`` as UTF-8, by orjson.

    Only for data of JSON's own types with finite numbers (orjson writes NaN as ``null``);
    ``None`` where orjson would write other bytes, or refuses.
    """
    if orjson is None:  # pragma: no cover
        return None
    try:
        encoded = orjson.dumps(data, default=_refuse, option=orjson.OPT_SORT_KEYS | _PASSTHROUGH)
    except TypeError:
        return None
    return encoded if _python_floats(encoded) else None


def _refuse(value: object) -> object:
    raise TypeError(f"{type(value).__name__} is not JSON")


def _text(value: Any) -> str | None:
    """A text field as marshmallow dumps it: ``None`` stays, anything else becomes text."""
    if value is None or value.__class__ is str:
        return value
    return value.decode() if isinstance(value, bytes) else str(value)


def _float(value: Any) -> float | None:
    return None if value is None else float(value)


def _day(value: Any) -> str | None:
    return None if value is None else value.isoformat()


def _finding(f: Finding) -> dict[str, Any]:
    return {
        "severity": _text(f.severity),
        "message": _text(f.message),
        "question": _text(f.question),
        "source": _text(f.source),
    }


def _knockout(k: Knockout) -> dict[str, Any]:
    return {
        "outcome": _text(k.outcome),
        "question": _text(k.question),
        "reason": _text(k.reason),
        "answer": _text(k.answer),
    }


def _limit(lim: Limit) -> dict[str, Any]:
    return {
        "cap": _text(lim.cap),
        "kind": _text(lim.kind),
        "reason": _text(lim.reason),
        "outcome": _text(lim.outcome),
        "source": _text(lim.source),
        "value": _float(lim.value),
        "threshold": _float(lim.threshold),
    }


def _evidence(e: Evidence) -> dict[str, Any]:
    return {
        "source": _text(e.source),
        "assurance": _text(e.assurance),
        "score": None if e.score is None else round(e.score, 1),
        "weight": _float(e.weight),
        "detail": None if e.detail is None else dict(e.detail),
    }


def _outcome(r: OutcomeResult) -> dict[str, Any]:
    return {
        "title": _text(r.title),
        "score": _float(r.score),
        "assurance": _text(r.assurance),
        "findings": None if r.findings is None else [_finding(f) for f in r.findings],
        "evidence": None if r.evidence is None else [_evidence(e) for e in r.evidence],
    }


def _check(c: CertificateCheck) -> dict[str, Any]:
    return {
        "check": _text(c.check),
        "passed": c.passed,
        "message": _text(c.message),
        "status": _text(c.status),
        "aspect": _text(c.aspect),
        "verdict": _text(c.verdict),
        "source": _text(c.source),
        "advisory": c.advisory,
        "red_flag": c.red_flag,
        "holds_until": _day(c.holds_until),
        "counterfeit": c.counterfeit,
    }


def certificate_result_to_plain(r: CertificateResult) -> dict[str, Any]:
    """One certificate's result as :class:`~supplier_qual.schemas.assessment.CertificateResultSchema` dumps it."""
    from .certificates import counted_failures, why_not_counting

    certificate = r.certificate
    checks = r.checks
    broken = [c for c in counted_failures(checks) if c.aspect == "accreditation"]
    return {
        "number": certificate.number,
        "standard": certificate.standard,
        "holder": certificate.holder,
        "certification_body": certificate.certification_body,
        "accreditation_body": certificate.accreditation_body,
        "issued": certificate.issued.isoformat() if certificate.issued else None,
        "expires": certificate.expires.isoformat() if certificate.expires else None,
        "status": _text(r.status),
        "verified_by": _text(r.verified_by),
        "checks": None if checks is None else [_check(c) for c in checks],
        "scope_statement": certificate.scope,
        "iaf_codes": list(certificate.iaf_codes),
        "sites": [
            {
                "city": _text(s.city),
                "country": _text(s.country),
                "address": _text(s.address),
                "scope": _text(s.scope),
                "main": s.main,
            }
            for s in certificate.sites
        ],
        "scope": _text(r.scope),
        "registry": _text(r.registry),
        "accreditation_chain": {
            "certification_body": certificate.certification_body,
            "accreditation_body": certificate.accreditation_body,
            "accredited": not broken,
            "checks": [c.check for c in checks if c.aspect == "accreditation"],
        },
        "red_flags": [c.message for c in r.red_flags],
        "valid_until": _day(r.valid_until),
        "standard_family": r.family,
        "counts": r.counts,
        "not_counted_because": why_not_counting(r) or None,
        "declared": certificate.declared,
    }


def _action(a: CorrectiveAction) -> dict[str, Any]:
    return {
        "outcome": _text(a.outcome),
        "severity": _text(a.severity),
        "question": _text(a.question),
        "finding": _text(a.finding),
        "action": _text(a.action),
        "due_days": None if a.due_days is None else int(a.due_days),
    }


def provenance_to_plain(p: Provenance | None) -> dict[str, Any] | None:
    """Provenance as :class:`~supplier_qual.schemas.assessment.ProvenanceSchema` dumps it."""
    if p is None:
        return None
    return {
        "engine_version": _text(p.engine_version),
        "plugins": [{"name": name, "version": version} for name, version in p.plugins],
        "input_sha256": _text(p.input_sha256),
        "questionnaire_sha256": _text(p.questionnaire_sha256),
        "policy": _text(p.policy),
        "policy_sha256": _text(p.policy_sha256),
    }


def _texts(values: Iterable[Any] | None) -> list[str | None] | None:
    return None if values is None else [_text(v) for v in values]


def _scope(scope: ScopeOfSupply | None) -> dict[str, Any] | None:
    if scope is None:
        return None
    return {
        "description": _text(scope.description),
        "iaf_codes": None if scope.iaf_codes is None else [int(c) for c in scope.iaf_codes],
        "nace": _texts(scope.nace),
        "sites": _texts(scope.sites),
        "keywords": _texts(scope.keywords),
        "source": _text(scope.source),
    }


def _overall(assessment: Assessment) -> dict[str, Any]:
    decision = assessment.decision
    if decision is None:
        return {"score": None, "decision": None, "reasons": [], "knockouts": []}
    days = [r.valid_until for r in assessment.certificates if r.valid_until is not None]
    return {
        "score": decision.score,
        "decision": decision.decision,
        "reasons": list(decision.reasons),
        "knockouts": [_knockout(k) for k in decision.knockouts],
        "certificates_valid_until": min(days).isoformat() if days else None,
        "limits": [_limit(lim) for lim in decision.limits],
        "not_checked": list(decision.not_checked),
        "thresholds": dict(decision.thresholds),
    }


def assessment_to_plain(assessment: Assessment) -> dict[str, Any]:
    """The JSON-ready form of an assessment, as :class:`~supplier_qual.schemas.assessment.AssessmentSchema` dumps it."""
    supplier = assessment.supplier
    ref = assessment.questionnaire
    return {
        "supplier": None
        if supplier is None
        else {
            "name": _text(supplier.name),
            "id": _text(supplier.id),
            "scheme": _text(supplier.scheme),
            "country": _text(supplier.country),
        },
        "questionnaire": None if ref is None else {"id": _text(ref.id), "version": _text(ref.version)},
        "as_of": _day(assessment.as_of),
        "outcomes": {oid: _outcome(result) for oid, result in assessment.outcomes.items()},
        "certificates": _results(assessment.certificates),
        "overall": _overall(assessment),
        "corrective_actions": None
        if assessment.corrective_actions is None
        else [_action(a) for a in assessment.corrective_actions],
        "provenance": provenance_to_plain(assessment.provenance),
        "scope_of_supply": _scope(assessment.scope_of_supply),
    }


def _results(results: Iterable[CertificateResult] | None) -> list[dict[str, Any]] | None:
    return None if results is None else [certificate_result_to_plain(r) for r in results]


def certificate_report_to_plain(report: CertificateReport) -> dict[str, Any]:
    """A certificate report as :class:`~supplier_qual.schemas.assessment.CertificateReportSchema` dumps it."""
    return {
        "as_of": _day(report.as_of),
        "certificates": _results(report.certificates),
        "provenance": provenance_to_plain(report.provenance),
    }
