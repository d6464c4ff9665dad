"""The hot path of reading a submission against its oracle, the marshmallow schema.

:func:`~supplier_qual.fast_submission.submission_parts` either gives exactly what
``SubmissionSchema`` loads or steps aside; a submission it steps aside from is read
by the schema, which names the problems. These tests feed both paths valid and faulty
submissions (wrong types, unknown fields, bad dates, numbers out of range, unknown
question ids …) and require the same acceptance, the same submission and the same
problems, at the same JSON paths, in the same order.
"""

from __future__ import annotations

import copy
import json
import math
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import supplier_qual
from bench.corpus import GOLDEN_SEED, MUTATIONS, make_invalid_submissions, make_submissions
from supplier_qual import fast_submission
from supplier_qual.api import catalog as catalog_of
from supplier_qual.catalog import Catalog
from supplier_qual.errors import InputError
from supplier_qual.schemas.base import LARGEST, MOST, NACE_CODE
from supplier_qual.schemas.submission import CERTIFICATE_STATUSES_DECLARED, SubmissionSchema
from supplier_qual.submission import load_submission

_PM = supplier_qual.get_plugin_manager(load_entrypoints=False)
CATALOG: Catalog = catalog_of(_PM)
BASES: list[dict[str, Any]] = [
    json.loads(json.dumps(s)) for s in make_submissions(CATALOG.default(), 40, GOLDEN_SEED + 7)
]


def schema_parts(data: object) -> dict[str, Any] | Exception:
    try:
        parts: dict[str, Any] = SubmissionSchema.parse(data)
    except Exception as exc:
        return exc
    return parts


def outcome(data: object, *, fast: bool, monkeypatch: pytest.MonkeyPatch) -> object:
    """What reading ``data`` gives: the submission, or the refusal's problems in order."""
    with monkeypatch.context() as patch:
        if not fast:
            patch.setattr("supplier_qual.submission.submission_parts", lambda _: None)
        try:
            submission = load_submission(copy.deepcopy(data), catalog=CATALOG)
            return supplier_qual.assess(submission, as_of="2026-11-25", pm=_PM)
        except InputError as exc:
            return [type(exc).__name__, [(p.source, p.location, p.message) for p in exc.problems]]
        except Exception as exc:
            return [type(exc).__name__, str(exc)]


def same(a: object, b: object) -> bool:
    """Equal, with NaN equal to itself (an answer may be NaN; the questionnaire refuses it later)."""
    return a == b or repr(a) == repr(b)


def check(data: object, monkeypatch: pytest.MonkeyPatch) -> None:
    fast = fast_submission.submission_parts(copy.deepcopy(data))
    slow = schema_parts(copy.deepcopy(data))
    if fast is not None:
        assert not isinstance(slow, Exception), f"the fast path accepted what the schema refuses: {slow!r}"
        assert same(fast, slow)
    assert same(outcome(data, fast=True, monkeypatch=monkeypatch), outcome(data, fast=False, monkeypatch=monkeypatch))


def test_the_constants_are_the_schemas() -> None:
    assert fast_submission.LARGEST == LARGEST
    assert fast_submission.MOST == MOST
    assert NACE_CODE.regex.pattern == fast_submission.NACE_PATTERN
    assert frozenset(CERTIFICATE_STATUSES_DECLARED) == fast_submission.CERTIFICATE_STATUSES


def test_the_generated_corpus_takes_the_fast_path_and_gives_the_schemas_parts() -> None:
    for generated in make_submissions(CATALOG.default(), 300, GOLDEN_SEED):
        data = json.loads(json.dumps(generated))
        fast = fast_submission.submission_parts(data)
        assert fast is not None
        assert fast == SubmissionSchema.parse(data)


def test_every_faulty_submission_is_refused_as_the_schema_refuses_it(monkeypatch: pytest.MonkeyPatch) -> None:
    for data in make_invalid_submissions(CATALOG.default(), 200, GOLDEN_SEED + 3):
        check(json.loads(json.dumps(data)), monkeypatch)
    for mutation in MUTATIONS:
        data = copy.deepcopy(BASES[0])
        mutation(data)
        check(data, monkeypatch)


_odd_values = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.sampled_from([0, 1, 12, 39, 40, 100, 101, 120, 121, MOST, MOST + 1, -1, 10**400]),
    st.floats(),
    st.sampled_from([0.0, -0.0, 99.9, 100.0, 100.5, 1e6, 1e6 + 1, 1e15, 1.5e15, 1e300, math.inf]),
    st.text(max_size=12),
    st.sampled_from(
        [
            "", "  ", " yes ", "Yes", "no", "N/A", "n/a", "3", "4", "97.5", "1e3", "active", " Suspended ", "bogus",
            "2026-11-25", "2026-13-01", "20261125", "1850-01-01", "2026-02-30", "25.62", "C25", "xx", "true",
            "QM-01 rev 2", "TBD",
        ]
    ),
    st.lists(st.integers(min_value=0, max_value=45), max_size=3),
    st.dictionaries(st.sampled_from(["value", "evidence", "comment", "city", "main", "x"]), st.text(max_size=4)),
)  # fmt: skip

_KEYS = [
    "supplier", "questionnaire", "answers", "certificates", "performance", "scope_of_supply", "name", "id",
    "version", "country", "value", "evidence", "comment", "standard", "number", "issued", "expires", "status",
    "iaf_codes", "sites", "declared", "city", "main", "period_months", "deliveries", "on_time_delivery_pct",
    "defect_ppm", "lots_received", "lots_rejected", "complaints", "complaints_closed", "extra", "period_end",
    "nace", "description", "A1", "A2", "A3", "Z9", " A1 ", "unknown",
]  # fmt: skip


def _paths(data: object, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix]
    if isinstance(data, dict):
        for key, value in data.items():
            found += _paths(value, (*prefix, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            found += _paths(value, (*prefix, index))
    return found


@st.composite
def edited_submissions(draw: st.DrawFn) -> object:
    """A generated submission with a few edits: a value replaced, a key removed, an unknown key added."""
    data: Any = copy.deepcopy(draw(st.sampled_from(BASES)))
    for _ in range(draw(st.integers(min_value=1, max_value=3))):
        paths = [p for p in _paths(data) if p]
        if not paths:
            break
        path = draw(st.sampled_from(paths))
        parent: Any = data
        for part in path[:-1]:
            parent = parent[part]
        action = draw(st.sampled_from(["replace", "replace", "drop", "add"]))
        if action == "replace":
            parent[path[-1]] = draw(_odd_values)
        elif action == "drop" and isinstance(parent, dict):
            del parent[path[-1]]
        elif action == "add" and isinstance(parent[path[-1]], dict):
            parent[path[-1]][draw(st.sampled_from(_KEYS))] = draw(_odd_values)
    return data


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(edited_submissions())
def test_both_paths_accept_and_refuse_alike(data: object) -> None:
    with pytest.MonkeyPatch.context() as monkeypatch:
        check(data, monkeypatch)


@settings(max_examples=150, deadline=None)
@given(st.one_of(st.none(), st.integers(), st.text(max_size=5), st.lists(st.none(), max_size=2), st.dictionaries(
    st.sampled_from(_KEYS), _odd_values, max_size=4)))  # fmt: skip
def test_documents_that_are_not_submissions_are_refused_alike(data: object) -> None:
    with pytest.MonkeyPatch.context() as monkeypatch:
        check(data, monkeypatch)
