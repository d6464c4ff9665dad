"""Questionnaire definitions: reading them, and checking a supplier's answers against one.

A *questionnaire* is a versioned YAML file of questions, each tied to one outcome
(A–I). Answers are checked against the exact version the supplier answered: a value
must be one of the question's options (by value or label, in any case), a number,
or ``N/A`` where the question allows it.
"""

from __future__ import annotations

import dataclasses
import hashlib
import math
import re
from pathlib import Path

from . import compiled_cache
from .documents import parse_document, read_bytes
from .errors import Problem, QuestionnaireError, SubmissionError
from .model import NOT_APPLICABLE, Answer, Question, Questionnaire, Submission
from .model.questionnaire import LARGEST
from .model.submission import answer_of

_NA_WORDS = frozenset({"n/a", "na", "n.a.", "not applicable"})
_NUMBER = re.compile(r"^[+-]?(\d+([.,]\d*)?|[.,]\d+)$")


def load_questionnaire_file(path: str | Path) -> Questionnaire:
    """Read and validate one questionnaire YAML file.

    :raises QuestionnaireError: unreadable file, invalid YAML or an invalid
        definition, each problem with its JSON path (``$.questions[3].options``).
    """
    path = Path(path)
    return parse_questionnaire(read_bytes(path, what="questionnaire", error=QuestionnaireError), source=str(path))


def parse_questionnaire(raw: bytes, *, source: str) -> Questionnaire:
    """Validate a questionnaire definition given as YAML (or JSON) bytes.

    A definition once validated is kept compiled (:mod:`supplier_qual.compiled_cache`),
    keyed by its bytes, its name and the engine: the next run with the same file skips
    the YAML and the schema. Only valid definitions are kept; an invalid one is
    refused anew each time, with every problem.
    """
    cached = compiled_cache.load("questionnaires", raw, source)
    if isinstance(cached, Questionnaire) and cached.origin == source:
        return cached
    questionnaire = _validated(raw, source=source)
    compiled_cache.store("questionnaires", raw, source, questionnaire)
    return questionnaire


def _validated(raw: bytes, *, source: str) -> Questionnaire:
    from .schemas.questionnaire import QuestionnaireSchema  # marshmallow: only for a definition not yet compiled

    data = parse_document(raw, source=source, error=QuestionnaireError)
    parts = QuestionnaireSchema.parse(data, source=source)
    return Questionnaire(
        id=parts["id"],
        version=parts["version"],
        title=parts["title"],
        description=parts.get("description", ""),
        questions=tuple(parts["questions"]),
        sha256=hashlib.sha256(raw).hexdigest(),
        origin=source,
    )


_MEMO_SIZE = 50_000
"""At most this many text answers remembered per questionnaire."""


def check_answers(questionnaire: Questionnaire, submission: Submission) -> Submission:
    """The submission with every answer normalised to its question's terms.

    Choice answers become option values (``"Yes"`` → ``"yes"``), maturity levels
    become their value (``3`` → ``"3"``), numbers become floats, and any spelling of
    not-applicable becomes ``n/a``. Blank answers stay blank: unanswered is not an
    error here, it scores 0 and raises a finding later.

    :raises SubmissionError: listing every unknown question id and unacceptable
        value at once, each at its location (JSON path or cell).
    """
    problems: list[Problem] = []
    answers: dict[str, Answer] = {}
    memo = questionnaire.normalised
    for qid, answer in submission.answers.items():
        if answer.value.__class__ is str and (qid, answer.value) in memo:
            value = memo[qid, answer.value]
            answers[qid] = answer if value == answer.value else answer_of(value, answer.evidence, answer.comment)
            continue
        question = questionnaire.by_id.get(qid)
        if question is None:
            problems.append(
                Problem(
                    f"unknown question {qid}: not in questionnaire {questionnaire.id} {questionnaire.version}",
                    submission.location(f"answers.{qid}"),
                )
            )
            continue
        try:
            value = normalise_value(question, answer.value)
        except ValueError as exc:
            problems.append(Problem(str(exc), submission.location(f"answers.{qid}.value")))
            continue
        if answer.value.__class__ is str and len(memo) < _MEMO_SIZE:
            memo[qid, answer.value] = value
        answers[qid] = answer if value == answer.value else answer_of(value, answer.evidence, answer.comment)
    if problems:
        raise SubmissionError(problems, source=submission.source)
    return dataclasses.replace(submission, answers=answers)


def normalise_value(question: Question, value: str | float | None) -> str | float | None:
    """One answer value in its question's terms; ``ValueError`` says why it is unacceptable."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, str) and value.strip().casefold() in _NA_WORDS:
        if not question.na_allowed:
            raise ValueError(f'"{value.strip()}" is not allowed: question {question.id} applies to every supplier')
        return NOT_APPLICABLE
    if question.type in ("choice", "maturity"):
        return _option_value(question, value)
    if question.type == "number":
        return _within_range(question, _number(value))
    return _format_number(value) if isinstance(value, float) else value.strip()


def _option_value(question: Question, value: str | float) -> str:
    wanted = _format_number(value) if isinstance(value, float) else value.strip()
    found = question.option_lookup.get(wanted.casefold())
    if found is not None:
        return found
    raise ValueError(f'"{wanted}" is not one of {", ".join(question.choices)}')


def _number(value: str | float) -> float:
    if isinstance(value, float):
        return value
    text = value.strip().rstrip("%").strip().replace("\u00a0", "").replace(" ", "")
    if _NUMBER.match(text):
        return float(text.replace(",", "."))
    raise ValueError(f'"{value.strip()}" is not a number')


def _within_range(question: Question, number: float) -> float:
    low, high = question.answer_range
    if not math.isfinite(number):
        raise ValueError("not a finite number")
    if low <= number <= high:
        return number
    unit = f" {question.unit}" if question.unit and question.unit != "%" else question.unit
    if high >= LARGEST:
        raise ValueError(f"{_format_number(number)} is out of range: answer {_format_number(low)}{unit} or more")
    if low <= -LARGEST:
        raise ValueError(f"{_format_number(number)} is out of range: answer {_format_number(high)}{unit} or less")
    raise ValueError(
        f"{_format_number(number)} is out of range: answer from {_format_number(low)} to {_format_number(high)}{unit}"
    )


def _format_number(value: float) -> str:
    return str(int(value)) if value.is_integer() else str(value)
