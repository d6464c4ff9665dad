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
    from .tender import Requirement, Tender

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
    requirement: Requirement, assessment: Assessment, tender: Tender, context: Context
) -> RequirementResult | None:
    """Say whether one bidder meets one requirement of a tender, and why.

    Called once per bidder and requirement when bids are checked for eligibility,
    after the bidder's assessment is complete (decision included); stops at the
    first non-``None`` result.

    :param requirement: the requirement: its ``kind`` (``certificate``,
        ``min_overall``, ``min_outcome``, ``decision_at_least`` or one a plugin
        reads from its own tender data), ``params`` and ``label``.
    :param assessment: the bidder's assessment as of the evaluation date.
    :param tender: the tender, for its dates and its other requirements.
    :param context: the evaluation date, the policy and the checked certificates.
    :return: met or not met with a reason fit for the evaluation report, or ``None``
        when this plugin does not judge that kind of requirement.
    """


@hookspec(firstresult=True)
def render(result: object, fmt: str) -> str | bytes | None:
    """Render an assessment, a certificate report, an expiry watch or a tender's eligibility as ``fmt``.

    Called by the CLI and the web layer; stops at the first non-``None`` result.

    :param result: an :class:`~supplier_qual.model.Assessment`, a
        :class:`~supplier_qual.model.CertificateReport`, an
        :class:`~supplier_qual.expiry.ExpiryReport` or a
        :class:`~supplier_qual.tender.Eligibility`.
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
