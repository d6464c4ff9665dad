"""Tenders in the register, and checking bidders' eligibility against them with their stored submissions."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
from collections.abc import Mapping, Sequence

from sqlalchemy.orm import Session

import supplier_qual

from ..errors import InputError, Problem
from ..model import RequirementResult, Submission
from ..model import Supplier as Named
from ..tender import BidderResult, Eligibility, Lot
from ..tender import Tender as CoreTender
from . import intake, qualification
from .auth import Principal
from .problems import abort_with
from .service import Service
from .store import audit, submissions
from .store.models import EligibilityBidder, EligibilityRun, Supplier, Tender, utcnow


def register_tender(service: Service, principal: Principal, data: bytes, filename: str) -> tuple[Tender, bool]:
    """Keep a tender's requirements; the same file again is the same tender (``False``: it was there already).

    :raises TenderError: the file is invalid; nothing is stored.
    """
    tender = intake.read_tender(data, filename, pm=service.pm)
    digest = hashlib.sha256(data).hexdigest()
    with service.db.write() as session:
        existing = session.get(Tender, tender.id)
        if existing is not None:
            if existing.file_sha256 == digest:
                return existing, False
            abort_with(409, f"tender {tender.id} is already registered with other requirements", "$.id")
        submissions.keep_blob(session, data)
        row = Tender(
            id=tender.id,
            title=tender.title,
            closing_date=tender.closing_date,
            contract_end=tender.contract_end,
            file_sha256=digest,
            filename=filename,
            requirements=json.dumps([r.label for r in tender.requirements], ensure_ascii=False),
            lots=json.dumps(
                [
                    {"id": lot.id, "title": lot.title, "requirements": [r.label for r in lot.requirements]}
                    for lot in tender.lots
                ],
                ensure_ascii=False,
            ),
            created_at=utcnow(),
            created_by=principal.account_id,
        )
        session.add(row)
        session.flush()
        audit.record(
            session, principal, "tender.create", "tender", tender.id, detail={"filename": filename, "sha256": digest}
        )
    return row, True


def _owner(entry: dict[str, object], uploads: Mapping[str, object]) -> str | None:
    """Which of the suppliers checked a report entry is about: by its id, then by any identifier it bears."""
    supplier = entry.get("supplier")
    named = str(supplier.get("id") or "") if isinstance(supplier, dict) else ""
    if named in uploads:
        return named
    identifiers = entry.get("identifiers")
    for identifier in identifiers if isinstance(identifiers, list) else []:
        if str(identifier) in uploads:
            return str(identifier)
    return None


def _bidder_problem(session: Session, supplier_ids: Sequence[str], index: int) -> Problem | None:
    """Why the supplier at ``index`` cannot be checked: named twice, not in the register, nothing submitted."""
    supplier_id = supplier_ids[index]
    where = f"$.suppliers[{index}]"
    if supplier_id in supplier_ids[:index]:
        return Problem(f"supplier {supplier_id} is named twice", where)
    if session.get(Supplier, supplier_id) is None:
        return Problem(f"no supplier {supplier_id} in the register", where)
    if submissions.latest(session, supplier_id) is None:
        return Problem(f"supplier {supplier_id} has submitted nothing to check", where)
    return None


def bidder_problems(service: Service, supplier_ids: Sequence[str]) -> list[Problem]:
    """What :func:`check_eligibility` would refuse about these suppliers, found before anything is stored."""
    with service.db.read() as session:
        found = [_bidder_problem(session, supplier_ids, index) for index in range(len(supplier_ids))]
    return [p for p in found if p is not None]


def check_eligibility(
    service: Service,
    principal: Principal,
    tender_id: str,
    supplier_ids: Sequence[str],
    as_of: dt.date | None,
    lot: str | None = None,
) -> EligibilityRun:
    """Check each named supplier's latest submission (with the buyer's latest figures) against the tender.

    :raises InputError: a supplier is not in the register or has submitted nothing; nothing is stored.
    """
    day = as_of or service.today()
    problems: list[Problem] = []
    bids = []
    with service.db.read() as session:
        tender_row = session.get(Tender, tender_id)
        if tender_row is None:
            abort_with(404, "no such tender")
        tender_data = submissions.blob(session, tender_row.file_sha256)
        for index, supplier_id in enumerate(supplier_ids):
            problem = _bidder_problem(session, supplier_ids, index)
            if problem is not None:
                problems.append(problem)
                continue
            latest = submissions.latest(session, supplier_id)
            if latest is None:
                raise RuntimeError("a submission just found cannot be found")
            figures = qualification.performance_of(session, submissions.latest_performance(session, supplier_id))
            bids.append((supplier_id, latest, submissions.blob(session, latest.file_sha256), figures))
    if problems:
        raise InputError(problems)
    tender = intake.read_tender(tender_data, tender_row.filename, pm=service.pm)
    read = []
    for _, upload, data, figures in bids:
        submission = qualification.stored_submission(service, upload, data)
        read.append(dataclasses.replace(submission, performance=figures) if figures is not None else submission)
    result = supplier_qual.eligibility(tender, read, as_of=day, policy=service.policy, pm=service.pm, lot=lot)
    rendered = supplier_qual.render(result, "json", pm=service.pm)
    text = rendered.decode("utf-8") if isinstance(rendered, bytes) else rendered
    entries = json.loads(text)["bidders"]
    uploads = {supplier_id: upload for supplier_id, upload, _, _ in bids}
    owners = [_owner(entry, uploads) for entry in entries]
    with service.db.write() as session:
        run = EligibilityRun(
            tender_id=tender_id, as_of=day, result_json=text, created_at=utcnow(), created_by=principal.account_id
        )
        session.add(run)
        session.flush()
        for position, (entry, owner) in enumerate(zip(entries, owners, strict=True)):
            session.add(
                EligibilityBidder(
                    run_id=run.id,
                    position=position,
                    supplier_id=owner,
                    submission_id=uploads[owner].id if owner is not None else None,
                    lot=entry.get("lot"),
                    eligible=bool(entry.get("eligible")),
                    decision=str(entry.get("decision") or ""),
                    result_json=json.dumps(entry, ensure_ascii=False, sort_keys=True),
                )
            )
        audit.record(
            session,
            principal,
            "eligibility.run",
            "tender",
            tender_id,
            detail={
                "run_id": run.id,
                "as_of": day.isoformat(),
                "lot": lot,
                "bidders": [
                    {"supplier_id": owner, "lot": entry.get("lot"), "eligible": entry.get("eligible")}
                    for entry, owner in zip(entries, owners, strict=True)
                ],
            },
        )
    return run


def read_bid(service: Service, data: bytes, filename: str, media_type: str | None) -> Submission:
    """An uploaded bid (a submission or an ESPD response) read as an untrusted upload, with the supplier it names
    checked as ``POST /suppliers`` checks a new one.

    :raises InputError: the file is refused, or names no supplier the register could hold.
    """
    submission = intake.read_upload(data, filename, media_type, pm=service.pm)
    named = submission.supplier
    if not named.id:
        raise InputError(
            [Problem("the bid names no supplier identifier to file it under", submission.location("supplier.id"))]
        )
    from marshmallow import ValidationError

    from .api.schemas import SupplierCreateSchema  # the API's rules for a supplier's identity, kept in one place

    try:
        SupplierCreateSchema().load({"id": named.id, "name": named.name or named.id, "country": named.country})
    except ValidationError as exc:
        raise InputError(
            [
                Problem(f"the bid's supplier cannot be filed: {field} {' '.join(map(str, messages))}", where)
                for field, messages in sorted(dict(exc.messages_dict).items())
                for where in [submission.location(f"supplier.{field}")]
            ]
        ) from exc
    # Answers are checked against the questionnaire when assessed: a bid that cannot be assessed is refused now.
    supplier_qual.assess(submission, policy=service.policy, as_of=service.today(), pm=service.pm)
    return submission


def file_bid(
    service: Service, principal: Principal, bid: Submission, data: bytes, filename: str, media_type: str | None
) -> tuple[str, bool]:
    """File a bid read by :func:`read_bid` under the supplier it names, adding the supplier to the register when
    it is new; the supplier's id, and whether it was added. The file goes the way of
    ``POST /suppliers/{id}/submissions``: assessed and kept (the same bytes again are the same submission).

    :raises InputError: the file is refused; nothing of it is stored.
    """
    named = bid.supplier
    added = False
    with service.db.write() as session:
        if session.get(Supplier, named.id) is None:
            now = utcnow()
            detail = {"id": named.id, "name": named.name, "country": named.country, "from_bid": filename}
            session.add(
                Supplier(
                    id=named.id, name=named.name or named.id, country=named.country, created_at=now, updated_at=now
                )
            )
            session.flush()
            audit.record(
                session, principal, "supplier.create", "supplier", named.id, supplier_id=named.id, detail=detail
            )
            added = True
    qualification.submit(service, principal, named.id, data, filename, media_type)
    return named.id, added


def stored_eligibility(result_json: str) -> Eligibility:
    """A stored eligibility run as the core's result again, for the report renderers (the workbook)."""
    data = json.loads(result_json)
    shown = data.get("tender") or {}

    def day(value: object) -> dt.date | None:
        return dt.date.fromisoformat(value) if isinstance(value, str) and value else None

    tender = CoreTender(
        id=str(shown.get("id") or ""),
        title=str(shown.get("title") or ""),
        closing_date=day(shown.get("closing_date")),
        contract_end=day(shown.get("contract_end")),
        requirements=(),
        lots=tuple(Lot(str(lot.get("id") or ""), str(lot.get("title") or "")) for lot in shown.get("lots") or []),
        format=str(shown.get("format") or "yaml"),
    )
    bidders = []
    for entry in data.get("bidders") or []:
        who = entry.get("supplier") or {}
        bidders.append(
            BidderResult(
                supplier=Named(
                    name=str(who.get("name") or ""),
                    id=str(who.get("id") or ""),
                    scheme=str(who.get("scheme") or ""),
                    country=str(who.get("country") or ""),
                ),
                eligible=bool(entry.get("eligible")),
                decision=str(entry.get("decision") or ""),
                requirements=tuple(
                    RequirementResult(
                        str(r.get("requirement") or ""), bool(r.get("met")), str(r.get("reason") or ""), str(r["state"])
                    )
                    for r in entry.get("requirements") or []
                ),
                source=str(entry.get("source") or ""),
                score=entry.get("score"),
                state=str(entry.get("state") or ""),
                lot=entry.get("lot"),
                identifiers=tuple(str(i) for i in entry.get("identifiers") or []),
                evidence=str(entry.get("evidence") or ""),
                matched_by=str(entry.get("matched_by") or ""),
                to_supply=tuple(str(s) for s in entry.get("to_supply") or []),
            )
        )
    as_of = day(data.get("as_of")) or dt.date.min
    return Eligibility(tender=tender, as_of=as_of, bidders=tuple(bidders), lot=data.get("lot"))
