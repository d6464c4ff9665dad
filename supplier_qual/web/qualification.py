"""Assessing uploads and keeping the results: the core does the judging, this module the storing.

Parsing and assessing happen before any write transaction opens, so writers hold
the database for milliseconds. The same bytes uploaded again for the same supplier
are the same submission: the unique constraint settles concurrent retries, and the
loser answers with the winner's assessment.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

import supplier_qual

from ..errors import InputError, Problem
from ..model import Assessment as CoreAssessment
from ..model import Performance, Submission
from . import intake
from .auth import Principal
from .problems import abort_with
from .service import Service
from .store import assessments, audit, submissions
from .store.database import insert_ignore
from .store.models import (
    Assessment,
    AssessmentCertificate,
    Override,
    PerformanceRecord,
    Supplier,
    utcnow,
)
from .store.models import Submission as SubmissionRow


@dataclass(frozen=True)
class Computed:
    """A core assessment with its renderings, ready to store."""

    assessment: CoreAssessment
    json: str
    text: str


@dataclass(frozen=True)
class Stored:
    assessment: Assessment
    created: bool


def compute(service: Service, submission: Submission, performance: Performance | None, as_of: dt.date) -> Computed:
    """Assess with the service's plugins and policy; the buyer's performance data replaces the supplier's."""
    result = supplier_qual.assess(
        submission, policy=service.policy, as_of=as_of, performance=performance, pm=service.pm
    )
    rendered = supplier_qual.render(result, "json", pm=service.pm)
    text = supplier_qual.render(result, "text", pm=service.pm)
    return Computed(result, _text(rendered), _text(text))


def _text(value: str | bytes) -> str:
    return value.decode("utf-8") if isinstance(value, bytes) else value


def performance_of(session: Session, row: PerformanceRecord | None) -> Performance | None:
    """The figures of a stored performance record, read again from the file the buyer sent."""
    if row is None:
        return None
    records = intake.read_performance(submissions.blob(session, row.file_sha256), row.filename)
    return intake.performance_for(records, row.supplier_id)


def _supplier_id_at(location: str) -> str:
    if not location or location == "$":
        return "$.supplier_id"
    if location.startswith("$"):
        return f"{location}.supplier_id"
    return f"{location}, column supplier_id"


def submit(
    service: Service, principal: Principal, supplier_id: str, data: bytes, filename: str, media_type: str | None
) -> Stored:
    """Assess and keep an upload, or answer with the assessment of the same bytes uploaded before.

    :raises InputError: the file is refused; nothing is stored.
    """
    digest = hashlib.sha256(data).hexdigest()
    with service.db.read() as session:
        existing = submissions.find(session, supplier_id, digest)
        if existing is not None:
            found = assessments.of_submission(session, existing.id)
            if found is not None:
                return Stored(found, created=False)
        performance_row = submissions.latest_performance(session, supplier_id)
        figures = performance_of(session, performance_row)
    submission = intake.read_upload(data, filename, media_type, pm=service.pm)
    _check_supplier(submission, supplier_id)
    as_of = service.today()
    computed = compute(service, submission, figures, as_of)
    with service.db.write() as session:
        submissions.keep_blob(session, data)
        values = {
            "supplier_id": supplier_id,
            "file_sha256": digest,
            "content_sha256": submission.sha256,
            "filename": filename,
            "media_type": media_type or "",
            "questionnaire_id": submission.questionnaire.id,
            "questionnaire_version": submission.questionnaire.version,
            "created_at": utcnow(),
            "created_by": principal.account_id,
        }
        inserted = insert_ignore(session, SubmissionRow, values, ["supplier_id", "file_sha256"])
        row = submissions.find(session, supplier_id, digest)
        if row is None:
            raise RuntimeError("a submission just stored cannot be found")
        if not inserted:
            found = assessments.of_submission(session, row.id)
            if found is not None:
                return Stored(found, created=False)
        stored = store(session, computed, row, performance_row, principal, trigger="upload")
        audit.record(
            session,
            principal,
            "submission.upload",
            "submission",
            row.id,
            supplier_id=supplier_id,
            detail={
                "filename": filename,
                "file_sha256": digest,
                "size": len(data),
                "assessment_id": stored.id,
                "decision": stored.decision,
            },
        )
    return Stored(stored, created=True)


