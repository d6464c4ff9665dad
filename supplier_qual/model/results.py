"""What plugins say and what an assessment concludes: evidence, findings, decisions."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Mapping
from dataclasses import dataclass, field

from ..outcomes import OUTCOME_IDS
from .questionnaire import QuestionnaireRef
from .submission import Certificate, Performance, ScopeOfSupply, Supplier

ASSURANCE_LEVELS: tuple[str, ...] = ("self_declared", "evidenced", "certified", "verified", "observed")
SEVERITIES: tuple[str, ...] = ("critical", "major", "minor", "observation")
DECISIONS: tuple[str, ...] = ("not_qualified", "conditional", "qualified")
LIMIT_KINDS: tuple[str, ...] = (
    "knockout",
    "critical_answer",
    "score",
    "kpi_gate",
    "integrity",
    "certificate",
    "counterfeit",
    "scope",
)
CERTIFICATE_STATUSES: tuple[str, ...] = (
    "valid",
    "expired",
    "not_yet_valid",
    "suspended",
    "withdrawn",
    "unaccredited",
    "obsolete_standard",
    "invalid",
)


@dataclass(frozen=True)
class Finding:
    """A gap against an outcome, with a severity (critical, major, minor, observation).

    ``action`` is what the supplier should do about it, worded for a corrective-action
    request; empty when the finding needs no action of its own.
    """

    outcome: str
    severity: str
    message: str
    question: str = ""
    source: str = ""
    action: str = ""


@dataclass(frozen=True)
class Knockout:
    """An answer that makes qualification impossible."""

    outcome: str
    question: str
    reason: str
    answer: str = ""


@dataclass(frozen=True)
class Limit:
    """Something that caps the decision, whatever the scores: *at best* ``cap``.

    ``cap`` is ``conditional`` or ``not_qualified``; ``kind`` one of
    :data:`LIMIT_KINDS` (a KPI gate, a critical answer, a certificate that does not
    count …) or a plugin's own; ``reason`` is worded for the buyer's file and names
    the figures and thresholds that decided; ``value`` and ``threshold`` are those
    figures where there are any (a score and its minimum, a measure and its gate).
    """

    cap: str
    kind: str
    reason: str
    outcome: str = ""
    source: str = ""
    value: float | None = None
    threshold: float | None = None


@dataclass(frozen=True)
class Evidence:
    """What one plugin contributes to one outcome.

    ``score`` (0–100) is a proposal weighed against other evidence with ``weight``;
    ``None`` contributes no score, only ``assurance``, findings and knockouts.
    ``assurance`` is the level this evidence supports, or ``None`` when it supports none.
    ``detail`` carries the figures behind the proposal, for the report.
    ``limits`` cap the decision (a KPI past its gate, a critical answer …);
    ``not_checked`` says what this evidence could not check, in the buyer's words.
    """

    source: str
    assurance: str | None
    score: float | None = None
    weight: float = 1.0
    findings: tuple[Finding, ...] = ()
    knockouts: tuple[Knockout, ...] = ()
    detail: Mapping[str, float | str] = field(default_factory=dict)
    limits: tuple[Limit, ...] = ()
    not_checked: tuple[str, ...] = ()


@dataclass(frozen=True)
class OutcomeResult:
    """An outcome's score, the assurance behind it and what was found."""

    id: str
    title: str
    score: float
    assurance: str
    findings: tuple[Finding, ...] = ()
    knockouts: tuple[Knockout, ...] = ()
    evidence: tuple[Evidence, ...] = ()
    limits: tuple[Limit, ...] = ()
    not_checked: tuple[str, ...] = ()


@dataclass(frozen=True)
class CertificateCheck:
    """One rule applied to one certificate.

    A failed check names the certificate ``status`` it implies; ``verified_by`` names
    the registry when the check is a registry's confirmation.

    ``aspect`` groups checks for the report (``rules``, ``accreditation``, ``scope``,
    ``registry``); ``verdict`` is a scope or registry check's answer (``covers``,
    ``does_not_cover``, ``cannot_tell``; ``confirmed``, ``differs``, ``not_found``,
    ``unavailable``); ``source`` names who made the check (a registry). A failed
    ``advisory`` check is reported but leaves the status alone; ``red_flag`` marks a
    sign of a counterfeit or worthless certificate; ``supersedes`` names checks whose
    failure this passed check overrides (a registry's accreditation answer beats the
    shipped list); ``holds_until`` is the last day this check's answer stays true.
    """

    check: str
    passed: bool
    message: str
    status: str | None = None
    verified_by: str | None = None
    aspect: str = "rules"
    verdict: str | None = None
    source: str = ""
    advisory: bool = False
    red_flag: bool = False
    supersedes: tuple[str, ...] = ()
    holds_until: dt.date | None = None
    counterfeit: bool = False


