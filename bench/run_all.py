"""Every benchmark in one run, its figures collected in ``bench/results.json``: ``make bench``.

Runs each script of ``bench/`` with ``--json`` in a process of its own, one after the
other (they would disturb each other's timings), with arguments that keep the whole
run under five minutes on the project's 2-core machine, and gathers their figures.
Every figure is a measurement next to its reference measured in the same run on the
same machine::

    {"name", "measured", "unit", "reference", "reference_name", "ratio", "goal", "met"}

(``goal`` and ``met`` are ``null`` for a figure that only informs). The file also
says when, where (host, processor, Python, load average before and after) and at
which commit it was measured, and keeps each script's own JSON under ``scripts``.
A script that fails is recorded with its error; the others still run.

``--baseline BIN`` also times the command-line start-up of another checkout's
virtual environment (its ``bin`` directory), for a before/after in the same run.

Run: ``python bench/run_all.py`` (``--quick`` for a shorter run, ``--only NAME`` …).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
RESULTS = BENCH / "results.json"

# name: (script, arguments, quick arguments, timeout in seconds)
SCRIPTS: dict[str, tuple[str, list[str], list[str], int]] = {
    "assess_throughput": (
        "assess_throughput.py",
        ["--n", "1000", "--rounds", "3"],
        ["--n", "300", "--rounds", "2"],
        150,
    ),
    "startup": ("startup.py", ["--runs", "15"], ["--runs", "5"], 120),
    "bulk": ("bulk.py", ["--files", "1000"], ["--files", "200", "--alone-files", "50", "--crossover", "16", "48"], 240),
    "xlsx_upload": ("xlsx_upload.py", ["--rounds", "30"], ["--rounds", "10", "--skip-rss"], 120),
    "xlsx_worst": ("xlsx_worst.py", [], [], 120),
    "pages": ("pages.py", ["--repeat", "40"], ["--suppliers", "300", "--repeat", "15"], 240),
    "pages_tender": ("pages_tender.py", ["--n", "30"], ["--suppliers", "300", "--n", "10"], 180),
    "service_uploads": (
        "service_uploads.py",
        ["--clients", "1", "8", "--per-client", "10", "--seconds", "15"],
        ["--clients", "8", "--per-client", "5", "--seconds", "10"],
        180,
    ),
}


def parse_json_output(stdout: str) -> Any:
    """The JSON document a script printed (after any lines of its own)."""
    start = stdout.find("{")
    if start < 0:
        raise ValueError("no JSON in the output")
    return json.JSONDecoder().raw_decode(stdout[start:])[0]


def run_script(script: str, arguments: list[str], timeout: int, python: str = sys.executable) -> dict[str, Any]:
    command = [python, str(BENCH / script), *arguments, "--json"]
    started = time.perf_counter()
    try:
        completed = subprocess.run(  # noqa: S603 - our own scripts
            command, capture_output=True, text=True, timeout=timeout, cwd=ROOT, check=False
        )
    except subprocess.TimeoutExpired:
        return {"ok": False, "seconds": timeout, "error": f"did not finish within {timeout} s", "command": command}
    seconds = round(time.perf_counter() - started, 1)
    try:
        output = parse_json_output(completed.stdout)
    except ValueError as exc:
        error = f"exit status {completed.returncode}: {exc}; stderr: {completed.stderr.strip()[-500:]}"
        return {"ok": False, "seconds": seconds, "error": error, "command": command}
    return {"ok": completed.returncode == 0, "seconds": seconds, "output": output, "command": command}


def figures_of(name: str, output: Any) -> list[dict[str, Any]]:
    """A script's figures: its own ``figures`` list, or those made here from the scripts that print none."""
    if isinstance(output, dict) and isinstance(output.get("figures"), list):
        return list(output["figures"])
    if name == "assess_throughput":
        return _throughput_figures(output)
    if name == "service_uploads":
        return _service_figures(output)
    return []


def _throughput_figures(output: dict[str, Any]) -> list[dict[str, Any]]:
    """(b) against (a) and every other timing against ``json.loads``: the keys present, whatever they are."""
    median = output.get("median_seconds", {})
    n = output.get("n") or 1
    loads = median.get("json_loads")
    if not loads:
        return []
    goal = output.get("goal", {})
    rows = []
    for key, seconds in median.items():
        if key == "json_loads" or not seconds:
            continue
        ratio = seconds / loads
        row: dict[str, Any] = {
            "name": f"P2: {key.replace('_', ' ')} ({n:,} submissions, one core)",
            "measured": round(n / seconds, 1),
            "unit": "per second",
            "reference": round(n / loads, 1),
            "reference_name": "json.loads of the same bytes",
            "ratio": round(ratio, 2),
            "goal": None,
            "met": None,
        }
        if key == "assess_from_bytes" and goal:
            per_second, most = goal.get("per_second"), goal.get("ratio_to_json_loads")
            row["goal"] = f">= {per_second:,}/s and ratio <= {most}"
            row["met"] = bool(n / seconds >= per_second and ratio <= most)
        rows.append(row)
    return rows


