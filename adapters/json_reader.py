"""Reads a submission given as JSON (see the README's "Submission" section)."""

from __future__ import annotations

import hashlib

from supplier_qual import hookimpl
from supplier_qual.catalog import Catalog
from supplier_qual.documents import parse_json
from supplier_qual.errors import SubmissionError
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
    return load_submission(
        parse_json(data, source=filename, error=SubmissionError),
        catalog=catalog,
        questionnaire=questionnaire,
        source=filename,
        sha256=hashlib.sha256(data).hexdigest(),
    )
