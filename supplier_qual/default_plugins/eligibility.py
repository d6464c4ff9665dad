"""Tender requirements judged for one bidder: met, not met, or cannot tell — and why.

- ``certificate``: met when some certificate to the standard is valid as of the
  evaluation date (accreditation is part of validity; with ``accredited: false`` an
  unaccredited certificate that fails nothing else also counts), is to the required
  edition when one is named ("EN ISO 9001:2015" and "ISO 9001:2015/Amd 1:2024" are
  ISO 9001:2015), lists every required IAF code, and expires no earlier than the
  date it must be valid through. A certificate that lists no IAF codes cannot
  confirm them. A certificate the bidder only *declared* (an ESPD "yes", a "yes"
  to a tender system's quality-assurance criterion) cannot tell until a document
  or a registry confirms it; a declaration that it cannot produce one is not met,
  unless it explains why and offers other means of proof, which the tender
  officer must weigh (Directive 2014/24/EU, Art. 62(2)). A bid with no evidence at
  all cannot tell.
- ``min_overall``, ``min_outcome``: the score reaches the minimum; ``decision_at_least``:
  the decision ranks at least as high (not qualified < conditional < qualified);
  ``knockouts_passed``: no knockout question answered worst. A bid whose
  questionnaire was not answered cannot tell.
- ``performance``: the buyer's measurement (on-time delivery, defect ppm, lots
  rejected …) within the threshold; no measurement cannot tell.
- ``max_age``: the bid (its ESPD or bid date) or the assessment no older than the
  days allowed, counted back from the closing date (else the evaluation date).
- ``criterion``: a tender system's criterion, judged on the bidder's responses
  (see :mod:`supplier_qual.criteria`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from ..certificates import STATUS_WORDS, counted_failures, iso9001_edition, settle
from ..criteria import judge_criterion, responded
from ..hookspecs import hookimpl
from ..model import DECISIONS, Assessment, CertificateResult, Performance, RequirementResult
from ..standards import same_standard, standard_of
from ..tender import CANNOT_TELL, MET, NOT_MET, Bid, Criterion, Requirement, Tender

_BASIS_WORDS = {"contract_end": "the contract end ", "closing_date": "the closing date ", "date": ""}
_NOT_ASSESSED = "no questionnaire answers to assess"


@hookimpl(trylast=True)
def check_requirement(
    requirement: Requirement, assessment: Assessment, tender: Tender, bid: Bid | None = None
) -> RequirementResult | None:
    params = requirement.params
    kind = requirement.kind
    if kind == "certificate":
        state, reason = _certificate(params, assessment, bid)
    elif kind == "criterion":
        criterion = params["criterion"]
        if not isinstance(criterion, Criterion):
            return None
        state, reason = judge_criterion(criterion, bid.responses if bid else {})
        reason = _sentence(reason)
    elif kind == "min_overall":
        if assessment.decision is None:
            state, reason = CANNOT_TELL, _no_assessment("overall score", bid)
        else:
            state, reason = _at_least("Overall score is", assessment.decision.score, _number(params["score"]))
    elif kind == "min_outcome":
        oid = str(params["outcome"])
        result = assessment.outcomes.get(oid)
        if result is None:
            state, reason = CANNOT_TELL, _no_assessment(f"outcome {oid} score", bid)
        else:
            what = f"Outcome {oid} ({result.title})"
            state, reason = _at_least(f"{what} scores", result.score, _number(params["score"]))
    elif kind == "decision_at_least":
        state, reason = _decision(assessment, str(params["decision"]), bid)
    elif kind == "knockouts_passed":
        state, reason = _knockouts(assessment, bid)
    elif kind == "performance":
        state, reason = _performance(params, assessment.performance)
    elif kind == "max_age":
        state, reason = _age(params, assessment, tender, bid)
    else:
        return None
    return RequirementResult(requirement.label, state == MET, reason, state)


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:] if text else text


def _no_assessment(what: str, bid: Bid | None) -> str:
    has = "only declarations" if bid is not None and (bid.certificates or bid.responses) else "no submission"
    return f"Cannot tell the {what}: {_NOT_ASSESSED} (the bid holds {has})"


def _at_least(what: str, score: float, minimum: float) -> tuple[str, str]:
    if score >= minimum:
        return MET, f"{what} {score:.1f}, at least the {minimum:g} required"
    return NOT_MET, f"{what} {score:.1f}, below the {minimum:g} required"


def _number(value: object) -> float:
    return float(value) if isinstance(value, int | float) else 0.0


def _decision(assessment: Assessment, wanted: str, bid: Bid | None) -> tuple[str, str]:
    if assessment.decision is None:
        return CANNOT_TELL, _no_assessment("qualification decision", bid)
    rank = {name: index for index, name in enumerate(DECISIONS)}
    decision = assessment.decision.decision
    words = decision.replace("_", " ")
    if rank.get(decision, -1) >= rank[wanted]:
        return MET, f"Qualification decision is {words}, at least the {wanted.replace('_', ' ')} required"
    why = f": {assessment.decision.reasons[0]}" if assessment.decision.reasons else ""
    return NOT_MET, f"Qualification decision is {words}, below the {wanted.replace('_', ' ')} required{why}"


def _knockouts(assessment: Assessment, bid: Bid | None) -> tuple[str, str]:
    if not assessment.outcomes:
        return CANNOT_TELL, _no_assessment("knockout questions", bid)
    failed = assessment.knockouts
    if failed:
        listed = "; ".join(f"{k.question} (outcome {k.outcome}): {k.reason}" for k in failed)
        return NOT_MET, f"Knockout question failed: {listed}"
    return MET, "No knockout question was answered worst"


def _performance(params: Mapping[str, object], performance: Performance | None) -> tuple[str, str]:
    from ..schemas.tender import PERFORMANCE_MEASURES  # marshmallow: imported by the tenders that ask for measures

    measure, bound, limit = str(params["measure"]), str(params["bound"]), _number(params["value"])
    words, unit, _ = PERFORMANCE_MEASURES[measure]
    if performance is None:
        return CANNOT_TELL, f"Cannot tell the {words}: no performance data for this supplier"
    value = _measure(performance, measure)
    if value is None:
        return CANNOT_TELL, f"Cannot tell the {words}: the performance data gives no figure for it"
    over = f" over {performance.period_months} months"
    sample = f" ({performance.deliveries} deliveries)" if performance.deliveries else ""
    shown = f"{_words(words)} is {value:.1f}{unit}" if unit == "%" else f"{_words(words)} is {value:g}{unit}"
    ok = value >= limit if bound == "min" else value <= limit
    if ok:
        return MET, f"{shown}{over}{sample}, within the {bound}imum of {limit:g}{unit}"
    side = "below the minimum" if bound == "min" else "above the maximum"
    return NOT_MET, f"{shown}{over}{sample}, {side} of {limit:g}{unit}"


def _words(words: str) -> str:
    return words[:1].upper() + words[1:]


def _measure(performance: Performance, measure: str) -> float | None:
    if measure == "lot_rejection_pct":
        received, rejected = performance.lots_received, performance.lots_rejected
        return None if not received or rejected is None else 100.0 * rejected / received
    if measure == "complaints_closed_pct":
        complaints, closed = performance.complaints, performance.complaints_closed
        if complaints == 0:
            return 100.0
        return None if not complaints or closed is None else 100.0 * closed / complaints
    value = getattr(performance, measure, None)
    return float(value) if isinstance(value, int | float) else None


def _age(params: Mapping[str, object], assessment: Assessment, tender: Tender, bid: Bid | None) -> tuple[str, str]:
    of, days = str(params["of"]), int(_number(params["days"]))
    reference, at = (tender.closing_date, "the closing date") if tender.closing_date else (assessment.as_of, "")
    at = at or "the evaluation date"
    if of == "assessment":
        dated: dt.date | None = assessment.as_of
        what = "assessment"
    else:
        dated = bid.date if bid is not None else None
        what = "bid"
        if dated is None:
            return CANNOT_TELL, "Cannot tell the bid's age: it carries no date (an ESPD issue date or a bid date)"
    if dated is None:  # pragma: no cover - an assessment always has its date
        return CANNOT_TELL, f"Cannot tell the {what}'s age"
    if of == "assessment" and (bid is None or bid.assessment is None) and dated == assessment.as_of:
        reference, at = assessment.as_of, "the evaluation date"
    age = (reference - dated).days
    if age <= days:
        return MET, f"The {what} is dated {dated.isoformat()}, {max(age, 0)} days before {at}, within {days}"
    return NOT_MET, f"The {what} is dated {dated.isoformat()}, {age} days before {at}, more than the {days} allowed"


# -- certificates -----------------------------------------------------------------------------------------------


def _certificate(params: Mapping[str, object], assessment: Assessment, bid: Bid | None) -> tuple[str, str]:
    standard = str(params["standard"])
    accredited = bool(params["accredited"])
    listed = params["iaf_codes"]
    codes = tuple(c for c in listed if isinstance(c, int)) if isinstance(listed, tuple | list) else ()
    through = params["valid_through"] if isinstance(params["valid_through"], dt.date) else None
    basis = str(params.get("valid_through_basis") or "date")
    shortfalls, declared = [], []
    documented = 0
    for result in assessment.certificates:
        if not _family_matches(result.certificate.standard, standard):
            if _is_9001(standard) or standard_of(result.certificate.standard) is not None:
                shortfalls.append(f"{result.certificate.number or '(no number)'} is to {result.certificate.standard}")
            continue
        if result.certificate.declared and not result.verified_by:
            declared.append(result)
            continue
        shortfall = _shortfall(result, standard, accredited, codes, through)
        if shortfall is None:
            return MET, _met(result, codes, through, assessment.as_of)
        shortfalls.append(shortfall)
        documented += 1
    wanted = "valid, accredited" if accredited else "valid"
    covering = f" covering IAF {_codes(codes)}" if codes else ""
    when = f"valid through {_BASIS_WORDS.get(basis, '')}{through.isoformat()}" if through else "valid"
    head = f"No {wanted} {standard} certificate{covering} is {when}"
    others = f"; {'; '.join(shortfalls)}" if shortfalls else ""
    if declared:
        shown = "; ".join(_declared_words(r) for r in declared)
        return CANNOT_TELL, (
            f"{standard} certificate declared, unverified: {shown}. No certificate document or registry confirms "
            f"it yet{others}"
        )
    # A certificate presented outranks what the bid merely declares about one.
    declaration = _declaration(params, bid, standard) if not documented else None
    if declaration is not None:
        holds, said = declaration
        if holds:
            return CANNOT_TELL, f"{standard} certificate declared, unverified: {said}{others}"
        if said:
            return CANNOT_TELL, (
                f"The bidder declares it cannot produce {_a(standard)} certificate and offers instead: {said!r}; "
                f"weigh this other evidence of equivalent measures (Directive 2014/24/EU, Art. 62(2)){others}"
            )
        return NOT_MET, f"The bidder declares it cannot produce {_a(standard)} certificate{others}"
    if bid is not None and bid.submission is None and bid.assessment is None and not assessment.certificates:
        return CANNOT_TELL, f"Cannot tell: no evidence of a {standard} certificate (no submission for this bidder)"
    why = "; ".join(shortfalls) if shortfalls else "no certificate presented"
    return NOT_MET, f"{head}: {why}"


def _a(word: str) -> str:
    return f"{'an' if word[:1].upper() in 'AEIOU' else 'a'} {word}"


def _declaration(params: Mapping[str, object], bid: Bid | None, standard: str) -> tuple[bool, str] | None:
    """What the bid itself declares about such a certificate: (holds, what it says), or ``None``."""
    if bid is None:
        return None
    for declaration in bid.declarations:
        if _family_matches(declaration.standard, standard):
            where = f" ({declaration.source})" if declaration.source else ""
            if declaration.holds:
                return True, f"the bidder says it can produce one{where}"
            return False, declaration.explanation
    criterion = params.get("criterion")
    if isinstance(criterion, Criterion) and responded(criterion, bid.responses):
        state, reason = judge_criterion(criterion, bid.responses)
        if state == MET:
            return True, f"the bidder's answer: {reason}"
        if state == NOT_MET:
            return False, ""
    return None


def _declared_words(result: CertificateResult) -> str:
    cert = result.certificate
    parts = [f"document {cert.number}" if cert.number else "no document number"]
    if cert.certification_body:
        parts.append(f"issued by {cert.certification_body}")
    if cert.evidence_url:
        parts.append(f"at {cert.evidence_url}")
    return ", ".join(parts)


def _is_9001(standard: str) -> bool:
    found = standard_of(standard)
    return iso9001_edition(standard) is not None or (found is not None and found.family == "ISO 9001")


def _family_matches(held: str, required: str) -> bool:
    if _is_9001(required):
        return _is_9001(held)
    have, want = standard_of(held), standard_of(required)
    return have is not None and want is not None and have.family == want.family


def _shortfall(
    result: CertificateResult, standard: str, accredited: bool, codes: tuple[int, ...], through: dt.date | None
) -> str | None:
    """Why this certificate does not meet the requirement, or ``None`` when it does."""
    cert = result.certificate
    number = cert.number or "(no number)"
    if not _acceptable(result, accredited):
        return f"{number} is {STATUS_WORDS.get(result.status, result.status)}"
    # Accreditation was judged above, as the requirement asks; the rest of what stops a certificate counting stands.
    distrust = [
        c.message.removeprefix("red flag: ")
        for c in (*result.counterfeit, *result.untrusted)
        if c.aspect != "accreditation"
    ]
    if distrust:
        return f"{number} cannot be relied on: {'; '.join(dict.fromkeys(distrust))}"
    if _is_9001(standard):
        wanted = iso9001_edition(standard)
        if wanted is not None and iso9001_edition(cert.standard) != wanted:
            return f"{number} is to {cert.standard}"
    elif not same_standard(cert.standard, standard):
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
    body = f"accredited by {cert.accreditation_body}" if result.status == "valid" else "not accredited"
    if not _is_9001(cert.standard) and cert.accreditation_body:
        checks = [c for c in result.checks if c.check != "standard"]
        body = f"accredited by {cert.accreditation_body}" if settle(cert, checks).valid else "not accredited"
    until = through or as_of
    covers = f" and covers IAF {_codes(codes)}" if codes else ""
    verified = f", confirmed by {result.verified_by}" if result.verified_by else ""
    return f"Certificate {cert.number} ({cert.standard}, {body}{verified}) is valid through {until.isoformat()}{covers}"


def _codes(codes: tuple[int, ...]) -> str:
    return ", ".join(str(c) for c in codes)
