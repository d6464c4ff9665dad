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
import datetime as dt
import gc
import json
import os
import platform
import pstats
import random
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable
from typing import Any

import pluggy

import supplier_qual
from supplier_qual.api import catalog
from supplier_qual.model import Question, Questionnaire, Submission
from supplier_qual.submission import load_submission

AS_OF = dt.date(2026, 11, 25)
GOAL_PER_SECOND = 5_000.0
GOAL_RATIO = 10.0

_NAMES = ("Northwind", "Brightline", "Keystone", "Arden", "Halvorsen", "Marlow", "Tessaro", "Vantage", "Oakridge")
_TRADES = ("Components", "Fabrication", "Castings", "Precision", "Plastics", "Electronics", "Machining", "Coatings")
_FORMS = ("Ltd", "GmbH", "S.A.", "Sp. z o.o.", "Inc.", "B.V.", "AB")
_COUNTRIES = ("GB", "DE", "FR", "PL", "NL", "SE", "US", "CN", "IN", "TR")
_BODIES = ("UKAS", "DAkkS", "COFRAC", "PCA", "RvA", "SWEDAC", "ANAB", "CNAS", "NABCB", "TURKAK")
_CERTIFIERS = ("BSI Assurance UK Ltd", "TÜV SÜD Management Service GmbH", "DNV Business Assurance", "Bureau Veritas")
_CERTIFICATE_KINDS = (
    ("valid", 55),
    ("expired", 12),
    ("suspended", 5),
    ("withdrawn", 3),
    ("unaccredited", 8),
    ("obsolete_standard", 7),
    ("not_yet_valid", 4),
    ("invalid", 6),
)


def make_submissions(questionnaire: Questionnaire, n: int, seed: int) -> list[dict[str, Any]]:
    """``n`` submissions to ``questionnaire``, the same for the same ``seed``.

    Each supplier has a hidden quality level that tilts its answers, evidence,
    certificates and performance the same way, as real suppliers' do.
    """
    rng = random.Random(seed)
    return [_submission(rng, questionnaire, index) for index in range(n)]


def _submission(rng: random.Random, questionnaire: Questionnaire, index: int) -> dict[str, Any]:
    quality = rng.betavariate(4, 2)
    name = f"{rng.choice(_NAMES)} {rng.choice(_TRADES)} {rng.choice(_FORMS)}"
    data: dict[str, Any] = {
        "supplier": {"name": name, "id": f"GB-COH-{index:08d}", "country": rng.choice(_COUNTRIES)},
        "questionnaire": {"id": questionnaire.id, "version": questionnaire.version},
        "answers": {q.id: answer for q in questionnaire.questions if (answer := _answer(rng, q, quality)) is not None},
        "certificates": [
            _certificate(rng, name, quality) for _ in range(rng.choices((0, 1, 2, 3), (20, 55, 18, 7))[0])
        ],
    }
    if rng.random() < 0.6:
        data["performance"] = _performance(rng, quality)
    return data


def _answer(rng: random.Random, question: Question, quality: float) -> dict[str, Any] | str | float | None:
    roll = rng.random()
    if roll < 0.02:
        return None  # left out
    if roll < 0.04:
        return {"value": "", "evidence": "", "comment": ""}  # left blank
    if question.na_allowed and roll < 0.12:
        return {"value": "N/A", "evidence": "", "comment": "Not applicable to our processes"}
    value: str | float
    if question.type in ("choice", "maturity"):
        ranked = sorted(question.options, key=lambda o: o.points)
        option = ranked[-1] if rng.random() < quality else rng.choice(ranked)
        value = option.label if rng.random() < 0.5 else option.value
    elif question.type == "number":
        ranked_bands = sorted(question.bands, key=lambda b: b.points)
        band = ranked_bands[-1] if rng.random() < quality else rng.choice(ranked_bands)
        low = band.min if band.min is not None else (band.max or 0.0) - 10.0
        high = band.max if band.max is not None else low + max(10.0, abs(low) * 0.2)
        value = round(rng.uniform(low, high - 0.01), 1)
    else:
        value = f"Described in procedure QP-{rng.randint(1, 40):02d}, owned by the quality manager."
    if rng.random() < 0.3:
        return value  # answers given as bare values, as some exports do
    cited = rng.random() < quality + 0.1
    comment = "Improvement project under way" if rng.random() < 0.1 else ""
    return {
        "value": value,
        "evidence": f"QM-{question.id} rev {rng.randint(1, 9)}" if cited else "",
        "comment": comment,
    }


