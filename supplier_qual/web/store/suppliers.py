"""Suppliers in the register, and finding them by decision, weak outcome, expiring certificate or name."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Select, and_, exists, func, or_, select
from sqlalchemy.orm import Session, aliased

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


def search(
    session: Session, where: SupplierFilter, *, as_of: dt.date, after: str | None, limit: int
) -> tuple[list[SupplierRow], bool]:
    """Suppliers ordered by id, from after ``after``; the second value says whether more follow."""
    latest = latest_assessments().subquery()
    overrides = latest_overrides().subquery()
    assessment = aliased(Assessment)
    override = aliased(Override)
    statement = (
        select(Supplier, assessment, override)
        .outerjoin(latest, latest.c.supplier_id == Supplier.id)
        .outerjoin(assessment, assessment.id == latest.c.assessment_id)
        .outerjoin(overrides, overrides.c.assessment_id == assessment.id)
        .outerjoin(override, override.id == overrides.c.override_id)
        .order_by(Supplier.id)
        .limit(limit + 1)
    )
    if where.only is not None:
        statement = statement.where(Supplier.id == where.only)
    if after is not None:
        statement = statement.where(Supplier.id > after)
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
    rows = session.execute(statement).all()
    found = [SupplierRow(s, a, o) for s, a, o in rows[:limit]]
    return found, len(rows) > limit


def get(session: Session, supplier_id: str) -> SupplierRow | None:
    found, _ = search(session, SupplierFilter(only=supplier_id), as_of=dt.date.today(), after=None, limit=1)
    return found[0] if found else None
