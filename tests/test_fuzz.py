"""Fuzzing the readers with hypothesis: whatever the bytes, a result or a located refusal, never anything else.

``make test`` runs a short, derandomised pass; ``make fuzz`` a long one
(``SUPPLIER_QUAL_FUZZ_EXAMPLES``). A crash found here goes into the hostile corpus.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import zipfile
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import supplier_qual
from supplier_qual import strict_yaml
from supplier_qual.documents import parse_json
from supplier_qual.errors import InputError, SubmissionError
from supplier_qual.limits import ReadLimits
from supplier_qual.strict_yaml import parse_yaml

from .conftest import EXAMPLES
from .hostile_corpus import TENDER, valid_workbook

EXAMPLES_PER_READER = int(os.environ.get("SUPPLIER_QUAL_FUZZ_EXAMPLES", "60"))
FUZZ = settings(
    max_examples=EXAMPLES_PER_READER,
    deadline=None,
    derandomize=os.environ.get("SUPPLIER_QUAL_FUZZ_EXAMPLES") is None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    database=None,
)
SUBMISSION = (EXAMPLES / "northwind-components.json").read_bytes()


def mutations(seed: bytes) -> st.SearchStrategy[bytes]:
    """``seed`` with a few bytes replaced, inserted or cut, or cut short: near-valid input finds the deep paths."""
    edit = st.tuples(st.integers(0, len(seed)), st.integers(0, 8), st.binary(max_size=12))

    def apply(edits: list[tuple[int, int, bytes]], cut: int | None) -> bytes:
        data = bytearray(seed)
        for at, length, insert in edits:
            data[at : at + length] = insert
        return bytes(data[:cut] if cut is not None else data)

    return st.builds(apply, st.lists(edit, min_size=1, max_size=4), st.none() | st.integers(0, len(seed)))


def _only_refusals(parse: Any, data: bytes) -> None:
    problems = []
    try:
        parse(data, source="fuzz")
    except InputError as exc:
        problems = exc.problems or [None]
    assert all(p is not None and p.source == "fuzz" and p.message for p in problems)


@FUZZ
@given(st.binary(max_size=2000) | mutations(SUBMISSION))
def test_json_reader_never_fails_otherwise(data: bytes) -> None:
    _only_refusals(parse_json, data)


@FUZZ
@given(st.binary(max_size=2000) | mutations(TENDER.encode()) | mutations(SUBMISSION))
def test_yaml_reader_never_fails_otherwise(data: bytes) -> None:
    _only_refusals(parse_yaml, data)


@FUZZ
@given(mutations(SUBMISSION))
def test_json_submission_is_assessed_or_refused(data: bytes) -> None:
    if _is_json(data):
        with contextlib.suppress(InputError):
            supplier_qual.assess(json.loads(data), as_of="2026-11-25")


def _is_json(data: bytes) -> bool:
    try:
        parse_json(data, source="fuzz")
    except InputError:
        return False
    return True


def _rezip(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


@st.composite
def workbooks(draw: st.DrawFn) -> bytes:
    """A valid workbook with one of its XML parts mutated (repacked, so the ZIP stays sound), or its raw bytes."""
    valid = valid_workbook()
    with zipfile.ZipFile(io.BytesIO(valid)) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    if draw(st.booleans()):
        return draw(mutations(valid))
    name = draw(st.sampled_from(sorted(n for n in members if n.endswith((".xml", ".rels")))))
    members[name] = draw(mutations(members[name]))
    return _rezip(members)


@pytest.mark.slow
@FUZZ
@given(workbooks())
def test_workbook_reader_gives_a_submission_or_a_located_refusal(data: bytes) -> None:
    refused = []
    try:
        supplier_qual.read_upload(data, filename="fuzz.xlsx", limits=ReadLimits(memory_mb=512, seconds=20))
    except SubmissionError as exc:
        refused = [str(p) for p in exc.problems] or ["(no problem named)"]
    assert all(line.startswith("fuzz.xlsx: ") for line in refused), refused
    assert not any("could not be read safely" in line for line in refused), refused


def _outcome(parse: Any, data: bytes) -> tuple[str, object]:
    import yaml

    try:
        return "ok", parse(data)
    except InputError as exc:
        return "refused", [str(p) for p in exc.problems]
    except yaml.YAMLError:
        return "not yaml", None


@pytest.mark.skipif(strict_yaml._CParser is None, reason="PyYAML without libyaml")
@FUZZ
@given(st.binary(max_size=600) | mutations(TENDER.encode()) | mutations(b"a: &x [1, {b: 2}]\nc: *x\nd: 2026-11-25\n"))
def test_yaml_read_by_libyaml_as_by_pyyaml(data: bytes) -> None:
    # The document libyaml reads (strict rules on top) is the one PyYAML reads, and so are the refusals;
    # only where PyYAML refuses the YAML itself may libyaml, the more faithful to the YAML spec, accept it
    # (a tab after a colon).
    def python(raw: bytes) -> object:
        return strict_yaml._load(strict_yaml._StrictLoader, raw, source="fuzz", error=InputError)

    def fast(raw: bytes) -> object:
        return strict_yaml._load(strict_yaml._FastStrictLoader, raw, source="fuzz", error=InputError)

    expected, by_c = _outcome(python, data), _outcome(fast, data)
    got = _outcome(lambda raw: parse_yaml(raw, source="fuzz"), data)
    if expected[0] == "not yaml":
        assert got[0] == "refused" or by_c[0] == "ok"
    else:
        assert got == expected
