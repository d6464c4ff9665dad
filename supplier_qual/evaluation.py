"""Tender evaluation: reading tenders and bids through the plugins, and checking each bid's eligibility.

The engine's assessment (:func:`supplier_qual.engine.assess`) judges each bidder's
submission; the ``check_requirement`` hook judges each requirement against the bid,
its assessment and the buyer's performance data; this module only orchestrates.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
from collections.abc import Callable, Sequence
from pathlib import Path

import pluggy

from .bids import supplier_identifier
from .catalog import Catalog
from .engine import assess, make_context, provenance, read_submission, verify_certificates
from .errors import ConfigurationError, InputError, Problem, TenderError
from .model import Assessment, RequirementResult, Submission
from .policy import Policy
from .submission import canonical_sha256
from .tender import CANNOT_TELL, MET, NOT_MET, Bid, BidderResult, Eligibility, Requirement, Tender, combined_state


def read_tender(data: bytes, filename: str, *, pm: pluggy.PluginManager, media_type: str | None = None) -> Tender:
    """Ask the tender readers to turn a file into a tender (YAML, OCDS, ESPD request, ProZorro …).

    :raises TenderError: no reader knows the format, or the file is invalid.
    """
    tender: Tender | None = pm.hook.read_tender(data=data, filename=filename, media_type=media_type)
    if tender is None:
        raise TenderError([Problem("not a tender format supplier_qual can read")], source=filename)
    if not tender.sha256:
        tender = dataclasses.replace(tender, sha256=hashlib.sha256(data).hexdigest())
    tender = dataclasses.replace(tender, source=tender.source or filename)
    if tender.based_on:
        tender = _based_on(tender, filename, pm=pm)
    return tender


def _based_on(extra: Tender, filename: str, *, pm: pluggy.PluginManager) -> Tender:
    """The tender-system file a tender file is based on, read, with the file's requirements added."""
    from .schemas.tender import overlay

    path = Path(filename).parent / extra.based_on
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_TENDER_BYTES + 1)
    except OSError as exc:
        raise TenderError(
            [Problem(f"cannot read the tender it is based on, {path}: {exc.strerror}", "$.based_on")], source=filename
        ) from exc
    if len(data) > MAX_TENDER_BYTES:
        raise TenderError(
            [Problem(f"{path} is larger than {MAX_TENDER_BYTES // 1_000_000} MB", "$.based_on")], source=filename
        )
    base = read_tender(data, str(path), pm=pm)
    if base.based_on:
        raise TenderError(
            [Problem(f"{path} is itself based on another tender; give the tender-system file", "$.based_on")],
            source=filename,
        )
    try:
        merged = overlay(base, extra)
    except TenderError as exc:
        raise exc.in_source(filename) from exc
    digest = hashlib.sha256((base.sha256 + extra.sha256).encode()).hexdigest()
    return dataclasses.replace(merged, sha256=digest, source=filename)


MAX_TENDER_BYTES = 50_000_000


def read_bid(
    data: bytes,
    filename: str,
    *,
    pm: pluggy.PluginManager,
    catalog: Catalog,
    media_type: str | None = None,
    read: Callable[[bytes, str], Submission] | None = None,
) -> Bid:
    """A bid from a file: a bid reader's (an ESPD response …), else the submission it holds.

    :param read: how to read the submission when no bid reader takes the file (an
        untrusted upload is read in a child process); by default :func:`read_submission`.
    :raises SubmissionError: the file cannot be read as a bid or a submission.
    """
    digest = hashlib.sha256(data).hexdigest()
    bid: Bid | None = pm.hook.read_bid(data=data, filename=filename, media_type=media_type, catalog=catalog)
    if bid is None:
        submission = (
            read(data, filename)
            if read is not None
            else read_submission(data, filename, pm=pm, catalog=catalog, media_type=media_type)
        )
        found = supplier_identifier(submission.supplier)
        bid = Bid(supplier=submission.supplier, identifiers=(found,) if found else (), submission=submission)
    return dataclasses.replace(bid, sources=bid.sources or (filename,), sha256=bid.sha256 or digest)


