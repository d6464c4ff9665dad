"""The audit log: who did what, when and from where. Entries are only ever added."""

from __future__ import annotations

import json
from collections.abc import Mapping

from flask import g, has_request_context, request
from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from ..auth import Principal
from .models import AuditEntry, utcnow

COMMAND_LINE = "command line"


def record(
    session: Session,
    principal: Principal,
    action: str,
    subject_type: str,
    subject_id: str | int,
    *,
    supplier_id: str | None = None,
    detail: Mapping[str, object] | None = None,
) -> AuditEntry:
    """Add one entry in the caller's transaction, so the entry and the change it records stand or fall together."""
    in_request = has_request_context()
    entry = AuditEntry(
        at=utcnow(),
        action=action,
        subject_type=subject_type,
        subject_id=str(subject_id),
        supplier_id=supplier_id,
        account_id=principal.account_id,
        actor=principal.name,
        role=principal.role,
        token_id=principal.token_id,
        remote_addr=(request.remote_addr or "") if in_request else COMMAND_LINE,
        request_id=str(g.get("request_id", "")) if in_request else "",
        detail=json.dumps(dict(detail or {}), sort_keys=True, ensure_ascii=False, default=str),
    )
    session.add(entry)
    return entry


def query(
    *, action: str | None = None, supplier_id: str | None = None, before: int | None = None
) -> Select[AuditEntry]:
    """Entries newest first, optionally of one action or supplier, older than entry ``before``."""
    statement = select(AuditEntry).order_by(AuditEntry.id.desc())
    if action:
        statement = statement.where(AuditEntry.action == action)
    if supplier_id:
        statement = statement.where(AuditEntry.supplier_id == supplier_id)
    if before is not None:
        statement = statement.where(AuditEntry.id < before)
    return statement
