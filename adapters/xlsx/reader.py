"""The workbook reader plugin: claims spreadsheets by name or media type, and reads them with :mod:`.workbook`.

This module is what the plugin manager registers; python-calamine, the guard and
the schemas are imported by :mod:`.workbook` when a workbook is first read, so that
commands that read none do not pay for them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from supplier_qual import hookimpl

if TYPE_CHECKING:
    from supplier_qual.catalog import Catalog
    from supplier_qual.model import Questionnaire, Submission

    from .limits import Limits

MEDIA_TYPES = (
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/vnd.ms-excel",
    "application/vnd.ms-excel.sheet.macroenabled.12",
    "application/vnd.ms-excel.sheet.binary.macroenabled.12",
)
EXTENSIONS = (".xlsx", ".xlsm", ".xlsb", ".xls", ".xltx", ".xltm", ".ods")
"""Spreadsheet names this reader claims, so that the wrong kind gets a useful refusal rather than "unknown format"."""


@hookimpl
def read_submission(
    data: bytes,
    filename: str,
    media_type: str | None,
    questionnaire: Questionnaire | None,
    catalog: Catalog,
) -> Submission | None:
    if not claims(filename, media_type):
        return None
    return read_workbook(data, filename, questionnaire=questionnaire, catalog=catalog)


def claims(filename: str, media_type: str | None) -> bool:
    """Whether a file is a spreadsheet by its name or declared type (its content is checked later)."""
    return filename.lower().endswith(EXTENSIONS) or (media_type or "").lower() in MEDIA_TYPES


def read_workbook(
    data: bytes,
    filename: str,
    *,
    questionnaire: Questionnaire | None,
    catalog: Catalog,
    limits: Limits | None = None,
) -> Submission:
    """The submission a workbook holds (see :func:`.workbook.read_workbook`).

    :raises SubmissionError: the file is refused, or lists every problem, each at its cell.
    """
    from .workbook import read_workbook as read

    return read(data, filename, questionnaire=questionnaire, catalog=catalog, limits=limits)
