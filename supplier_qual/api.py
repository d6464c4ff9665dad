"""The in-process API behind ``supplier_qual.assess`` and friends.

Each function takes an optional plugin manager; without one, a shared manager with
the built-in and installed plugins is used.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

import pluggy

from . import engine, evaluation
from .catalog import Catalog, catalog_of
from .documents import read_bytes
from .errors import InputError, Problem, SubmissionError, TenderError
from .expiry import ExpiryReport, due_within, expired_before
from .limits import date_problem
from .model import (
    Assessment,
    Certificate,
    CertificateReport,
    Performance,
    Questionnaire,
    Submission,
)
from .performance_data import PerformanceRecord, performance_for, read_performance

__all__ = [
    "assess",
    "catalog",
    "eligibility",
    "list_questionnaires",
    "load_questionnaire",
    "read_performance",
    "read_submission",
    "render",
    "require_supplier_ids",
    "verify_certificates",
    "with_performance",
]
from .plugins import shared_plugin_manager
from .policy import DEFAULT_POLICY, Policy, load_policy
from .submission import load_submission
from .tender import Bid, Eligibility, Tender
from .uploads import read_upload


def _pm(pm: pluggy.PluginManager | None) -> pluggy.PluginManager:
    return pm if pm is not None else shared_plugin_manager()


def catalog(pm: pluggy.PluginManager | None = None) -> Catalog:
    """The questionnaires the plugins of ``pm`` offer, built once per manager."""
    return catalog_of(_pm(pm))


def load_questionnaire(
    questionnaire_id: str = "iso9001-outcomes", version: str | None = None, *, pm: pluggy.PluginManager | None = None
) -> Questionnaire:
    """An installed questionnaire by id, at ``version`` or the latest.

    :raises UnknownQuestionnaireError: no such id or version is installed.
    """
    return catalog(pm).get(questionnaire_id, version)


def list_questionnaires(*, pm: pluggy.PluginManager | None = None) -> list[Questionnaire]:
    """Every installed questionnaire, sorted by id and version."""
    return list(catalog(pm))


def read_submission(
    source: str | Path | bytes,
    *,
    filename: str | None = None,
    questionnaire: Questionnaire | None = None,
    media_type: str | None = None,
    pm: pluggy.PluginManager | None = None,
) -> Submission:
    """Read a submission from a file path or from bytes (then ``filename`` names the format).

    :raises SubmissionError: the file cannot be read or is invalid, every problem listed.
    """
    if isinstance(source, bytes):
        data, name = source, filename or "<input>"
    else:
        name = filename or str(source)
        data = read_bytes(Path(source), what="file", error=SubmissionError)
    pm = _pm(pm)
    return engine.read_submission(
        data, name, pm=pm, catalog=catalog(pm), questionnaire=questionnaire, media_type=media_type
    )


def assess(
    submission: Submission | Mapping[str, object] | str | Path,
    *,
    questionnaire: Questionnaire | None = None,
    policy: Policy | str | Path | None = None,
    as_of: dt.date | str | None = None,
    performance: Performance | Sequence[PerformanceRecord] | str | Path | None = None,
    pm: pluggy.PluginManager | None = None,
) -> Assessment:
    """Assess a supplier's submission.

    :param submission: a :class:`Submission`, JSON-like data, or a file path (.json, .xlsx …).
    :param questionnaire: the questionnaire to score against; by default the one the
        submission answers.
    :param policy: a :class:`Policy`, a policy file path, or ``None`` for the default.
    :param as_of: the reference date (date or ``YYYY-MM-DD``); today when ``None``.
    :param performance: the buyer's performance data, replacing any in the submission:
        a :class:`Performance`, the records of a performance file
        (:func:`read_performance`), or the file's path. Of many suppliers' records only
        the one whose ``supplier_id`` matches the submission's supplier applies.
    :return: the assessment, decision and corrective actions included.
    :raises InputError: the submission, questionnaire, policy or performance data is
        invalid, or a single performance record names another supplier.
    """
    pm = _pm(pm)
    if isinstance(submission, str | Path):
        submission = read_submission(submission, questionnaire=questionnaire, pm=pm)
    elif not isinstance(submission, Submission):
        submission = load_submission(submission, catalog=catalog(pm), questionnaire=questionnaire)
    if performance is not None:
        submission = with_performance(submission, performance)
    if questionnaire is None:
        questionnaire = catalog(pm).get(submission.questionnaire.id, submission.questionnaire.version)
    return engine.assess(submission, questionnaire, pm=pm, policy=_policy(policy), as_of=_date(as_of))


def with_performance(
    submission: Submission, performance: Performance | Sequence[PerformanceRecord] | str | Path
) -> Submission:
    """``submission`` with the buyer's performance data for its supplier in place of its own.

    Records that hold nothing for this supplier leave the submission without
    performance data (the assessment then says it was not checked).

    :raises InputError: unreadable performance file, or a single record naming another supplier.
    """
    if isinstance(performance, str | Path):
        performance = read_performance(performance)
    found = performance if isinstance(performance, Performance) else performance_for(performance, submission.supplier)
    return dataclasses.replace(submission, performance=found)


def require_supplier_ids(records: Sequence[PerformanceRecord]) -> Sequence[PerformanceRecord]:
    """``records``, refused when one lacks the ``supplier_id`` that matches it to one of several suppliers.

    :raises InputError: at each record without a supplier identifier.
    """
    anonymous = [r for r in records if not r.supplier_id]
    if anonymous:
        raise InputError(
            [
                Problem(
                    "no supplier_id: with several suppliers, each record must say whose figures it holds", r.location
                )
                for r in anonymous
            ],
            source=anonymous[0].source,
        )
    return records


def verify_certificates(
    certificates: Iterable[Certificate],
    *,
    as_of: dt.date | str | None = None,
    policy: Policy | str | Path | None = None,
    pm: pluggy.PluginManager | None = None,
) -> CertificateReport:
    """Check certificates on their own, as of ``as_of`` (today when ``None``)."""
    return engine.certificate_report(certificates, pm=_pm(pm), policy=_policy(policy), as_of=_date(as_of))


def read_tender(
    source: str | Path | bytes, *, filename: str | None = None, pm: pluggy.PluginManager | None = None
) -> Tender:
    """Read a tender from a file path or from bytes, in any format a tender reader knows.

    The format is recognised by the content (the project's YAML or JSON tender file,
    an OCDS release or record package, an ESPD request, a ProZorro tender), so
    ``filename`` only names the input in messages.

    :raises TenderError: the file cannot be read or is invalid, every problem listed.
    """
    if isinstance(source, bytes):
        data, name = source, filename or "<input>"
    else:
        name = filename or str(source)
        data = read_capped(Path(source), what="tender file", error=TenderError, source=name)
    return evaluation.read_tender(data, name, pm=_pm(pm))


def read_bid(source: str | Path | bytes, *, filename: str | None = None, pm: pluggy.PluginManager | None = None) -> Bid:
    """Read one bid (an ESPD response, a submission …) from a file path or from bytes, recognised by content.

    :raises SubmissionError: the file cannot be read or is invalid, every problem listed.
    """
    if isinstance(source, bytes):
        data, name = source, filename or "<input>"
    else:
        name = filename or str(source)
        data = read_capped(Path(source), what="file", error=SubmissionError, source=name)
    pm = _pm(pm)

    def untrusted(content: bytes, where: str) -> Submission:
        return read_upload(content, filename=where, pm=pm)

    return evaluation.read_bid(data, name, pm=pm, catalog=catalog(pm), read=untrusted)


BID_SUFFIXES = (".json", ".xlsx", ".xml")


def eligibility(
    tender: Tender | str | Path | bytes,
    files: Iterable[Submission | Bid | str | Path | bytes] = (),
    *,
    submissions: str | Path | None = None,
    lot: str | None = None,
    as_of: dt.date | str | None = None,
    policy: Policy | str | Path | None = None,
    performance: Sequence[PerformanceRecord] | str | Path | None = None,
    pm: pluggy.PluginManager | None = None,
) -> Eligibility:
    """Check every bid against a tender's requirements, as of ``as_of`` (today when ``None``).

    :param tender: a :class:`~supplier_qual.tender.Tender` or its file: the project's
        YAML or JSON tender file, an OCDS package or release, an ESPD request or a
        ProZorro tender (recognised by content).
    :param files: the bids: submissions (JSON, workbooks), ESPD responses, or
        :class:`Submission` / :class:`Bid` objects, in the order the report lists them;
        submissions in files are read as untrusted uploads (:func:`~supplier_qual.uploads.read_upload`).
    :param submissions: a folder whose ``.json``, ``.xlsx`` and ``.xml`` files are bids
        too (read in name order); tenders that list their bidders (OCDS, ProZorro)
        are matched to them by identifier, then by legal name.
    :param lot: check this lot only; by default every lot of a tender with lots.
    :param performance: the buyer's performance records for the bidders (or their
        file), each applied to the bidder whose identifier it names.
    :return: per bidder (and lot), eligible, not eligible or cannot tell, with each
        requirement's state and why; duplicates and skipped files are reported.
    :raises InputError: the tender or any bid is invalid; every problem of every file
        is listed, so that no bidder is silently left out.
    """
    pm = _pm(pm)
    problems: list[Problem] = []
    chosen_tender: Tender | None = None
    try:
        chosen_tender = tender if isinstance(tender, Tender) else read_tender(tender, pm=pm)
    except InputError as exc:
        problems.extend(exc.problems)
    items: list[Submission | Bid | str | Path | bytes] = list(files)
    notices: list[str] = []
    if submissions is not None:
        folder = Path(submissions)
        if not folder.is_dir():
            problems.append(Problem("not a folder of submissions", source=str(folder)))
        else:
            for path in sorted(folder.iterdir()):
                if path.name.startswith(".") or not path.is_file():
                    continue
                if path.suffix.lower() in BID_SUFFIXES:
                    items.append(path)
                else:
                    notices.append(f"{path}: skipped, not a bid file (.json, .xlsx or .xml)")
    bids: list[Submission | Bid] = []
    for item in items:
        try:
            bids.append(item if isinstance(item, Submission | Bid) else read_bid(item, pm=pm))
        except InputError as exc:
            problems.extend(exc.problems)
    try:
        chosen_policy, day = _policy(policy), _date(as_of)
    except InputError as exc:
        problems.extend(exc.problems)
    if performance is not None:
        try:
            records = require_supplier_ids(
                read_performance(performance) if isinstance(performance, str | Path) else performance
            )
            bids = [_bid_with_performance(bid, records) for bid in bids]
        except InputError as exc:
            problems.extend(exc.problems)
    if problems or chosen_tender is None:
        raise InputError(problems)
    if not bids and not chosen_tender.bidders:
        raise InputError([Problem("no bids to check: give at least one submission or ESPD response")])
    result = evaluation.eligibility(
        chosen_tender, bids, pm=pm, policy=chosen_policy, as_of=day, catalog=catalog(pm), lot=lot
    )
    if notices:
        result = dataclasses.replace(result, notices=(*notices, *result.notices))
    return result


def _bid_with_performance(bid: Submission | Bid, records: Sequence[PerformanceRecord]) -> Submission | Bid:
    if isinstance(bid, Submission):
        return with_performance(bid, records)
    if bid.submission is None:
        return bid
    return dataclasses.replace(bid, submission=with_performance(bid.submission, records))


def read_capped(path: Path, *, what: str, error: type[InputError], source: str, limit: int | None = None) -> bytes:
    """A tender or bid file's bytes, refused unread when larger than ``limit`` (default :data:`MAX_INPUT_BYTES`)."""
    try:
        return read_bytes(path, what=what, error=error, max_bytes=MAX_INPUT_BYTES if limit is None else limit)
    except InputError as exc:
        raise error([dataclasses.replace(p, source=source) for p in exc.problems]) from exc


