"""The requirements model of tender systems: a criterion is met by any one group, a group by all its requirements.

This is the logic of the OCDS requirements extension (CCCEV), which ProZorro and
ESPD follow too. A bidder's answer to a requirement (its *response*) meets it when
it equals the expected value, or falls within the minimum and maximum; a
requirement with no expectation is met by any answer. A requirement nobody
answered cannot be told; so a group is ``not_met`` when one of its requirements is
not met, ``cannot_tell`` when none fails but one is unanswered, and a criterion is
``met`` when some group is met, ``not_met`` when every group fails.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from typing import Any

from .standards import iaf_codes_in, standards_in
from .tender import CANNOT_TELL, MET, NOT_MET, Criterion, CriterionGroup, CriterionRequirement, Requirement

_TRUE = {"true", "yes", "1", "так", "y"}
_FALSE = {"false", "no", "0", "ні", "n"}


def judge_requirement(requirement: CriterionRequirement, responses: Mapping[str, object]) -> tuple[str, str]:
    """The state of one requirement given the bidder's responses, and a phrase saying why."""
    title = requirement.title or requirement.id
    if requirement.id not in responses or responses[requirement.id] is None:
        return CANNOT_TELL, f"no answer to {title!r}"
    value = responses[requirement.id]
    shown = _show(value)
    if requirement.data_type == "boolean" or isinstance(requirement.expected, bool):
        answer = as_bool(value)
        if answer is None:
            return NOT_MET, f"{title!r} answered {shown}, not yes or no"
        wanted = True if requirement.expected is None else as_bool(requirement.expected)
        if wanted is None:
            return CANNOT_TELL, f"{title!r} answered {shown}; the tender's expected value cannot be read"
        state = MET if answer == wanted else NOT_MET
        return state, f"{title!r} answered {'yes' if answer else 'no'}" + ("" if state == MET else ", not as required")
    if (
        requirement.data_type in ("number", "integer")
        or requirement.minimum is not None
        or requirement.maximum is not None
    ):
        number = _number(value)
        if number is None:
            return NOT_MET, f"{title!r} answered {shown}, not a number"
        expected = _number(requirement.expected) if requirement.expected is not None else None
        if expected is not None and number != expected:
            return NOT_MET, f"{title!r} answered {number:g}, not the {expected:g} required"
        if requirement.minimum is not None and number < requirement.minimum:
            return NOT_MET, f"{title!r} answered {number:g}, below the minimum {requirement.minimum:g}"
        if requirement.maximum is not None and number > requirement.maximum:
            return NOT_MET, f"{title!r} answered {number:g}, above the maximum {requirement.maximum:g}"
        return MET, f"{title!r} answered {number:g}"
    if (
        requirement.expected is not None
        and str(value).strip().casefold() != str(requirement.expected).strip().casefold()
    ):
        return NOT_MET, f"{title!r} answered {shown}, not {_show(requirement.expected)}"
    return MET, f"{title!r} answered {shown}"


def judge_group(group: CriterionGroup, responses: Mapping[str, object]) -> tuple[str, list[str]]:
    """A group's state (all its requirements must be met) and each requirement's phrase."""
    states, phrases = [], []
    for requirement in group.requirements:
        state, phrase = judge_requirement(requirement, responses)
        states.append(state)
        phrases.append(phrase)
    if NOT_MET in states:
        return NOT_MET, [p for s, p in zip(states, phrases, strict=True) if s == NOT_MET]
    if CANNOT_TELL in states:
        return CANNOT_TELL, [p for s, p in zip(states, phrases, strict=True) if s == CANNOT_TELL]
    return MET, phrases


def judge_criterion(criterion: Criterion, responses: Mapping[str, object]) -> tuple[str, str]:
    """A criterion's state (any one group met is enough) and a reason fit for the evaluation report."""
    if not criterion.groups:
        return CANNOT_TELL, f"{criterion.title!r} states no requirement to answer"
    judged = [(group, *judge_group(group, responses)) for group in criterion.groups]
    for _group, state, phrases in judged:
        if state == MET:
            return MET, "; ".join(phrases)
    if all(state == NOT_MET for _g, state, _p in judged):
        reasons = sorted({p for _g, _s, phrases in judged for p in phrases})
        return NOT_MET, "; ".join(reasons)
    unanswered = [p for _g, state, phrases in judged if state == CANNOT_TELL for p in phrases]
    if all(p.startswith("no answer") for p in unanswered) and len(judged) > 1:
        return CANNOT_TELL, "no requirement group answered in full: " + "; ".join(sorted(set(unanswered)))
    return CANNOT_TELL, "; ".join(sorted(set(unanswered)))


