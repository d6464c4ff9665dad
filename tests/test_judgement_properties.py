"""Properties of the judgement: worse evidence never makes a better decision."""

from __future__ import annotations

import copy
from typing import Any

import pluggy
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import supplier_qual
from supplier_qual.model import Assessment, Questionnaire

from .conftest import AS_OF, SCOPE_OF_SUPPLY, VALID_CERTIFICATE

RANK = {"not_qualified": 0, "conditional": 1, "qualified": 2}
SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def _rank(assessment: Assessment) -> int:
    assert assessment.decision is not None
    return RANK[assessment.decision.decision]


def _assess(pm: pluggy.PluginManager, data: dict[str, Any]) -> Assessment:
    return supplier_qual.assess(copy.deepcopy(data), as_of=AS_OF, pm=pm)


@st.composite
def answers(draw: st.DrawFn, questionnaire: Questionnaire) -> dict[str, Any]:
    """Answers a real supplier might give: mostly good, some weak, some without evidence or with a placeholder."""
    found: dict[str, Any] = {}
    for question in questionnaire.questions:
        evidence = draw(st.sampled_from([f"QM-{question.id} rev 2"] * 3 + ["", "TBD"]))
        if question.options:
            ranked = sorted(question.options, key=lambda o: -o.points)
            value: Any = draw(st.sampled_from([ranked[0].value] * 4 + [o.value for o in ranked]))
        elif question.bands:
            best = max(question.bands, key=lambda b: b.points)
            good = best.min if best.min is not None else (best.max or 1) - 1
            value = draw(st.sampled_from([good, good, *(b.min for b in question.bands if b.min is not None)]))
        else:
            value = "Described in our quality manual"
        if question.na_allowed and draw(st.integers(0, 9)) == 0:
            value = "N/A"
        found[question.id] = {"value": value, "evidence": evidence, "comment": ""}
    return found


performances = st.one_of(
    st.none(),
    st.fixed_dictionaries(
        {"period_months": st.just(12)},
        optional={
            "deliveries": st.integers(10, 500),
            "on_time_delivery_pct": st.floats(80, 100),
            "defect_ppm": st.floats(0, 2_000),
            "complaints": st.integers(0, 4),
            "corrective_actions_open": st.just(6),
            "corrective_actions_overdue": st.integers(0, 2),
        },
    ),
)


@st.composite
def submissions(draw: st.DrawFn, questionnaire: Questionnaire) -> dict[str, Any]:
    data: dict[str, Any] = {
        "supplier": {"name": "Northwind Components Ltd", "id": "GB-COH-04567123", "country": "GB"},
        "questionnaire": {"id": questionnaire.id, "version": questionnaire.version},
        "answers": draw(answers(questionnaire)),
        "certificates": [copy.deepcopy(VALID_CERTIFICATE)] if draw(st.integers(0, 4)) else [],
    }
    if draw(st.integers(0, 4)):
        data["scope_of_supply"] = copy.deepcopy(SCOPE_OF_SUPPLY)
    performance = draw(performances)
    if performance is not None:
        data["performance"] = performance
    return data


@SETTINGS
@given(data=st.data())
def test_a_failed_critical_answer_never_improves_the_decision(
    pm: pluggy.PluginManager, questionnaire: Questionnaire, data: st.DataObject
) -> None:
    base = data.draw(submissions(questionnaire))
    critical = [q for q in questionnaire.questions if q.knockout]
    question = data.draw(st.sampled_from(critical))
    worse = copy.deepcopy(base)
    middle = data.draw(st.booleans()) and base["answers"][question.id]["value"] not in question.knockout_values
    worse["answers"][question.id]["value"] = (question.conditional_values if middle else question.knockout_values)[0]
    assert _rank(_assess(pm, worse)) <= _rank(_assess(pm, base))


