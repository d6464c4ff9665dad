"""The questionnaires shipped in ``supplier_qual.questionnaires``."""

from __future__ import annotations

import functools
from importlib import resources

from ..hookspecs import hookimpl
from ..model import Questionnaire
from ..questionnaire import parse_questionnaire


@hookimpl
def register_questionnaires() -> tuple[Questionnaire, ...]:
    return shipped_questionnaires()


@functools.cache
def shipped_questionnaires() -> tuple[Questionnaire, ...]:
    """Every ``*.yaml`` definition in the ``supplier_qual.questionnaires`` package, parsed once."""
    folder = resources.files("supplier_qual.questionnaires")
    return tuple(
        parse_questionnaire(entry.read_bytes(), source=f"questionnaires/{entry.name}")
        for entry in sorted(folder.iterdir(), key=lambda e: e.name)
        if entry.name.endswith((".yaml", ".yml"))
    )
