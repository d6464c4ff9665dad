"""Stored rows as the API shows them."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..store import assessments
from ..store.models import Account, Assessment, Override, Submission, Supplier


def supplier(row: Supplier, latest: Assessment | None, override: Override | None) -> dict[str, Any]:
    return {
        "id": row.id,
        "name": row.name,
        "country": row.country,
        "contact": row.contact,
        "email": row.email,
        "notes": row.notes,
        "created_at": row.created_at,
        "updated_at": row.updated_at,
        "latest_assessment": None
        if latest is None
        else {
            "assessment_id": latest.id,
            "decision": override.decision if override is not None else latest.decision,
            "computed_decision": latest.decision,
            "overridden": override is not None,
            "overall_score": latest.overall_score,
            "as_of": latest.as_of,
            "assessed_at": latest.created_at,
        },
    }


def account_names(session: Session, ids: Sequence[int | None]) -> dict[int, str]:
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    return {row[0]: row[1] for row in session.execute(select(Account.id, Account.name).where(Account.id.in_(wanted)))}


def override(row: Override, computed: str, names: dict[int, str]) -> dict[str, Any]:
    return {
        "id": row.id,
        "assessment_id": row.assessment_id,
        "decision": row.decision,
        "computed_decision": computed,
        "reason": row.reason,
        "by": names.get(row.created_by, "") if row.created_by is not None else "command line",
        "created_at": row.created_at,
    }


def assessment_list(session: Session, rows: Sequence[Assessment]) -> list[dict[str, Any]]:
    """Assessments with their submissions and overrides, as the API shows them."""
    found = assessments.overrides(session, [r.id for r in rows])
    submission_ids = {r.submission_id for r in rows}
    uploads = {s.id: s for s in session.scalars(select(Submission).where(Submission.id.in_(submission_ids)))}
    names = account_names(session, [o.created_by for items in found.values() for o in items])
    return [_assessment(r, uploads[r.submission_id], found[r.id], names) for r in rows]


def assessment(session: Session, row: Assessment) -> dict[str, Any]:
    return assessment_list(session, [row])[0]


def _assessment(
    row: Assessment, upload: Submission, overrides: list[Override], names: dict[int, str]
) -> dict[str, Any]:
    return {
        "id": row.id,
        "supplier_id": row.supplier_id,
        "trigger": row.trigger,
        "as_of": row.as_of,
        "created_at": row.created_at,
        "decision": overrides[0].decision if overrides else row.decision,
        "computed_decision": row.decision,
        "overall_score": row.overall_score,
        "overrides": [override(o, row.decision, names) for o in overrides],
        "submission": {
            "id": upload.id,
            "filename": upload.filename,
            "media_type": upload.media_type,
            "file_sha256": upload.file_sha256,
            "questionnaire_id": upload.questionnaire_id,
            "questionnaire_version": upload.questionnaire_version,
            "uploaded_at": upload.created_at,
        },
        "performance_id": row.performance_id,
        "policy": row.policy,
        "result_sha256": row.result_sha256,
        "assessment": json.loads(row.result_json),
    }