def responded(criterion: Criterion, responses: Mapping[str, object]) -> bool:
    """Whether the bidder answered any requirement of the criterion."""
    return any(r.id in responses for group in criterion.groups for r in group.requirements)


def as_bool(value: object) -> bool | None:
    """``true``/``false`` as tender systems write them (booleans, ``"true"``, ``"yes"``, ``1``), else ``None``."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float) and value in (0, 1):
        return bool(value)
    if isinstance(value, str):
        text = value.strip().casefold()
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
    return None


def _number(value: object) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value) if math.isfinite(value) else None
    if isinstance(value, str):
        try:
            number = float(value.strip().replace(",", "."))
        except ValueError:
            return None
        return number if math.isfinite(number) else None
    return None


def _show(value: object) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value)
    return repr(text if len(text) <= 80 else text[:77] + "...")


def criterion_from_json(data: Mapping[str, Any]) -> Criterion:
    """A criterion as OCDS (requirements extension) and ProZorro write it in JSON.

    ``{id, title, description, classification: {id}, requirementGroups: [{id,
    description, requirements: [{id, title, dataType, expectedValue, minValue,
    maxValue, status}]}]}``; cancelled requirements are left out; the standard it
    names (in its title, description or requirements), if any, is kept.
    """
    groups = []
    for g_index, group in enumerate(_objects(data.get("requirementGroups"))):
        items = []
        for requirement in _objects(group.get("requirements")):
            if requirement.get("status") == "cancelled":
                continue
            items.append(
                CriterionRequirement(
                    id=str(requirement.get("id") or ""),
                    title=str(requirement.get("title") or requirement.get("description") or ""),
                    data_type=str(requirement.get("dataType") or "string"),
                    expected=requirement.get("expectedValue"),
                    minimum=_limit(requirement.get("minValue")),
                    maximum=_limit(requirement.get("maxValue")),
                )
            )
        groups.append(
            CriterionGroup(str(group.get("id") or g_index), tuple(items), str(group.get("description") or ""))
        )
    classification = data.get("classification")
    code = str(classification.get("id") or "") if isinstance(classification, Mapping) else ""
    words = [data.get("title"), data.get("description"), *[i.title for g in groups for i in g.requirements]]
    named = standards_in(" ".join(str(w) for w in words if w))
    return Criterion(
        id=str(data.get("id") or ""),
        title=str(data.get("title") or data.get("description") or data.get("id") or "criterion"),
        groups=tuple(groups),
        description=str(data.get("description") or ""),
        classification=code,
        standard=str(named[0]) if named else "",
    )


def criterion_requirement(criterion: Criterion, *, origin: str, dates: Mapping[str, dt.date | None]) -> Requirement:
    """The tender requirement a criterion states: a certificate one when it names a standard, else the criterion.

    A certificate requirement is valid through the contract end when the tender
    gives one, else on the evaluation date; the criterion's answers stay the
    bidder's declaration.
    """
    from .schemas.tender import certificate_requirement

    if criterion.standard:
        text = " ".join(
            [criterion.title, criterion.description, *[i.title for g in criterion.groups for i in g.requirements]]
        )
        spec: dict[str, object] = {"standard": criterion.standard, "iaf_codes": iaf_codes_in(text)}
        if dates.get("contract_end") is not None:
            spec["valid_through"] = "contract_end"
        return certificate_requirement(spec, dict(dates), criterion=criterion, origin=origin)
    label = f"criterion: {criterion.title}"
    return Requirement(
        "criterion", {"criterion": criterion}, label, f"criterion:{criterion.id or criterion.title}", origin
    )


def _objects(value: object) -> list[Mapping[str, Any]]:
    return [v for v in value if isinstance(v, Mapping)] if isinstance(value, list) else []


def _limit(value: object) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None
