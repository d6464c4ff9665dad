"""Critical questions, placeholder evidence and N/A checked against what else is known."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pluggy
import pytest

import supplier_qual
from supplier_qual.catalog import Catalog
from supplier_qual.citations import cites_document
from supplier_qual.model import Assessment, Questionnaire
from supplier_qual.policy import PLACEHOLDER_EVIDENCE

from .conftest import AS_OF, VALID_CERTIFICATE, full_answers

Make = Callable[..., dict[str, Any]]
CRITICAL = ("A1", "E4", "F2", "F3", "G1", "G2", "G6", "H1")


def _assess(pm: pluggy.PluginManager, data: dict[str, Any], **kwargs: Any) -> Assessment:
    return supplier_qual.assess(data, as_of=AS_OF, pm=pm, **kwargs)


def _decision(assessment: Assessment) -> str:
    assert assessment.decision is not None
    return assessment.decision.decision


def test_the_critical_questions_of_version_1_1(questionnaire: Questionnaire) -> None:
    critical = tuple(q.id for q in questionnaire.questions if q.knockout)
    assert critical == CRITICAL
    for qid in critical:
        question = questionnaire.by_id[qid]
        assert question.knockout_values == ("no",) and question.conditional_values == ("partly",), qid
        assert question.knockout_reason and not question.na_allowed


def test_version_1_0_stays_as_it_was(catalog: Catalog) -> None:
    old = catalog.get("iso9001-outcomes", "1.0")
    assert len(old.questions) == 54
    assert tuple(q.id for q in old.questions if q.knockout) == ("A1", "G1", "G2", "H1")
    assert not any(q.conditional_values or q.mirrors or q.na_contradicted_by for q in old.questions)


def test_release_traceability_and_notification_answered_no_do_not_qualify(
    pm: pluggy.PluginManager, make_submission: Make
) -> None:
    assessment = _assess(pm, make_submission({"F2": "no", "F3": "no", "G6": "no"}))
    assert _decision(assessment) == "not_qualified"
    assert [k.question for k in assessment.knockouts] == ["F2", "F3", "G6"]


@pytest.mark.parametrize("qid", CRITICAL)
def test_each_critical_question_worst_answer_is_not_qualified(
    pm: pluggy.PluginManager, make_submission: Make, qid: str
) -> None:
    assessment = _assess(pm, make_submission({qid: "no"}))
    assert _decision(assessment) == "not_qualified"
    assert assessment.decision is not None and assessment.decision.reasons[0].startswith(f"Knockout {qid} ")


@pytest.mark.parametrize("qid", CRITICAL)
def test_a_middle_answer_to_a_critical_question_is_at_best_conditional(
    pm: pluggy.PluginManager, make_submission: Make, qid: str
) -> None:
    assessment = _assess(pm, make_submission({qid: "partly"}))
    assert _decision(assessment) == "conditional"
    assert assessment.decision is not None
    critical = [lim for lim in assessment.decision.limits if lim.kind == "critical_answer"]
    assert [lim.reason.split(":")[0] for lim in critical] == [f"Critical question {qid} answered “Partly”"]
    assert "only partly in place, so at best conditional (the risk: " in critical[0].reason


def test_a_middle_answer_to_an_ordinary_question_need_not_hold_the_supplier_back(
    pm: pluggy.PluginManager, make_submission: Make
) -> None:
    assert _decision(_assess(pm, make_submission({"B3": "partly"}))) == "qualified"


def test_a_service_supplier_may_answer_na_to_product_questions(
    pm: pluggy.PluginManager, make_submission: Make, questionnaire: Questionnaire
) -> None:
    service = {qid: {"value": "N/A", "evidence": ""} for qid in ("C3", "C4", "F5", "F6", "E5", "D7", "D8")}
    assessment = _assess(pm, make_submission(service))
    assert _decision(assessment) == "qualified"
    assert all(questionnaire.by_id[qid].na_allowed for qid in service)


def test_version_1_0_refuses_na_where_it_did(pm: pluggy.PluginManager, make_submission: Make, catalog: Catalog) -> None:
    old = catalog.get("iso9001-outcomes", "1.0")
    data = make_submission()
    data["questionnaire"] = {"id": "iso9001-outcomes", "version": "1.0"}
    data["answers"] = full_answers(old)
    data["answers"]["C3"]["value"] = "N/A"
    with pytest.raises(supplier_qual.SubmissionError, match="question C3 applies to every supplier"):
        _assess(pm, data)


def test_version_1_0_submissions_still_assess(
    pm: pluggy.PluginManager, make_submission: Make, catalog: Catalog
) -> None:
    old = catalog.get("iso9001-outcomes", "1.0")
    data = make_submission()
    data["questionnaire"] = {"id": "iso9001-outcomes", "version": "1.0"}
    data["answers"] = full_answers(old)
    assessment = _assess(pm, data)
    assert assessment.questionnaire.version == "1.0" and _decision(assessment) == "qualified"


def test_the_new_questions_of_version_1_1(questionnaire: Questionnaire) -> None:
    for qid, clause in (("D7", "8.5.4"), ("D8", "8.4.1"), ("E7", "6.1")):
        question = questionnaire.by_id[qid]
        assert clause in question.clauses and question.evidence.required, qid
    assert questionnaire.by_id["F6"].mirrors == "defect_ppm"
    assert questionnaire.by_id["I4"].mirrors == "on_time_delivery_pct"
    assert questionnaire.by_id["G4"].mirrors == "complaints_closed_pct"


# --- evidence that is no evidence ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    ["-", "—", "n/a", "TBD", "yes", "Yes.", "available on request", "Available upon request", "see above",
     "on file", "On file at head office", "we have it", "attached", "see attached"],
)  # fmt: skip
def test_placeholders_are_no_evidence(text: str) -> None:
    assert not cites_document(text, PLACEHOLDER_EVIDENCE)


@pytest.mark.parametrize(
    "text",
    ["QM-01 rev 4", "Quality manual section 8.7", "calibration-register.xlsx", "Supplier Approval Procedure",
     "Yes, see PR-8.5", "Corrective action log", "8D reports 2026"],
)  # fmt: skip
def test_document_references_are_evidence(text: str) -> None:
    assert cites_document(text, PLACEHOLDER_EVIDENCE)


def test_placeholder_evidence_leaves_the_supplier_self_declared(
    pm: pluggy.PluginManager, make_submission: Make, questionnaire: Questionnaire
) -> None:
    answers = full_answers(questionnaire)
    for answer in answers.values():
        answer["evidence"] = "available on request"
    data = make_submission()
    data["answers"] = answers
    assessment = _assess(pm, data)
    assert _decision(assessment) != "qualified"
    assert {r.assurance for r in assessment.outcomes.values()} <= {"self_declared", "certified"}
    questionnaire_evidence = next(e for e in assessment.outcomes["A"].evidence if e.source == "questionnaire")
    assert questionnaire_evidence.assurance == "self_declared"
    placeholders = [f for f in assessment.outcomes["A"].findings if "cites no document" in f.message]
    assert len(placeholders) == 1
    assert placeholders[0].message.startswith("The evidence given for A1, A2, A3, A4, A5 cites no document")


def test_real_evidence_keeps_full_points(pm: pluggy.PluginManager, make_submission: Make) -> None:
    assessment = _assess(pm, make_submission())
    assert all(r.score == 100 for r in assessment.outcomes.values())
    assert {e.assurance for r in assessment.outcomes.values() for e in r.evidence if e.source == "questionnaire"} == {
        "evidenced"
    }


def test_maturity_levels_three_and_four_need_evidence(pm: pluggy.PluginManager, make_submission: Make) -> None:
    cited = _assess(pm, make_submission({"A3": {"value": "4", "evidence": "Context analysis CA-2026"}}))
    bare = _assess(pm, make_submission({"A3": {"value": "4", "evidence": ""}}))
    assert bare.outcomes["A"].score < cited.outcomes["A"].score
    assert any("A3 answered “4 – Reviewed and improving” without the evidence" in f.message for f in bare.findings)
    low = _assess(pm, make_submission({"A3": {"value": "2", "evidence": ""}}))
    assert not any("without the evidence" in f.message for f in low.findings)


def test_version_1_0_maturity_answers_need_evidence_too(
    pm: pluggy.PluginManager, make_submission: Make, catalog: Catalog
) -> None:
    old = catalog.get("iso9001-outcomes", "1.0")
    data = make_submission()
    data["questionnaire"] = {"id": "iso9001-outcomes", "version": "1.0"}
    data["answers"] = full_answers(old)
    data["answers"]["A3"] = {"value": "4", "evidence": ""}
    messages = [f.message for f in _assess(pm, data).outcomes["A"].findings]
    assert any("without the evidence maturity levels 3 and 4 need" in m for m in messages)


# --- N/A against what else is known -------------------------------------------------------------------------


def test_complaint_closure_na_while_the_buyer_logged_complaints_counts_as_unanswered(
    pm: pluggy.PluginManager, make_submission: Make
) -> None:
    answers = {"G4": {"value": "N/A", "evidence": ""}}
    quiet = _assess(pm, make_submission(answers, performance={"period_months": 12, "complaints": 0}))
    logged = _assess(pm, make_submission(answers, performance={"period_months": 12, "complaints": 4}))
    assert not [f for f in quiet.outcomes["G"].findings if "counted as unanswered" in f.message]
    [finding] = [f for f in logged.outcomes["G"].findings if f.question == "G4"]
    assert finding.message == "G4 answered “N/A”, but the buyer logged 4 complaints: counted as unanswered"
    assert logged.outcomes["G"].score < quiet.outcomes["G"].score


def test_special_process_na_while_the_certificate_names_welding_counts_as_unanswered(
    pm: pluggy.PluginManager, make_submission: Make
) -> None:
    answers = {"F4": {"value": "N/A", "evidence": ""}}
    welding = {**VALID_CERTIFICATE, "scope": "Machining and welding of hydraulic valve components"}
    plain = _assess(pm, make_submission(answers))
    contradicted = _assess(pm, make_submission(answers, certificates=[welding]))
    assert not [f for f in plain.outcomes["F"].findings if f.question == "F4"]
    [finding] = [f for f in contradicted.outcomes["F"].findings if f.question == "F4"]
    assert finding.message == (
        "F4 answered “N/A”, but certificate FM 612345's scope names welding: counted as unanswered"
    )
    assert contradicted.outcomes["F"].score < plain.outcomes["F"].score
