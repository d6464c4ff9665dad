"""Immutable domain objects: what a supplier submits and what an assessment says.

Terms used throughout:

- *submission*: what one supplier hands in — answers to a questionnaire, its
  certificates, and (from the buyer) performance data.
- *evidence*: what one plugin says about one outcome — a score proposal, the
  assurance behind it, findings and knockouts.
- *assurance*: which kind of evidence stands behind an outcome's score, from weakest
  to strongest: ``self_declared`` (the supplier's word), ``evidenced`` (answers cite
  documents), ``certified`` (a valid, accredited ISO 9001 certificate),
  ``verified`` (a registry confirmed that certificate), ``observed`` (the buyer's
  own delivery and quality data).
- *finding*: a gap worth reporting, with a severity; findings become corrective
  actions.
- *knockout*: an answer that makes qualification impossible whatever the scores.
- *limit*: anything that caps the decision whatever the scores (a KPI past its
  gate, a critical answer, a certificate that does not count, a scope of supply
  not stated); a decision is never better than its weakest limit.
- *scope of supply*: what the buyer buys from the supplier; every qualification
  is for one.
"""

from __future__ import annotations

from .questionnaire import (
    NA_CONTRADICTIONS,
    QUESTION_TYPES,
    Band,
    EvidenceRule,
    Option,
    Question,
    Questionnaire,
    QuestionnaireRef,
)
from .results import (
    ASSURANCE_LEVELS,
    CERTIFICATE_STATUSES,
    DECISIONS,
    LIMIT_KINDS,
    SEVERITIES,
    Assessment,
    CertificateCheck,
    CertificateReport,
    CertificateResult,
    CorrectiveAction,
    Decision,
    Evidence,
    Finding,
    Knockout,
    Limit,
    OutcomeResult,
    Provenance,
    RequirementResult,
)
from .submission import (
    NOT_APPLICABLE,
    Answer,
    AnswerValue,
    Certificate,
    Performance,
    ScopeOfSupply,
    Site,
    Submission,
    Supplier,
    Template,
)

__all__ = [
    "ASSURANCE_LEVELS",
    "CERTIFICATE_STATUSES",
    "DECISIONS",
    "LIMIT_KINDS",
    "NA_CONTRADICTIONS",
    "NOT_APPLICABLE",
    "QUESTION_TYPES",
    "SEVERITIES",
    "Answer",
    "AnswerValue",
    "Assessment",
    "Band",
    "Certificate",
    "CertificateCheck",
    "CertificateReport",
    "CertificateResult",
    "CorrectiveAction",
    "Decision",
    "Evidence",
    "EvidenceRule",
    "Finding",
    "Knockout",
    "Limit",
    "Option",
    "OutcomeResult",
    "Performance",
    "Provenance",
    "Question",
    "Questionnaire",
    "QuestionnaireRef",
    "RequirementResult",
    "ScopeOfSupply",
    "Site",
    "Submission",
    "Supplier",
    "Template",
]