def _check_supplier(submission: Submission, supplier_id: str) -> None:
    """A submission naming another supplier is refused, never filed under this one."""
    named = submission.supplier.id
    if named and named != supplier_id:
        raise InputError(
            [
                Problem(
                    f"this submission is for supplier {named}, not {supplier_id}",
                    submission.location("supplier.id"),
                )
            ]
        )


def store(
    session: Session,
    computed: Computed,
    submission: SubmissionRow,
    performance: PerformanceRecord | None,
    principal: Principal,
    *,
    trigger: str,
) -> Assessment:
    """Write one computed assessment (never replacing an earlier one)."""
    result = computed.assessment
    decision = result.decision
    provenance = result.provenance
    row = Assessment(
        supplier_id=submission.supplier_id,
        submission_id=submission.id,
        performance_id=performance.id if performance is not None else None,
        trigger=trigger,
        as_of=result.as_of,
        decision=decision.decision if decision else "not_qualified",
        overall_score=decision.score if decision else 0.0,
        questionnaire_id=result.questionnaire.id,
        questionnaire_version=result.questionnaire.version,
        policy=provenance.policy if provenance else "default",
        policy_sha256=provenance.policy_sha256 if provenance else "",
        engine_version=provenance.engine_version if provenance else supplier_qual.__version__,
        result_sha256=hashlib.sha256(computed.json.encode("utf-8")).hexdigest(),
        result_json=computed.json,
        result_text=computed.text,
        created_at=utcnow(),
        created_by=principal.account_id,
    )
    certificates = [
        AssessmentCertificate(
            number=c.certificate.number,
            standard=c.certificate.standard,
            holder=c.certificate.holder,
            certification_body=c.certificate.certification_body,
            accreditation_body=c.certificate.accreditation_body,
            status=c.status,
            counts=c.counts,
            issued=c.certificate.issued,
            expires=c.certificate.expires,
            last_surveillance=c.certificate.last_surveillance,
        )
        for c in result.certificates
    ]
    scores = {oid: outcome.score for oid, outcome in result.outcomes.items()}
    return assessments.add(session, row, scores, certificates)


def stored_submission(service: Service, row: SubmissionRow, data: bytes) -> Submission:
    """A stored upload read again exactly as it was on arrival."""
    return intake.read_stored(data, row.filename, row.media_type or None, pm=service.pm)


def record_performance(
    service: Service, principal: Principal, supplier_id: str, data: bytes, filename: str, media_type: str | None
) -> tuple[PerformanceRecord, Assessment | None]:
    """Keep the buyer's performance data for a supplier and re-assess its latest submission with it.

    :raises InputError: the data is invalid, or is about another supplier; nothing is stored.
    """
    records = intake.read_performance(data, filename)
    others = [r for r in records if r.supplier_id and r.supplier_id != supplier_id]
    if others:
        raise InputError(
            [
                Problem(
                    f"these figures are for supplier {r.supplier_id}, not {supplier_id}", _supplier_id_at(r.location)
                )
                for r in others
            ]
        )
    figures = intake.performance_for(records, supplier_id)
    if figures is None:
        raise InputError([Problem(f"no figures for supplier {supplier_id} in the file")])
    performance_json = json.dumps(dataclasses.asdict(figures), sort_keys=True, default=str)
    with service.db.read() as session:
        latest = submissions.latest(session, supplier_id)
        data_of_latest = submissions.blob(session, latest.file_sha256) if latest is not None else None
    computed = None
    if latest is not None and data_of_latest is not None:
        submission = stored_submission(service, latest, data_of_latest)
        computed = compute(service, submission, figures, service.today())
    with service.db.write() as session:
        row = PerformanceRecord(
            supplier_id=supplier_id,
            file_sha256=submissions.keep_blob(session, data),
            data=performance_json,
            sha256=hashlib.sha256(performance_json.encode()).hexdigest(),
            filename=filename,
            created_at=utcnow(),
            created_by=principal.account_id,
        )
        session.add(row)
        session.flush()
        stored = None
        if computed is not None and latest is not None:
            stored = store(session, computed, latest, row, principal, trigger="performance")
        audit.record(
            session,
            principal,
            "performance.update",
            "performance",
            row.id,
            supplier_id=supplier_id,
            detail={
                "filename": filename,
                "sha256": row.sha256,
                "assessment_id": stored.id if stored else None,
                "decision": stored.decision if stored else None,
            },
        )
    return row, stored


