"""Assessments per second on one core, and their cost relative to ``json.loads``.

Generates ``--n`` realistic submissions (seeded), serialises each to JSON bytes, and
times on one CPU core, over ``--rounds`` rounds (median reported):

(a) ``json.loads`` of every submission: the floor any JSON service pays;
(b) ``supplier_qual.assess(json.loads(b), as_of=…, pm=pm)``: end to end from bytes
    (parse, schema validation, answer checks, every hook, provenance);
(c) ``supplier_qual.assess(submission, …)`` with a ready ``Submission``: the engine
    and the plugins alone;
(d) ``json.loads`` and the schema validation into a ``Submission``, without assessing:
    the reading part of (b);
(e) ``render(assessment, "json")``, the ``-f json`` text of each assessment, against
(f) ``json.dumps(d, sort_keys=True)`` (the C encoder, compact) of the same result as a
    plain dictionary: the floor of any JSON output.

The issue's goals: at least 5,000 assessments per second for (b), (b) at most 10 times
(a), and (e) at most 3 times (f). ``--json`` prints every figure, and under ``figures``
the goals in the form ``make bench`` collects (name, measured, reference, ratio, goal,
met); :func:`figures` gives the same to a caller. Run with ``make bench`` or
``python bench/assess_throughput.py --help``.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
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
from typing import Any

import pluggy

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the bench package, run as a script

import supplier_qual
from bench.corpus import AS_OF, GOLDEN_SEED, make_submissions
from supplier_qual.api import catalog
from supplier_qual.model import Submission
from supplier_qual.schemas.assessment import assessment_to_dict
from supplier_qual.submission import load_submission

GOAL_PER_SECOND = 5_000.0
GOAL_RATIO = 10.0
GOAL_RENDER_RATIO = 3.0


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


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--n", type=int, default=2_000, help="submissions to generate (default 2,000)")
    parser.add_argument("--rounds", type=int, default=5, help="timed rounds; the median is reported (default 5)")
    parser.add_argument("--seed", type=int, default=GOLDEN_SEED, help="random seed of the generated submissions")
    parser.add_argument("--entrypoints", action="store_true", help="also load installed third-party plugins")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--profile", type=int, metavar="LINES", default=0, help="profile (b) once; print top LINES")
    parser.add_argument(
        "--profile-render", type=int, metavar="LINES", default=0, help="profile (e) once; print top LINES"
    )
    return parser.parse_args(argv)


def figures(argv: list[str] | None = None) -> list[dict[str, Any]]:
    """The goals' figures of one run with ``argv``'s options: name, measured, reference, ratio, goal, met."""
    return measure(parse_args(argv))["figures"]  # type: ignore[no-any-return]


def measure(args: argparse.Namespace) -> dict[str, Any]:
    """Every figure of one run, each with its reference measured in the same run."""
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
        _profile(from_bytes, args.profile)
        return {}

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
    ready.clear()
    assessments = [supplier_qual.assess(json.loads(b), as_of=AS_OF, pm=pm) for b in blobs]

    def render() -> None:
        for a in assessments:
            supplier_qual.render(a, "json", pm=pm)

    if args.profile_render:
        _profile(render, args.profile_render)
        return {}
    timings["render_json"] = timed_rounds(args.rounds, render)
    plain = [assessment_to_dict(a) for a in assessments]  # the same result as a plain dictionary

    def dumps() -> None:
        for d in plain:
            json.dumps(d, sort_keys=True)

    timings["json_dumps"] = timed_rounds(args.rounds, dumps)
    median = {name: statistics.median(times) for name, times in timings.items()}
    best = {name: min(times) for name, times in timings.items()}
    per_second = {name: args.n / seconds for name, seconds in median.items()}
    ratio = median["assess_from_bytes"] / median["json_loads"]
    render_ratio = median["render_json"] / median["json_dumps"]
    met = per_second["assess_from_bytes"] >= GOAL_PER_SECOND and ratio <= GOAL_RATIO
    when = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    figures = [
        {
            "name": "P2 assessments per second, assess(json.loads(bytes)), one core",
            "measured": round(per_second["assess_from_bytes"], 1),
            "reference": round(per_second["json_loads"], 1),
            "reference_name": "json.loads of the same bytes, per second",
            "ratio": round(ratio, 2),
            "goal": f"≥ {GOAL_PER_SECOND:,.0f}/s and ≤ {GOAL_RATIO:g}× json.loads",
            "met": met,
        },
        {
            "name": "JSON render, render(assessment, 'json'), µs each",
            "measured": round(median["render_json"] / args.n * 1e6, 1),
            "reference": round(median["json_dumps"] / args.n * 1e6, 1),
            "reference_name": "json.dumps(d, sort_keys=True) of the same result as a plain dict, µs each",
            "ratio": round(render_ratio, 2),
            "goal": f"≤ {GOAL_RENDER_RATIO:g}× json.dumps",
            "met": render_ratio <= GOAL_RENDER_RATIO,
        },
    ]
    return {
        "n": args.n,
        "rounds": args.rounds,
        "seed": args.seed,
        "date": when,
        "machine": f"{platform.machine()} {platform.node()}, {os.cpu_count()} CPUs",
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
        "render_ratio_to_json_dumps": round(render_ratio, 2),
        "goal": {
            "per_second": GOAL_PER_SECOND,
            "ratio_to_json_loads": GOAL_RATIO,
            "render_ratio_to_json_dumps": GOAL_RENDER_RATIO,
            "met": met and render_ratio <= GOAL_RENDER_RATIO,
        },
        "figures": figures,
    }


def _profile(batch: Callable[[], None], lines: int) -> None:
    profiler = cProfile.Profile()
    profiler.runcall(batch)
    stats = pstats.Stats(profiler, stream=sys.stdout)
    stats.sort_stats("tottime").print_stats(lines)
    stats.sort_stats("cumulative").print_stats(lines)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    result = measure(args)
    if not result:  # profiled
        return 0
    if args.json:
        print(json.dumps(result, indent=2, ensure_ascii=False))
        return 0
    n, median, best, per_second = args.n, result["median_seconds"], result["best_seconds"], result["per_second"]
    print(f"supplier_qual {supplier_qual.__version__} on {result['python']}, {result['cpu']}, {result['date']}")
    print(f"{n:,} generated submissions, {result['bytes_per_submission']:,} bytes each on average (seed {args.seed})")
    print(f"decisions: {_mix(Counter(result['decisions']))}")
    print(f"certificates: {_mix(Counter(result['certificate_statuses']))}")
    print(f"median of {args.rounds} rounds (best round in brackets):")
    labels = {
        "json_loads": "(a) json.loads only",
        "assess_from_bytes": "(b) assess(json.loads(bytes))",
        "assess_parsed": "(c) assess(Submission)",
        "read_only": "(d) json.loads + validation only",
        "render_json": "(e) render(assessment, 'json')",
        "json_dumps": "(f) json.dumps(dict, sort_keys=True)",
    }
    for name, label in labels.items():
        per_item, best_item = median[name] / n * 1e6, best[name] / n * 1e6
        print(f"  {label:<38} {per_second[name]:>9,.0f} /s  {per_item:>8.1f} µs each  ({best_item:.1f} µs)")
    p2, render_figure = result["figures"]
    print(f"ratio (b) / (a): {p2['ratio']:.1f}× json.loads; (e) / (f): {render_figure['ratio']:.2f}× json.dumps")
    for figure in result["figures"]:
        verdict = "MET" if figure["met"] else "NOT MET"
        print(
            f"goal {figure['goal']}: {verdict} ({figure['measured']:,} against {figure['reference']:,}, "
            f"{figure['ratio']:g}×) — {figure['name']}"
        )
    return 0


def _decision(assessment: supplier_qual.Assessment) -> str:
    return assessment.decision.decision if assessment.decision else "undecided"


def _mix(counts: Counter[str]) -> str:
    total = sum(counts.values()) or 1
    return ", ".join(f"{name} {100 * count / total:.0f} %" for name, count in counts.most_common())


if __name__ == "__main__":
    sys.exit(main())
