"""The golden corpus: assessments that must not change by a byte.

2,000 generated submissions (``bench/corpus.py``, seed :data:`GOLDEN_SEED`),
500 with faults (refused: the error's problems are recorded) and every bundled example
are assessed as of a fixed date; the SHA-256 of each ``-f json``
rendering is held in ``tests/golden/assessments.sha256``. A change to how results are
computed or rendered that alters any of them fails here: such a change is a change of
contract, made on purpose and written in the CHANGELOG, never by rewriting the file.

The file was written by ``python -m tests.test_golden --write`` from the code before
the fast path existed (commit 2c2d8d3, with this test and ``bench/corpus.py``).
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pluggy
import pytest

import supplier_qual
from bench.corpus import AS_OF, GOLDEN_SEED, make_invalid_submissions, make_submissions
from supplier_qual.api import catalog

ROOT = Path(__file__).resolve().parent.parent

GOLDEN = ROOT / "tests" / "golden" / "assessments.sha256"
CORPUS_SIZE = 2_000
INVALID_SIZE = 500
POLICIES = ("default", "examples/policies/automotive.yaml")
SUBMISSION_EXAMPLES = (
    "examples/submissions/northwind-components.json",
    "examples/submissions/brightline-fabrication.json",
    "examples/bids/alpha.json",
    "examples/bids/bravo.json",
    "examples/bids/charlie.json",
)
PERFORMANCE_EXAMPLES = ("examples/submissions/northwind-performance.json", "examples/submissions/buyer-scorecard.csv")
TENDERS = ("examples/tenders/valve-components.yaml", "examples/tenders/valves-two-lots-ocds.json")
BIDS = ("examples/bids/alpha.json", "examples/bids/bravo.json", "examples/bids/charlie.json")


def corpus_blobs(invalid: bool = False) -> list[bytes]:
    """The generated submissions as the JSON bytes a service would receive (with faults, when ``invalid``)."""
    pm = supplier_qual.get_plugin_manager(load_entrypoints=False)
    questionnaire = catalog(pm).get("iso9001-outcomes")
    if invalid:
        return [json.dumps(s).encode() for s in make_invalid_submissions(questionnaire, INVALID_SIZE, GOLDEN_SEED)]
    return [json.dumps(s).encode() for s in make_submissions(questionnaire, CORPUS_SIZE, GOLDEN_SEED)]


def digest(output: str | bytes) -> str:
    return hashlib.sha256(output.encode() if isinstance(output, str) else output).hexdigest()


def assessed(pm: pluggy.PluginManager, blob: bytes) -> str | bytes:
    """The JSON assessment of ``blob``, or the refusal: the error's kind and every problem, in order."""
    try:
        assessment = supplier_qual.assess(json.loads(blob), as_of=AS_OF, pm=pm)
    except supplier_qual.InputError as exc:
        return json.dumps([type(exc).__name__, [[p.source, p.location, p.message] for p in exc.problems]])
    return supplier_qual.render(assessment, "json", pm=pm)


def corpus_digests(pm: pluggy.PluginManager, blobs: list[bytes], kind: str = "corpus") -> Iterator[tuple[str, str]]:
    """``(name, sha256)`` of each generated submission's JSON assessment (or refusal)."""
    for index, blob in enumerate(blobs):
        yield f"{kind}/{index:04d}", digest(assessed(pm, blob))