@SETTINGS
@given(data=st.data())
def test_a_fired_gate_never_improves_the_decision(
    pm: pluggy.PluginManager, questionnaire: Questionnaire, data: st.DataObject
) -> None:
    base = data.draw(submissions(questionnaire))
    performance = base.get("performance") or {"period_months": 12}
    field, value = data.draw(
        st.sampled_from(
            [
                ("on_time_delivery_pct", 85.0),
                ("on_time_delivery_pct", 40.0),
                ("defect_ppm", 5_000.0),
                ("defect_ppm", 50_000.0),
                ("corrective_actions_overdue", 1),
                ("corrective_actions_overdue", 6),
            ]
        )
    )
    worse = copy.deepcopy(base)
    current = performance.get(field)
    if field == "on_time_delivery_pct":
        value = min(value, current) if current is not None else value
    else:
        value = max(value, current) if current is not None else value
    worse["performance"] = {**performance, field: value, "corrective_actions_open": 6}
    before = _assess(pm, {**base, "performance": {**performance, "corrective_actions_open": 6}})
    after = _assess(pm, worse)
    assert after.decision is not None and any(lim.kind == "kpi_gate" for lim in after.decision.limits)
    assert _rank(after) <= _rank(before)


@SETTINGS
@given(data=st.data())
def test_an_untrusted_certificate_never_improves_the_decision(
    pm: pluggy.PluginManager, questionnaire: Questionnaire, data: st.DataObject
) -> None:
    base = data.draw(submissions(questionnaire))
    change = data.draw(
        st.sampled_from(
            [
                {"holder": "Harbour Plastics GmbH"},
                {"consultant": "BSI Consulting Ltd"},
                {"scope": "All products and services"},
                {"accreditation_body": "UAF / UKAS"},
                {"last_surveillance": "2025-01-10"},
                {"declared": True},
                {"status": "suspended"},
            ]
        )
    )
    replaced = copy.deepcopy(base)
    replaced["certificates"] = [{**VALID_CERTIFICATE, **change}]
    added = copy.deepcopy(base)
    added["certificates"] = [*base["certificates"], {**VALID_CERTIFICATE, "number": "QX-2", **change}]
    trusted = _rank(_assess(pm, base))
    assert _rank(_assess(pm, replaced)) <= trusted
    assert _rank(_assess(pm, added)) <= trusted


# Each KPI with the direction in which it gets worse.
KPI_FIELDS: dict[str, tuple[st.SearchStrategy[Any], bool]] = {
    "on_time_delivery_pct": (st.floats(0, 100), False),
    "defect_ppm": (st.floats(0, 60_000), True),
    "lots_rejected": (st.integers(0, 200), True),
    "complaints": (st.integers(5, 40), True),
    "complaints_closed": (st.integers(0, 5), False),
    "corrective_actions_overdue": (st.integers(0, 10), True),
    "previous_on_time_delivery_pct": (st.floats(0, 100), True),
    "previous_defect_ppm": (st.floats(0, 20_000), False),
}


@SETTINGS
@given(field=st.sampled_from(sorted(KPI_FIELDS)), data=st.data())
def test_a_worse_measure_never_improves_a_score_or_the_decision(
    pm: pluggy.PluginManager, questionnaire: Questionnaire, field: str, data: st.DataObject
) -> None:
    strategy, worse_is_higher = KPI_FIELDS[field]
    a, b = data.draw(strategy), data.draw(strategy)
    better, worse = (min(a, b), max(a, b)) if worse_is_higher else (max(a, b), min(a, b))
    base = data.draw(submissions(questionnaire))
    performance = {
        "period_months": 12,
        "deliveries": 240,
        "on_time_delivery_pct": 97.0,
        "defect_ppm": 300,
        "lots_received": 200,
        "lots_rejected": 2,
        "complaints": 5,
        "complaints_closed": 3,
        "corrective_actions_open": 10,
        "corrective_actions_overdue": 0,
        "previous_on_time_delivery_pct": 95.0,
        "previous_defect_ppm": 400,
    }
    first = _assess(pm, {**base, "performance": {**performance, field: better}})
    second = _assess(pm, {**base, "performance": {**performance, field: worse}})
    assert first.decision is not None and second.decision is not None
    assert all(second.outcomes[o].score <= first.outcomes[o].score for o in first.outcomes), (field, better, worse)
    assert second.decision.score <= first.decision.score
    assert _rank(second) <= _rank(first)
