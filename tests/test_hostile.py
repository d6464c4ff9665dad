"""Every hostile input of the corpus, through the command line as a user runs it: a clear refusal, never a crash.

Each case runs in a fresh process under a 1 GiB address-space limit (``RLIMIT_AS``)
and a CPU-time limit, all of them at once on the available cores. For each:
the exit status (2 for bad input, 0 where the input is in fact fine), the message
naming the file and the place, no traceback, no death by a signal, no raw control
character on the terminal, no partial output file. Timings are never asserted.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest

from .conftest import EXAMPLES
from .hostile_corpus import CASES, GIB, Case

RAW_CONTROLS = [chr(c) for c in [*range(0x00, 0x09), *range(0x0B, 0x20), *range(0x7F, 0xA0)]] + ["\u202e"]


@dataclass(frozen=True)
class Ran:
    directory: Path
    returncode: int
    stdout: str
    stderr: str


LIMITED = (
    "import resource, runpy, sys\n"
    f"resource.setrlimit(resource.RLIMIT_AS, ({GIB}, {GIB}))\n"
    "resource.setrlimit(resource.RLIMIT_CPU, (120, 120))\n"
    "sys.argv = ['supplier-qual', *sys.argv[1:]]\n"
    "runpy.run_module('supplier_qual', run_name='__main__', alter_sys=True)\n"
)
"""The command line under a 1 GiB address-space limit, set before anything is imported (no preexec_fn:
the cases run from threads, where a child must not run Python code before it execs)."""


def _run(case: Case, root: Path) -> Ran:
    directory = root / str(CASES.index(case))
    directory.mkdir()
    argv = case.setup(directory)
    env = {**os.environ, "PYTHONIOENCODING": "utf-8", "COLUMNS": "200"}
    env.pop("SUPPLIER_QUAL_LOAD_PLUGINS", None)
    done = subprocess.run(
        [sys.executable, "-c", LIMITED, *argv],
        cwd=directory,
        capture_output=True,
        timeout=300,
        env=env,
        check=False,
    )
    decode = lambda raw: raw.decode("utf-8", "backslashreplace")  # noqa: E731
    return Ran(directory, done.returncode, decode(done.stdout), decode(done.stderr))


@pytest.fixture(scope="module")
def ran() -> Iterator[dict[str, Ran]]:
    with tempfile.TemporaryDirectory() as root, ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        results = dict(zip((c.name for c in CASES), pool.map(lambda c: _run(c, Path(root)), CASES), strict=True))
        yield results


def test_every_class_has_at_least_three_variants() -> None:
    counts = Counter(case.kind for case in CASES)
    assert set(counts) == {"crash", "memory", "size", "traceback", "silent", "injection", "refused", "careless"}
    assert min(counts.values()) >= 3, counts
    assert len({case.name for case in CASES}) == len(CASES)


@pytest.mark.slow
@pytest.mark.parametrize("case", CASES, ids=[f"{c.entrance}-{c.kind}-{c.name}" for c in CASES])
def test_hostile_input_is_refused_clearly(case: Case, ran: dict[str, Ran]) -> None:
    result = ran[case.name]
    d = str(result.directory)
    assert result.returncode >= 0, f"killed by signal {-result.returncode}"
    assert "Traceback" not in result.stderr, result.stderr
    assert result.returncode == case.exit, result.stderr or result.stdout[-2000:]
    for expected in case.stderr:
        assert expected.format(d=d) in result.stderr, result.stderr
    for expected in case.stdout:
        assert expected.format(d=d) in result.stdout, result.stdout[-3000:]
    for control in RAW_CONTROLS:
        assert control not in result.stdout + result.stderr, f"raw {control!r} reached the terminal"
    if case.no_output:
        assert not (result.directory / case.no_output).exists(), "a partial result was written"
    if case.exit == 2:
        assert result.stderr.strip(), "refused without a word"


@pytest.mark.slow
def test_error_lines_come_in_the_same_order_on_every_run(tmp_path: Path) -> None:
    """Several unknown fields (which marshmallow finds in a set's order): three runs, three hash seeds, one output."""
    performance = tmp_path / "performance.json"
    performance.write_text('{"zeta": 1, "alpha": 2, "defect_ppm": -1, "mid": 3, "on_time_delivery_pct": 150}')
    submission = tmp_path / "supplier.json"
    submission.write_text((EXAMPLES / "northwind-components.json").read_text(encoding="utf-8"), encoding="utf-8")
    outputs = set()
    for seed in ("1", "2", "3"):
        done = subprocess.run(
            [sys.executable, "-m", "supplier_qual", "assess", str(submission), "--performance", str(performance)],
            capture_output=True,
            text=True,
            env={**os.environ, "PYTHONHASHSEED": seed},
            check=False,
        )
        assert done.returncode == 2
        outputs.add(done.stderr)
    assert len(outputs) == 1
    lines = outputs.pop().splitlines()
    assert [line.split(": ")[1] for line in lines] == [
        "$.alpha",
        "$.defect_ppm",
        "$.mid",
        "$.on_time_delivery_pct",
        "$.zeta",
    ]


def test_template_overwrites_only_with_force(tmp_path: Path) -> None:
    filled = tmp_path / "filled.xlsx"
    filled.write_bytes(b"a workbook the supplier filled in")
    base = [sys.executable, "-m", "supplier_qual", "template", "-o", str(filled)]
    refused = subprocess.run(base, capture_output=True, text=True, check=False)
    assert refused.returncode == 2
    assert filled.read_bytes() == b"a workbook the supplier filled in"
    forced = subprocess.run([*base, "--force"], capture_output=True, text=True, check=False)
    assert forced.returncode == 0, forced.stderr
    assert filled.read_bytes().startswith(b"PK\x03\x04")
