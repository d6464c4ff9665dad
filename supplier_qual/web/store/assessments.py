"""Assessments as stored: never changed once written, with their scores, certificates and overrides."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from .models import Assessment, AssessmentCertificate, AssessmentScore, Override


def add(
    session: Session, row: Assessment, scores: dict[str, float], certificates: Sequence[AssessmentCertificate]
) -> Assessment:
    """Store one assessment with its outcome scores and certificates (for searching and the expiry watch)."""
    session.add(row)
    session.flush()
    session.add_all(AssessmentScore(assessment_id=row.id, outcome=k, score=v) for k, v in scores.items())
    for certificate in certificates:
        certificate.assessment_id = row.id
    session.add_all(certificates)
    return row


def of_submission(session: Session, submission_id: int) -> Assessment | None:
    """The latest assessment of a submission."""
    return session.scalars(
        select(Assessment).where(Assessment.submission_id == submission_id).order_by(Assessment.id.desc())
    ).first()


def of_supplier(session: Session, supplier_id: str, *, before: int | None, limit: int) -> list[Assessment]:
    """A supplier's assessments, newest first."""
    statement = select(Assessment).where(Assessment.supplier_id == supplier_id).order_by(Assessment.id.desc())
    if before is not None:
        statement = statement.where(Assessment.id < before)
    return list(session.scalars(statement.limit(limit)))


def latest_of(session: Session, supplier_id: str) -> Assessment | None:
    return session.scalars(
        select(Assessment).where(Assessment.supplier_id == supplier_id).order_by(Assessment.id.desc())
    ).first()


def overrides(session: Session, assessment_ids: Sequence[int]) -> dict[int, list[Override]]:
    """Each assessment's overrides, newest first."""
    found: dict[int, list[Override]] = {i: [] for i in assessment_ids}
    if not assessment_ids:
        return found
    rows = session.scalars(
        select(Override).where(Override.assessment_id.in_(assessment_ids)).order_by(Override.id.desc())
    )
    for row in rows:
        found[row.assessment_id].append(row)
    return found


def certificates_of(session: Session, assessment_ids: Sequence[int]) -> list[AssessmentCertificate]:
    if not assessment_ids:
        return []
    return list(
        session.scalars(
            select(AssessmentCertificate)
            .where(AssessmentCertificate.assessment_id.in_(assessment_ids))
            .order_by(AssessmentCertificate.id)
        )
    )


def results(session: Session, assessment_ids: Sequence[int]) -> dict[int, str]:
    """The stored result JSON of each assessment, in one query."""
    if not assessment_ids:
        return {}
    rows = session.execute(select(Assessment.id, Assessment.result_json).where(Assessment.id.in_(assessment_ids)))
    return {row[0]: row[1] for row in rows}
