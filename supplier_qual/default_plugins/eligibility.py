"""Tender requirements judged for one bidder: certificate, scores and decision.

- ``certificate``: met when some certificate is valid as of the evaluation date
  (accreditation is part of validity; with ``accredited: false`` an unaccredited
  certificate that fails nothing else also counts), is to the required ISO 9001
  edition ("EN ISO 9001:2015" and "ISO 9001:2015/Amd 1:2024" are ISO 9001:2015),
  lists every required IAF code, and expires no earlier than the date it must be
  valid through. A certificate that lists no IAF codes cannot confirm them.
- ``min_overall`` and ``min_outcome``: the overall or the outcome's score reaches
  the minimum.
- ``decision_at_least``: the decision ranks at least as high, in the order
  not qualified < conditional < qualified.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from ..certificates import STATUS_WORDS, counted_failures, iso9001_edition
from ..hookspecs import hookimpl
from ..model import DECISIONS, Assessment, CertificateResult, RequirementResult
from ..tender import Requirement, Tender

_BASIS_WORDS = {"contract_end": "the contract end ", "closing_date": "the closing date ", "date": ""}


@hookimpl(trylast=True)
def check_requirement(requirement: Requirement, assessment: Assessment, tender: Tender) -> RequirementResult | None:
    params = requirement.params
    if requirement.kind == "certificate":
        met, reason = _certificate(params, assessment)
    elif requirement.kind == "min_overall":
        score = assessment.decision.score if assessment.decision else 0.0
        met, reason = _at_least("Overall score is", score, _number(params["score"]))
    elif requirement.kind == "min_outcome":
        oid = str(params["outcome"])
        result = assessment.outcomes.get(oid)
        what = f"Outcome {oid} ({result.title})" if result else f"Outcome {oid}"
        met, reason = _at_least(f"{what} scores", result.score if result else 0.0, _number(params["score"]))
    elif requirement.kind == "decision_at_least":
        met, reason = _decision(assessment, str(params["decision"]))
    else:
        return None
    return RequirementResult(requirement.label, met, reason)


def _at_least(what: str, score: float, minimum: float) -> tuple[bool, str]:
    if score >= minimum:
        return True, f"{what} {score:.1f}, at least the {minimum:g} required"
    return False, f"{what} {score:.1f}, below the {minimum:g} required"


def _number(value: object) -> float:
    return float(value) if isinstance(value, int | float) else 0.0


def _decision(assessment: Assessment, wanted: str) -> tuple[bool, str]:
    rank = {name: index for index, name in enumerate(DECISIONS)}
    decision = assessment.decision.decision if assessment.decision else "not_qualified"
    words = decision.replace("_", " ")
    if rank.get(decision, -1) >= rank[wanted]:
        return True, f"Qualification decision is {words}, at least the {wanted.replace('_', ' ')} required"
    why = f": {assessment.decision.reasons[0]}" if assessment.decision and assessment.decision.reasons else ""
    return False, f"Qualification decision is {words}, below the {wanted.replace('_', ' ')} required{why}"


def _certificate(params: Mapping[str, object], assessment: Assessment) -> tuple[bool, str]:
    standard = str(params["standard"])
    accredited = bool(params["accredited"])
    listed = params["iaf_codes"]
    codes = tuple(c for c in listed if isinstance(c, int)) if isinstance(listed, tuple | list) else ()
    through = params["valid_through"] if isinstance(params["valid_through"], dt.date) else None
    basis = str(params.get("valid_through_basis") or "date")
    shortfalls = []
    for result in assessment.certificates:
        shortfall = _shortfall(result, standard, accredited, codes, through)
        if shortfall is None:
            return True, _met(result, codes, through, assessment.as_of)
        shortfalls.append(shortfall)
    wanted = "valid, accredited" if accredited else "valid"
    covering = f" covering IAF {_codes(codes)}" if codes else ""
    when = f"valid through {_BASIS_WORDS.get(basis, '')}{through.isoformat()}" if through else "valid"
    why = "; ".join(shortfalls) if shortfalls else "no certificate presented"
    return False, f"No {wanted} {standard} certificate{covering} is {when}: {why}"


def _shortfall(
    result: CertificateResult, standard: str, accredited: bool, codes: tuple[int, ...], through: dt.date | None
) -> str | None:
    """Why this certificate does not meet the requirement, or ``None`` when it does."""
    cert = result.certificate
    number = cert.number or "(no number)"
    if not _acceptable(result, accredited):
        return f"{number} is {STATUS_WORDS.get(result.status, result.status)}"
    if iso9001_edition(cert.standard) != iso9001_edition(standard):
        return f"{number} is to {cert.standard}"
    if codes and not cert.iaf_codes:
        return f"{number} lists no IAF codes, so coverage of IAF {_codes(codes)} could not be confirmed"
    missing = [c for c in codes if c not in cert.iaf_codes]
    if missing:
        return f"{number} covers IAF {_codes(cert.iaf_codes)}, not {_codes(tuple(missing))}"
    if through is not None and (cert.expires is None or cert.expires < through):
        return f"{number} expires {cert.expires.isoformat() if cert.expires else '(no expiry date)'}"
    return None


def _acceptable(result: CertificateResult, accredited: bool) -> bool:
    if result.valid:
        return True
    if accredited or result.status != "unaccredited":
        return False
    return all(check.aspect == "accreditation" for check in counted_failures(result.checks))


def _met(result: CertificateResult, codes: tuple[int, ...], through: dt.date | None, as_of: dt.date) -> str:
    cert = result.certificate
    body = f"accredited by {cert.accreditation_body}" if result.valid else "not accredited"
    until = through or as_of
    covers = f" and covers IAF {_codes(codes)}" if codes else ""
    return f"Certificate {cert.number} ({cert.standard}, {body}) is valid through {until.isoformat()}{covers}"


def _codes(codes: tuple[int, ...]) -> str:
    return ", ".join(str(c) for c in codes)
