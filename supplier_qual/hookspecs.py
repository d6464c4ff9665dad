"""The hooks a supplier_qual plugin may implement, and the markers to implement them.

Hooks are always called with keyword arguments. ``firstresult`` hooks stop at the
first implementation that returns something other than ``None``; built-in defaults
are registered ``trylast`` so an installed plugin wins. Every other hook collects
the results of all implementations.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

import pluggy

if TYPE_CHECKING:
    import click
    import flask

    from .catalog import Catalog
    from .context import Context
    from .model import (
        Assessment,
        Certificate,
        CertificateCheck,
        CorrectiveAction,
        Decision,
        Evidence,
        OutcomeResult,
        Questionnaire,
        RequirementResult,
        Submission,
    )
    from .outcomes import Outcome
    from .policy import Policy
    from .tender import Bid, Requirement, Tender

hookspec = pluggy.HookspecMarker("supplier_qual")
hookimpl = pluggy.HookimplMarker("supplier_qual")


@hookspec
def register_questionnaires() -> Iterable[Path | Questionnaire] | None:
    """Offer questionnaires beyond those shipped in ``supplier_qual.questionnaires``.

    Called once when the questionnaire catalogue is first built.

    :return: YAML file paths or ready :class:`~supplier_qual.model.Questionnaire`
        objects. A definition whose id and version are already offered is an error.
    """


@hookspec(firstresult=True)
def read_submission(
    data: bytes,
    filename: str,
    media_type: str | None,
    questionnaire: Questionnaire | None,
    catalog: Catalog,
) -> Submission | None:
    """Turn an uploaded or local file into a :class:`~supplier_qual.model.Submission`.

    Called for every input file; stops at the first non-``None`` result.

    :param data: the file's bytes, already size-capped by the caller.
    :param filename: the name it arrived under, used for messages and to recognise
        the format; never trusted as a path.
    :param media_type: the declared media type, when one was given.
    :param questionnaire: the questionnaire the caller insists on, or ``None`` to let
        the file say which one it answers.
    :param catalog: the installed questionnaires, to resolve the one the file names.
    :return: the submission, or ``None`` when this reader does not handle the format.
    :raises SubmissionError: the file is in this reader's format but invalid; the
        error lists every problem with its location.
    """


@hookspec(firstresult=True)
def read_tender(data: bytes, filename: str, media_type: str | None) -> Tender | None:
    """Turn a tender file into a :class:`~supplier_qual.tender.Tender`: its lots, requirements and listed bidders.

    Called once for the tender given to ``eligibility``; stops at the first
    non-``None`` result. Readers recognise their format by its content (an OCDS
    package, an ESPD request, a ProZorro tender), never by the file's extension;
    the built-in reader of the project's own YAML or JSON tender file runs last.

    :param data: the file's bytes, already size-capped by the caller.
    :param filename: the name it arrived under, for messages only.
    :param media_type: the declared media type, when one was given.
    :return: the tender, or ``None`` when this reader does not handle the format.
    :raises TenderError: the file is in this reader's format but invalid, every
        problem listed with its place (JSON path, XML element).
    """


@hookspec(firstresult=True)
def read_bid(data: bytes, filename: str, media_type: str | None, catalog: Catalog) -> Bid | None:
    """Turn a bid document (an ESPD response …) into a :class:`~supplier_qual.tender.Bid`.

    Called for every bid file given to ``eligibility``, before
    :func:`read_submission`; stops at the first non-``None`` result. A file no
    plugin reads as a bid is read as a submission and becomes a bid of its own.
    A bid may carry the operator's identifiers, the lots it bids for, its answers
    to the tender's criteria, its declarations and declared certificates; it is
    merged with the submission of the same supplier, when one is given.

    :param data: the file's bytes, already size-capped by the caller.
    :param filename: the name it arrived under, for messages only.
    :param media_type: the declared media type, when one was given.
    :param catalog: the installed questionnaires.
    :return: the bid, or ``None`` when this reader does not handle the format.
    :raises SubmissionError: the file is in this reader's format but invalid.
    """


@hookspec
def verify_certificate(certificate: Certificate, context: Context) -> Iterable[CertificateCheck] | None:
    """Check one certificate: offline rules, registries, a buyer's own list.

    Called once per certificate of a submission, before any outcome is scored.
    Each failed check names the status it implies; among failed checks the most
    fundamental status wins (see :data:`supplier_qual.certificates.STATUS_PRECEDENCE`),
    so a registry saying "suspended" overrides what the supplier typed. A check with
    ``verified_by`` set records that a registry confirmed the certificate.

    :return: the checks this plugin made, or ``None`` when it has nothing to say.
    """


@hookspec
def score_outcome(
    outcome: Outcome,
    submission: Submission,
    questionnaire: Questionnaire,
    context: Context,
) -> Evidence | Iterable[Evidence] | None:
    """Contribute evidence about one outcome (A–I).

    Called once per outcome; ``context.certificates`` already holds the checked
    certificates. Evidence may propose a score (0–100) with a weight, state the
    assurance it supports, and add findings and knockouts.

    :return: one or more :class:`~supplier_qual.model.Evidence`, or ``None``.
    """


@hookspec(firstresult=True)
def combine_outcome(outcome: Outcome, evidence: list[Evidence], context: Context) -> OutcomeResult | None:
    """Merge all evidence about one outcome into its score and assurance.

    Called once per outcome after :func:`score_outcome`; stops at the first
    non-``None`` result. The default policy takes the weighted mean of the proposed
    scores and the strongest assurance.
    """


@hookspec(firstresult=True)
def decide(assessment: Assessment, policy: Policy) -> Decision | None:
    """Decide qualified / conditional / not qualified, with reasons and knockouts.

    Called once, after every outcome is scored and every certificate checked;
    stops at the first non-``None`` result.
    """


@hookspec
def plan_corrective_actions(assessment: Assessment, policy: Policy) -> Iterable[CorrectiveAction] | None:
    """Turn findings and the decision into corrective-action requests.

    Called once, after :func:`decide`; ``assessment.decision`` is set. Actions from
    all plugins are listed together, most urgent first.
    """


@hookspec(firstresult=True)
def check_requirement(
    requirement: Requirement, assessment: Assessment, tender: Tender, context: Context, bid: Bid
) -> RequirementResult | None:
    """Say whether one bidder meets one requirement of a tender, and why.

    Called once per bidder, lot and requirement when bids are checked for
    eligibility, after the bidder's assessment is complete (decision included);
    stops at the first non-``None`` result.

    :param requirement: the requirement: its ``kind`` (one of
        :data:`supplier_qual.tender.REQUIREMENT_KINDS` or one a plugin reads from
        its own tender data), ``params`` (dates already resolved for the lot) and
        ``label``.
    :param assessment: the bidder's assessment as of the evaluation date. A bid
        whose questionnaire was not answered has an assessment with no outcomes
        and no decision (its certificates are still checked).
    :param tender: the tender, for its dates, lots and other requirements.
    :param context: the evaluation date, the policy and the checked certificates.
    :param bid: the bid: its identifiers, lots, responses to the tender's
        criteria, declarations, and whether it came with a submission.
    :return: a :class:`~supplier_qual.model.RequirementResult` whose ``state`` is
        ``met``, ``not_met`` or ``cannot_tell`` (no evidence either way), with a
        reason fit for the evaluation report, or ``None`` when this plugin does
        not judge that kind of requirement.
    """


@hookspec(firstresult=True)
def render(result: object, fmt: str) -> str | bytes | None:
    """Render an assessment, certificate report, expiry watch, tender's eligibility or blank template as ``fmt``.

    Called by the CLI and the web layer; stops at the first non-``None`` result.

    :param result: an :class:`~supplier_qual.model.Assessment`, a
        :class:`~supplier_qual.model.CertificateReport`, an
        :class:`~supplier_qual.expiry.ExpiryReport`, a
        :class:`~supplier_qual.tender.Eligibility` or a
        :class:`~supplier_qual.model.Template` (the self-assessment a supplier fills
        in; the Excel adapter renders it as ``xlsx``).
    :param fmt: ``json``, ``text`` or a format a plugin adds.
    :return: the rendering, or ``None`` when this plugin does not handle the pair.
    """


@hookspec
def register_commands(cli: click.Group) -> None:
    """Add commands to the ``supplier-qual`` command line.

    Called once when the command line is built; add commands with ``cli.add_command``
    or the ``@cli.command()`` decorator.
    """


@hookspec
def register_routes(app: flask.Flask) -> None:
    """Add routes to the qualification service.

    Called once by :func:`supplier_qual.web.create_app`, after the service's own
    blueprints are registered; add views with ``app.add_url_rule`` or
    ``app.register_blueprint``.
    """
