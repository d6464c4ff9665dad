"""supplier_qual: qualify suppliers against the expected outcomes of ISO 9001 certification.

The public API for platforms that embed supplier_qual in-process::

    import supplier_qual

    assessment = supplier_qual.assess("acme.json", as_of="2026-11-25")
    print(assessment.decision.decision)          # qualified | conditional | not_qualified
    print(supplier_qual.render(assessment, "text"))

Everything listed in ``__all__`` is stable; plugin authors also use :data:`hookimpl`.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from ._version import VERSION as __version__

if TYPE_CHECKING:
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

# What each public name is imported from, on first use: a command that needs neither the engine nor
# the readers (``supplier-qual --help``) does not pay for importing them.
_LAZY: dict[str, tuple[str, str]] = {
    "assess": ("supplier_qual.api", "assess"),
    "eligibility": ("supplier_qual.api", "eligibility"),
    "expiry_watch": ("supplier_qual.api", "expiry_watch"),
    "list_questionnaires": ("supplier_qual.api", "list_questionnaires"),
    "load_questionnaire": ("supplier_qual.api", "load_questionnaire"),
    "read_bid": ("supplier_qual.api", "read_bid"),
    "read_submission": ("supplier_qual.api", "read_submission"),
    "read_tender": ("supplier_qual.api", "read_tender"),
    "render": ("supplier_qual.api", "render"),
    "verify_certificates": ("supplier_qual.api", "verify_certificates"),
    "ConfigurationError": ("supplier_qual.errors", "ConfigurationError"),
    "InputError": ("supplier_qual.errors", "InputError"),
    "PolicyError": ("supplier_qual.errors", "PolicyError"),
    "Problem": ("supplier_qual.errors", "Problem"),
    "QuestionnaireError": ("supplier_qual.errors", "QuestionnaireError"),
    "SubmissionError": ("supplier_qual.errors", "SubmissionError"),
    "SupplierQualError": ("supplier_qual.errors", "SupplierQualError"),
    "TenderError": ("supplier_qual.errors", "TenderError"),
    "UnknownQuestionnaireError": ("supplier_qual.errors", "UnknownQuestionnaireError"),
    "hookimpl": ("supplier_qual.hookspecs", "hookimpl"),
    "ReadLimits": ("supplier_qual.limits", "ReadLimits"),
    "Assessment": ("supplier_qual.model", "Assessment"),
    "Certificate": ("supplier_qual.model", "Certificate"),
    "CertificateReport": ("supplier_qual.model", "CertificateReport"),
    "CertificateResult": ("supplier_qual.model", "CertificateResult"),
    "Decision": ("supplier_qual.model", "Decision"),
    "Performance": ("supplier_qual.model", "Performance"),
    "Questionnaire": ("supplier_qual.model", "Questionnaire"),
    "Submission": ("supplier_qual.model", "Submission"),
    "Supplier": ("supplier_qual.model", "Supplier"),
    "PerformanceRecord": ("supplier_qual.performance_data", "PerformanceRecord"),
    "read_performance": ("supplier_qual.performance_data", "read_performance"),
    "get_plugin_manager": ("supplier_qual.plugins", "get_plugin_manager"),
    "DEFAULT_POLICY": ("supplier_qual.policy", "DEFAULT_POLICY"),
    "Policy": ("supplier_qual.policy", "Policy"),
    "load_policy": ("supplier_qual.policy", "load_policy"),
    "read_upload": ("supplier_qual.uploads", "read_upload"),
}


def __getattr__(name: str) -> Any:
    if name not in _LAZY:  # a submodule, as ``supplier_qual.api`` was before the names were lazy
        try:
            return importlib.import_module(f"{__name__}.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"{__name__}.{name}":
                raise
            raise AttributeError(f"module {__name__!r} has no attribute {name!r}") from None
    module, attribute = _LAZY[name]
    value = getattr(importlib.import_module(module), attribute)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY})


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
