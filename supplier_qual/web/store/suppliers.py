"""Suppliers in the register, and finding them by decision, weak outcome, expiring certificate or name."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, and_, case, exists, func, or_, select
from sqlalchemy.orm import Session, aliased, defer

from .models import Assessment, AssessmentCertificate, AssessmentScore, Override, Supplier


@dataclass(frozen=True)
class SupplierFilter:
    """What ``GET /suppliers`` narrows the register to; every part optional."""

    decision: str | None = None
    outcome: str | None = None
    below: float | None = None
    expiring_within: int | None = None
    text: str | None = None
    only: str | None = None


@dataclass(frozen=True)
class SupplierRow:
    """A supplier with its latest assessment and that assessment's latest override, if any."""

    supplier: Supplier
    latest: Assessment | None
    override: Override | None


def latest_assessments() -> Select[str, int]:
    """Each supplier's latest assessment id."""
    return select(Assessment.supplier_id, func.max(Assessment.id).label("assessment_id")).group_by(
        Assessment.supplier_id
    )


def latest_overrides() -> Select[int, int]:
    return select(Override.assessment_id, func.max(Override.id).label("override_id")).group_by(Override.assessment_id)


Listing = Select[Supplier, Assessment, Override]

#: How the register can be ordered: the supplier's name or id, the effective decision (an override counts), the
#: latest overall score, the weakest outcome's score, or the soonest certificate expiry.
SORTS = ("id", "name", "decision", "score", "weakest", "expiry")
_DECISION_RANK = {"qualified": 0, "conditional": 1, "not_qualified": 2}


# Built once: aliasing an entity or a subquery copies every column, which costs more than running the query.
_LATEST = latest_assessments().subquery("latest")
_OVERRIDES = latest_overrides().subquery("latest_overrides")
_ASSESSMENT = aliased(Assessment, name="latest_assessment")
_OVERRIDE = aliased(Override, name="latest_override")
_WEAKEST = (
    select(AssessmentScore.assessment_id, func.min(AssessmentScore.score).label("score"))
    .group_by(AssessmentScore.assessment_id)
    .subquery("weakest")
)
_SOONEST = (
    select(AssessmentCertificate.assessment_id, func.min(AssessmentCertificate.expires).label("expires"))
    .group_by(AssessmentCertificate.assessment_id)
    .subquery("soonest")
)


def _statement(where: SupplierFilter, as_of: dt.date) -> tuple[Listing, Any, Any]:
    """The filtered register (suppliers, latest assessment, its latest override) and the two aliases."""
    latest, overrides, assessment, override = _LATEST, _OVERRIDES, _ASSESSMENT, _OVERRIDE
    statement = (
        select(Supplier, assessment, override)
        .outerjoin(latest, latest.c.supplier_id == Supplier.id)
        .outerjoin(assessment, assessment.id == latest.c.assessment_id)
        .outerjoin(overrides, overrides.c.assessment_id == assessment.id)
        .outerjoin(override, override.id == overrides.c.override_id)
        # The stored result and report stay behind (read them with store.assessments.results): sorting a
        # thousand rows that carry them would move megabytes for a page of 25.
        .options(defer(assessment.result_json, raiseload=True), defer(assessment.result_text, raiseload=True))
    )
    if where.only is not None:
        statement = statement.where(Supplier.id == where.only)
    if where.decision:
        statement = statement.where(func.coalesce(override.decision, assessment.decision) == where.decision)
    if where.outcome and where.below is not None:
        statement = statement.where(
            exists().where(
                and_(
                    AssessmentScore.assessment_id == assessment.id,
                    AssessmentScore.outcome == where.outcome,
                    AssessmentScore.score < where.below,
                )
            )
        )
    elif where.below is not None:
        statement = statement.where(
            exists().where(and_(AssessmentScore.assessment_id == assessment.id, AssessmentScore.score < where.below))
        )
    if where.expiring_within is not None:
        until = as_of + dt.timedelta(days=where.expiring_within)
        statement = statement.where(
            exists().where(
                and_(AssessmentCertificate.assessment_id == assessment.id, AssessmentCertificate.expires <= until)
            )
        )
    if where.text:
        needle = where.text.lower()
        statement = statement.where(
            or_(
                func.lower(Supplier.name).contains(needle, autoescape=True),
                func.lower(Supplier.id).contains(needle, autoescape=True),
            )
        )
    return statement, assessment, override


def _ordered(statement: Listing, assessment: Any, override: Any, sort: str, descending: bool) -> Listing:
    if sort not in SORTS:
        raise ValueError(f"cannot sort the register by {sort!r}")
    if sort == "id":
        return statement.order_by(Supplier.id.desc() if descending else Supplier.id)
    key: Any
    if sort == "name":
        key = func.lower(Supplier.name)
    elif sort == "decision":
        key = case(_DECISION_RANK, value=func.coalesce(override.decision, assessment.decision), else_=None)
    elif sort == "score":
        key = assessment.overall_score
    elif sort == "weakest":
        statement = statement.outerjoin(_WEAKEST, _WEAKEST.c.assessment_id == assessment.id)
        key = _WEAKEST.c.score
    else:
        statement = statement.outerjoin(_SOONEST, _SOONEST.c.assessment_id == assessment.id)
        key = _SOONEST.c.expires
    # Suppliers without the figure come last either way; the id keeps equal figures in a stable order.
    return statement.order_by((key.desc() if descending else key.asc()).nulls_last(), Supplier.id)


def search(
    session: Session,
    where: SupplierFilter,
    *,
    as_of: dt.date,
    after: str | None,
    limit: int,
    sort: str = "id",
    descending: bool = False,
    offset: int = 0,
) -> tuple[list[SupplierRow], bool]:
    """Suppliers ordered by id from after ``after`` (or by ``sort``, skipping ``offset``); whether more follow.

    One query, whatever the filter and the order: the latest assessment and override come joined.
    """
    statement, assessment, override = _statement(where, as_of)
    if after is not None:
        statement = statement.where(Supplier.id > after)
    statement = _ordered(statement, assessment, override, sort, descending).limit(limit + 1)
    if offset:
        statement = statement.offset(offset)
    rows = session.execute(statement).all()
    found = [SupplierRow(s, a, o) for s, a, o in rows[:limit]]
    return found, len(rows) > limit


def count(session: Session, where: SupplierFilter, *, as_of: dt.date) -> int:
    """How many suppliers ``where`` lets through (for numbering pages)."""
    if not (where.decision or where.below is not None or where.expiring_within is not None):
        # Nothing to look up in the assessments: count the suppliers alone.
        statement: Select[Any] = select(Supplier.id)
        if where.only is not None:
            statement = statement.where(Supplier.id == where.only)
        if where.text:
            needle = where.text.lower()
            statement = statement.where(
                or_(
                    func.lower(Supplier.name).contains(needle, autoescape=True),
                    func.lower(Supplier.id).contains(needle, autoescape=True),
                )
            )
        return int(session.execute(select(func.count()).select_from(statement.subquery())).scalar_one())
    filtered, _, _ = _statement(where, as_of)
    found = session.execute(select(func.count()).select_from(filtered.with_only_columns(Supplier.id).subquery()))
    return int(found.scalar_one())


def get(session: Session, supplier_id: str) -> SupplierRow | None:
    found, _ = search(session, SupplierFilter(only=supplier_id), as_of=dt.date.today(), after=None, limit=1)
    return found[0] if found else None