MAX_INPUT_BYTES = 50 * 1024 * 1024
"""The largest tender or bid file read (bytes); XML is capped lower by its reader."""


def expiry_watch(
    certificates: Iterable[tuple[Certificate, str, str]],
    *,
    days: int,
    as_of: dt.date | str | None = None,
) -> ExpiryReport:
    """Certificates' expiries and surveillance audits falling due within ``days`` of ``as_of`` (today when ``None``).

    :param certificates: (certificate, supplier name, where it came from) triples.
    :return: the watch, soonest first, and apart from it the certificates already expired.
    """
    day = _date(as_of)
    found = list(certificates)
    return ExpiryReport(day, days, tuple(due_within(found, day, days)), tuple(expired_before(found, day)))


def render(result: object, fmt: str = "json", *, pm: pluggy.PluginManager | None = None) -> str | bytes:
    """An assessment, certificate report or eligibility rendered as ``json``, ``text`` or a plugin's format."""
    return engine.render(result, fmt, pm=_pm(pm))


def _policy(policy: Policy | str | Path | None) -> Policy:
    if policy is None:
        return DEFAULT_POLICY
    if isinstance(policy, Policy):
        return policy
    return load_policy(policy)


def _date(value: dt.date | str | None) -> dt.date:
    if value is None:
        return dt.date.today()
    if isinstance(value, dt.datetime):
        day = value.date()
    elif isinstance(value, dt.date):
        day = value
    else:
        try:
            day = dt.date.fromisoformat(value)
        except ValueError as exc:
            raise InputError([Problem(f"{value!r} is not a date (YYYY-MM-DD)", "as_of")]) from exc
    problem = date_problem(day)
    if problem:
        raise InputError([Problem(problem, "as_of")])
    return day
