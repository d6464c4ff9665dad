"""Every shipped questionnaire validates, and the default one is complete."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from supplier_qual.catalog import Catalog
from supplier_qual.errors import QuestionnaireError
from supplier_qual.model import Questionnaire
from supplier_qual.outcomes import OUTCOME_IDS, OUTCOMES
from supplier_qual.questionnaire import load_questionnaire_file, parse_questionnaire

from .conftest import ROOT

FILES = sorted((ROOT / "questionnaires").glob("*.yaml"))


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_questionnaire_file_is_valid(path: Path) -> None:
    questionnaire = load_questionnaire_file(path)
    ids = [q.id for q in questionnaire.questions]
    assert len(ids) == len(set(ids))
    assert {q.outcome for q in questionnaire.questions} == set(OUTCOME_IDS)
    assert questionnaire.sha256


def test_default_questionnaire_is_the_latest(questionnaire: Questionnaire) -> None:
    assert (questionnaire.id, questionnaire.version) == ("iso9001-outcomes", "1.1")


@pytest.mark.parametrize("version", ["1.0", "1.1"])
def test_shipped_questionnaire_meets_the_brief(catalog: Catalog, version: str) -> None:
    questionnaire = catalog.get("iso9001-outcomes", version)
    assert len(questionnaire.questions) >= 45
    per_outcome = Counter(q.outcome for q in questionnaire.questions)
    assert all(per_outcome[oid] >= 4 for oid in OUTCOME_IDS), per_outcome
    assert sum(q.knockout for q in questionnaire.questions) >= 3
    assert {q.type for q in questionnaire.questions} == {"choice", "maturity", "number", "text"}
    for q in questionnaire.questions:
        assert q.text and q.guidance and q.clauses, q.id
        assert q.evidence.hint, q.id
        if q.type == "maturity":
            assert [o.points for o in q.options] == [0, 1, 2, 3, 4]


def test_outcomes_are_the_nine_of_the_communique() -> None:
    assert tuple("ABCDEFGHI") == OUTCOME_IDS
    assert all(o.title and o.summary and o.clauses for o in OUTCOMES)


BASE = """
id: tiny
version: "1"
title: Tiny
questions:
"""


def _question(qid: str, outcome: str, extra: str = "") -> str:
    return f"""
  - id: {qid}
    outcome: {outcome}
    text: Q {qid}
    type: choice
    options: [{{value: "yes", label: "Yes", points: 2}}, {{value: "no", label: "No", points: 0}}]
{extra}"""


def _all_outcomes() -> str:
    return "".join(_question(f"{o}1", o) for o in OUTCOME_IDS)


def test_invalid_definition_names_each_problem_with_its_path() -> None:
    text = (
        BASE
        + _all_outcomes()
        + _question("Y1", "A", "    weight: heavy\n")
        + _question("Z1", "Z", "    colour: blue\n")
    )
    with pytest.raises(QuestionnaireError) as caught:
        parse_questionnaire(text.encode(), source="tiny.yaml")
    assert sorted(str(p) for p in caught.value.problems) == [
        "tiny.yaml: $.questions[10].colour: unknown field (not part of the format)",
        "tiny.yaml: $.questions[10].outcome: must be one of the outcomes A to I",
        "tiny.yaml: $.questions[9].weight: Not a valid number.",
    ]


def test_duplicate_question_ids_are_refused() -> None:
    text = BASE + _all_outcomes() + _question("A1", "A")
    with pytest.raises(QuestionnaireError) as caught:
        parse_questionnaire(text.encode(), source="tiny.yaml")
    assert [str(p) for p in caught.value.problems] == ["tiny.yaml: $.questions[9].id: question id A1 is used twice"]


def test_every_outcome_needs_a_question() -> None:
    text = BASE + "".join(_question(f"{o}1", o) for o in OUTCOME_IDS if o != "H")
    with pytest.raises(QuestionnaireError, match="missing for H"):
        parse_questionnaire(text.encode(), source="tiny.yaml")


def test_knockout_needs_failing_values() -> None:
    text = BASE + _all_outcomes().replace("text: Q B1", "text: Q B1\n    knockout: true", 1)
    with pytest.raises(QuestionnaireError) as caught:
        parse_questionnaire(text.encode(), source="tiny.yaml")
    assert [str(p) for p in caught.value.problems] == [
        "tiny.yaml: $.questions[1].knockout_values: a knockout question must list the answers that fail it"
    ]


def test_yaml_syntax_error_is_located() -> None:
    with pytest.raises(QuestionnaireError, match=r"tiny.yaml: line \d+: not valid YAML"):
        parse_questionnaire(b"id: [unclosed\n", source="tiny.yaml")
