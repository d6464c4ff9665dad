"""The assessment pipeline: calls the hooks in order and assembles the result.

The engine holds no domain rules; each step is a hook, and the built-in behaviour
lives in :mod:`supplier_qual.default_plugins`. It is a pure function of its inputs
and ``as_of``: the same submission, questionnaire, policy and plugins give the same
assessment.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
from collections.abc import Iterable, Mapping, Sequence
from typing import TypeVar

import pluggy

from ._version import VERSION
from .catalog import Catalog
from .certificates import settle, standing
from .context import Context
from .errors import ConfigurationError, InputError, Problem, SubmissionError
from .model import (
    SEVERITIES,
    Assessment,
    Certificate,
    CertificateReport,
    CertificateResult,
    CorrectiveAction,
    Provenance,
    Questionnaire,
    Submission,
    Supplier,
)
from .outcomes import OUTCOMES
from .plugins import plugin_versions
from .policy import Policy
from .questionnaire import check_answers
from .refdata import reference_data
from .scope import scope_of_supply
from .submission import canonical_sha256

T = TypeVar("T")


def read_submission(
    data: bytes,
    filename: str,
    *,
    pm: pluggy.PluginManager,
    catalog: Catalog,
    questionnaire: Questionnaire | None = None,
    media_type: str | None = None,
) -> Submission:
    """Ask the reader plugins to turn a file into a submission.

    :raises SubmissionError: no reader knows the format, or the file is invalid.
    """
    submission: Submission | None = pm.hook.read_submission(
        data=data, filename=filename, media_type=media_type, questionnaire=questionnaire, catalog=catalog
    )
    if submission is None:
        raise SubmissionError([Problem("not a format supplier_qual can read (use .json or .xlsx)")], source=filename)
    if not submission.sha256:
        submission = dataclasses.replace(submission, sha256=hashlib.sha256(data).hexdigest())
    return submission


def make_context(
    policy: Policy, as_of: dt.date, submission: Submission | None = None, *, supplier: Supplier | None = None
) -> Context:
    """The context hooks receive: the reference data the policy names, whom the certificates should
    belong to, and what is supplied (the policy's scope of supply completed by the submission's)."""
    rules = policy.certificates
    return Context(
        as_of=as_of,
        policy=policy,
        reference=reference_data(rules.accreditation_bodies, rules.editions, rules.standards),
        supplier=submission.supplier if submission is not None else supplier,
        scope=scope_of_supply(rules, submission.scope_of_supply if submission is not None else None),
    )


def verify_certificates(
    certificates: Iterable[Certificate], *, pm: pluggy.PluginManager, context: Context
) -> tuple[CertificateResult, ...]:
    """Every certificate with the checks the plugins made and the status they settle."""
    accepted = context.policy.certificates.accepted_in_place_of_iso9001
    results = []
    for certificate in certificates:
        family, qualifying = standing(certificate, context.reference, accepted)
        checks = _flatten(pm.hook.verify_certificate(certificate=certificate, context=context))
        results.append(settle(certificate, checks, family=family, qualifying=qualifying))
    return tuple(results)


def assess(
    submission: Submission,
    questionnaire: Questionnaire,
    *,
    pm: pluggy.PluginManager,
    policy: Policy,
    as_of: dt.date,
) -> Assessment:
    """Assess one submission against ``questionnaire`` under ``policy`` as of ``as_of``.

    :raises SubmissionError: the answers do not fit the questionnaire.
    """
    if submission.questionnaire != questionnaire.ref:
        ref = submission.questionnaire
        raise SubmissionError(
            [
                Problem(
                    f"this submission answers questionnaire {ref.id} {ref.version}, "
                    f"not {questionnaire.id} {questionnaire.version}"
                )
            ],
            source=submission.source,
        )
    submission = check_answers(questionnaire, submission)
    context = make_context(policy, as_of, submission)
    context = dataclasses.replace(
        context, certificates=verify_certificates(submission.certificates, pm=pm, context=context)
    )
    outcomes = {}
    for outcome in OUTCOMES:
        evidence = _flatten(
            pm.hook.score_outcome(outcome=outcome, submission=submission, questionnaire=questionnaire, context=context)
        )
        result = pm.hook.combine_outcome(outcome=outcome, evidence=evidence, context=context)
        if result is None:
            raise ConfigurationError(f"no plugin combines the evidence of outcome {outcome.id}")
        outcomes[outcome.id] = result
    assessment = Assessment(
        supplier=submission.supplier,
        questionnaire=questionnaire.ref,
        as_of=as_of,
        outcomes=outcomes,
        certificates=context.certificates,
        performance=submission.performance,
        scope_of_supply=context.scope if context.scope.stated else None,
    )
    decision = pm.hook.decide(assessment=assessment, policy=policy)
    if decision is None:
        raise ConfigurationError("no plugin decides on qualification")
    assessment = dataclasses.replace(assessment, decision=decision)
    actions = sorted(_flatten(pm.hook.plan_corrective_actions(assessment=assessment, policy=policy)), key=_action_order)
    return dataclasses.replace(
        assessment,
        corrective_actions=tuple(actions),
        provenance=provenance(
            pm,
            input_sha256=submission.sha256 or canonical_sha256(submission),
            policy=policy,
            questionnaire=questionnaire,
        ),
    )


_SEVERITY_RANK = {name: index for index, name in enumerate(SEVERITIES)}


def _action_order(a: CorrectiveAction) -> tuple[int, int, str, str, str]:
    """Corrective actions by severity, then due time, outcome, question and finding."""
    return (_SEVERITY_RANK.get(a.severity, len(_SEVERITY_RANK)), a.due_days, a.outcome, a.question, a.finding)


def provenance(
    pm: pluggy.PluginManager, *, input_sha256: str, policy: Policy, questionnaire: Questionnaire | None = None
) -> Provenance:
    """What a result needs to be reproduced: engine, plugins, input, questionnaire and policy."""
    return Provenance(
        engine_version=VERSION,
        plugins=plugin_versions(pm),
        input_sha256=input_sha256,
        questionnaire_sha256=questionnaire.sha256 if questionnaire else "",
        policy=policy.origin or policy.name,
        policy_sha256=policy.sha256,
    )


def certificate_report(
    certificates: Iterable[Certificate], *, pm: pluggy.PluginManager, policy: Policy, as_of: dt.date
) -> CertificateReport:
    """Certificates checked on their own, with the provenance of the check."""
    certificates = tuple(certificates)
    results = verify_certificates(certificates, pm=pm, context=make_context(policy, as_of))
    digest = canonical_sha256(certificates)
    return CertificateReport(as_of, results, provenance(pm, input_sha256=digest, policy=policy))


def render(result: object, fmt: str, *, pm: pluggy.PluginManager) -> str | bytes:
    """``result`` rendered as ``fmt`` by the first renderer plugin that knows the pair."""
    output: str | bytes | None = pm.hook.render(result=result, fmt=fmt)
    if output is None:
        raise InputError([Problem(f"no renderer for the format {fmt!r}")])
    return output


def _flatten(results: Sequence[T | Iterable[T] | None]) -> list[T]:
    """Collected hook results as one list: a plugin may return one item, any iterable of them, or None."""
    flat: list[T] = []
    for item in results:
        if item is None:
            continue
        if isinstance(item, Iterable) and not isinstance(item, str | bytes | Mapping):
            flat.extend(item)
        else:
            flat.append(item)  # type: ignore[arg-type]
    return flat
