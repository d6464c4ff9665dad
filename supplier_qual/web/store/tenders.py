"""Tenders in the register and their eligibility runs, for the tender officer's pages."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from .models import EligibilityRun, Tender


@dataclass(frozen=True)
class TenderRow:
    """A tender with how many eligibility runs it has and its latest run's id."""

    tender: Tender
    runs: int
    latest_run: int | None


def listing(session: Session, *, text: str | None = None, limit: int = 200) -> list[TenderRow]:
    """Tenders, newest first (then by id), optionally those whose reference or title contains ``text``."""
    counts = (
        select(
            EligibilityRun.tender_id,
            func.count(EligibilityRun.id).label("runs"),
            func.max(EligibilityRun.id).label("latest"),
        )
        .group_by(EligibilityRun.tender_id)
        .subquery()
    )
    statement = (
        select(Tender, counts.c.runs, counts.c.latest)
        .outerjoin(counts, counts.c.tender_id == Tender.id)
        .order_by(Tender.created_at.desc(), Tender.id)
        .limit(limit)
    )
    if text:
        needle = text.lower()
        statement = statement.where(
            func.lower(Tender.id).contains(needle, autoescape=True)
            | func.lower(Tender.title).contains(needle, autoescape=True)
        )
    return [TenderRow(t, int(runs or 0), latest) for t, runs, latest in session.execute(statement).all()]


def run_of(session: Session, tender_id: str, run_id: int) -> EligibilityRun | None:
    """The eligibility run ``run_id`` of ``tender_id`` (``None`` when it is another tender's, or none)."""
    found = session.get(EligibilityRun, run_id)
    return found if found is not None and found.tender_id == tender_id else None