def _certificate(rng: random.Random, holder: str, quality: float) -> dict[str, Any]:
    kinds, weights = zip(*_CERTIFICATE_KINDS, strict=True)
    kind = "valid" if rng.random() < quality * 0.5 else rng.choices(kinds, weights)[0]
    issued = AS_OF - dt.timedelta(days=rng.randint(30, 1000))
    certificate: dict[str, Any] = {
        "standard": "ISO 9001:2015",
        "number": f"FM {rng.randint(100_000, 999_999)}",
        "holder": holder,
        "certification_body": rng.choice(_CERTIFIERS),
        "accreditation_body": rng.choice(_BODIES),
        "scope": "Design and manufacture of machined and fabricated components",
        "iaf_codes": sorted(rng.sample(range(14, 30), rng.randint(1, 3))),
        "issued": issued.isoformat(),
        "expires": (issued + dt.timedelta(days=3 * 365 - 1)).isoformat(),
    }
    if kind == "expired":
        certificate["issued"] = (AS_OF - dt.timedelta(days=1200)).isoformat()
        certificate["expires"] = (AS_OF - dt.timedelta(days=rng.randint(1, 100))).isoformat()
    elif kind in ("suspended", "withdrawn"):
        certificate["status"] = kind.capitalize()
    elif kind == "unaccredited":
        certificate["accreditation_body"] = rng.choice(("Global Accreditation Council", "IQAF", ""))
    elif kind == "obsolete_standard":
        certificate["standard"] = "ISO 9001:2008"
    elif kind == "not_yet_valid":
        certificate["issued"] = (AS_OF + dt.timedelta(days=rng.randint(1, 60))).isoformat()
        certificate["expires"] = (AS_OF + dt.timedelta(days=1000)).isoformat()
    elif kind == "invalid":
        certificate["number"] = ""
    return certificate


def _performance(rng: random.Random, quality: float) -> dict[str, Any]:
    def maybe(value: float | int) -> float | int | None:
        return value if rng.random() < 0.85 else None

    lots = rng.randint(20, 600)
    complaints = rng.randint(0, int(2 + 10 * (1 - quality)))
    actions_open = rng.randint(0, 8)
    on_time = round(min(100.0, rng.gauss(85 + 12 * quality, 3)), 1)
    defects = round(max(0.0, rng.gauss(3000 * (1 - quality), 400)))
    found: dict[str, float | int | None] = {
        "period_months": 12,
        "deliveries": maybe(lots),
        "on_time_delivery_pct": maybe(max(0.0, on_time)),
        "defect_ppm": maybe(defects),
        "lots_received": lots,
        "lots_rejected": maybe(rng.randint(0, max(1, lots // 40))),
        "complaints": maybe(complaints),
        "complaints_closed": rng.randint(0, complaints),
        "corrective_actions_open": actions_open,
        "corrective_actions_overdue": maybe(rng.randint(0, actions_open)),
        "previous_on_time_delivery_pct": maybe(round(min(100.0, max(0.0, on_time + rng.gauss(0, 3))), 1)),
        "previous_defect_ppm": maybe(round(defects * rng.uniform(0.7, 1.4))),
    }
    performance: dict[str, Any] = {key: value for key, value in found.items() if value is not None}
    if rng.random() < 0.3:
        performance["extra"] = {"first_pass_yield_pct": round(rng.uniform(82, 99.5), 1)}
    return performance


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
    parser.add_argument("--seed", type=int, default=20261125, help="random seed of the generated submissions")
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