def _service_figures(output: dict[str, Any]) -> list[dict[str, Any]]:
    rounds = output.get("rounds", [])
    bare = {r["clients"]: r for r in rounds if r.get("server") == "bare"}
    rows = []
    for r in rounds:
        if r.get("server") != "service" or r["clients"] not in bare:
            continue
        reference = bare[r["clients"]]["per_second"]
        rows.append(
            {
                "name": f"service: xlsx uploads stored, {r['clients']} clients (p50 {r['p50_ms']} ms)",
                "measured": r["per_second"],
                "unit": "per second",
                "reference": reference,
                "reference_name": "a bare Flask app reading the same upload",
                "ratio": round(reference / r["per_second"], 2) if r["per_second"] else None,
                "goal": None,
                "met": None,
            }
        )
    return rows


def machine() -> dict[str, Any]:
    model = ""
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as info:
            model = next((line.split(":", 1)[1].strip() for line in info if line.startswith("model name")), "")
    except OSError:
        pass
    return {
        "host": socket.gethostname(),
        "platform": platform.platform(),
        "processor": model or platform.processor(),
        "cpus": os.cpu_count(),
        "python": f"{platform.python_implementation()} {platform.python_version()}",
    }


def load_average() -> list[float] | None:
    try:
        return [round(x, 2) for x in os.getloadavg()]
    except OSError:
        return None


def commit() -> str:
    """The commit measured, marked when the working tree differs from it."""
    import shutil

    git = shutil.which("git")
    if git is None:
        return ""
    head = subprocess.run([git, "rev-parse", "HEAD"], capture_output=True, text=True, cwd=ROOT, check=False)  # noqa: S603
    dirty = subprocess.run([git, "status", "--porcelain"], capture_output=True, text=True, cwd=ROOT, check=False)  # noqa: S603
    return head.stdout.strip() + (" (with uncommitted changes)" if dirty.stdout.strip() else "")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true", help="fewer rounds and files: a check that all run")
    parser.add_argument("--only", nargs="+", choices=sorted(SCRIPTS), help="run these scripts only")
    parser.add_argument("--baseline", type=Path, help="bin directory of another checkout's venv: its start-up too")
    parser.add_argument("--output", type=Path, default=RESULTS, help=f"where to write (default {RESULTS})")
    args = parser.parse_args(argv)

    started = time.perf_counter()
    report: dict[str, Any] = {
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "commit": commit(),
        "load_average_before": load_average(),
        "quick": args.quick,
        "figures": [],
        "scripts": {},
    }
    for name, (script, arguments, quick, timeout) in SCRIPTS.items():
        if args.only and name not in args.only:
            continue
        print(f"bench: {name} …", file=sys.stderr, flush=True)
        outcome = run_script(script, quick if args.quick else arguments, timeout)
        report["scripts"][name] = outcome
        if "output" in outcome:
            report["figures"].extend({"script": name, **f} for f in figures_of(name, outcome["output"]))
        else:
            print(f"bench: {name} failed: {outcome['error']}", file=sys.stderr)
    if args.baseline is not None and (not args.only or "startup" in args.only):
        script, arguments, quick, timeout = SCRIPTS["startup"]
        extra = ["--runs", "3" if args.quick else "7", "--python", str(args.baseline), "--label", " [before]"]
        outcome = run_script(script, extra, 2 * timeout)
        report["scripts"]["startup_baseline"] = outcome
        if "output" in outcome:
            report["figures"].extend(
                {"script": "startup_baseline", **f} for f in figures_of("startup", outcome["output"])
            )
    report["load_average_after"] = load_average()
    report["total_seconds"] = round(time.perf_counter() - started, 1)
    args.output.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    width = max((len(f["name"]) for f in report["figures"]), default=10)
    for f in report["figures"]:
        verdict = "" if f.get("met") is None else ("  met" if f["met"] else "  NOT met")
        ratio = "" if f.get("ratio") is None else f"×{f['ratio']}"
        print(f"{f['name']:<{width}}  {f['measured']!s:>10} {f.get('unit', ''):<10} {ratio}{verdict}")
    print(f"{len(report['figures'])} figures in {report['total_seconds']} s -> {args.output}")
    return 0 if all(s.get("ok") for s in report["scripts"].values()) else 1


if __name__ == "__main__":
    sys.exit(main())
