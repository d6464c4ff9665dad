"""The hidden ``_meta`` sheet: which questionnaire a workbook answers, and whether it is the same edition.

A workbook names its questionnaire's id and version and carries a checksum of the
questions it was made from (:func:`.layout.template_checksum`). One made for
another version, or for another edition under the same version, is refused:
its answers may not mean what the installed questionnaire's questions ask.
"""

from __future__ import annotations

from supplier_qual.catalog import Catalog
from supplier_qual.errors import Problem, SubmissionError, UnknownQuestionnaireError
from supplier_qual.model import Questionnaire

from . import grid
from . import layout as L

NEW_TEMPLATE = "download a new template and copy your answers over"


def resolve(meta: grid.Sheet, asked: Questionnaire | None, catalog: Catalog, filename: str) -> Questionnaire:
    """The questionnaire the workbook answers: ``asked`` when given, else the installed one it names.

    :raises SubmissionError: the id or version is missing, differs from ``asked``, is
        not installed, or the checksum shows another edition; located at the cell.
    """
    values: dict[str, tuple[str, str]] = {}
    for row in range(len(meta.rows)):
        key = grid.text(meta.get(row, 0), 200).casefold()
        if key in L.META_KEYS:
            values[key] = (grid.text(meta.get(row, 1), 200), meta.ref(row, 1))
    qid, where = values.get("questionnaire_id", ("", meta.prefix + "B1"))
    version, version_at = values.get("questionnaire_version", ("", where))
    if not qid or not version:
        raise _refusal(
            "the questionnaire id and version are missing: this workbook was not made from a "
            "supplier-qual template (download one with `supplier-qual template`)",
            where,
            filename,
        )
    if asked is not None and (qid, version) != (asked.id, asked.version):
        raise _refusal(
            f"this workbook is for questionnaire {qid} version {version}, but {asked.id} version "
            f"{asked.version} is expected: {NEW_TEMPLATE}",
            version_at,
            filename,
        )
    chosen = asked or _installed(catalog, qid, version, version_at, filename)
    checksum, checksum_at = values.get("template_checksum", ("", where))
    if checksum != L.template_checksum(chosen):
        raise _refusal(
            f"this workbook was made from another edition of questionnaire {qid} {version} (its template "
            f"checksum does not match): {NEW_TEMPLATE}",
            checksum_at,
            filename,
        )
    return chosen


def _installed(catalog: Catalog, qid: str, version: str, where: str, filename: str) -> Questionnaire:
    try:
        return catalog.get(qid, version)
    except UnknownQuestionnaireError:
        versions = [q.version for q in catalog if q.id == qid]
        if not versions:
            installed = ", ".join(sorted({q.id for q in catalog})) or "none"
            message = f"this workbook is for questionnaire {qid}, which is not installed (installed: {installed})"
        else:
            message = (
                f"this workbook is for questionnaire {qid} version {version}, but version {versions[-1]} "
                f"is expected: {NEW_TEMPLATE}"
            )
        raise _refusal(message, where, filename) from None


def _refusal(message: str, where: str, filename: str) -> SubmissionError:
    return SubmissionError([Problem(message, where)], source=filename)
