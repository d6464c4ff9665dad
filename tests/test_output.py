"""JSON output's fast path against its oracle: the marshmallow dump and ``json.dumps(indent=2)``."""

from __future__ import annotations

import datetime as dt
import json
import math
from typing import Any

import pluggy
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import supplier_qual
from bench.corpus import AS_OF, make_submissions
from supplier_qual import output
from supplier_qual.api import catalog
from supplier_qual.schemas.assessment import assessment_to_dict, certificate_report_to_dict

from .conftest import EXAMPLES


def oracle(data: Any) -> bytes:
    """The bytes ``-f json`` gave before the fast path: the standard library's indented form."""
    return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode()


@pytest.fixture(scope="module")
def assessments() -> list[supplier_qual.Assessment]:
    pm = supplier_qual.get_plugin_manager(load_entrypoints=False)
    questionnaire = catalog(pm).get("iso9001-outcomes")
    found = [supplier_qual.assess(s, as_of=AS_OF, pm=pm) for s in make_submissions(questionnaire, 150, 7)]
    for name in ("northwind-components.json", "brightline-fabrication.json"):
        found.append(supplier_qual.assess(EXAMPLES / name, as_of=AS_OF, pm=pm))
    return found


def test_an_assessment_is_built_as_the_schema_dumps_it(assessments: list[supplier_qual.Assessment]) -> None:
    for assessment in assessments:
        plain = output.assessment_to_plain(assessment)
        dumped = assessment_to_dict(assessment)
        assert plain == dumped
        assert list(json.dumps(plain)) == list(json.dumps(dumped))  # the same keys in the same order, all the way down
        assert output.to_json_bytes(plain) == oracle(dumped)


def test_a_certificate_report_is_built_as_the_schema_dumps_it(
    assessments: list[supplier_qual.Assessment], pm: pluggy.PluginManager
) -> None:
    for assessment in assessments[-10:]:
        report = supplier_qual.verify_certificates([r.certificate for r in assessment.certificates], as_of=AS_OF, pm=pm)
        plain = output.certificate_report_to_plain(report)
        assert json.dumps(plain) == json.dumps(certificate_report_to_dict(report))
        assert supplier_qual.render(report, "json", pm=pm) == oracle(certificate_report_to_dict(report)).decode()


def test_render_gives_the_oracle_bytes(assessments: list[supplier_qual.Assessment], pm: pluggy.PluginManager) -> None:
    for assessment in assessments[:20]:
        assert supplier_qual.render(assessment, "json", pm=pm) == oracle(assessment_to_dict(assessment)).decode()


@pytest.mark.parametrize(
    "data",
    [
        {"tiny": 1e-05, "small": 2.5e-07, "text": "0.0000 and 3e-2 in words"},
        {"large": 1e16, "larger": 1.5e17, "negative": -0.0, "share": 0.0001},
        {"count": 2**70, "negative": -(2**65)},
        {1: "a key that is a number", "b": {None: True, 2.5: False}},
        {"text": 'é\u2028\x00\x1f\x7f"\\/ 😀', "empty": [], "nothing": {}, "nested": [[{}], [[]]]},
        {"e-mail": "re-assess 7e-", "sci": "12e-3"},
        [1, 2.0, 3.25, True, None, "x"],
    ],
)
def test_json_bytes_are_those_of_the_standard_library(data: Any) -> None:
    assert output.to_json_bytes(data) == oracle(data)
    assert output.to_json(data) == oracle(data).decode()


def test_what_json_cannot_hold_is_refused_as_before() -> None:
    for data in ({"day": dt.date(2026, 1, 1)}, {"set": {1}}, {"object": object()}):
        with pytest.raises(TypeError):
            output.to_json_bytes(data)
    lone_surrogate = {"text": "\ud800"}
    assert output.to_json(lone_surrogate) == json.dumps(lone_surrogate, ensure_ascii=False, indent=2) + "\n"
    with pytest.raises(UnicodeEncodeError):
        output.to_json_bytes(lone_surrogate)


_finite = st.floats(allow_nan=False, allow_infinity=False)
_json = st.recursive(
    st.none() | st.booleans() | st.integers() | _finite | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=25,
)


@settings(max_examples=300, deadline=None)
@given(_json)
def test_any_json_value_gives_the_standard_librarys_bytes(data: Any) -> None:
    assert output.to_json_bytes(data) == oracle(data)


def test_floats_are_written_as_python_writes_them() -> None:
    values = [10.0**e * m for e in range(-12, 22) for m in (1.0, 2.5, 9.99, 1 / 3)]
    values += [math.pi * 10**e for e in range(-8, 8)]
    assert output.to_json_bytes(values) == oracle(values)


def canonical_oracle(data: Any) -> bytes:
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str).encode()


@settings(max_examples=300, deadline=None)
@given(_json)
def test_canonical_bytes_are_those_of_the_standard_library(data: Any) -> None:
    encoded = output.canonical_json_bytes(data)
    assert encoded is None or encoded == canonical_oracle(data)


def test_the_canonical_hash_of_a_submission_is_the_same_on_both_paths() -> None:
    from supplier_qual.submission import canonical_sha256

    pm = supplier_qual.get_plugin_manager(load_entrypoints=False)
    for data in make_submissions(catalog(pm).get("iso9001-outcomes"), 100, 11):
        assert canonical_sha256(data, plain=True) == canonical_sha256(data)
    tricky = {"b": 1e-07, "a": {"é": "z", "e": [2**70]}, "ü": 0.1}
    assert output.canonical_json_bytes(tricky) is None
    assert canonical_sha256(tricky, plain=True) == canonical_sha256(tricky)
