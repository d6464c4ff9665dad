"""Start-up cost of the command line, as whole processes, against ``python -c "import click"``.

Each command is started ``--runs`` times, round-robin with the reference so that a
busy moment of the machine falls on all of them alike, and the median wall-clock
time of each is reported:

- (ref) ``python -c "import click"``: an interpreter and the command-line library, nothing else;
- ``supplier-qual --help``: the plugins loaded, the commands listed (goal ≤ 2 × ref);
- ``supplier-qual assess one.json``: one submission read in a child process, assessed and
  printed as text (goal ≤ 4 × ref), with the compiled questionnaires cached as a second
  run finds them (a fresh cache directory of this run, filled by an untimed first run);
- the same with the cache off (``SUPPLIER_QUAL_CACHE_DIR=off``): what a first run pays.

The processes run as an installed package does, with its bytecode cached: an
environment's ``PYTHONDONTWRITEBYTECODE`` is dropped for them (the untimed first run
writes the bytecode of an editable checkout).

``--python DIR`` times another checkout's virtual environment (its ``bin/python``
and ``bin/supplier-qual``), for a before/after on the same machine in the same run.

Run: ``python bench/startup.py`` (``--json`` for the figures as JSON).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SUBMISSION = ROOT / "examples" / "submissions" / "northwind-components.json"
GOALS = {"help": 2.0, "assess": 4.0}
REFERENCE = 'python -c "import click"'


def commands(bin_dir: Path, submission: Path) -> dict[str, list[str]]:
    python = str(bin_dir / "python")
    cli = bin_dir / "supplier-qual"
    entry = [str(cli)] if cli.exists() else [python, "-m", "supplier_qual"]
    return {
        "reference": [python, "-c", "import click"],
        "help": [*entry, "--help"],
        "assess": [*entry, "assess", str(submission), "--as-of", "2026-11-25"],
        "assess_cold": [*entry, "assess", str(submission), "--as-of", "2026-11-25"],
    }


def run_once(command: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)  # noqa: S603
    return time.perf_counter() - start


def measure(bin_dir: Path, runs: int) -> dict[str, float]:
    """Median seconds of each command over ``runs`` round-robin runs."""
    with tempfile.TemporaryDirectory() as cache:
        # As installed: bytecode cached (pip compiles it at install; an editable checkout writes it on the
        # first run), so the environment's PYTHONDONTWRITEBYTECODE, if set, is dropped for these runs.
        base = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        env = {**base, "SUPPLIER_QUAL_CACHE_DIR": cache}
        cold = {**base, "SUPPLIER_QUAL_CACHE_DIR": "off"}
        chosen = commands(bin_dir, SUBMISSION)
        environments = {name: cold if name == "assess_cold" else env for name in chosen}
        for name, command in chosen.items():  # untimed: fills the cache, warms the file system cache
            run_once(command, environments[name])
        times: dict[str, list[float]] = {name: [] for name in chosen}
        for _ in range(runs):
            for name, command in chosen.items():
                times[name].append(run_once(command, environments[name]))
    return {name: statistics.median(values) for name, values in times.items()}


def figures(medians: dict[str, float], label: str = "") -> list[dict[str, object]]:
    """The figures in the shape of ``bench/results.json``."""
    reference = medians["reference"]
    rows: list[dict[str, object]] = []
    for name, title, goal in (
        ("help", "supplier-qual --help", GOALS["help"]),
        ("assess", "supplier-qual assess one.json (questionnaires compiled)", GOALS["assess"]),
        ("assess_cold", "supplier-qual assess one.json, first run (no compiled questionnaires)", None),
    ):
        ratio = medians[name] / reference
        rows.append(
            {
                "name": f"start-up: {title}{label}",
                "measured": round(medians[name] * 1000, 1),
                "unit": "ms",
                "reference": round(reference * 1000, 1),
                "reference_name": REFERENCE,
                "ratio": round(ratio, 2),
                "goal": f"ratio <= {goal:g}" if goal else None,
                "met": bool(ratio <= goal) if goal else None,
            }
        )
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--runs", type=int, default=15, help="timed runs of each command (default 15)")
    parser.add_argument("--python", type=Path, help="another virtual environment's bin directory to time")
    parser.add_argument("--label", default="", help="appended to each figure's name (with --python)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)
    bin_dir = args.python or Path(sys.executable).parent
    medians = measure(bin_dir, args.runs)
    rows = figures(medians, args.label)
    if args.json:
        print(json.dumps({"figures": rows, "medians_s": medians}, indent=2))
        return 0
    print(f"start-up, whole processes, {args.runs} runs each, medians ({bin_dir})")
    print(f"  {REFERENCE:<68} {medians['reference'] * 1000:8.1f} ms")
    for row in rows:
        goal = f"  (goal {row['goal']}: {'met' if row['met'] else 'NOT met'})" if row["goal"] else ""
        print(f"  {str(row['name'])[10:]:<68} {row['measured']:8.1f} ms  {row['ratio']:5.2f}x{goal}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
