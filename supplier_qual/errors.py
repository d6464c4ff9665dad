"""Every error supplier_qual raises on purpose, in one place.

The class tree::

    SupplierQualError                 base of everything raised on purpose
    ├── InputError                    bad input; carries one Problem per fault found
    │   ├── SubmissionError           a supplier's submission (JSON, workbook …)
    │   ├── QuestionnaireError        a questionnaire definition
    │   ├── PolicyError               a policy file
    │   ├── TenderError               a tender's requirements file
    │   └── UnknownQuestionnaireError a questionnaire id or version that is not installed
    └── ConfigurationError            the installation: plugins, reference data, settings

Input errors never show a traceback to a user: the CLI and the web layer print
each :class:`Problem` as ``file: location: message`` and exit non-zero. An error
keeps its problems in one stable order, file, then location (cells row by row,
numbers compared as numbers), then message, so that the same input always gives
the same lines. Adapters
translate foreign exceptions (YAML, JSON, openpyxl, requests …) into these classes
with ``raise … from``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

_CELL = re.compile(r"^((?:'(?:[^']|'')+')|[^!']+)!\$?([A-Z]{1,3})\$?([0-9]+)(.*)$", re.S)
_DIGITS = re.compile(r"([0-9]+)")


@dataclass(frozen=True)
class Problem:
    """One fault in an input, with the place it was found.

    ``source`` names the file (or ``<input>``), ``location`` the place inside it: a
    JSON path such as ``$.answers.A1.value``, a cell such as ``Questionnaire!F14``,
    or an XML element. Either may be empty when it is not known.
    """

    message: str
    location: str = ""
    source: str = ""

    def __str__(self) -> str:
        return ": ".join(part for part in (self.source, self.location, self.message) if part)

    def in_source(self, source: str) -> Problem:
        """The same problem, attributed to ``source`` when it names none yet."""
        return self if self.source else Problem(self.message, self.location, source)

    @property
    def order(self) -> tuple[object, ...]:
        """Sort key: file, then location (a cell by sheet, row, column), then message; numbers as numbers."""
        cell = _CELL.match(self.location)
        if cell:
            letters = cell[2]
            column = sum((ord(c) - 64) * 26**i for i, c in enumerate(reversed(letters)))
            where: tuple[object, ...] = (_natural(cell[1]), int(cell[3]), column, _natural(cell[4]))
        else:
            where = (_natural(self.location), -1, -1, ("",))
        return (_natural(self.source), where, _natural(self.message))


def _natural(text: str) -> tuple[str | int, ...]:
    """``"A10.x"`` → ``("A", 10, ".x")``: text and whole numbers alternate, so any two such keys compare."""
    parts = _DIGITS.split(text)
    return tuple(int(part) if index % 2 else part for index, part in enumerate(parts))


class SupplierQualError(Exception):
    """Base class of every error raised on purpose by supplier_qual."""


class ConfigurationError(SupplierQualError):
    """The installation is wrong: a plugin, a reference-data file or a setting."""


class InputError(SupplierQualError):
    """An input is invalid; :attr:`problems` lists every fault found, not just the first."""

    def __init__(self, problems: Iterable[Problem] | str, *, source: str = "") -> None:
        if isinstance(problems, str):
            problems = [Problem(problems)]
        found = [p.in_source(source) if source else p for p in problems]
        self.problems: list[Problem] = sorted(found, key=lambda p: p.order)
        super().__init__("\n".join(str(p) for p in self.problems))

    def in_source(self, source: str) -> InputError:
        """The same error with every unattributed problem attributed to ``source``."""
        error = type(self).__new__(type(self))
        InputError.__init__(error, self.problems, source=source)
        return error


class SubmissionError(InputError):
    """A supplier's submission is invalid."""


class QuestionnaireError(InputError):
    """A questionnaire definition is invalid."""


class PolicyError(InputError):
    """A policy file is invalid."""


class TenderError(InputError):
    """A tender's requirements file is invalid."""


class UnknownQuestionnaireError(InputError):
    """The questionnaire id or version asked for is not installed."""


def json_path(parts: Iterable[str | int]) -> str:
    """``["answers", "A1", "value"]`` → ``$.answers.A1.value``; integers become ``[n]``."""
    path = "$"
    for part in parts:
        path += f"[{part}]" if isinstance(part, int) else f".{part}"
    return path


def problems_from_messages(messages: object, prefix: Iterable[str | int] = ()) -> list[Problem]:
    """Flatten marshmallow's nested error messages into located :class:`Problem` s.

    marshmallow reports ``{"answers": {"A1": {"value": ["Not a valid string."]}}}``;
    this gives ``Problem("Not a valid string.", "$.answers.A1.value")``. List indexes
    arrive as integer keys and become ``[n]``; ``_schema`` keys name the object itself.
    """
    base = list(prefix)
    if isinstance(messages, Mapping):
        found: list[Problem] = []
        for key, value in messages.items():
            here = base if key == "_schema" else [*base, _path_key(key)]
            found.extend(problems_from_messages(value, here))
        return found
    if isinstance(messages, list | tuple):
        found = []
        for item in messages:
            found.extend(problems_from_messages(item, base))
        return found
    text = str(messages)
    if text == "Unknown field.":
        text = "unknown field (not part of the format)"
    return [Problem(text, json_path(base))]


def _path_key(key: object) -> str | int:
    if isinstance(key, int):
        return key
    text = str(key)
    return text if text.isidentifier() or text.replace("-", "").isalnum() else repr(text)
