"""Immutable domain objects: what a supplier submits and what an assessment says.

Terms used throughout:

- *submission*: what one supplier hands in — answers to a questionnaire, its
  certificates, and (from the buyer) performance data.
- *evidence*: what one plugin says about one outcome — a score proposal, the
  assurance behind it, findings and knockouts.
- *assurance*: which kind of evidence stands behind an outcome's score, from weakest
  to strongest: ``self_declared`` (the supplier's word), ``evidenced`` (answers cite
  documents), ``certified`` (a valid, accredited ISO 9001 certificate),
  ``verified`` (a registry confirmed that certificate), ``observed`` (the buyer's
  own delivery and quality data).
- *finding*: a gap worth reporting, with a severity; findings become corrective
  actions.
- *knockout*: an answer that makes qualification impossible whatever the scores.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field

from .outcomes import OUTCOME_IDS

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
QUESTION_TYPES: tuple[str, ...] = ("choice", "maturity", "number", "text")
NOT_APPLICABLE = "n/a"

AnswerValue = str | float | None


# --- the questionnaire -------------------------------------------------------------


@dataclass(frozen=True)
class Option:
    """One answer a choice or maturity question offers."""

    value: str
    label: str
    points: float


@dataclass(frozen=True)
class Band:
    """A scoring band of a number question: ``min`` ≤ answer < ``max`` earns ``points``."""

    min: float | None
    max: float | None
    points: float
    label: str = ""

    def contains(self, number: float) -> bool:
        return (self.min is None or number >= self.min) and (self.max is None or number < self.max)


@dataclass(frozen=True)
class EvidenceRule:
    """Whether an answer must cite a document, and what counts."""

    required: bool = False
    hint: str = ""


@dataclass(frozen=True)
class Question:
    """One question of a questionnaire, with how its answer scores."""

    id: str
    outcome: str
    text: str
    type: str
    clauses: tuple[str, ...] = ()
    guidance: str = ""
    options: tuple[Option, ...] = ()
    bands: tuple[Band, ...] = ()
    unit: str = ""
    weight: float = 1.0
    evidence: EvidenceRule = EvidenceRule()
    knockout: bool = False
    knockout_values: tuple[str, ...] = ()
    knockout_reason: str = ""
    na_allowed: bool = False

    @property
    def max_points(self) -> float:
        """The most an answer can earn; 0 for unscored (text) questions."""
        points = [o.points for o in self.options] + [b.points for b in self.bands]
        return max(points, default=0.0)

    @property
    def scored(self) -> bool:
        return self.max_points > 0 and self.weight > 0

    @property
    def choices(self) -> tuple[str, ...]:
        """Labels a supplier may pick, ``N/A`` last where allowed."""
        labels = tuple(o.label for o in self.options)
        return (*labels, "N/A") if self.na_allowed else labels


@dataclass(frozen=True)
class Questionnaire:
    """A versioned set of questions covering the outcomes A–I."""

    id: str
    version: str
    title: str
    questions: tuple[Question, ...]
    description: str = ""
    sha256: str = ""
    origin: str = ""
    by_id: Mapping[str, Question] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "by_id", {q.id: q for q in self.questions})

    def for_outcome(self, outcome_id: str) -> tuple[Question, ...]:
        return tuple(q for q in self.questions if q.outcome == outcome_id)

    @property
    def ref(self) -> QuestionnaireRef:
        return QuestionnaireRef(self.id, self.version)


# --- the submission ----------------------------------------------------------------


@dataclass(frozen=True)
class QuestionnaireRef:
    """Which questionnaire, at which version, a submission answers."""

    id: str
    version: str


@dataclass(frozen=True)
class Supplier:
    """Who the submission is about."""

    name: str
    id: str = ""
    scheme: str = ""
    country: str = ""
    contact: str = ""
    email: str = ""


@dataclass(frozen=True)
class Answer:
    """A supplier's answer to one question: the value, the evidence it cites, a comment."""

    value: AnswerValue
    evidence: str = ""
    comment: str = ""

    @property
    def not_applicable(self) -> bool:
        return isinstance(self.value, str) and self.value == NOT_APPLICABLE

    @property
    def blank(self) -> bool:
        return self.value is None or (isinstance(self.value, str) and not self.value.strip())


@dataclass(frozen=True)
class Certificate:
    """A management-system certificate as presented by the supplier."""

    standard: str
    number: str = ""
    holder: str = ""
    certification_body: str = ""
    accreditation_body: str = ""
    scope: str = ""
    iaf_codes: tuple[int, ...] = ()
    issued: dt.date | None = None
    expires: dt.date | None = None
    status: str = ""


@dataclass(frozen=True)
class Performance:
    """What the buyer measured of the supplier's deliveries over ``period_months``.

    Every measure is optional: ``None`` means "no data", never "perfect".
    """

    period_months: int = 12
    deliveries: int | None = None
    on_time_delivery_pct: float | None = None
    defect_ppm: float | None = None
    lots_received: int | None = None
    lots_rejected: int | None = None
    complaints: int | None = None
    complaints_closed: int | None = None
    corrective_actions_open: int | None = None
    corrective_actions_overdue: int | None = None
    previous_on_time_delivery_pct: float | None = None
    previous_defect_ppm: float | None = None
    extra: Mapping[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class Submission:
    """Everything known about one supplier for one assessment.

    ``locations`` maps a field (``answers.A1.value``) to where it came from in the
    source (``Questionnaire!D14``) so that feedback can point at the cell.
    """

    supplier: Supplier
    questionnaire: QuestionnaireRef
    answers: Mapping[str, Answer] = field(default_factory=dict)
    certificates: tuple[Certificate, ...] = ()
    performance: Performance | None = None
    source: str = field(default="", compare=False)
    sha256: str = field(default="", compare=False)
    locations: Mapping[str, str] = field(default_factory=dict, compare=False)

    def location(self, path: str) -> str:
        """Where ``path`` (``answers.A1.value``) came from: a cell, or a JSON path."""
        return self.locations.get(path) or f"$.{path}"


# --- what plugins say ----------------------------------------------------------------


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
    """

    check: str
    passed: bool
    message: str
    status: str | None = None
    verified_by: str | None = None


@dataclass(frozen=True)
class CertificateResult:
    """A certificate with the status its checks give it as of the assessment date."""

    certificate: Certificate
    status: str
    checks: tuple[CertificateCheck, ...] = ()
    verified_by: str | None = None

    @property
    def valid(self) -> bool:
        """Valid and accredited (an unaccredited certificate never has status ``valid``)."""
        return self.status == "valid"


@dataclass(frozen=True)
class Decision:
    """The overall result: score, qualified / conditional / not qualified, and why."""

    decision: str
    score: float
    reasons: tuple[str, ...] = ()
    knockouts: tuple[Knockout, ...] = ()


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
