"""From a tender file's loaded data to its requirements: lots merged with the tender's, dates resolved, kinds ordered.

:class:`~supplier_qual.schemas.tender.TenderSchema` validates a tender file and
calls :func:`build_requirements`; the tender-system readers (ESPD, OCDS) build
their certificate requirements with :func:`certificate_requirement`, and a tender
file ``based_on`` a tender-system file is laid over it by :func:`overlay`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from marshmallow import validate

from ..errors import TenderError
from ..model.tender import Requirement, Tender
from ..outcomes import OUTCOME_IDS
from ..standards import standard_of

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
VALIDITY_BASES = ("contract_end", "closing_date")
BASIS_WORDS = {"contract_end": "the contract end ", "closing_date": "the closing date ", "date": ""}
KIND_ORDER = ("certificate", "knockouts_passed", "min_overall", "min_outcome", "decision_at_least", "performance")


class SingleRequirement(list):  # type: ignore[type-arg]
    """A certificate requirement given on its own, not in a list (so errors point at it, not at ``[0]``)."""


def standard_family(standard: str) -> str:
    found = standard_of(standard)
    return found.family if found else "ISO 9001"


def missing_dates(found: dict[str, Any], dates: dict[str, Any]) -> list[tuple[Any, str]]:
    """Each certificate whose ``valid_through`` names a date the tender lacks: where to report it, and why."""
    specs = found.get("certificate", [])
    missing: list[tuple[Any, str]] = []
    for index, spec in enumerate(specs):
        if spec["valid_through"] in VALIDITY_BASES and dates.get(spec["valid_through"]) is None:
            message = f"the tender gives no {spec['valid_through']} to be valid through"
            place: Any = None if isinstance(specs, SingleRequirement) else index
            missing.append((place, message))
    return missing


def merged_requirements(tender: dict[str, Any], lot: dict[str, Any]) -> dict[str, Any]:
    """The tender's requirements as a lot changes them: certificates by standard, outcomes by outcome."""
    merged = {**tender, **lot}
    if "certificate" in tender and "certificate" in lot:
        by_family = {standard_family(spec["standard"]): spec for spec in tender["certificate"]}
        by_family.update({standard_family(spec["standard"]): spec for spec in lot["certificate"]})
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
        words = f"valid through {BASIS_WORDS[basis]}{through.isoformat() if through else ''}"
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
    return Requirement("certificate", params, ", ".join(parts), f"certificate:{standard_family(standard)}", origin)


def sort_requirements(requirements: list[Requirement]) -> tuple[Requirement, ...]:
    """Requirements in the report's order of kinds; criteria and other kinds after, as given."""
    order = {kind: index for index, kind in enumerate(KIND_ORDER)}
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
        "valid_through": basis if basis in VALIDITY_BASES else params.get("valid_through"),
    }
    if basis in VALIDITY_BASES and dates.get(str(basis)) is None:
        raise TenderError(f"the tender gives no {basis} to be valid through (requirement {requirement.label!r})")
    return certificate_requirement(spec, dates, criterion=params.get("criterion"), origin=requirement.origin)
