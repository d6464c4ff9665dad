"""The qualification policy: every threshold, weight and cap the decision depends on.

A *policy* fixes how answers turn into outcome scores, how the buyer's performance
data moves outcomes F, G and I and where its *gates* lie, which certificates count,
and where the lines between *qualified*, *conditional* and *not qualified* lie.
:data:`DEFAULT_POLICY` is the one described in ``docs/judgement.md``; a YAML policy
file overrides any part of it (see :func:`supplier_qual.policy.load_policy`), and its ``profile`` picks
the sector profile whose KPI scales and gates apply
(``supplier_qual/data/kpi_profiles.yaml``).
"""

from __future__ import annotations

import dataclasses
import functools
import itertools
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

import yaml

from ..errors import ConfigurationError
from ..outcomes import OUTCOME_IDS


@dataclass(frozen=True)
class KpiScale:
    """Maps a measure to a 0–100 score, and says which *gate* it is past.

    ``good`` (or better) scores 100, ``conditional`` 50 and ``bad`` 0, linear in
    between (without a ``conditional`` gate, linear from ``good`` to ``bad``), so a
    worse measure never scores higher. ``good`` may be above ``bad`` (on-time
    delivery) or below it (defect ppm). A measure past ``conditional`` leaves the
    supplier at best conditional; past ``not_qualified`` (which is then ``bad``), not
    qualified. Rates are past a gate strictly beyond it, counts from it (``inclusive``).
    """

    good: float
    bad: float
    conditional: float | None = None
    not_qualified: float | None = None

    @property
    def higher_is_better(self) -> bool:
        return self.good > self.bad

    def score(self, value: float) -> float:
        points = [(self.good, 100.0)]
        if self.conditional is not None:
            points.append((self.conditional, 50.0))
        points.append((self.bad, 0.0))
        sign = 1.0 if self.higher_is_better else -1.0
        # In "better is higher" terms the measure falls from good towards bad.
        x = sign * value
        for (start, high), (end, low) in itertools.pairwise(points):
            a, b = sign * start, sign * end
            if x >= a:
                return high
            if x > b:
                return low + (high - low) * (x - b) / (a - b)
        return 0.0

    def gate(self, value: float, *, inclusive: bool = False) -> str | None:
        """``not_qualified`` or ``conditional`` when ``value`` is past that gate, else ``None``."""
        for cap, threshold in (("not_qualified", self.not_qualified), ("conditional", self.conditional)):
            if threshold is not None and self.past(value, threshold, inclusive=inclusive):
                return cap
        return None

    def past(self, value: float, threshold: float, *, inclusive: bool = False) -> bool:
        """Whether ``value`` is worse than ``threshold`` (or equal to it, when ``inclusive``)."""
        if inclusive and value == threshold:
            return True
        return value < threshold if self.higher_is_better else value > threshold


@dataclass(frozen=True)
class Integrity:
    """How much better than the buyer's measurement a declared figure may be before it is an integrity finding.

    On-time delivery and complaint closure in percentage points; defect ppm as a
    factor (declared 40 ppm against 120 measured is a factor of 3).
    """

    on_time_delivery_pts: float = 5.0
    complaints_closed_pts: float = 10.0
    defect_ppm_factor: float = 2.0


@dataclass(frozen=True)
class DecisionRules:
    """Where the lines between the three decisions lie."""

    not_qualified_outcome_below: float = 50
    not_qualified_overall_below: float = 60
    qualified_overall_at_least: float = 80
    qualified_outcome_at_least: float = 70
    qualified_requires_certificate: bool = True
    qualified_requires_scope: bool = True


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

    ``accepted_in_place_of_iso9001`` lists the standards that count for
    qualification like ISO 9001 (IATF 16949 and AS9100/EN 9100 include its
    requirements); ``standards`` names a user-supplied table of the other
    management-system standards and their current editions.
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
    accepted_in_place_of_iso9001: tuple[str, ...] = ("IATF 16949", "AS9100", "EN 9100", "JIS Q 9100")
    standards: str | None = None


@dataclass(frozen=True)
class PerformanceRules:
    """How the buyer's delivery data weighs against the supplier's answers, and its gates.

    ``weight`` is the weight of observed performance evidence beside the
    questionnaire's (which weighs 1): at 1, observed data makes half of F, G and I
    wherever it is present. A KPI judged on fewer than ``min_sample`` deliveries (or
    lots) neither scores, gates nor contradicts a declared figure. The KPI scales
    and gates come from the policy's sector ``profile``.
    """

    weight: float = 1.0
    min_sample: int = 10
    integrity: Integrity = Integrity()
    defect_ppm: KpiScale = KpiScale(good=100, conditional=1000, not_qualified=10000, bad=10000)
    lot_rejection_pct: KpiScale = KpiScale(good=0.5, conditional=2, not_qualified=5, bad=5)
    complaints_per_year: KpiScale = KpiScale(good=0, bad=12)
    complaints_closed_pct: KpiScale = KpiScale(good=100, conditional=80, bad=50)
    corrective_actions_overdue: KpiScale = KpiScale(good=0, conditional=1, not_qualified=5, bad=5)
    on_time_delivery_pct: KpiScale = KpiScale(good=98, conditional=90, not_qualified=60, bad=60)
    on_time_delivery_change_pts: KpiScale = KpiScale(good=5, bad=-5)
    defect_ppm_improvement_pct: KpiScale = KpiScale(good=20, bad=-20)

    def scale(self, kpi: str) -> KpiScale:
        """The scale of the KPI named ``kpi``."""
        found: KpiScale = getattr(self, kpi)
        return found


