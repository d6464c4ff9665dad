"""Building a submission from JSON-like data, and settling which questionnaire it answers."""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Mapping

from .catalog import Catalog
from .errors import Problem, SubmissionError, UnknownQuestionnaireError
from .model import Questionnaire, QuestionnaireRef, Submission


def canonical_sha256(data: object) -> str:
    """SHA-256 of ``data`` as canonical JSON (sorted keys, no spaces, dates as ISO text).

    Dataclasses are taken field by field, so equal objects give equal digests.
    """
    if dataclasses.is_dataclass(data) and not isinstance(data, type):
        data = dataclasses.asdict(data)
    elif isinstance(data, list | tuple):
        data = [dataclasses.asdict(d) if dataclasses.is_dataclass(d) and not isinstance(d, type) else d for d in data]
    canonical = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


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
    from .schemas.submission import SubmissionSchema, build_submission

    parts = SubmissionSchema.parse(data, source=source)
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
        sha256 = canonical_sha256(data)
    return build_submission(parts, resolved, source=source, sha256=sha256)
