"""Raw uploads kept by content, each supplier's submissions, and the buyer's performance records."""

from __future__ import annotations

import hashlib

from sqlalchemy import select
from sqlalchemy.orm import Session

from .database import insert_ignore
from .models import Blob, PerformanceRecord, Submission, utcnow


def keep_blob(session: Session, data: bytes) -> str:
    """Store ``data`` once under its SHA-256 (a second copy of the same bytes adds nothing); its digest."""
    digest = hashlib.sha256(data).hexdigest()
    insert_ignore(
        session, Blob, {"sha256": digest, "size": len(data), "data": data, "created_at": utcnow()}, ["sha256"]
    )
    return digest


def blob(session: Session, digest: str) -> bytes:
    row = session.get(Blob, digest)
    if row is None:
        raise LookupError(f"the stored upload {digest} is missing")
    return row.data


def find(session: Session, supplier_id: str, file_sha256: str) -> Submission | None:
    return session.scalars(
        select(Submission).where(Submission.supplier_id == supplier_id, Submission.file_sha256 == file_sha256)
    ).first()


def latest(session: Session, supplier_id: str) -> Submission | None:
    return session.scalars(
        select(Submission).where(Submission.supplier_id == supplier_id).order_by(Submission.id.desc())
    ).first()


def latest_performance(session: Session, supplier_id: str) -> PerformanceRecord | None:
    return session.scalars(
        select(PerformanceRecord)
        .where(PerformanceRecord.supplier_id == supplier_id)
        .order_by(PerformanceRecord.id.desc())
    ).first()
