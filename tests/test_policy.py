"""Policy files: every number can change; a bad file is refused with the path of the bad field."""

from __future__ import annotations

from pathlib import Path

import pytest

import supplier_qual
from supplier_qual.policy import DEFAULT_POLICY, KpiScale, load_policy


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "policy.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_empty_policy_is_the_default(tmp_path: Path) -> None:
    assert load_policy(_write(tmp_path, "")) == DEFAULT_POLICY


def test_every_section_overrides(tmp_path: Path) -> None:
    policy = load_policy(
        _write(
            tmp_path,
            """
name: strict-buyer
outcome_weights: {G: 2, H: 1.5}
scoring: {evidence_cap: 0.25, evidenced_share: 1, unanswered_severity: critical}
decision:
  not_qualified: {outcome_below: 40, overall_below: 60}
  qualified: {overall_at_least: 80, outcome_at_least: 60, require_certificate: false}
certificates: {max_validity_years: 3, grace_months: 0}
performance:
  weight: 1
  kpis: {defect_ppm: {good: 50, bad: 1000}, on_time_delivery_pct: {good: 99, bad: 90}}
corrective_actions:
  due_days: {critical: 7, minor: 60}
""",
        )
    )
    assert policy.name == "strict-buyer"
    assert policy.outcome_weights["G"] == 2 and policy.outcome_weights["A"] == 1
    assert (policy.evidence_cap, policy.evidenced_share, policy.unanswered_severity) == (0.25, 1, "critical")
    rules = policy.decision
    assert (rules.not_qualified_outcome_below, rules.not_qualified_overall_below) == (40, 60)
    assert (rules.qualified_overall_at_least, rules.qualified_outcome_at_least) == (80, 60)
    assert rules.qualified_requires_certificate is False
    assert policy.certificates.grace_months == 0
    assert policy.performance.weight == 1
    assert policy.performance.defect_ppm == KpiScale(50, 1000)
    assert policy.performance.lot_rejection_pct == DEFAULT_POLICY.performance.lot_rejection_pct
    assert policy.due_days == {"critical": 7, "major": 30, "minor": 60, "observation": 180}
    assert len(policy.sha256) == 64


def test_invalid_policy_names_every_bad_field(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        """
outcome_weights: {J: 1}
scoring: {evidence_cap: 2}
decision:
  qualified: {overall_at_least: high, threshold: 3}
performance:
  kpis: {defect_ppm: {good: 10, bad: 10}, smiles: {good: 1, bad: 0}}
corrective_actions: {due_days: {major: 0}}
colour: blue
""",
    )
    with pytest.raises(supplier_qual.PolicyError) as caught:
        load_policy(path)
    assert sorted(str(p).removeprefix(f"{path}: ") for p in caught.value.problems) == sorted(
        [
            "$.outcome_weights.J: must be one of the outcomes A to I",
            "$.scoring.evidence_cap: must be a share from 0 to 1",
            "$.decision.qualified.overall_at_least: Not a valid number.",
            "$.decision.qualified.threshold: unknown field (not part of the format)",
            "$.performance.kpis.defect_ppm.bad: good and bad must differ",
            "$.performance.kpis.smiles: unknown KPI; known: defect_ppm, lot_rejection_pct, complaints_per_year, "
            "complaints_closed_pct, corrective_actions_overdue, on_time_delivery_pct, on_time_delivery_change_pts, "
            "defect_ppm_improvement_pct",
            "$.corrective_actions.due_days.major: must be 1 to 3650 days",
            "$.colour: unknown field (not part of the format)",
        ]
    )


def test_incoherent_thresholds_are_refused(tmp_path: Path) -> None:
    path = _write(tmp_path, "decision:\n  qualified: {overall_at_least: 40}\n")
    with pytest.raises(supplier_qual.PolicyError) as caught:
        load_policy(path)
    assert [str(p) for p in caught.value.problems] == [
        f"{path}: $.decision.qualified.overall_at_least: must not be below decision.not_qualified.overall_below"
    ]


def test_yaml_errors_and_missing_files(tmp_path: Path) -> None:
    with pytest.raises(supplier_qual.PolicyError, match=r"policy.yaml: line 2: not valid YAML"):
        load_policy(_write(tmp_path, "decision: [\n"))
    with pytest.raises(supplier_qual.PolicyError, match="cannot read the policy file"):
        load_policy(tmp_path / "missing.yaml")
    with pytest.raises(supplier_qual.PolicyError, match=r"\$: expected an object, found list"):
        load_policy(_write(tmp_path, "- 1\n"))
