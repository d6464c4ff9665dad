"""Assessments per second on one core, and their cost relative to ``json.loads``.

Generates ``--n`` realistic submissions (seeded), serialises each to JSON bytes, and
times on one CPU core, over ``--rounds`` rounds (median reported):

(a) ``json.loads`` of every submission: the floor any JSON service pays;
(b) ``supplier_qual.assess(json.loads(b), as_of=…, pm=pm)``: end to end from bytes
    (parse, schema validation, answer checks, every hook, provenance);
(c) ``supplier_qual.assess(submission, …)`` with a ready ``Submission``: the engine
    and the plugins alone;
(d) ``json.loads`` and the schema validation into a ``Submission``, without assessing:
    the reading part of (b).

The issue's goal is at least 5,000 assessments per second for (b) and (b) at most
10 times (a). Run with ``make bench`` or ``python bench/assess_throughput.py --help``.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import json
import os
import platform
import pstats
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pluggy

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the bench package, run as a script

import supplier_qual
from bench.corpus import AS_OF, GOLDEN_SEED, make_submissions
from supplier_qual.api import catalog
from supplier_qual.model import Submission
from supplier_qual.submission import load_submission

GOAL_PER_SECOND = 5_000.0
GOAL_RATIO = 10.0


def timed_rounds(rounds: int, batch: Callable[[], object]) -> list[float]:
    """The wall time of each of ``rounds`` runs of ``batch``, garbage collected before each."""
    times = []
    for _ in range(rounds):
        gc.collect()
        start = time.perf_counter()
        batch()
        times.append(time.perf_counter() - start)
    return times


def pin_to_one_core() -> str:
    """Run on one CPU where the OS allows it; say which."""
    if hasattr(os, "sched_setaffinity") and hasattr(os, "sched_getaffinity"):
        cpu = min(os.sched_getaffinity(0))
        os.sched_setaffinity(0, {cpu})
        return f"pinned to CPU {cpu}"
    return "not pinned (no sched_setaffinity on this platform)"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--n", type=int, default=2_000, help="submissions to generate (default 2,000)")
    parser.add_argument("--rounds", type=int, default=5, help="timed rounds; the median is reported (default 5)")
    parser.add_argument("--seed", type=int, default=GOLDEN_SEED, help="random seed of the generated submissions")
    parser.add_argument("--entrypoints", action="store_true", help="also load installed third-party plugins")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--profile", type=int, metavar="LINES", default=0, help="profile (b) once; print top LINES")
    args = parser.parse_args(argv)

    pinned = pin_to_one_core()
    pm: pluggy.PluginManager = supplier_qual.get_plugin_manager(load_entrypoints=args.entrypoints)
    questionnaire = catalog(pm).get("iso9001-outcomes")
    blobs = [json.dumps(s).encode() for s in make_submissions(questionnaire, args.n, args.seed)]

    # One untimed pass: imports, the catalogue and the reference data load once per process,
    # and every generated submission must assess without error.
    decisions: Counter[str] = Counter()
    statuses: Counter[str] = Counter()
    for b in blobs:
        assessment = supplier_qual.assess(json.loads(b), as_of=AS_OF, pm=pm)
        decisions[_decision(assessment)] += 1
        statuses.update(r.status for r in assessment.certificates)

    def loads() -> None:
        for b in blobs:
            json.loads(b)

    def from_bytes() -> None:
        for b in blobs:
            supplier_qual.assess(json.loads(b), as_of=AS_OF, pm=pm)

    def read_only() -> None:
        for b in blobs:
            load_submission(json.loads(b), catalog=catalog(pm))

    if args.profile:
        profiler = cProfile.Profile()
        profiler.runcall(from_bytes)
        stats = pstats.Stats(profiler, stream=sys.stdout)
        stats.sort_stats("tottime").print_stats(args.profile)
        stats.sort_stats("cumulative").print_stats(args.profile)
        return 0

    # (a), (b) and (d) run before the parsed submissions exist: a service holds bytes, not
    # thousands of live objects, and a larger heap makes every garbage collection slower.
    timings = {
        "json_loads": timed_rounds(args.rounds, loads),
        "assess_from_bytes": timed_rounds(args.rounds, from_bytes),
        "read_only": timed_rounds(args.rounds, read_only),
    }
    ready: list[Submission] = [load_submission(json.loads(b), catalog=catalog(pm)) for b in blobs]

    def from_submissions() -> None:
        for s in ready:
            supplier_qual.assess(s, as_of=AS_OF, pm=pm)

    timings["assess_parsed"] = timed_rounds(args.rounds, from_submissions)
    median = {name: statistics.median(times) for name, times in timings.items()}
    best = {name: min(times) for name, times in timings.items()}
    per_second = {name: args.n / seconds for name, seconds in median.items()}
    ratio = median["assess_from_bytes"] / median["json_loads"]
    met = per_second["assess_from_bytes"] >= GOAL_PER_SECOND and ratio <= GOAL_RATIO
    result = {
        "n": args.n,
        "rounds": args.rounds,
        "seed": args.seed,
        "bytes_per_submission": round(sum(map(len, blobs)) / args.n),
        "python": f"{platform.python_implementation()} {platform.python_version()}",
        "cpu": pinned,
        "plugins": [name for name, _ in pm.list_name_plugin()],
        "decisions": dict(sorted(decisions.items())),
        "certificate_statuses": dict(sorted(statuses.items())),
        "median_seconds": {name: round(seconds, 4) for name, seconds in median.items()},
        "best_seconds": {name: round(seconds, 4) for name, seconds in best.items()},
        "per_second": {name: round(rate, 1) for name, rate in per_second.items()},
        "ratio_to_json_loads": round(ratio, 1),
        "goal": {"per_second": GOAL_PER_SECOND, "ratio_to_json_loads": GOAL_RATIO, "met": met},
    }
    if args.json:
        print(json.dumps(result, indent=2))
        return 0
    print(f"supplier_qual {supplier_qual.__version__} on {result['python']}, {pinned}")
    print(
        f"{args.n:,} generated submissions, {result['bytes_per_submission']:,} bytes each on average (seed {args.seed})"
    )
    print(f"decisions: {_mix(decisions)}")
    print(f"certificates: {_mix(statuses)}")
    print(f"median of {args.rounds} rounds (best round in brackets):")
    labels = {
        "json_loads": "(a) json.loads only",
        "assess_from_bytes": "(b) assess(json.loads(bytes))",
        "assess_parsed": "(c) assess(Submission)",
        "read_only": "(d) json.loads + validation only",
    }
    for name, label in labels.items():
        per_item, best_item = median[name] / args.n * 1e6, best[name] / args.n * 1e6
        print(f"  {label:<34} {per_second[name]:>9,.0f} /s  {per_item:>8.1f} µs each  ({best_item:.1f} µs)")
    print(f"ratio (b) / (a): {ratio:.1f}× json.loads")
    verdict = "MET" if met else "NOT MET"
    print(
        f"goal (≥ {GOAL_PER_SECOND:,.0f}/s and ≤ {GOAL_RATIO:g}× json.loads): {verdict} "
        f"({per_second['assess_from_bytes']:,.0f}/s, {ratio:.1f}×)"
    )
    return 0


def _decision(assessment: supplier_qual.Assessment) -> str:
    return assessment.decision.decision if assessment.decision else "undecided"


def _mix(counts: Counter[str]) -> str:
    total = sum(counts.values()) or 1
    return ", ".join(f"{name} {100 * count / total:.0f} %" for name, count in counts.most_common())


if __name__ == "__main__":
    sys.exit(main())
