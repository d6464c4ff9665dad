"""Shared fixtures: a fresh plugin manager, the catalogue, and submissions to assess."""

from __future__ import annotations

import copy
import datetime as dt
import json
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pluggy
import pytest

import supplier_qual
from supplier_qual.api import catalog as catalog_of
from supplier_qual.catalog import Catalog
from supplier_qual.compiled_cache import CACHE_ENV
from supplier_qual.model import Questionnaire

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples" / "submissions"
SHARED_SAMPLES = ROOT.parent / "shared" / "samples"
AS_OF = dt.date(2026, 11, 25)


@pytest.fixture(scope="session", autouse=True)
def _compiled_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    # Compiled questionnaires go to a directory of this run (the command lines the tests start inherit it),
    # never to the user's own cache.
    before = os.environ.get(CACHE_ENV)
    os.environ[CACHE_ENV] = str(tmp_path_factory.mktemp("compiled-cache"))
    yield
    if before is None:
        os.environ.pop(CACHE_ENV, None)
    else:
        os.environ[CACHE_ENV] = before


@pytest.fixture
def pm(monkeypatch: pytest.MonkeyPatch) -> pluggy.PluginManager:
    """A fresh plugin manager with the built-ins only (no installed third-party plugins)."""
    monkeypatch.delenv("SUPPLIER_QUAL_LOAD_PLUGINS", raising=False)
    return supplier_qual.get_plugin_manager(load_entrypoints=False)


@pytest.fixture
def catalog(pm: pluggy.PluginManager) -> Catalog:
    return catalog_of(pm)


@pytest.fixture
def questionnaire(catalog: Catalog) -> Questionnaire:
    return catalog.default()


@pytest.fixture
def as_of() -> dt.date:
    return AS_OF


def full_answers(questionnaire: Questionnaire, *, evidence: bool = True) -> dict[str, dict[str, Any]]:
    """Best-possible answers to every question, citing evidence where asked."""
    answers: dict[str, dict[str, Any]] = {}
    for q in questionnaire.questions:
        if q.type in ("choice", "maturity"):
            value: Any = max(q.options, key=lambda o: o.points).value
        elif q.type == "number":
            best = max(q.bands, key=lambda b: b.points)
            value = best.min if best.min is not None else (best.max or 1) - 1
        else:
            value = "Described in our quality manual"
        answers[q.id] = {"value": value, "evidence": f"QM-{q.id} rev 2" if evidence else "", "comment": ""}
    return answers


SCOPE_OF_SUPPLY: dict[str, Any] = {"description": "Machined hydraulic valve components", "iaf_codes": [17]}

VALID_CERTIFICATE: dict[str, Any] = {
    "standard": "ISO 9001:2015",
    "number": "FM 612345",
    "holder": "Northwind Components Ltd",
    "certification_body": "BSI Assurance UK Ltd",
    "accreditation_body": "UKAS",
    "scope": "Machining of hydraulic valve components",
    "iaf_codes": [17],
    "issued": "2024-03-15",
    "expires": "2027-03-14",
}


@pytest.fixture
def make_submission(questionnaire: Questionnaire) -> Callable[..., dict[str, Any]]:
    """Build a submission dict: best answers, one valid certificate covering the stated scope of supply, overridable."""

    def make(
        answers: dict[str, Any] | None = None,
        *,
        certificates: list[dict[str, Any]] | None = None,
        performance: dict[str, Any] | None = None,
        drop: tuple[str, ...] = (),
        scope: dict[str, Any] | None = SCOPE_OF_SUPPLY,
    ) -> dict[str, Any]:
        base = full_answers(questionnaire)
        for qid, value in (answers or {}).items():
            base[qid] = value if isinstance(value, dict) else {**base[qid], "value": value}
        for qid in drop:
            base.pop(qid)
        data: dict[str, Any] = {
            "supplier": {"name": "Northwind Components Ltd", "id": "GB-COH-04567123", "country": "GB"},
            "questionnaire": {"id": questionnaire.id, "version": questionnaire.version},
            "answers": base,
            "certificates": copy.deepcopy([VALID_CERTIFICATE] if certificates is None else certificates),
        }
        if performance is not None:
            data["performance"] = performance
        if scope is not None:
            data["scope_of_supply"] = copy.deepcopy(scope)
        return data

    return make


def write_json(path: Path, data: Any) -> Path:
    path.write_text(json.dumps(data, indent=2), encoding="utf-8")
    return path