def override(service: Service, principal: Principal, assessment_id: int, decision: str, reason: str) -> Override:
    """Record a buyer's decision beside the computed one; the assessment itself is never changed."""
    with service.db.write() as session:
        found = session.get(Assessment, assessment_id)
        if found is None:
            abort_with(404, "no such assessment")
        row = Override(
            assessment_id=assessment_id,
            decision=decision,
            reason=reason,
            created_at=utcnow(),
            created_by=principal.account_id,
        )
        session.add(row)
        session.flush()
        audit.record(
            session,
            principal,
            "assessment.override",
            "assessment",
            assessment_id,
            supplier_id=found.supplier_id,
            detail={"computed": found.decision, "decision": decision, "reason": reason, "override_id": row.id},
        )
    return row


@dataclass(frozen=True)
class Change:
    """What re-assessing one supplier's latest submission changed."""

    supplier_id: str
    previous: Assessment | None
    decision: str
    score: float
    outcomes: dict[str, tuple[float | None, float]]
    stored: Assessment | None

    @property
    def changed(self) -> bool:
        if self.previous is None:
            return True
        return (
            self.previous.decision != self.decision
            or round(self.previous.overall_score, 1) != round(self.score, 1)
            or any(old is None or round(old, 1) != round(new, 1) for old, new in self.outcomes.values())
        )


def reassess(
    service: Service, principal: Principal, supplier_ids: Iterable[str], *, as_of: dt.date, dry_run: bool = False
) -> list[Change]:
    """Re-run each supplier's latest submission under the current policy as of ``as_of``.

    Earlier assessments stay as they were; a changed result is stored as a new one.
    """
    changes = []
    for supplier_id in supplier_ids:
        with service.db.read() as session:
            latest = submissions.latest(session, supplier_id)
            if latest is None:
                continue
            data = submissions.blob(session, latest.file_sha256)
            performance_row = submissions.latest_performance(session, supplier_id)
            figures = performance_of(session, performance_row)
            previous = assessments.latest_of(session, supplier_id)
            old_scores = _scores(previous)
        computed = compute(service, stored_submission(service, latest, data), figures, as_of)
        result = computed.assessment
        outcomes = {oid: (old_scores.get(oid), o.score) for oid, o in result.outcomes.items()}
        decision = result.decision.decision if result.decision else "not_qualified"
        score = result.decision.score if result.decision else 0.0
        change = Change(supplier_id, previous, decision, score, outcomes, None)
        if change.changed and not dry_run:
            with service.db.write() as session:
                stored = store(session, computed, latest, performance_row, principal, trigger="reassess")
                audit.record(
                    session,
                    principal,
                    "assessment.reassess",
                    "assessment",
                    stored.id,
                    supplier_id=supplier_id,
                    detail={
                        "previous_assessment_id": previous.id if previous else None,
                        "previous_decision": previous.decision if previous else None,
                        "decision": decision,
                        "as_of": as_of.isoformat(),
                    },
                )
            change = dataclasses.replace(change, stored=stored)
        changes.append(change)
    return changes


def _scores(row: Assessment | None) -> dict[str, float]:
    if row is None:
        return {}
    data = json.loads(row.result_json)
    return {oid: float(o["score"]) for oid, o in data.get("outcomes", {}).items()}


def all_supplier_ids(service: Service) -> list[str]:
    with service.db.read() as session:
        return list(session.scalars(select(Supplier.id).order_by(Supplier.id)))
