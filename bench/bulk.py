"""Bulk assessment on both cores: ``supplier_qual.batch.run`` over a folder of submissions, as ``assess DIR -o OUT``.

The bundled example submissions are copied ``--files`` times over (each copy a
different supplier name and identifier), then assessed to JSON result files:

- (1) one worker process (``workers=1`` of the pool: each file read in-process by the
  worker, which is the isolation): one core's throughput, the reference;
- (2) two worker processes: goal ≥ 1.8 × (1) on a 2-core machine;
- (s) this process alone, each file read in a child of its own, as small batches are
  (``workers=None`` below ``batch.SMALL_BATCH``), on the first ``--alone-files`` files:
  what the pool saves per file.

Then the crossover: for growing batch sizes, the wall time of (s) against two
workers, start-up included; below the crossover one process is faster, which is what
``batch.SMALL_BATCH`` encodes. The result files of (1) and (2) are compared byte for
byte, and the order of the results with the order of the files.

Run: ``python bench/bulk.py`` (``--json`` for the figures as JSON).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples" / "submissions"
AS_OF = dt.date(2026, 11, 25)
GOAL = 1.8


def make_inbox(folder: Path, files: int) -> list[Path]:
    """``files`` submissions made from the bundled examples, each naming a supplier of its own."""
    seeds = [
        json.loads(p.read_text(encoding="utf-8"))
        for p in sorted(EXAMPLES.glob("*.json"))
        if "performance" not in p.name and "supplier" in json.loads(p.read_text(encoding="utf-8"))
    ]
    folder.mkdir(parents=True, exist_ok=True)
    for index in range(files):
        data = json.loads(json.dumps(seeds[index % len(seeds)]))
        data["supplier"]["name"] = f"{data['supplier']['name']} {index:05d}"
        data["supplier"]["id"] = f"BENCH-{index:05d}"
        (folder / f"s{index:05d}.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return sorted(folder.iterdir())


CPU: dict[str, float] = {}
"""Processor seconds of each run, this process and its children together (``RUSAGE_CHILDREN`` counts the
workers once they are joined): on a machine shared with other work the wall time of two workers cannot halve,
but the processor time they spend shows whether the work itself divides."""


def _cpu() -> float:
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def timed_run(sources: list[Path], out: Path, workers: int, *, pool: bool) -> tuple[float, list[str]]:
    from supplier_qual import batch

    out.mkdir(parents=True, exist_ok=True)
    jobs = batch.plan(sources, out, "json", AS_OF)
    start, cpu = time.perf_counter(), _cpu()
    results = batch.run(jobs, workers=workers, pool=pool)
    elapsed = time.perf_counter() - start
    CPU[out.name] = _cpu() - cpu
    refused = [p for r in results for p in r.problems]
    if refused:
        raise SystemExit(f"bench submissions refused: {refused[:3]}")
    if [r.source for r in results] != [str(j.source) for j in jobs]:
        raise SystemExit("results out of the files' order")
    return elapsed, [r.output for r in results]


def same_outputs(first: list[str], second: list[str]) -> bool:
    return [Path(p).read_bytes() for p in first] == [Path(p).read_bytes() for p in second]


def crossover(tmp: Path, sizes: list[int]) -> list[dict[str, float]]:
    rows = []
    for size in sizes:
        sources = make_inbox(tmp / f"cross-{size}", size)
        alone, _ = timed_run(sources, tmp / f"cross-{size}-alone", 1, pool=False)
        pooled, _ = timed_run(sources, tmp / f"cross-{size}-pool", 2, pool=True)
        rows.append({"files": size, "one_process_s": round(alone, 3), "two_workers_s": round(pooled, 3)})
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--files", type=int, default=1000, help="submissions in the batch (default 1,000)")
    parser.add_argument("--rounds", type=int, default=1, help="timed rounds of each; the median is kept")
    parser.add_argument("--alone-files", type=int, default=200, help="files for (s), one process (default 200)")
    parser.add_argument("--crossover", type=int, nargs="*", default=[16, 32, 48], help="batch sizes for the crossover")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)

    from supplier_qual import batch

    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        sources = make_inbox(tmp / "inbox", args.files)
        one: list[float] = []
        two: list[float] = []
        alone: list[float] = []
        outputs: dict[str, list[str]] = {}
        for round_ in range(args.rounds):
            for name, workers, into in (("one", 1, one), ("two", 2, two)):
                elapsed, outputs[name] = timed_run(sources, tmp / f"{name}-{round_}", workers, pool=True)
                into.append(elapsed)
            few = sources[: args.alone_files]
            elapsed, outputs["alone"] = timed_run(few, tmp / f"alone-{round_}", 1, pool=False)
            alone.append(elapsed)
        identical = same_outputs(outputs["one"], outputs["two"]) and same_outputs(
            outputs["one"][: len(outputs["alone"])], outputs["alone"]
        )
        crossing = crossover(tmp, args.crossover) if args.crossover else []
    t1, t2, ts = statistics.median(one), statistics.median(two), statistics.median(alone)
    alone_files = min(args.alone_files, args.files)
    speedup = t1 / t2
    faster = [row["files"] for row in crossing if row["two_workers_s"] < row["one_process_s"]]
    figures = [
        {
            "name": f"bulk: {args.files:,} files on 2 workers against 1 worker (one core)",
            "measured": round(args.files / t2, 1),
            "unit": "files/s",
            "reference": round(args.files / t1, 1),
            "reference_name": "the same batch on 1 worker",
            "ratio": round(speedup, 2),
            "goal": f"ratio >= {GOAL:g}",
            "met": bool(speedup >= GOAL),
        },
        {
            "name": f"bulk: {alone_files:,} files in one process, each read in a child of its own",
            "measured": round(alone_files / ts, 1),
            "unit": "files/s",
            "reference": round(args.files / t1, 1),
            "reference_name": f"{args.files:,} files on 1 worker",
            "ratio": round((alone_files / ts) / (args.files / t1), 2),
            "goal": None,
            "met": None,
        },
    ]
    result = {
        "figures": figures,
        "files": args.files,
        "seconds": {"one_worker": round(t1, 3), "two_workers": round(t2, 3), "one_process": round(ts, 3)},
        "cpu_seconds": {name: round(value, 3) for name, value in CPU.items() if not name.startswith("cross")},
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "identical_results": identical,
        "crossover": crossing,
        "two_workers_faster_from": min(faster) if faster else None,
        "small_batch": batch.SMALL_BATCH,
    }
    if args.json:
        print(json.dumps(result, indent=2))
        return 0 if identical else 1
    print(f"{args.files:,} submissions to JSON result files, {args.rounds} round(s), medians")
    print(f"  (1) one worker       {t1:7.2f} s  {args.files / t1:8.1f} files/s")
    print(f"  (2) two workers      {t2:7.2f} s  {args.files / t2:8.1f} files/s  {speedup:.2f}x (goal >= {GOAL:g})")
    rate = alone_files / ts
    print(f"  (s) one process      {ts:7.2f} s  {rate:8.1f} files/s  ({alone_files} files, each read in a child)")
    print(f"  result files identical across (1), (2), (s): {identical}")
    print(f"  processor seconds per run: {', '.join(f'{k} {v:.2f}' for k, v in CPU.items() if k[0] != 'c')}")
    if crossing:
        print("  crossover (wall time, start-up included): files, one process, two workers")
        for row in crossing:
            print(f"    {row['files']:5d}  {row['one_process_s']:7.2f} s  {row['two_workers_s']:7.2f} s")
        print(f"  two workers faster from {min(faster) if faster else 'never'}; SMALL_BATCH = {batch.SMALL_BATCH}")
    return 0 if identical else 1


if __name__ == "__main__":
    sys.exit(main())