KPI_NAMES: tuple[str, ...] = tuple(
    f.name for f in dataclasses.fields(PerformanceRules) if isinstance(getattr(PerformanceRules, f.name), KpiScale)
)
"""The KPIs a policy scales and gates."""


@functools.cache
def kpi_profiles() -> Mapping[str, Mapping[str, KpiScale]]:
    """The sector profiles shipped in ``supplier_qual/data/kpi_profiles.yaml``, by name."""
    text = (resources.files("supplier_qual") / "data" / "kpi_profiles.yaml").read_text(encoding="utf-8")
    try:
        data = yaml.safe_load(text)
        return {name: {kpi: kpi_scale(**entry) for kpi, entry in table.items()} for name, table in sorted(data.items())}
    except (yaml.YAMLError, TypeError, AttributeError, ValueError) as exc:
        raise ConfigurationError(f"supplier_qual/data/kpi_profiles.yaml: not a table of profiles ({exc})") from exc


def kpi_scale(
    *, good: float, conditional: float | None = None, not_qualified: float | None = None, bad: float | None = None
) -> KpiScale:
    """A scale as a policy states it: ``bad`` is the not-qualified gate where there is one."""
    zero = not_qualified if not_qualified is not None else bad
    if zero is None:
        raise ValueError("a KPI needs a not_qualified gate or a bad value")
    return KpiScale(good=good, bad=zero, conditional=conditional, not_qualified=not_qualified)


PLACEHOLDER_EVIDENCE: tuple[str, ...] = (
    "-",
    "--",
    "n/a",
    "na",
    "none",
    "nil",
    "tbd",
    "tba",
    "tbc",
    "to follow",
    "to be provided",
    "will send",
    "pending",
    "yes",
    "no",
    "ok",
    "x",
    "available",
    "available on request",
    "on request",
    "upon request",
    "see above",
    "see below",
    "as above",
    "on file",
    "in file",
    "in place",
    "we have it",
    "attached",
    "see attached",
    "see attachment",
    "internal",
    "confidential",
    "various",
)
"""Evidence text that cites no document (compared without case and punctuation)."""

SPECIAL_PROCESSES: tuple[str, ...] = (
    "welding",
    "brazing",
    "soldering",
    "coating",
    "painting",
    "powder coating",
    "plating",
    "anodising",
    "anodizing",
    "galvanising",
    "galvanizing",
    "heat treatment",
    "heat treating",
    "bonding",
    "sterilisation",
    "sterilization",
    "non-destructive testing",
)
"""Processes whose result later inspection cannot fully verify (ISO 9001 8.5.1 f): a certificate scope
naming one contradicts "not applicable" to the special-process questions."""


def _default_due_days() -> dict[str, int]:
    return {"critical": 14, "major": 30, "minor": 90, "observation": 180}


def _equal_weights() -> dict[str, float]:
    return dict.fromkeys(OUTCOME_IDS, 1.0)


@dataclass(frozen=True)
class Policy:
    """A complete qualification policy (see the README's "Policy file" section)."""

    name: str = "default"
    profile: str = "general"
    outcome_weights: Mapping[str, float] = field(default_factory=_equal_weights)
    evidence_cap: float = 0.5
    evidenced_share: float = 0.75
    unanswered_severity: str = "major"
    placeholder_evidence: tuple[str, ...] = PLACEHOLDER_EVIDENCE
    maturity_needs_evidence: bool = True
    special_processes: tuple[str, ...] = SPECIAL_PROCESSES
    decision: DecisionRules = DecisionRules()
    certificates: CertificateRules = CertificateRules()
    performance: PerformanceRules = PerformanceRules()
    due_days: Mapping[str, int] = field(default_factory=_default_due_days)
    sha256: str = field(default="", compare=False)
    origin: str = field(default="", compare=False)


DEFAULT_POLICY = Policy()


def with_profile(policy: Policy, profile: str) -> Policy:
    """``policy`` with the KPI scales and gates of the sector ``profile``.

    :raises ConfigurationError: no such profile.
    """
    profiles = kpi_profiles()
    if profile not in profiles:
        raise ConfigurationError(f"no KPI profile {profile!r}; shipped: {', '.join(profiles)}")
    scales: dict[str, Any] = dict(profiles[profile])
    performance = dataclasses.replace(policy.performance, **scales)
    return dataclasses.replace(policy, profile=profile, performance=performance)
