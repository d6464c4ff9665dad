"""Schema of a questionnaire definition (``questionnaires/*.yaml``)."""

from __future__ import annotations

import itertools
from typing import Any

from marshmallow import ValidationError, fields, post_load, validate, validates_schema

from ..errors import QuestionnaireError
from ..model import NA_CONTRADICTIONS, QUESTION_TYPES, Band, EvidenceRule, Option, Question, Questionnaire
from ..model.policy import KPI_NAMES
from ..outcomes import OUTCOME_IDS
from .base import BaseSchema, Number, Text

_ID = validate.Regexp(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$", error="use letters, digits, '.', '_' and '-' only")


class OptionSchema(BaseSchema):
    value = Text(required=True, validate=validate.Length(min=1))
    label = Text(required=True, validate=validate.Length(min=1))
    points = Number(required=True, validate=validate.Range(0, 1000, error="points must be from 0 to 1000"))

    @post_load
    def make(self, data: dict[str, Any], **_: Any) -> Option:
        return Option(**data)


class BandSchema(BaseSchema):
    min = Number(load_default=None, allow_none=True)
    max = Number(load_default=None, allow_none=True)
    points = Number(required=True, validate=validate.Range(0, 1000, error="points must be from 0 to 1000"))
    label = Text()

    @validates_schema
    def ordered(self, data: dict[str, Any], **_: Any) -> None:
        if data.get("min") is not None and data.get("max") is not None and data["min"] >= data["max"]:
            raise ValidationError("min must be below max", "max")

    @post_load
    def make(self, data: dict[str, Any], **_: Any) -> Band:
        return Band(**data)


class RangeSchema(BaseSchema):
    """The answers a number question accepts: ``{min: 0, max: 100}``; either may be left out."""

    min = Number(load_default=None, allow_none=True)
    max = Number(load_default=None, allow_none=True)

    @validates_schema
    def ordered(self, data: dict[str, Any], **_: Any) -> None:
        if data.get("min") is not None and data.get("max") is not None and data["min"] >= data["max"]:
            raise ValidationError("min must be below max", "max")


class EvidenceRuleSchema(BaseSchema):
    required = fields.Boolean(load_default=False)
    hint = Text()

    @post_load
    def make(self, data: dict[str, Any], **_: Any) -> EvidenceRule:
        return EvidenceRule(**data)


class QuestionSchema(BaseSchema):
    id = Text(required=True, validate=[validate.Length(min=1), _ID])
    outcome = Text(required=True, validate=validate.OneOf(OUTCOME_IDS, error="must be one of the outcomes A to I"))
    clauses = fields.List(Text(), load_default=list)
    text = Text(required=True, validate=validate.Length(min=1))
    guidance = Text()
    type = Text(required=True, validate=validate.OneOf(QUESTION_TYPES, error="must be one of {choices}"))
    options = fields.List(fields.Nested(OptionSchema), load_default=list)
    bands = fields.List(fields.Nested(BandSchema), load_default=list)
    unit = Text()
    range = fields.Nested(RangeSchema, load_default=None)
    weight = Number(load_default=1.0, validate=validate.Range(0, 1000, error="the weight must be from 0 to 1000"))
    evidence = fields.Nested(EvidenceRuleSchema, load_default=EvidenceRule)
    knockout = fields.Boolean(load_default=False)
    knockout_values = fields.List(Text(), load_default=list)
    knockout_reason = Text()
    na_allowed = fields.Boolean(load_default=False)
    conditional_values = fields.List(Text(), load_default=list)
    mirrors = Text(validate=validate.OneOf(("", *KPI_NAMES), error="not a KPI the buyer measures; known: {choices}"))
    na_contradicted_by = fields.List(
        Text(validate=validate.OneOf(NA_CONTRADICTIONS, error="must be one of {choices}")), load_default=list
    )

    @validates_schema
    def consistent(self, data: dict[str, Any], **_: Any) -> None:
        kind = data.get("type")
        options, bands = data.get("options", []), data.get("bands", [])
        errors: dict[str, str] = {}
        if kind in ("choice", "maturity"):
            if len(options) < 2:
                errors["options"] = f"a {kind} question needs at least two options"
            if bands:
                errors["bands"] = f"a {kind} question takes options, not bands"
            values = [o.value.casefold() for o in options]
            labels = [o.label.casefold() for o in options]
            if len(set(values)) < len(values) or len(set(labels)) < len(labels):
                errors["options"] = "option values and labels must be unique"
            if "n/a" in values or "n/a" in labels:
                errors["options"] = "N/A is not an option: set na_allowed instead"
        elif kind == "number":
            if not bands:
                errors["bands"] = "a number question needs scoring bands"
            elif any(a.max is None or a.max != b.min for a, b in itertools.pairwise(bands)):
                errors["bands"] = "bands must be contiguous and ascending (each min equals the previous max)"
            if options:
                errors["options"] = "a number question takes bands, not options"
        elif kind == "text" and (options or bands):
            errors["options"] = "a text question takes neither options nor bands"
        if data.get("range") is not None and kind != "number":
            errors["range"] = "only a number question takes a range"
        if data.get("knockout"):
            offered = {o.value for o in options}
            if not data.get("knockout_values"):
                errors["knockout_values"] = "a knockout question must list the answers that fail it"
            elif kind in ("choice", "maturity") and not set(data["knockout_values"]) <= offered:
                errors["knockout_values"] = "knockout values must be option values of the question"
            if data.get("na_allowed"):
                errors["na_allowed"] = "a knockout question cannot allow N/A"
        elif data.get("knockout_values"):
            errors["knockout_values"] = "knockout values given but knockout is false"
        conditional = data.get("conditional_values") or []
        if conditional and not data.get("knockout"):
            errors["conditional_values"] = "only a critical (knockout) question caps the decision with a middle answer"
        elif conditional and kind in ("choice", "maturity"):
            offered = {o.value for o in options}
            if not set(conditional) <= offered:
                errors["conditional_values"] = "conditional values must be option values of the question"
            elif set(conditional) & set(data.get("knockout_values") or []):
                errors["conditional_values"] = "an answer cannot be both a knockout and a conditional value"
        if data.get("mirrors") and kind != "number":
            errors["mirrors"] = "only a number question mirrors a measured KPI"
        if data.get("na_contradicted_by") and not data.get("na_allowed"):
            errors["na_contradicted_by"] = "only a question that allows N/A can have its N/A contradicted"
        if errors:
            raise ValidationError(errors)

    @post_load
    def make(self, data: dict[str, Any], **_: Any) -> Question:
        for key in ("clauses", "options", "bands", "knockout_values", "conditional_values", "na_contradicted_by"):
            data[key] = tuple(data[key])
        bounds = data.pop("range") or {}
        return Question(**data, range_min=bounds.get("min"), range_max=bounds.get("max"))


class QuestionnaireSchema(BaseSchema):
    """A questionnaire definition (see ``docs/questionnaires.md``)."""

    error_class = QuestionnaireError

    id = Text(required=True, validate=[validate.Length(min=1), _ID])
    version = Text(required=True, validate=[validate.Length(min=1), _ID])
    title = Text(required=True, validate=validate.Length(min=1))
    description = Text()
    questions = fields.List(fields.Nested(QuestionSchema), required=True)

    @validates_schema
    def complete(self, data: dict[str, Any], **_: Any) -> None:
        questions: list[Question] = data.get("questions") or []
        seen: set[str] = set()
        duplicates: dict[int, Any] = {}
        for index, question in enumerate(questions):
            if question.id in seen:
                duplicates[index] = {"id": [f"question id {question.id} is used twice"]}
            seen.add(question.id)
        errors: dict[str, Any] = {"questions": duplicates} if duplicates else {}
        missing = [
            oid for oid in OUTCOME_IDS if not any(q.outcome == oid and q.scored and not q.na_allowed for q in questions)
        ]
        if missing:
            errors["_schema"] = [
                f"every outcome needs a scored question that does not allow N/A; missing for {', '.join(missing)}"
            ]
        if errors:
            raise ValidationError(errors)


def questionnaire_to_dict(questionnaire: Questionnaire) -> dict[str, Any]:
    """The JSON form of a questionnaire (``questionnaires show ID --json``)."""
    data: dict[str, Any] = QuestionnaireSchema().dump(questionnaire)
    data["sha256"] = questionnaire.sha256
    for question, dumped in zip(questionnaire.questions, data["questions"], strict=True):
        dumped["max_points"] = question.max_points
    return data
