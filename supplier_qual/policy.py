"""The qualification policy: every threshold, weight and cap the decision depends on.

A *policy* fixes how answers turn into outcome scores, how the buyer's performance
data moves outcomes F, G and I, which certificates count, and where the lines
between *qualified*, *conditional* and *not qualified* lie. :data:`DEFAULT_POLICY`
is the one described in the README; a YAML policy file overrides any part of it
(see :func:`load_policy`).
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from .documents import parse_document, read_bytes
from .errors import PolicyError, Problem
from .outcomes import OUTCOME_IDS


@dataclass(frozen=True)
class KpiScale:
    """Maps a measure to a 0–100 score: 100 at ``good`` or better, 0 at ``bad`` or worse.

    Between the two the score is linear, so a worse measure never scores higher.
    ``good`` may be above ``bad`` (on-time delivery) or below it (defect ppm).
    """

    good: float
    bad: float

    def score(self, value: float) -> float:
        span = self.bad - self.good
        share = (value - self.good) / span
        return 100.0 * (1.0 - min(1.0, max(0.0, share)))


@dataclass(frozen=True)
class DecisionRules:
    """Where the lines between the three decisions lie."""

    not_qualified_outcome_below: float = 30
    not_qualified_overall_below: float = 50
    qualified_overall_at_least: float = 70
    qualified_outcome_at_least: float = 50
    qualified_requires_certificate: bool = True


@dataclass(frozen=True)
class CertificateRules:
    """Which certificates count.

    ``accreditation_bodies`` and ``editions`` name user-supplied replacements for
    the shipped reference data (a CSV of IAF MLA signatories, a YAML of ISO 9001
    editions); ``cb_register`` a CSV of accredited certification bodies;
    ``registries`` a YAML file configuring certificate registries (IAF CertSearch,
    CSV registers); relative paths are resolved against the policy file.

    What is bought: ``required_iaf_codes`` and ``required_nace`` (NACE Rev. 2 codes,
    mapped to IAF codes), ``scope_keywords`` the certificate's scope must mention,
    ``supplying_sites`` (``"City, Country"``) it must cover. A certificate listing
    ``wide_scope_codes`` or more IAF codes is flagged as suspiciously wide.
    """

    max_validity_years: int = 3
    grace_months: int = 6
    surveillance_months: int = 12
    surveillance_grace_months: int = 3
    accreditation_bodies: str | None = None
    editions: str | None = None
    cb_register: str | None = None
    registries: str | None = None
    required_iaf_codes: tuple[int, ...] = ()
    required_nace: tuple[str, ...] = ()
    scope_keywords: tuple[str, ...] = ()
    supplying_sites: tuple[str, ...] = ()
    wide_scope_codes: int = 10


@dataclass(frozen=True)
class PerformanceRules:
    """How the buyer's delivery data weighs against the supplier's answers.

    ``weight`` is the weight of observed performance evidence beside the
    questionnaire's (which weighs 1): at 0.5, observed data makes a third of F, G
    and I wherever it is present.
    """

    weight: float = 0.5
    defect_ppm: KpiScale = KpiScale(good=100, bad=5000)
    lot_rejection_pct: KpiScale = KpiScale(good=0.5, bad=5)
    complaints_per_year: KpiScale = KpiScale(good=0, bad=12)
    complaints_closed_pct: KpiScale = KpiScale(good=100, bad=50)
    corrective_actions_overdue: KpiScale = KpiScale(good=0, bad=5)
    on_time_delivery_pct: KpiScale = KpiScale(good=98, bad=80)
    on_time_delivery_change_pts: KpiScale = KpiScale(good=5, bad=-5)
    defect_ppm_improvement_pct: KpiScale = KpiScale(good=20, bad=-20)

    def scale(self, kpi: str) -> KpiScale:
        """The scale of the KPI named ``kpi``."""
        found: KpiScale = getattr(self, kpi)
        return found


def _default_due_days() -> dict[str, int]:
    return {"critical": 14, "major": 30, "minor": 90, "observation": 180}


def _equal_weights() -> dict[str, float]:
    return dict.fromkeys(OUTCOME_IDS, 1.0)


@dataclass(frozen=True)
class Policy:
    """A complete qualification policy (see the README's "Policy file" section)."""

    name: str = "default"
    outcome_weights: Mapping[str, float] = field(default_factory=_equal_weights)
    evidence_cap: float = 0.5
    evidenced_share: float = 0.75
    unanswered_severity: str = "major"
    decision: DecisionRules = DecisionRules()
    certificates: CertificateRules = CertificateRules()
    performance: PerformanceRules = PerformanceRules()
    due_days: Mapping[str, int] = field(default_factory=_default_due_days)
    sha256: str = field(default="", compare=False)
    origin: str = field(default="", compare=False)


DEFAULT_POLICY = Policy()
T = TypeVar("T")


def load_policy(path: str | Path) -> Policy:
    """Read a YAML policy file; what it leaves out keeps the default.

    :raises PolicyError: unreadable YAML, unknown keys or out-of-range values, each
        with the path of the offending field (``policy.yaml: $.decision.qualified…``).
    """
    from .schemas.policy import PolicySchema

    path = Path(path)
    source = str(path)
    raw = read_bytes(path, what="policy file", error=PolicyError)
    data = parse_document(raw, source=source, error=PolicyError) or {}
    overrides = PolicySchema.parse(data, source=source)
    policy = _merge(DEFAULT_POLICY, overrides)
    rules = policy.decision
    if rules.qualified_overall_at_least < rules.not_qualified_overall_below:
        raise PolicyError(
            [
                Problem(
                    "must not be below decision.not_qualified.overall_below", "$.decision.qualified.overall_at_least"
                )
            ],
            source=source,
        )
    if rules.qualified_outcome_at_least < rules.not_qualified_outcome_below:
        raise PolicyError(
            [
                Problem(
                    "must not be below decision.not_qualified.outcome_below", "$.decision.qualified.outcome_at_least"
                )
            ],
            source=source,
        )
    certificates = policy.certificates
    resolved: dict[str, Any] = {
        key: str((path.parent / value).resolve())
        for key in ("accreditation_bodies", "editions", "cb_register", "registries")
        if (value := getattr(certificates, key))
    }
    return dataclasses.replace(
        policy,
        certificates=dataclasses.replace(certificates, **resolved),
        sha256=hashlib.sha256(raw).hexdigest(),
        origin=source,
    )


def _merge(base: T, overrides: Mapping[str, Any]) -> T:
    """``base`` with ``overrides`` applied, nested dataclasses merged field by field."""
    changes: dict[str, Any] = {}
    for key, value in overrides.items():
        current = getattr(base, key)
        if dataclasses.is_dataclass(current) and isinstance(value, Mapping):
            changes[key] = _merge(current, value)
        elif isinstance(current, Mapping) and isinstance(value, Mapping):
            changes[key] = {**current, **value}
        else:
            changes[key] = value
    merged: T = dataclasses.replace(base, **changes)  # type: ignore[type-var]
    return merged
