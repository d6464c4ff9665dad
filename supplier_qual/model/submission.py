"""What one supplier hands in: who it is, its answers, certificates and performance data."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field

from .questionnaire import Questionnaire, QuestionnaireRef

NOT_APPLICABLE = "n/a"

AnswerValue = str | float | None


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
class Template:
    """The blank self-assessment for ``questionnaire``, with ``supplier``'s details filled in when given.

    Rendered as ``xlsx`` by the Excel adapter (``render(Template(q, s), "xlsx")``): the
    template a supplier downloads, fills in and uploads.
    """

    questionnaire: Questionnaire
    supplier: Supplier | None = None


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


_ANSWERS: dict[tuple[type, AnswerValue, str, str], Answer] = {}
_MOST_ANSWERS = 8192


def answer_of(value: AnswerValue, evidence: str = "", comment: str = "") -> Answer:
    """``Answer(value, evidence, comment)``, the same object for the same answer (it is frozen):
    most answers repeat from one submission to the next."""
    key = (value.__class__, value, evidence, comment)
    try:
        found = _ANSWERS.get(key)
    except TypeError:  # not hashable: not of the JSON a submission holds
        return Answer(value, evidence, comment)
    if found is None:
        if len(_ANSWERS) >= _MOST_ANSWERS:
            _ANSWERS.clear()
        found = _ANSWERS[key] = Answer(value, evidence, comment)
    return found


@dataclass(frozen=True)
class Site:
    """A site a certificate covers: where it is, what is done there, and (``name``) whose it is."""

    city: str = ""
    country: str = ""
    address: str = ""
    scope: str = ""
    main: bool = False
    name: str = ""


@dataclass(frozen=True)
class Certificate:
    """A management-system certificate as presented by the supplier.

    ``country`` is the certified entity's country (name or ISO code); ``sites`` the
    main and additional sites the certificate lists; ``registry_id`` a registry's
    own id for it (an IAF CertSearch ``cert_…``), when printed on the certificate;
    ``consultant`` whoever helped the supplier build its QMS, when declared;
    ``holder_id`` the holder's company identifier (``GB-COH-04567123``), when printed;
    ``evidence_url`` where the certificate can be seen (the link a bid document gives);
    ``declared`` marks a certificate the supplier only declared (an ESPD "yes"), with
    no document or registry to confirm it.
    """

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
    country: str = ""
    sites: tuple[Site, ...] = ()
    original_issued: dt.date | None = None
    last_surveillance: dt.date | None = None
    consultant: str = ""
    registry_id: str = ""
    holder_id: str = ""
    evidence_url: str = ""
    declared: bool = False


@dataclass(frozen=True)
class Performance:
    """What the buyer measured of the supplier's deliveries over ``period_months``.

    Every measure is optional: ``None`` means "no data", never "perfect".
    ``period_end`` is the last day of the period, when the buyer gives it.
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
    period_end: dt.date | None = None


@dataclass(frozen=True)
class ScopeOfSupply:
    """What the buyer buys from the supplier: the scope a qualification is for.

    ``description`` in words ("machined valve bodies"), ``iaf_codes`` (IAF sectors 1–39),
    ``nace`` (NACE Rev. 2 codes), ``sites`` the supplying sites (``"Leeds, GB"``) and
    ``keywords`` the words a certificate's scope must mention. ``source`` says where it
    was stated (``policy``, ``submission`` or both).
    """

    description: str = ""
    iaf_codes: tuple[int, ...] = ()
    nace: tuple[str, ...] = ()
    sites: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    source: str = ""

    @property
    def stated(self) -> bool:
        """Whether anything at all says what is supplied."""
        return bool(self.description or self.iaf_codes or self.nace or self.sites or self.keywords)


@dataclass(frozen=True)
class Submission:
    """Everything known about one supplier for one assessment.

    ``scope_of_supply`` is what the supplier says it supplies to the buyer, when
    stated (a buyer's policy may state it instead, and wins where both do).

    ``locations`` maps a field (``answers.A1.value``) to where it came from in the
    source (``Questionnaire!D14``) so that feedback can point at the cell.
    """

    supplier: Supplier
    questionnaire: QuestionnaireRef
    answers: Mapping[str, Answer] = field(default_factory=dict)
    certificates: tuple[Certificate, ...] = ()
    performance: Performance | None = None
    scope_of_supply: ScopeOfSupply | None = None
    source: str = field(default="", compare=False)
    sha256: str = field(default="", compare=False)
    locations: Mapping[str, str] = field(default_factory=dict, compare=False)

    def location(self, path: str) -> str:
        """Where ``path`` (``answers.A1.value``) came from: a cell, or a JSON path."""
        return self.locations.get(path) or f"$.{path}"
