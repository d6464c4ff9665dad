"""A tender, its lots and requirements, the bids it received, and each bidder's eligibility.

Terms used here:

- *tender*: a call for bids with a closing date, a contract end and the
  requirements a bidder must meet to be eligible; it may be divided into *lots*;
- *lot*: a part of a tender bid for and awarded on its own. A lot inherits the
  tender's requirements; a requirement the lot states of the same kind (and, for a
  certificate, the same standard; for an outcome, the same outcome) replaces the
  tender's, and the lot may add others;
- *requirement*: one condition of the tender, of a *kind* (see
  :data:`REQUIREMENT_KINDS`, and :mod:`supplier_qual.default_plugins.eligibility`
  for how each is judged);
- *criterion*: a requirement as tender systems state it (OCDS requirements
  extension, ProZorro, ESPD): met when any one of its requirement groups is met, a
  group when all its requirements are;
- *bid*: what one economic operator handed in for the tender: who it is, the lots
  it bids for, its answers to the tender's criteria and its declarations (an ESPD
  response), and the evidence behind them (its submission: questionnaire answers,
  certificates, performance data);
- *state*: each requirement is ``met``, ``not_met`` or ``cannot_tell`` (no
  evidence either way). A bidder is eligible only when every requirement is met;
  one not met makes it not eligible; otherwise a requirement that cannot be told
  leaves the bidder ``cannot_tell`` — never silently eligible or not.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field

from ..errors import TenderError
from . import Assessment, Certificate, Provenance, RequirementResult, Submission, Supplier

REQUIREMENT_KINDS: tuple[str, ...] = (
    "certificate",
    "min_overall",
    "min_outcome",
    "decision_at_least",
    "knockouts_passed",
    "performance",
    "max_age",
    "criterion",
)
MET, NOT_MET, CANNOT_TELL = "met", "not_met", "cannot_tell"
STATES: tuple[str, ...] = (MET, NOT_MET, CANNOT_TELL)


@dataclass(frozen=True)
class Requirement:
    """One requirement of a tender: its kind, its parameters and how the report names it.

    ``params`` by kind: ``certificate`` has ``standard``, ``accredited``,
    ``iaf_codes``, ``valid_through`` (a date or ``None``: valid on the evaluation
    date), ``valid_through_basis`` (``contract_end``, ``closing_date`` or ``date``)
    and, when a tender system asked for it, ``criterion`` (the
    :class:`Criterion` whose answers are the bidder's declaration); ``min_overall``
    has ``score``; ``min_outcome`` has ``outcome`` and ``score``;
    ``decision_at_least`` has ``decision``; ``knockouts_passed`` none;
    ``performance`` has ``measure``, ``bound`` (``min`` or ``max``) and ``value``;
    ``max_age`` has ``of`` (``submission`` or ``assessment``) and ``days``;
    ``criterion`` has ``criterion``.

    ``key`` identifies the requirement for lot inheritance (``certificate:ISO 9001``,
    ``min_outcome:G``); ``origin`` says where it was stated (a file, an ESPD criterion).
    """

    kind: str
    params: Mapping[str, object]
    label: str
    key: str = ""
    origin: str = ""


@dataclass(frozen=True)
class CriterionRequirement:
    """One requirement of a criterion's group: what the bidder must answer.

    ``data_type`` is ``boolean``, ``number``, ``integer``, ``string`` or
    ``date-time`` (OCDS names); ``expected`` the value that meets it, or
    ``minimum``/``maximum`` a range; with neither, any answer meets it.
    """

    id: str
    title: str
    data_type: str = "string"
    expected: object = None
    minimum: float | None = None
    maximum: float | None = None


@dataclass(frozen=True)
class CriterionGroup:
    """A group of requirements, all of which must be met."""

    id: str
    requirements: tuple[CriterionRequirement, ...]
    description: str = ""


@dataclass(frozen=True)
class Criterion:
    """A criterion from a tender system: met when any one of its groups is met.

    ``standard`` names the management-system standard the criterion asks a
    certificate to (``ISO 9001``), when it does; ``classification`` its code
    (``CRITERION.SELECTION…``, an ESPD criterion UUID) when given.
    """

    id: str
    title: str
    groups: tuple[CriterionGroup, ...]
    description: str = ""
    classification: str = ""
    standard: str = ""


@dataclass(frozen=True)
class Lot:
    """A lot of a tender with the requirements that apply to it (the tender's, as the lot changes them)."""

    id: str
    title: str = ""
    requirements: tuple[Requirement, ...] = ()
    closing_date: dt.date | None = None
    contract_end: dt.date | None = None


@dataclass(frozen=True)
class Declaration:
    """What a bidder declares about a certificate in its bid (an ESPD answer, a criterion response).

    ``holds`` is the answer ("yes, I can produce the certificates"); ``explanation``
    what the bidder says instead when it cannot (the ESPD's "if not, explain why").
    """

    standard: str
    holds: bool
    explanation: str = ""
    source: str = ""


@dataclass(frozen=True)
class Bid:
    """One bid: who, for which lots, what it declares and answers, and the evidence behind it.

    ``identifiers`` are ``SCHEME-ID`` strings (``GB-COH-01234567``); ``lots`` the
    lots bid for (empty: every lot); ``responses`` the answers to the tender's
    criteria by requirement id; ``certificates`` certificates it only declares
    (marked ``declared``); ``submission`` the supplier's questionnaire answers,
    certificates and performance data, when it gave them; ``assessment`` an
    earlier assessment it carries instead. ``role`` is the ESPD role (``sole``,
    ``group member``, ``subcontractor`` …); ``date`` the day the bid or its ESPD
    was issued; ``matched_by`` how the submission was matched to a bidder a tender
    system listed (``identifier`` or ``name``).
    """

    supplier: Supplier
    identifiers: tuple[str, ...] = ()
    lots: tuple[str, ...] = ()
    responses: Mapping[str, object] = field(default_factory=dict)
    declarations: tuple[Declaration, ...] = ()
    certificates: tuple[Certificate, ...] = ()
    submission: Submission | None = None
    assessment: Assessment | None = None
    role: str = ""
    date: dt.date | None = None
    id: str = ""
    sources: tuple[str, ...] = ()
    sha256: str = field(default="", compare=False)
    matched_by: str = ""

    @property
    def source(self) -> str:
        return ", ".join(self.sources)


@dataclass(frozen=True)
class Tender:
    """A tender, its lots, the requirements every bid must meet and the bidders a tender system lists.

    ``format`` names where it was read from (``yaml``, ``ocds``, ``espd``,
    ``prozorro``); ``based_on`` names the tender-system file a tender file adds
    its requirements to (see :func:`supplier_qual.schemas.tender.overlay`);
    ``bidders`` holds the bids the tender data itself lists (OCDS, ProZorro), each
    still to be matched to its submission; ``notes`` what the tender states that is
    not checked here (the report lists them).
    """

    id: str
    title: str
    closing_date: dt.date | None
    contract_end: dt.date | None
    requirements: tuple[Requirement, ...]
    lots: tuple[Lot, ...] = ()
    bidders: tuple[Bid, ...] = ()
    format: str = "yaml"
    notes: tuple[str, ...] = ()
    ocid: str = ""
    based_on: str = ""
    sha256: str = field(default="", compare=False)
    source: str = field(default="", compare=False)

    def lot(self, lot_id: str) -> Lot:
        """The lot with this id.

        :raises TenderError: the tender has no such lot (the error lists those it has).
        """
        for lot in self.lots:
            if lot.id == lot_id:
                return lot
        have = ", ".join(lot.id for lot in self.lots) or "none"
        raise TenderError(f"the tender has no lot {lot_id!r} (its lots: {have})", source=self.source)


@dataclass(frozen=True)
class Duplicate:
    """A bid given twice: the same file, or another bid from the same supplier. Counted once."""

    source: str
    same_as: str
    why: str


@dataclass(frozen=True)
class BidderResult:
    """One bidder for one lot (or the whole tender): eligible or not, and each requirement's state.

    ``state`` is ``met`` (eligible), ``not_met`` or ``cannot_tell``; ``to_supply``
    what the bidder must still supply to settle what cannot be told or to lift a
    conditional qualification; ``evidence`` is ``submission``, ``assessment``,
    ``declaration`` (the bid's own declarations only) or ``none``.
    """

    supplier: Supplier
    eligible: bool
    decision: str
    requirements: tuple[RequirementResult, ...]
    source: str
    score: float | None = 0.0
    state: str = ""
    lot: str | None = None
    identifiers: tuple[str, ...] = ()
    evidence: str = "submission"
    matched_by: str = ""
    to_supply: tuple[str, ...] = ()
    bid_id: str = ""

    def __post_init__(self) -> None:
        if not self.state:
            object.__setattr__(self, "state", MET if self.eligible else NOT_MET)


@dataclass(frozen=True)
class LotSummary:
    """How many bidders a lot had and which are eligible."""

    id: str
    title: str
    bidders: int
    eligible: tuple[str, ...]
    cannot_tell: tuple[str, ...]


@dataclass(frozen=True)
class Eligibility:
    """Every bid of a tender checked against its requirements as of one date, in the order given.

    With lots, ``bidders`` holds one entry per bidder and lot it bids for (lot by
    lot); ``lot`` is the one lot asked for, if any. ``duplicates`` lists bids given
    twice (counted once); ``notices`` what the tender officer should know about the
    inputs (a submission that matches no listed bidder, a bidder's role).
    """

    tender: Tender
    as_of: dt.date
    bidders: tuple[BidderResult, ...]
    provenance: Provenance | None = None
    lot: str | None = None
    duplicates: tuple[Duplicate, ...] = ()
    notices: tuple[str, ...] = ()

    @property
    def lots(self) -> tuple[LotSummary, ...]:
        """Per lot checked: the bidders counted and the eligible ones, by name."""
        summaries = []
        for lot in self.tender.lots:
            entries = [b for b in self.bidders if b.lot == lot.id]
            if self.lot is not None and lot.id != self.lot:
                continue
            summaries.append(
                LotSummary(
                    lot.id,
                    lot.title,
                    len(entries),
                    tuple(b.supplier.name for b in entries if b.eligible),
                    tuple(b.supplier.name for b in entries if b.state == CANNOT_TELL),
                )
            )
        return tuple(summaries)


def combined_state(states: list[str]) -> str:
    """One not met makes ``not_met``; otherwise one that cannot be told makes ``cannot_tell``; else ``met``."""
    if NOT_MET in states:
        return NOT_MET
    if CANNOT_TELL in states:
        return CANNOT_TELL
    return MET
