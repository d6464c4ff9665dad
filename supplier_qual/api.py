"""The in-process API behind ``supplier_qual.assess`` and friends.

Each function takes an optional plugin manager; without one, a shared manager with
the built-in and installed plugins is used.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import weakref
from collections.abc import Iterable, Mapping
from pathlib import Path

import pluggy

from . import engine
from .catalog import Catalog
from .documents import read_bytes
from .errors import InputError, Problem, SubmissionError
from .limits import date_problem
from .model import (
    Assessment,
    Certificate,
    CertificateReport,
    Performance,
    Questionnaire,
    Submission,
)
from .plugins import get_plugin_manager
from .policy import DEFAULT_POLICY, Policy, load_policy
from .submission import load_submission
from .tender import Eligibility, Tender, load_tender
from .uploads import read_upload

_catalogs: weakref.WeakKeyDictionary[pluggy.PluginManager, Catalog] = weakref.WeakKeyDictionary()


@functools.cache
def _shared_plugin_manager() -> pluggy.PluginManager:
    return get_plugin_manager()


def _pm(pm: pluggy.PluginManager | None) -> pluggy.PluginManager:
    return pm if pm is not None else _shared_plugin_manager()


def catalog(pm: pluggy.PluginManager | None = None) -> Catalog:
    """The questionnaires the plugins of ``pm`` offer, built once per manager."""
    pm = _pm(pm)
    found = _catalogs.get(pm)
    if found is None:
        found = _catalogs[pm] = Catalog.from_plugins(pm)
    return found


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
    performance: Performance | None = None,
    pm: pluggy.PluginManager | None = None,
) -> Assessment:
    """Assess a supplier's submission.

    :param submission: a :class:`Submission`, JSON-like data, or a file path (.json, .xlsx …).
    :param questionnaire: the questionnaire to score against; by default the one the
        submission answers.
    :param policy: a :class:`Policy`, a policy file path, or ``None`` for the default.
    :param as_of: the reference date (date or ``YYYY-MM-DD``); today when ``None``.
    :param performance: the buyer's performance data, replacing any in the submission.
    :return: the assessment, decision and corrective actions included.
    :raises InputError: the submission, questionnaire or policy is invalid.
    """
    pm = _pm(pm)
    if isinstance(submission, str | Path):
        submission = read_submission(submission, questionnaire=questionnaire, pm=pm)
    elif not isinstance(submission, Submission):
        submission = load_submission(submission, catalog=catalog(pm), questionnaire=questionnaire)
    if performance is not None:
        submission = dataclasses.replace(submission, performance=performance)
    if questionnaire is None:
        questionnaire = catalog(pm).get(submission.questionnaire.id, submission.questionnaire.version)
    return engine.assess(submission, questionnaire, pm=pm, policy=_policy(policy), as_of=_date(as_of))


def verify_certificates(
    certificates: Iterable[Certificate],
    *,
    as_of: dt.date | str | None = None,
    policy: Policy | str | Path | None = None,
    pm: pluggy.PluginManager | None = None,
) -> CertificateReport:
    """Check certificates on their own, as of ``as_of`` (today when ``None``)."""
    return engine.certificate_report(certificates, pm=_pm(pm), policy=_policy(policy), as_of=_date(as_of))


def eligibility(
    tender: Tender | str | Path,
    files: Iterable[Submission | str | Path],
    *,
    as_of: dt.date | str | None = None,
    policy: Policy | str | Path | None = None,
    pm: pluggy.PluginManager | None = None,
) -> Eligibility:
    """Check every bid against a tender's requirements, as of ``as_of`` (today when ``None``).

    :param tender: a :class:`~supplier_qual.tender.Tender` or its YAML or JSON file.
    :param files: the bidders' submissions (files or :class:`Submission` objects), in
        the order the report lists them; files are read as untrusted uploads
        (:func:`~supplier_qual.uploads.read_upload`).
    :return: per bidder, eligible or not, with each requirement met or not and why.
    :raises InputError: the tender or any submission is invalid; every problem of every
        file is listed, so that no bidder is silently left out.
    """
    pm = _pm(pm)
    problems: list[Problem] = []
    chosen_tender: Tender | None = None
    try:
        chosen_tender = tender if isinstance(tender, Tender) else load_tender(tender)
    except InputError as exc:
        problems.extend(exc.problems)
    submissions = []
    for item in files:
        try:
            submissions.append(item if isinstance(item, Submission) else read_upload(item, pm=pm))
        except InputError as exc:
            problems.extend(exc.problems)
    try:
        chosen_policy, day = _policy(policy), _date(as_of)
    except InputError as exc:
        problems.extend(exc.problems)
    if problems or chosen_tender is None:
        raise InputError(problems)
    if not submissions:
        raise InputError([Problem("no bids to check: give at least one submission")])
    return engine.eligibility(chosen_tender, submissions, pm=pm, policy=chosen_policy, as_of=day, catalog=catalog(pm))


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
