"""Building a submission from JSON-like data, and settling which questionnaire it answers."""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Mapping

from .catalog import Catalog
from .errors import Problem, SubmissionError, UnknownQuestionnaireError
from .fast_submission import submission_parts
from .model import Questionnaire, QuestionnaireRef, Submission
from .output import canonical_json_bytes


def canonical_sha256(data: object, *, plain: bool = False) -> str:
    """SHA-256 of ``data`` as canonical JSON (sorted keys, no spaces, dates as ISO text).

    Dataclasses are taken field by field, so equal objects give equal digests.
    ``plain`` says that ``data`` holds only JSON's own types, with finite numbers (as
    :func:`~supplier_qual.fast_submission.submission_parts` has checked): the same
    bytes are then encoded by a faster encoder.
    """
    if plain:
        encoded = canonical_json_bytes(data)
        if encoded is not None:
            return hashlib.sha256(encoded).hexdigest()
    if dataclasses.is_dataclass(data) and not isinstance(data, type):
        data = dataclasses.asdict(data)
    elif isinstance(data, list | tuple):
        data = [dataclasses.asdict(d) if dataclasses.is_dataclass(d) and not isinstance(d, type) else d for d in data]
    canonical = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


NOTHING_ANSWERED = (
    "nothing has been answered: this is an empty questionnaire, not a submission; "
    "answer the questions and send it again"
)
_PERFORMANCE_FIELDS = frozenset(
    {
        "supplier_id", "period_months", "deliveries", "on_time_delivery_pct", "defect_ppm", "lots_received",
        "lots_rejected", "complaints", "complaints_closed", "corrective_actions_open", "corrective_actions_overdue",
        "previous_on_time_delivery_pct", "previous_defect_ppm", "extra", "period", "period_end", "supplier",
    }
)  # fmt: skip
_CERTIFICATE_FIELDS = frozenset({"standard", "number", "certification_body", "accreditation_body", "expires"})


def document_kind(data: object) -> str | None:
    """``"performance"`` or ``"certificates"`` when JSON data has the shape of the buyer's performance file or
    of a certificate file rather than of a submission; ``None`` otherwise (a submission, or unrecognisable)."""
    listed = data if isinstance(data, list) else [data]
    items = [item for item in listed if isinstance(item, Mapping)]
    if not items or len(items) != len(listed):
        return None
    if isinstance(data, Mapping):
        if "answers" in data:
            return None
        if isinstance(data.get("certificates"), list) and set(data) <= {"supplier", "certificates"}:
            return "certificates"
        if isinstance(data.get("supplier"), Mapping) and "supplier_id" not in data:
            return None
        if set(data) == {"performance"} or isinstance(data.get("suppliers"), list):
            return "performance"
    keys = {key for item in items for key in item}
    if keys and keys <= _PERFORMANCE_FIELDS and keys & {"on_time_delivery_pct", "defect_ppm", "deliveries"}:
        return "performance"
    if all("standard" in item and set(item) & (_CERTIFICATE_FIELDS - {"standard"}) for item in items):
        return "certificates"
    return None


def _answered(value: object) -> bool:
    return value is not None and not (isinstance(value, str) and not value.strip())


def load_submission(
    data: object,
    *,
    catalog: Catalog,
    questionnaire: Questionnaire | None = None,
    source: str = "",
    sha256: str = "",
) -> Submission:
    """A :class:`Submission` from parsed JSON (see the README's "Submission" section).

    The questionnaire is the one the data names; when it names none, ``questionnaire``
    or else the default one. Data that names a questionnaire other than an explicitly
    requested one is refused, saying both.

    :raises SubmissionError: every problem found, each with its JSON path.
    """
    from .schemas.submission import build_submission

    kind = document_kind(data)
    if kind == "performance":
        raise SubmissionError(
            [Problem("this is a performance file (the buyer's delivery data), not a supplier's submission: "
                     "give it with --performance")],
            source=source,
        )  # fmt: skip
    if kind == "certificates":
        raise SubmissionError(
            [Problem("this is a certificate file, not a supplier's submission: check it with supplier-qual verify")],
            source=source,
        )
    parts = submission_parts(data)
    plain = parts is not None
    if parts is None:  # a fault, or an unusual form: the schema reads it and names every problem
        from .schemas.submission import SubmissionSchema

        parts = SubmissionSchema.parse(data, source=source)
    if not any(_answered(answer.value) for answer in parts["answers"].values()):
        raise SubmissionError([Problem(NOTHING_ANSWERED, "$.answers")], source=source)
    ref: QuestionnaireRef | None = parts["questionnaire"]
    if ref is None:
        resolved = (questionnaire or catalog.default()).ref
    else:
        if questionnaire is not None and ref != questionnaire.ref:
            raise SubmissionError(
                [
                    Problem(
                        f"this submission answers questionnaire {ref.id} {ref.version}, "
                        f"but {questionnaire.id} {questionnaire.version} was asked for",
                        "$.questionnaire",
                    )
                ],
                source=source,
            )
        try:
            catalog.get(ref.id, ref.version)
        except UnknownQuestionnaireError as exc:
            where = "$.questionnaire.version" if any(q.id == ref.id for q in catalog) else "$.questionnaire.id"
            raise SubmissionError([Problem(p.message, where) for p in exc.problems], source=source) from exc
        resolved = ref
    if not sha256 and isinstance(data, Mapping):
        sha256 = canonical_sha256(data, plain=plain)
    return build_submission(parts, resolved, source=source, sha256=sha256)
