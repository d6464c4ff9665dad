"""What plugins say and what an assessment concludes: evidence, findings, decisions."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field

from ..outcomes import OUTCOME_IDS
from .questionnaire import QuestionnaireRef
from .submission import Certificate, Performance, Supplier

ASSURANCE_LEVELS: tuple[str, ...] = ("self_declared", "evidenced", "certified", "verified", "observed")
SEVERITIES: tuple[str, ...] = ("critical", "major", "minor", "observation")
DECISIONS: tuple[str, ...] = ("not_qualified", "conditional", "qualified")
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
class Evidence:
    """What one plugin contributes to one outcome.

    ``score`` (0–100) is a proposal weighed against other evidence with ``weight``;
    ``None`` contributes no score, only ``assurance``, findings and knockouts.
    ``assurance`` is the level this evidence supports, or ``None`` when it supports none.
    ``detail`` carries the figures behind the proposal, for the report.
    """

    source: str
    assurance: str | None
    score: float | None = None
    weight: float = 1.0
    findings: tuple[Finding, ...] = ()
    knockouts: tuple[Knockout, ...] = ()
    detail: Mapping[str, float | str] = field(default_factory=dict)


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


@dataclass(frozen=True)
class CertificateResult:
    """A certificate with the status its checks give it as of the assessment date.

    ``scope`` says whether the certificate covers what is bought (``covers``,
    ``does_not_cover``, ``cannot_tell``; ``None`` when nothing was required);
    ``registry`` what registries said (``confirmed``, ``differs``, ``not_found``,
    ``unavailable``; ``None`` when none was asked); ``valid_until`` the last day on
    which this result holds (expiry, surveillance due …), ``None`` when it holds
    for good.
    """

    certificate: Certificate
    status: str
    checks: tuple[CertificateCheck, ...] = ()
    verified_by: str | None = None
    scope: str | None = None
    registry: str | None = None
    valid_until: dt.date | None = None

    @property
    def red_flags(self) -> tuple[CertificateCheck, ...]:
        """The failed checks that are signs of a counterfeit or worthless certificate."""
        return tuple(c for c in self.checks if c.red_flag and not c.passed)

    @property
    def valid(self) -> bool:
        """Valid and accredited (an unaccredited certificate never has status ``valid``)."""
        return self.status == "valid"

    @property
    def counts(self) -> bool:
        """Valid, and not known to miss what is bought: the certificate counts for qualification."""
        return self.valid and self.scope != "does_not_cover"


@dataclass(frozen=True)
class Decision:
    """The overall result: score, qualified / conditional / not qualified, and why."""

    decision: str
    score: float
    reasons: tuple[str, ...] = ()
    knockouts: tuple[Knockout, ...] = ()


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
