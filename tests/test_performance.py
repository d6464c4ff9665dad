"""Performance KPIs: documented formulas, "no data" is never perfect, worse never scores higher."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pluggy
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import supplier_qual
from supplier_qual.model import Assessment
from supplier_qual.policy import KpiScale

from .conftest import AS_OF

Make = Callable[..., dict[str, Any]]

GOOD: dict[str, Any] = {
    "period_months": 12,
    "on_time_delivery_pct": 99.0,
    "defect_ppm": 50,
    "lots_received": 200,
    "lots_rejected": 0,
    "complaints": 0,
    "complaints_closed": 0,
    "corrective_actions_open": 0,
    "corrective_actions_overdue": 0,
    "previous_on_time_delivery_pct": 97.0,
    "previous_defect_ppm": 80,
}


def _assess(pm: pluggy.PluginManager, data: dict[str, Any]) -> Assessment:
    return supplier_qual.assess(data, as_of=AS_OF, pm=pm)


def _scores(assessment: Assessment) -> dict[str, float]:
    assert assessment.decision is not None
    return {**{oid: r.score for oid, r in assessment.outcomes.items()}, "overall": assessment.decision.score}


def test_kpi_scale_is_linear_and_clamped() -> None:
    ppm = KpiScale(good=100, bad=5000)
    assert [ppm.score(v) for v in (0, 100, 2550, 5000, 9000)] == [100, 100, 50, 0, 0]
    otd = KpiScale(good=98, bad=80)
    assert [otd.score(v) for v in (100, 98, 89, 80, 50)] == [100, 100, 50, 0, 0]


def test_no_data_adds_no_evidence(pm: pluggy.PluginManager, make_submission: Make) -> None:
    without = _assess(pm, make_submission())
    empty = _assess(pm, make_submission(performance={"period_months": 12}))
    assert _scores(without) == _scores(empty)
    assert all(e.source != "performance" for r in empty.outcomes.values() for e in r.evidence)
    assert empty.outcomes["F"].assurance == "certified"


def test_no_data_is_not_a_perfect_score(pm: pluggy.PluginManager, make_submission: Make, questionnaire: Any) -> None:
    weak = {q.id: "Partly" for q in questionnaire.for_outcome("F") if q.type == "choice"}
    without = _assess(pm, make_submission(weak)).outcomes["F"].score
    perfect = _assess(pm, make_submission(weak, performance=GOOD)).outcomes["F"].score
    assert without < perfect < 100


def test_observed_data_moves_f_g_i_only(pm: pluggy.PluginManager, make_submission: Make) -> None:
    bad = {
        **GOOD,
        "defect_ppm": 6000,
        "complaints": 12,
        "complaints_closed": 3,
        "corrective_actions_open": 6,
        "corrective_actions_overdue": 5,
        "on_time_delivery_pct": 70.0,
    }
    assessment = _assess(pm, make_submission(performance=bad))
    scores = _scores(assessment)
    assert {oid for oid in "ABCDEFGHI" if scores[oid] < 100} == {"F", "G", "I"}
    assert {assessment.outcomes[oid].assurance for oid in "FGI"} == {"observed"}
    assert any("defect rate 6,000 ppm" in f.message for f in assessment.outcomes["F"].findings)


def test_observed_data_weighs_as_much_as_the_questionnaire(pm: pluggy.PluginManager, make_submission: Make) -> None:
    worst = {"period_months": 12, "lots_received": 100, "lots_rejected": 10}
    f_score = _assess(pm, make_submission(performance=worst)).outcomes["F"].score
    assert f_score == pytest.approx(50, abs=0.05)  # questionnaire 100 (weight 1), KPI 0 (weight 1)


# Each KPI with the direction in which it gets worse: (field, strategy, worse is higher?).
KPI_FIELDS: dict[str, tuple[st.SearchStrategy[Any], bool]] = {
    "on_time_delivery_pct": (st.floats(0, 100), False),
    "defect_ppm": (st.floats(0, 20_000), True),
    "lots_rejected": (st.integers(0, 200), True),
    "complaints": (st.integers(5, 40), True),
    "complaints_closed": (st.integers(0, 5), False),
    "corrective_actions_overdue": (st.integers(0, 10), True),
    "previous_on_time_delivery_pct": (st.floats(0, 100), True),
    "previous_defect_ppm": (st.floats(0, 20_000), False),
}


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(field=st.sampled_from(sorted(KPI_FIELDS)), data=st.data())
def test_worse_data_never_raises_a_score(
    pm: pluggy.PluginManager, make_submission: Make, field: str, data: st.DataObject
) -> None:
    strategy, worse_is_higher = KPI_FIELDS[field]
    a, b = data.draw(strategy), data.draw(strategy)
    better, worse = (min(a, b), max(a, b)) if worse_is_higher else (max(a, b), min(a, b))
    base = {**GOOD, "complaints": 5, "complaints_closed": 3, "corrective_actions_open": 10}
    first = _scores(_assess(pm, make_submission(performance={**base, field: better})))
    second = _scores(_assess(pm, make_submission(performance={**base, field: worse})))
    assert all(second[key] <= first[key] for key in first), (field, better, worse, first, second)


def test_a_first_complaint_never_raises_g(pm: pluggy.PluginManager, make_submission: Make) -> None:
    base = {**GOOD, "corrective_actions_open": 5, "corrective_actions_overdue": 5}
    none = _assess(pm, make_submission(performance=base)).outcomes["G"].score
    one = _assess(pm, make_submission(performance={**base, "complaints": 1, "complaints_closed": 1})).outcomes["G"]
    assert one.score <= none


def test_inconsistent_performance_data_is_refused(pm: pluggy.PluginManager, make_submission: Make) -> None:
    data = make_submission(performance={**GOOD, "lots_rejected": 300, "on_time_delivery_pct": 140})
    with pytest.raises(supplier_qual.SubmissionError) as caught:
        _assess(pm, data)
    assert sorted(str(p) for p in caught.value.problems) == [
        "$.performance.lots_rejected: more lots rejected than received",
        "$.performance.on_time_delivery_pct: must be a percentage from 0 to 100",
    ]