def eligibility(
    tender: Tender,
    bids: Sequence[Bid | Submission],
    *,
    pm: pluggy.PluginManager,
    policy: Policy,
    as_of: dt.date,
    catalog: Catalog,
    lot: str | None = None,
) -> Eligibility:
    """Every bidder checked against each requirement of ``tender`` (per lot), as of ``as_of``.

    Bids are put together per supplier (:mod:`supplier_qual.bids`): duplicates are
    set aside and reported; where the tender lists its bidders, each is matched to
    its bid and one with none stays, with no evidence. Bidders keep the order given
    (the tender's order when it lists them); with lots, each bidder is checked for
    each lot it bids for (or only ``lot``).

    :raises InputError: a submission does not fit its questionnaire (every bidder's
        problems listed), or ``lot`` is not one of the tender's;
        :raises ConfigurationError: no plugin judges a requirement.
    """
    from .bids import assemble, match_listed

    file_bids = [b if isinstance(b, Bid) else _bid_of(b) for b in bids]
    assembled, duplicates = assemble(file_bids)
    notices: list[str] = list(tender.notes)
    if tender.bidders:
        assembled, unmatched, listed_twice = match_listed(tender.bidders, assembled)
        duplicates += listed_twice
        notices += [f"{b.source}: {b.supplier.name} is not among the tender's bidders; not checked" for b in unmatched]
    if lot is not None and not tender.lots:
        raise TenderError(f"the tender has no lots, so there is no lot {lot!r} to check", source=tender.source)
    lots = [tender.lot(lot)] if lot is not None else list(tender.lots)
    entries: list[BidderResult] = []
    problems: list[Problem] = []
    for bid in assembled:
        if bid.role == "subcontractor":
            notices.append(
                f"{bid.source}: {bid.supplier.name} answers as a subcontractor not relied upon; "
                "selection criteria are not asked of it, so it is not checked as a bidder"
            )
            continue
        try:
            assessment = _assessment_of(bid, pm=pm, policy=policy, as_of=as_of, catalog=catalog)
        except InputError as exc:
            problems.extend(exc.in_source(bid.source).problems)
            continue
        context = dataclasses.replace(make_context(policy, as_of, bid.submission), certificates=assessment.certificates)
        scopes: list[tuple[str | None, tuple[Requirement, ...]]] = (
            [(x.id, x.requirements) for x in lots if not bid.lots or x.id in bid.lots]
            if tender.lots
            else [(None, tender.requirements)]
        )
        for lot_id, requirements in scopes:
            results = []
            for requirement in requirements:
                result = pm.hook.check_requirement(
                    requirement=requirement, assessment=assessment, tender=tender, context=context, bid=bid
                )
                if result is None:
                    raise ConfigurationError(f"no plugin judges the tender requirement {requirement.kind!r}")
                results.append(result)
            entries.append(_bidder_result(bid, assessment, tuple(results), lot_id))
    if problems:
        raise InputError(problems)
    digest = hashlib.sha256((tender.sha256 or canonical_sha256(tender.id)).encode())
    for bid in file_bids:
        digest.update((bid.sha256 or canonical_sha256(bid.supplier)).encode())
    return Eligibility(
        tender,
        as_of,
        tuple(entries),
        provenance(pm, input_sha256=digest.hexdigest(), policy=policy),
        lot=lot,
        duplicates=tuple(duplicates),
        notices=tuple(notices),
    )


def _bid_of(submission: Submission) -> Bid:
    found = supplier_identifier(submission.supplier)
    return Bid(
        supplier=submission.supplier,
        identifiers=(found,) if found else (),
        submission=submission,
        sources=(submission.source,) if submission.source else (),
        sha256=submission.sha256,
    )


def _assessment_of(
    bid: Bid, *, pm: pluggy.PluginManager, policy: Policy, as_of: dt.date, catalog: Catalog
) -> Assessment:
    """The bid's assessment: its submission assessed in full, else its certificates checked with no outcomes."""
    if bid.assessment is not None:
        return bid.assessment
    submission = bid.submission
    certificates = (*(submission.certificates if submission else ()), *bid.certificates)
    if submission is not None and submission.answers:
        submission = dataclasses.replace(submission, certificates=certificates)
        questionnaire = catalog.get(submission.questionnaire.id, submission.questionnaire.version)
        return assess(submission, questionnaire, pm=pm, policy=policy, as_of=as_of)
    context = make_context(policy, as_of, supplier=bid.supplier)
    return Assessment(
        supplier=bid.supplier,
        questionnaire=submission.questionnaire if submission else catalog.default().ref,
        as_of=as_of,
        outcomes={},
        certificates=verify_certificates(certificates, pm=pm, context=context),
        performance=submission.performance if submission else None,
    )


def _bidder_result(
    bid: Bid, assessment: Assessment, results: tuple[RequirementResult, ...], lot: str | None
) -> BidderResult:
    decision = assessment.decision
    state = combined_state([r.state for r in results])
    to_supply = [f"{r.requirement}: {r.reason}" for r in results if r.state == CANNOT_TELL and state != NOT_MET]
    if decision is not None and decision.decision == "conditional" and state != NOT_MET:
        to_supply += [f"to lift the conditional qualification: {reason}" for reason in decision.reasons]
    if bid.assessment is not None:
        evidence = "assessment"
    elif bid.submission is not None:
        evidence = "submission"
    else:
        evidence = "declaration" if bid.certificates or bid.responses or bid.declarations else "none"
    return BidderResult(
        supplier=bid.supplier,
        eligible=state == MET,
        decision=decision.decision if decision else "",
        requirements=results,
        source=bid.source,
        score=decision.score if decision else None,
        state=state,
        lot=lot,
        identifiers=bid.identifiers,
        evidence=evidence,
        matched_by=bid.matched_by,
        to_supply=tuple(to_supply),
        bid_id=bid.id,
    )
