"""What the buyer observed outranks what the supplier declares: KPI gates, profiles, samples, declared vs observed."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pluggy
import pytest

import supplier_qual
from supplier_qual.model import Assessment
from supplier_qual.policy import DEFAULT_POLICY, kpi_profiles

from .conftest import AS_OF

Make = Callable[..., dict[str, Any]]
CLEAN: dict[str, Any] = {
    "period_months": 12,
    "deliveries": 240,
    "on_time_delivery_pct": 99.0,
    "defect_ppm": 50,
    "lots_received": 240,
    "lots_rejected": 0,
    "complaints": 2,
    "complaints_closed": 2,
    "corrective_actions_open": 1,
    "corrective_actions_overdue": 0,
}


def _assess(pm: pluggy.PluginManager, data: dict[str, Any], **kwargs: Any) -> Assessment:
    return supplier_qual.assess(data, as_of=AS_OF, pm=pm, **kwargs)


def _gates(assessment: Assessment) -> list[tuple[str, str]]:
    assert assessment.decision is not None
    return [(lim.cap, lim.reason) for lim in assessment.decision.limits if lim.kind == "kpi_gate"]


def test_clean_delivery_data_qualifies(pm: pluggy.PluginManager, make_submission: Make) -> None:
    assessment = _assess(pm, make_submission(performance=CLEAN))
    assert assessment.decision is not None and assessment.decision.decision == "qualified"
    assert "The buyer's performance data passes every gate" in assessment.decision.reasons


def test_what_the_buyer_measured_outranks_a_glowing_self_assessment(
    pm: pluggy.PluginManager, make_submission: Make
) -> None:
    measured = {
        **CLEAN,
        "on_time_delivery_pct": 70.0,
        "defect_ppm": 25_000,
        "lots_rejected": 24,
        "corrective_actions_open": 8,
        "corrective_actions_overdue": 6,
    }
    declared = {"F6": {"value": 40, "evidence": "QM-F06 rev 2"}, "I4": {"value": 98.5, "evidence": "QM-I04 rev 2"}}
    assessment = _assess(pm, make_submission(declared, performance=measured))
    decision = assessment.decision
    assert decision is not None and decision.decision == "not_qualified"
    gates = [lim.reason for lim in decision.limits if lim.kind == "kpi_gate" and lim.cap == "not_qualified"]
    assert gates == [
        "Measured defect rate 25,000 ppm over 12 months on 240 lots is past the not-qualified gate of 10,000 ppm "
        "(general profile)",
        "Measured 10.0 % of lots rejected over 12 months on 240 lots is past the not-qualified gate of 5 % "
        "(general profile)",
        "Measured 6 corrective actions overdue over 12 months is past the not-qualified gate of 5 (general profile)",
    ]
    assert set(gates) <= set(decision.reasons)
    held = [lim.reason for lim in decision.limits if lim.cap == "conditional"]
    assert (
        "Measured on-time delivery 70.0 % over 12 months on 240 deliveries is past the conditional gate of 90 % "
        "(general profile)"
    ) in held
    integrity = [lim for lim in decision.limits if lim.kind == "integrity"]
    assert [lim.outcome for lim in integrity] == ["F", "I"]
    assert integrity[0].reason.startswith(
        "Integrity: F6 declares 40 ppm, but the buyer measured 25,000 ppm (better by more than a factor of 2)"
    )
    assert integrity[1].reason.startswith(
        "Integrity: I4 declares 98.5 %, but the buyer measured 70 % (better by more than 5 points)"
    )


@pytest.mark.parametrize(
    ("field", "value", "cap"),
    [
        ("on_time_delivery_pct", 90.0, None),
        ("on_time_delivery_pct", 89.9, "conditional"),
        ("on_time_delivery_pct", 60.0, "conditional"),
        ("on_time_delivery_pct", 59.9, "not_qualified"),
        ("defect_ppm", 1000, None),
        ("defect_ppm", 1000.5, "conditional"),
        ("defect_ppm", 10_000, "conditional"),
        ("defect_ppm", 10_001, "not_qualified"),
        ("lots_rejected", 4, None),  # 1.7 % of 240
        ("lots_rejected", 6, "conditional"),  # 2.5 %
        ("lots_rejected", 12, "conditional"),  # 5.0 %
        ("lots_rejected", 13, "not_qualified"),  # 5.4 %
        ("corrective_actions_overdue", 0, None),
        ("corrective_actions_overdue", 1, "conditional"),
        ("corrective_actions_overdue", 4, "conditional"),
        ("corrective_actions_overdue", 5, "not_qualified"),
        ("complaints_closed", 4, None),  # 80 % of 5
        ("complaints_closed", 3, "conditional"),
        ("complaints_closed", 0, "conditional"),  # no not-qualified gate for complaint closure
    ],
)
def test_each_gate_fires_past_its_threshold_and_not_before(
    pm: pluggy.PluginManager, make_submission: Make, field: str, value: float, cap: str | None
) -> None:
    performance = {**CLEAN, "complaints": 5, "complaints_closed": 5, "corrective_actions_open": 5, field: value}
    assessment = _assess(pm, make_submission(performance=performance))
    caps = [c for c, _ in _gates(assessment)]
    assert caps == ([cap] if cap else [])
    assert assessment.decision is not None
    # A gate caps the decision; the scores may hold it lower still, never higher.
    rank = {"not_qualified": 0, "conditional": 1, "qualified": 2}
    assert rank[assessment.decision.decision] <= rank[cap or "qualified"]


def test_a_gate_names_the_measure_the_period_and_the_threshold(pm: pluggy.PluginManager, make_submission: Make) -> None:
    performance = {**CLEAN, "period_months": 6, "period_end": "2026-09-30", "on_time_delivery_pct": 85.0}
    assessment = _assess(pm, make_submission(performance=performance))
    [limit] = [lim for lim in assessment.decision.limits if lim.kind == "kpi_gate"]  # type: ignore[union-attr]
    assert limit.reason == (
        "Measured on-time delivery 85.0 % over the 6 months to 2026-09-30 on 240 deliveries is past the conditional "
        "gate of 90 % (general profile)"
    )
    assert (limit.value, limit.threshold, limit.outcome) == (85.0, 90, "I")


@pytest.mark.parametrize("profile", sorted(kpi_profiles()))
def test_scores_and_gates_tell_the_same_story(profile: str) -> None:
    for name, scale in kpi_profiles()[profile].items():
        assert scale.score(scale.good) == 100, (profile, name)
        if scale.conditional is not None:
            assert scale.score(scale.conditional) == 50, (profile, name)
            assert scale.gate(scale.conditional, inclusive=True) == "conditional"
        assert scale.score(scale.bad) == 0, (profile, name)
        if scale.not_qualified is not None:
            assert scale.bad == scale.not_qualified


def test_a_sector_profile_sets_the_gates(pm: pluggy.PluginManager, make_submission: Make, tmp_path: Path) -> None:
    performance = {**CLEAN, "on_time_delivery_pct": 94.0, "defect_ppm": 150}
    general = _assess(pm, make_submission(performance=performance))
    assert _gates(general) == []
    policy = tmp_path / "automotive.yaml"
    policy.write_text("profile: automotive\n", encoding="utf-8")
    automotive = _assess(pm, make_submission(performance=performance), policy=policy)
    assert [reason.split(" is past")[0] for _, reason in _gates(automotive)] == [
        "Measured defect rate 150 ppm over 12 months on 240 lots",
        "Measured on-time delivery 94.0 % over 12 months on 240 deliveries",
    ]
    assert all(reason.endswith("(automotive profile)") for _, reason in _gates(automotive))


def test_a_policy_may_change_one_kpi_of_its_profile(
    pm: pluggy.PluginManager, make_submission: Make, tmp_path: Path
) -> None:
    policy = tmp_path / "policy.yaml"
    policy.write_text(
        "performance:\n  kpis:\n    on_time_delivery_pct: {good: 99, conditional: 97, not_qualified: 90}\n",
        encoding="utf-8",
    )
    loaded = supplier_qual.load_policy(policy)
    assert loaded.performance.on_time_delivery_pct.conditional == 97
    assert loaded.performance.defect_ppm == DEFAULT_POLICY.performance.defect_ppm
    assessment = _assess(pm, make_submission(performance={**CLEAN, "on_time_delivery_pct": 95.0}), policy=loaded)
    assert [cap for cap, _ in _gates(assessment)] == ["conditional"]


def test_too_few_deliveries_neither_score_nor_gate(pm: pluggy.PluginManager, make_submission: Make) -> None:
    performance = {**CLEAN, "deliveries": 6, "lots_received": 6, "on_time_delivery_pct": 50.0, "defect_ppm": 90_000}
    declared = {"I4": {"value": 99.0, "evidence": "QM-I04 rev 2"}}
    assessment = _assess(pm, make_submission(declared, performance=performance))
    assert _gates(assessment) == []
    assert assessment.decision is not None
    assert not [lim for lim in assessment.decision.limits if lim.kind == "integrity"]
    assert (
        "On-time delivery 50.0 % over 12 months on 6 deliveries: too few to judge (fewer than 10)"
        in assessment.decision.not_checked
    )
    findings = [f.message for f in assessment.outcomes["I"].findings]
    assert "Measured on-time delivery 50.0 % over 12 months on 6 deliveries: too few to judge (fewer than 10)" in (
        findings
    )


def test_a_kpi_without_a_count_is_used_as_given(pm: pluggy.PluginManager, make_submission: Make) -> None:
    performance = {"period_months": 12, "on_time_delivery_pct": 50.0}
    assert [cap for cap, _ in _gates(_assess(pm, make_submission(performance=performance)))] == ["not_qualified"]


def test_complaints_and_overdue_actions_count_whatever_the_sample(
    pm: pluggy.PluginManager, make_submission: Make
) -> None:
    performance = {**CLEAN, "deliveries": 3, "lots_received": 3, "corrective_actions_open": 5}
    performance["corrective_actions_overdue"] = 5
    assert [cap for cap, _ in _gates(_assess(pm, make_submission(performance=performance)))] == ["not_qualified"]


def test_the_measured_figure_is_scored_in_place_of_the_declared_one(
    pm: pluggy.PluginManager, make_submission: Make
) -> None:
    declared = {"F6": {"value": 10, "evidence": "QM-F06 rev 2"}}
    honest = _assess(pm, make_submission(declared))
    measured = _assess(pm, make_submission(declared, performance={**CLEAN, "defect_ppm": 800}))
    questionnaire = next(e for e in measured.outcomes["F"].evidence if e.source == "questionnaire")
    first = next(e for e in honest.outcomes["F"].evidence if e.source == "questionnaire")
    assert questionnaire.score is not None and first.score is not None and questionnaire.score < first.score
    assert any(f.message.startswith("Integrity: F6 declares 10 ppm") for f in measured.outcomes["F"].findings)


def test_a_declared_figure_close_to_the_measurement_is_no_integrity_finding(
    pm: pluggy.PluginManager, make_submission: Make
) -> None:
    declared = {"F6": {"value": 200, "evidence": "QM-F06 rev 2"}, "I4": {"value": 96.0, "evidence": "QM-I04 rev 2"}}
    performance = {**CLEAN, "defect_ppm": 350, "on_time_delivery_pct": 93.0}
    assessment = _assess(pm, make_submission(declared, performance=performance))
    assert assessment.decision is not None
    assert not [lim for lim in assessment.decision.limits if lim.kind == "integrity"]
    observations = [f.message for f in assessment.outcomes["I"].findings if f.severity == "observation"]
    assert "I4 scored from the buyer's measured 93 %, not the declared 96 %" in observations


def test_a_mirrored_question_answered_na_is_scored_from_the_measurement(
    pm: pluggy.PluginManager, make_submission: Make
) -> None:
    not_applicable = {"F6": {"value": "N/A", "evidence": ""}}
    without = _assess(pm, make_submission(not_applicable))
    with_data = _assess(pm, make_submission(not_applicable, performance={**CLEAN, "defect_ppm": 4000}))
    evidence = next(e for e in with_data.outcomes["F"].evidence if e.source == "questionnaire")
    assert (
        evidence.detail["answered"]
        == 1 + next(e for e in without.outcomes["F"].evidence if e.source == "questionnaire").detail["answered"]
    )
    assert "F6 answered “N/A”: scored from the buyer's measured defect rate 4,000 ppm" in [
        f.message for f in with_data.outcomes["F"].findings
    ]


def test_an_integrity_finding_caps_the_decision_and_asks_to_reconcile(
    pm: pluggy.PluginManager, make_submission: Make
) -> None:
    declared = {"I4": {"value": 99.5, "evidence": "QM-I04 rev 2"}}
    assessment = _assess(pm, make_submission(declared, performance={**CLEAN, "on_time_delivery_pct": 92.0}))
    assert assessment.decision is not None and assessment.decision.decision == "conditional"
    assert any("Reconcile the figure declared for I4" in a.action for a in assessment.corrective_actions)


def test_performance_moves_only_f_g_and_i_but_may_block_the_decision(
    pm: pluggy.PluginManager, make_submission: Make
) -> None:
    assessment = _assess(pm, make_submission(performance={"period_months": 12, "on_time_delivery_pct": 40.0}))
    scores = {oid: r.score for oid, r in assessment.outcomes.items()}
    assert {oid for oid, score in scores.items() if score < 100} == {"I"}
    assert assessment.decision is not None and assessment.decision.decision == "not_qualified"
