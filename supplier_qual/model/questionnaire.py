"""A questionnaire as data: questions, their answer options or bands, and how they score."""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass, field

from ..outcomes import OUTCOME_IDS

QUESTION_TYPES: tuple[str, ...] = ("choice", "maturity", "number", "text")
NA_CONTRADICTIONS: tuple[str, ...] = ("complaints", "special_processes")
"""What can make a "not applicable" answer untrue (see :attr:`Question.na_contradicted_by`)."""
LARGEST = 1e15
"""No answer is larger in magnitude, whatever its question."""
UNIT_MAXIMUM = {"%": 100.0, "ppm": 1_000_000.0}
"""The highest value a unit allows: a share cannot exceed the whole."""


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
    """One question of a questionnaire, with how its answer scores.

    A *critical* question is a ``knockout``: an answer among ``knockout_values`` (its
    worst) makes the supplier not qualified, one among ``conditional_values`` (a
    middle answer) leaves it at best conditional. ``mirrors`` names the KPI the
    buyer also measures (``defect_ppm``): the measured figure is scored in place of
    the declared one, and a declared figure much better than the measurement is an
    integrity finding. ``na_contradicted_by`` names what, when known, makes "N/A"
    untrue: ``complaints`` (the buyer logged complaints) or ``special_processes`` (a
    certificate's scope names welding, plating …).
    """

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
    conditional_values: tuple[str, ...] = ()
    mirrors: str = ""
    na_contradicted_by: tuple[str, ...] = ()
    range_min: float | None = None
    range_max: float | None = None
    """The answers a number question accepts, as the questionnaire states them; see :attr:`answer_range`."""

    @functools.cached_property
    def answer_range(self) -> tuple[float, float]:
        """The lowest and highest answer a number question accepts.

        What the questionnaire states (``range: {min, max}``), else what the question
        already declares: its lowest scoring band starts the scale (a count or a share
        cannot go below it), a percentage ends at 100 and a ppm figure at 1,000,000.
        Every answer is finite and within ±10^15 whatever the question says.
        """
        mins = [band.min for band in self.bands]
        low = self.range_min
        if low is None and mins and None not in mins:
            low = min(m for m in mins if m is not None)
        high = self.range_max
        if high is None:
            high = UNIT_MAXIMUM.get(self.unit)
        return (-LARGEST if low is None else low, LARGEST if high is None else high)

    @functools.cached_property
    def max_points(self) -> float:
        """The most an answer can earn; 0 for unscored (text) questions."""
        points = [o.points for o in self.options] + [b.points for b in self.bands]
        return max(points, default=0.0)

    @functools.cached_property
    def scored(self) -> bool:
        return self.max_points > 0 and self.weight > 0

    @functools.cached_property
    def points_by_value(self) -> Mapping[str, float]:
        """Each option's points, by option value."""
        return {o.value: o.points for o in self.options}

    @functools.cached_property
    def option_lookup(self) -> Mapping[str, str]:
        """Option values by their value or label folded to lower case."""
        lookup = {o.label.casefold(): o.value for o in self.options}
        lookup.update({o.value.casefold(): o.value for o in self.options})
        return lookup

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
    by_outcome: Mapping[str, tuple[Question, ...]] = field(init=False, repr=False, compare=False)
    normalised: dict[tuple[str, str], str | float | None] = field(init=False, repr=False, compare=False)
    """Text answers already put in their question's terms, by question id and answer (a memo of
    :func:`supplier_qual.questionnaire.check_answers`; the questionnaire itself never changes)."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "normalised", {})
        object.__setattr__(self, "by_id", {q.id: q for q in self.questions})
        grouped = {oid: tuple(q for q in self.questions if q.outcome == oid) for oid in OUTCOME_IDS}
        object.__setattr__(self, "by_outcome", grouped)

    def for_outcome(self, outcome_id: str) -> tuple[Question, ...]:
        return self.by_outcome.get(outcome_id, ())

    @property
    def ref(self) -> QuestionnaireRef:
        return QuestionnaireRef(self.id, self.version)


@dataclass(frozen=True)
class QuestionnaireRef:
    """Which questionnaire, at which version, a submission answers."""

    id: str
    version: str
