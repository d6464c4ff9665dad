"""The catalogue of installed questionnaires, built from the plugins that offer them."""

from __future__ import annotations

import re
import weakref
from collections.abc import Iterable, Iterator
from pathlib import Path

import pluggy

from .errors import ConfigurationError, Problem, UnknownQuestionnaireError
from .model import Questionnaire
from .questionnaire import load_questionnaire_file

DEFAULT_QUESTIONNAIRE = "iso9001-outcomes"
_catalogs: weakref.WeakKeyDictionary[pluggy.PluginManager, Catalog] = weakref.WeakKeyDictionary()


def _version_key(version: str) -> tuple[tuple[int, str], ...]:
    return tuple((int(p), "") if p.isdigit() else (-1, p) for p in re.split(r"[.\-_]", version))


class Catalog:
    """Installed questionnaires, by id and version."""

    def __init__(self, questionnaires: Iterable[Questionnaire]) -> None:
        self._by_key: dict[tuple[str, str], Questionnaire] = {}
        for questionnaire in questionnaires:
            key = (questionnaire.id, questionnaire.version)
            if key in self._by_key:
                raise ConfigurationError(
                    f"questionnaire {questionnaire.id} {questionnaire.version} is offered twice: "
                    f"{self._by_key[key].origin} and {questionnaire.origin}"
                )
            self._by_key[key] = questionnaire

    @classmethod
    def from_plugins(cls, pm: pluggy.PluginManager) -> Catalog:
        """Every questionnaire the registered plugins offer."""
        found: list[Questionnaire] = []
        for offered in pm.hook.register_questionnaires():
            for item in offered or ():
                found.append(item if isinstance(item, Questionnaire) else load_questionnaire_file(Path(item)))
        return cls(found)

    def __iter__(self) -> Iterator[Questionnaire]:
        for key in sorted(self._by_key, key=lambda k: (k[0], _version_key(k[1]))):
            yield self._by_key[key]

    def get(self, questionnaire_id: str, version: str | None = None) -> Questionnaire:
        """The questionnaire ``questionnaire_id`` at ``version`` (the latest when ``None``).

        :raises UnknownQuestionnaireError: saying which ids or versions are installed.
        """
        if version is not None:
            found = self._by_key.get((questionnaire_id, version))
            if found is not None:
                return found
        versions = sorted(
            (q for (qid, _), q in self._by_key.items() if qid == questionnaire_id),
            key=lambda q: _version_key(q.version),
        )
        if not versions:
            installed = ", ".join(sorted({qid for qid, _ in self._by_key})) or "none"
            raise UnknownQuestionnaireError(
                [Problem(f"unknown questionnaire {questionnaire_id!r}; installed: {installed}")]
            )
        if version is None:
            return versions[-1]
        for questionnaire in versions:
            if questionnaire.version == version:
                return questionnaire
        known = ", ".join(q.version for q in versions)
        raise UnknownQuestionnaireError(
            [Problem(f"questionnaire {questionnaire_id} has no version {version!r}; installed: {known}")]
        )

    def default(self) -> Questionnaire:
        """The latest ISO 9001 expected-outcomes questionnaire."""
        return self.get(DEFAULT_QUESTIONNAIRE)


def catalog_of(pm: pluggy.PluginManager) -> Catalog:
    """The questionnaires the plugins of ``pm`` offer, built once per manager."""
    found = _catalogs.get(pm)
    if found is None:
        found = _catalogs[pm] = Catalog.from_plugins(pm)
    return found