@dataclass(frozen=True)
class CertificateResult:
    """A certificate with the status its checks give it as of the assessment date.

    ``scope`` says whether the certificate covers what is bought (``covers``,
    ``does_not_cover``, ``cannot_tell``; ``None`` when nothing was required);
    ``registry`` what registries said (``confirmed``, ``differs``, ``not_found``,
    ``unavailable``; ``None`` when none was asked); ``valid_until`` the last day on
    which this result holds (expiry, surveillance due …), ``None`` when it holds
    for good. ``family`` is the management-system standard (``ISO 9001``,
    ``ISO 14001``, ``IATF 16949`` …, empty when not recognised) and ``qualifying``
    whether the policy accepts that standard for qualification (ISO 9001, or one
    accepted in its place).
    """

    certificate: Certificate
    status: str
    checks: tuple[CertificateCheck, ...] = ()
    verified_by: str | None = None
    scope: str | None = None
    registry: str | None = None
    valid_until: dt.date | None = None
    family: str = "ISO 9001"
    qualifying: bool = True

    @property
    def red_flags(self) -> tuple[CertificateCheck, ...]:
        """The failed checks that are signs of a counterfeit or worthless certificate."""
        return tuple(c for c in self.checks if c.red_flag and not c.passed)

    @property
    def valid(self) -> bool:
        """Valid and accredited (an unaccredited certificate never has status ``valid``)."""
        return self.status == "valid"

    @functools.cached_property
    def untrusted(self) -> tuple[CertificateCheck, ...]:
        """The failed checks that stop a valid certificate from counting: trust checks and red flags.

        A failure another passed check supersedes (a registry confirming a declared
        certificate) does not count.
        """
        superseded = {name for c in self.checks if c.passed for name in c.supersedes}
        return tuple(
            c for c in self.checks if not c.passed and (c.aspect == "trust" or c.red_flag) and c.check not in superseded
        )

    @functools.cached_property
    def counterfeit(self) -> tuple[CertificateCheck, ...]:
        """The failed checks suggesting the certificate is not the supplier's (suspected counterfeit)."""
        return tuple(c for c in self.checks if not c.passed and c.counterfeit)

    @functools.cached_property
    def counts(self) -> bool:
        """Valid, to a qualifying standard, trusted, and covering what is supplied.

        A scope of *cannot tell* is not covered. With no scope of supply stated
        (``scope`` is ``None``) nothing contradicts the certificate; the decision
        then says that the scope could not be checked.
        """
        return (
            self.valid
            and self.qualifying
            and not self.untrusted
            and not self.counterfeit
            and self.scope not in ("does_not_cover", "cannot_tell")
        )


@dataclass(frozen=True)
class Decision:
    """The overall result: score, qualified / conditional / not qualified, and why.

    ``reasons`` are what decided; ``limits`` everything that capped the decision (the
    weakest links, each with its cap); ``not_checked`` what could not be checked;
    ``thresholds`` the score lines the policy drew (``qualified_outcome``,
    ``qualified_overall``, ``not_qualified_outcome``, ``not_qualified_overall``), for
    reports to show.
    """

    decision: str
    score: float
    reasons: tuple[str, ...] = ()
    knockouts: tuple[Knockout, ...] = ()
    limits: tuple[Limit, ...] = ()
    not_checked: tuple[str, ...] = ()
    thresholds: Mapping[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class RequirementResult:
    """Whether a bidder meets one tender requirement, and why, worded for the evaluation report.

    ``state`` is ``met``, ``not_met`` or ``cannot_tell`` (no evidence either way);
    left out, it follows ``met``. ``met`` is true only for ``met``.
    """

    requirement: str
    met: bool
    reason: str
    state: str = ""

    def __post_init__(self) -> None:
        if not self.state:
            object.__setattr__(self, "state", "met" if self.met else "not_met")
        elif self.met != (self.state == "met"):
            raise ValueError(f"a requirement {self.state!r} cannot have met={self.met}")


@dataclass(frozen=True)
class CorrectiveAction:
    """What the supplier must do about a finding, and within how many days."""

    outcome: str
    finding: str
    action: str
    due_days: int
    severity: str = "minor"
    question: str = ""


@dataclass(frozen=True)
class Provenance:
    """Enough to reproduce an assessment at audit time."""

    engine_version: str
    plugins: tuple[tuple[str, str], ...]
    input_sha256: str
    questionnaire_sha256: str
    policy: str = "default"
    policy_sha256: str = ""


@dataclass(frozen=True)
class Assessment:
    """The result of assessing one submission as of one date."""

    supplier: Supplier
    questionnaire: QuestionnaireRef
    as_of: dt.date
    outcomes: Mapping[str, OutcomeResult]
    certificates: tuple[CertificateResult, ...] = ()
    decision: Decision | None = None
    corrective_actions: tuple[CorrectiveAction, ...] = ()
    performance: Performance | None = None
    provenance: Provenance | None = None
    scope_of_supply: ScopeOfSupply | None = None

    @property
    def limits(self) -> tuple[Limit, ...]:
        """Every limit the outcomes' evidence set, outcome by outcome."""
        return tuple(lim for oid in OUTCOME_IDS if oid in self.outcomes for lim in self.outcomes[oid].limits)

    @property
    def knockouts(self) -> tuple[Knockout, ...]:
        return tuple(k for oid in OUTCOME_IDS if oid in self.outcomes for k in self.outcomes[oid].knockouts)

    @property
    def findings(self) -> tuple[Finding, ...]:
        return tuple(f for oid in OUTCOME_IDS if oid in self.outcomes for f in self.outcomes[oid].findings)


@dataclass(frozen=True)
class CertificateReport:
    """Certificates checked on their own, as ``supplier-qual verify`` reports them."""

    as_of: dt.date
    certificates: tuple[CertificateResult, ...]
    provenance: Provenance | None = None
