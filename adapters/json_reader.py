"""Reads a submission given as JSON (see the README's "Submission" section)."""

from __future__ import annotations

import hashlib
import json

from supplier_qual import hookimpl
from supplier_qual.catalog import Catalog
from supplier_qual.errors import Problem, SubmissionError
from supplier_qual.model import Questionnaire, Submission
from supplier_qual.submission import load_submission

MEDIA_TYPES = ("application/json", "text/json")


@hookimpl
def read_submission(
    data: bytes,
    filename: str,
    media_type: str | None,
    questionnaire: Questionnaire | None,
    catalog: Catalog,
) -> Submission | None:
    if not (filename.lower().endswith(".json") or media_type in MEDIA_TYPES):
        return None
    try:
        parsed = json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise SubmissionError([Problem("not UTF-8 text", f"byte {exc.start}")], source=filename) from exc
    except json.JSONDecodeError as exc:
        raise SubmissionError(
            [Problem(f"not valid JSON: {exc.msg}", f"line {exc.lineno} column {exc.colno}")], source=filename
        ) from exc
    return load_submission(
        parsed,
        catalog=catalog,
        questionnaire=questionnaire,
        source=filename,
        sha256=hashlib.sha256(data).hexdigest(),
    )