def example_digests(pm: pluggy.PluginManager) -> Iterator[tuple[str, str]]:
    """``(name, sha256)`` of the bundled examples' JSON results (run from the repository's root)."""
    for policy in POLICIES:
        chosen = None if policy == "default" else policy
        for path in SUBMISSION_EXAMPLES:
            assessment = supplier_qual.assess(path, as_of=AS_OF, policy=chosen, pm=pm)
            yield f"{path}@{policy}", digest(supplier_qual.render(assessment, "json", pm=pm))
            raw = json.loads(Path(path).read_bytes())
            from_data = supplier_qual.assess(raw, as_of=AS_OF, policy=chosen, pm=pm)
            yield f"{path}@{policy}/data", digest(supplier_qual.render(from_data, "json", pm=pm))
        for performance in PERFORMANCE_EXAMPLES:
            assessment = supplier_qual.assess(
                SUBMISSION_EXAMPLES[0], as_of=AS_OF, policy=chosen, performance=performance, pm=pm
            )
            yield (
                f"{SUBMISSION_EXAMPLES[0]}+{performance}@{policy}",
                digest(supplier_qual.render(assessment, "json", pm=pm)),
            )
        for path in SUBMISSION_EXAMPLES[:2]:
            certificates = supplier_qual.read_submission(path, pm=pm).certificates
            report = supplier_qual.verify_certificates(certificates, as_of=AS_OF, policy=chosen, pm=pm)
            yield f"{path}@{policy}/certificates", digest(supplier_qual.render(report, "json", pm=pm))
        for tender in TENDERS:
            result = supplier_qual.eligibility(tender, BIDS, as_of=AS_OF, policy=chosen, pm=pm)
            yield f"{tender}@{policy}", digest(supplier_qual.render(result, "json", pm=pm))


def all_digests(pm: pluggy.PluginManager, blobs: list[bytes]) -> list[tuple[str, str]]:
    invalid = corpus_blobs(invalid=True)
    found = [
        ("corpus-input", hashlib.sha256(b"\n".join(blobs)).hexdigest()),
        ("invalid-input", hashlib.sha256(b"\n".join(invalid)).hexdigest()),
    ]
    found += list(example_digests(pm))
    found += list(corpus_digests(pm, blobs))
    found += list(corpus_digests(pm, invalid, "invalid"))
    return found


def read_golden() -> dict[str, str]:
    lines = GOLDEN.read_text(encoding="utf-8").splitlines()
    return dict(line.split(" ", 1)[::-1] for line in lines if line and not line.startswith("#"))


@pytest.fixture
def at_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)


@pytest.mark.usefixtures("at_root")
def test_the_corpus_is_the_one_recorded() -> None:
    golden = read_golden()
    assert hashlib.sha256(b"\n".join(corpus_blobs())).hexdigest() == golden["corpus-input"]
    assert hashlib.sha256(b"\n".join(corpus_blobs(invalid=True))).hexdigest() == golden["invalid-input"]


@pytest.mark.usefixtures("at_root")
def test_every_bundled_example_renders_as_recorded(pm: pluggy.PluginManager) -> None:
    golden = read_golden()
    found = dict(example_digests(pm))
    assert found == {name: golden[name] for name in found}
    assert len(found) == sum(1 for name in golden if name.startswith("examples/"))


@pytest.mark.usefixtures("at_root")
def test_every_generated_assessment_renders_as_recorded(pm: pluggy.PluginManager) -> None:
    golden = read_golden()
    changed = [name for name, sha in corpus_digests(pm, corpus_blobs()) if golden.get(name) != sha]
    assert changed == [], f"{len(changed)} of {CORPUS_SIZE} assessments changed, first {changed[:5]}"


@pytest.mark.usefixtures("at_root")
def test_every_faulty_submission_is_refused_as_recorded(pm: pluggy.PluginManager) -> None:
    golden = read_golden()
    changed = [
        name for name, sha in corpus_digests(pm, corpus_blobs(invalid=True), "invalid") if golden.get(name) != sha
    ]
    assert changed == [], f"{len(changed)} of {INVALID_SIZE} refusals changed, first {changed[:5]}"


def write() -> None:  # pragma: no cover - run by hand, once
    os.chdir(ROOT)
    os.environ.pop("SUPPLIER_QUAL_LOAD_PLUGINS", None)
    pm = supplier_qual.get_plugin_manager(load_entrypoints=False)
    lines = [f"{sha} {name}" for name, sha in all_digests(pm, corpus_blobs())]
    GOLDEN.parent.mkdir(exist_ok=True)
    header = f"# SHA-256 of `-f json` results as of {AS_OF}; see tests/test_golden.py. Never edit by hand.\n"
    GOLDEN.write_text(header + "\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":  # pragma: no cover
    if sys.argv[1:] != ["--write"]:
        sys.exit("usage: python -m tests.test_golden --write")
    write()
