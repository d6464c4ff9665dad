"""The public Python API for platforms that embed supplier_qual in-process."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json

import pluggy
import pytest

import supplier_qual
from supplier_qual.model import Performance

from .conftest import AS_OF, EXAMPLES

PUBLIC = {
    "DEFAULT_POLICY", "Assessment", "Certificate", "CertificateReport", "CertificateResult", "ConfigurationError",
    "Decision", "InputError", "Performance", "PerformanceRecord", "Policy", "PolicyError", "Problem", "Questionnaire",
    "QuestionnaireError", "ReadLimits", "Submission", "SubmissionError", "Supplier", "SupplierQualError", "TenderError",
    "UnknownQuestionnaireError", "__version__", "assess", "eligibility", "expiry_watch", "get_plugin_manager",
    "hookimpl", "list_questionnaires", "load_policy", "load_questionnaire", "read_bid", "read_performance",
    "read_submission", "read_tender", "read_upload", "render", "verify_certificates",
}  # fmt: skip


def test_public_surface_is_deliberate() -> None:
    assert set(supplier_qual.__all__) == PUBLIC
    assert all(hasattr(supplier_qual, name) for name in PUBLIC)


def test_assess_accepts_path_mapping_or_submission(pm: pluggy.PluginManager) -> None:
    path = EXAMPLES / "northwind-components.json"
    from_path = supplier_qual.assess(path, as_of=AS_OF, pm=pm)
    from_mapping = supplier_qual.assess(json.loads(path.read_text(encoding="utf-8")), as_of="2026-11-25", pm=pm)
    submission = supplier_qual.read_submission(path, pm=pm)
    from_submission = supplier_qual.assess(submission, as_of=AS_OF, pm=pm)
    assert from_path.outcomes == from_mapping.outcomes == from_submission.outcomes
    assert from_path.decision == from_mapping.decision == from_submission.decision


def test_performance_argument_replaces_submission_data(pm: pluggy.PluginManager) -> None:
    path = EXAMPLES / "northwind-components.json"
    bad = Performance(defect_ppm=9000)
    assessment = supplier_qual.assess(path, as_of=AS_OF, performance=bad, pm=pm)
    assert assessment.performance == bad
    assert assessment.outcomes["F"].assurance == "observed"


def test_as_of_defaults_to_today_and_is_validated(pm: pluggy.PluginManager) -> None:
    path = EXAMPLES / "northwind-components.json"
    assert supplier_qual.assess(path, pm=pm).as_of == dt.date.today()
    with pytest.raises(supplier_qual.InputError, match="'soon' is not a date"):
        supplier_qual.assess(path, as_of="soon", pm=pm)


def test_explicit_questionnaire_must_match_the_submission(pm: pluggy.PluginManager) -> None:
    questionnaire = supplier_qual.load_questionnaire(pm=pm)
    other = dataclasses.replace(questionnaire, version="2.0")
    with pytest.raises(supplier_qual.SubmissionError, match=r"answers questionnaire iso9001-outcomes 1\.1, but"):
        supplier_qual.assess(EXAMPLES / "northwind-components.json", questionnaire=other, pm=pm)


def test_render_json_and_text(pm: pluggy.PluginManager) -> None:
    assessment = supplier_qual.assess(EXAMPLES / "northwind-components.json", as_of=AS_OF, pm=pm)
    as_json = supplier_qual.render(assessment, "json", pm=pm)
    assert isinstance(as_json, str) and as_json.endswith("}\n")
    assert json.loads(as_json)["overall"]["decision"] == "qualified"
    assert str(supplier_qual.render(assessment, "text", pm=pm)).startswith("Northwind Components Ltd")


def test_hookimpl_is_the_plugin_marker() -> None:
    assert supplier_qual.hookimpl.project_name == "supplier_qual"


def test_expiry_watch_lists_expiries_and_surveillance_within_the_window() -> None:
    certificate = supplier_qual.Certificate(
        standard="ISO 9001:2015",
        number="FM 1",
        holder="Acme",
        issued=dt.date(2024, 3, 15),
        expires=dt.date(2027, 3, 14),
    )
    report = supplier_qual.expiry_watch([(certificate, "Acme", "acme.json")], days=120, as_of="2027-01-01")
    assert [(d.event, d.date) for d in report.due] == [("expires", dt.date(2027, 3, 14))]
    assert report.until == dt.date(2027, 5, 1)
    soon = supplier_qual.expiry_watch([(certificate, "Acme", "acme.json")], days=30, as_of="2026-03-01")
    assert [(d.event, d.date) for d in soon.due] == [("surveillance due", dt.date(2026, 3, 15))]
    assert supplier_qual.expiry_watch([(certificate, "Acme", "")], days=10, as_of="2025-06-01").due == ()
    late = supplier_qual.expiry_watch([(certificate, "Acme", "")], days=10, as_of="2027-06-01")
    assert late.due == () and [(d.event, d.date) for d in late.expired] == [("expired", dt.date(2027, 3, 14))]
