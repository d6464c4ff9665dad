"""supplier_qual: qualify suppliers against the expected outcomes of ISO 9001 certification.

The public API for platforms that embed supplier_qual in-process::

    import supplier_qual

    assessment = supplier_qual.assess("acme.json", as_of="2026-11-25")
    print(assessment.decision.decision)          # qualified | conditional | not_qualified
    print(supplier_qual.render(assessment, "text"))

Everything listed in ``__all__`` is stable; plugin authors also use :data:`hookimpl`.
"""

from __future__ import annotations

from ._version import VERSION as __version__
from .api import (
    assess,
    eligibility,
    expiry_watch,
    list_questionnaires,
    load_questionnaire,
    read_bid,
    read_submission,
    read_tender,
    render,
    verify_certificates,
)
from .errors import (
    ConfigurationError,
    InputError,
    PolicyError,
    Problem,
    QuestionnaireError,
    SubmissionError,
    SupplierQualError,
    TenderError,
    UnknownQuestionnaireError,
)
from .hookspecs import hookimpl
from .limits import ReadLimits
from .model import (
    Assessment,
    Certificate,
    CertificateReport,
    CertificateResult,
    Decision,
    Performance,
    Questionnaire,
    Submission,
    Supplier,
)
from .performance_data import PerformanceRecord, read_performance
from .plugins import get_plugin_manager
from .policy import DEFAULT_POLICY, Policy, load_policy
from .uploads import read_upload

__all__ = [
    "DEFAULT_POLICY",
    "Assessment",
    "Certificate",
    "CertificateReport",
    "CertificateResult",
    "ConfigurationError",
    "Decision",
    "InputError",
    "Performance",
    "PerformanceRecord",
    "Policy",
    "PolicyError",
    "Problem",
    "Questionnaire",
    "QuestionnaireError",
    "ReadLimits",
    "Submission",
    "SubmissionError",
    "Supplier",
    "SupplierQualError",
    "TenderError",
    "UnknownQuestionnaireError",
    "__version__",
    "assess",
    "eligibility",
    "expiry_watch",
    "get_plugin_manager",
    "hookimpl",
    "list_questionnaires",
    "load_policy",
    "load_questionnaire",
    "read_bid",
    "read_performance",
    "read_submission",
    "read_tender",
    "read_upload",
    "render",
    "verify_certificates",
]
