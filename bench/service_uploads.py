"""Service throughput: Excel uploads per second and latency under gunicorn (2 workers), at 1, 8 and 32 clients.

Two servers run in turn on 127.0.0.1, each under gunicorn with the same settings:

(a) bare: a Flask application that reads the multipart upload and answers 201 with
    a small JSON body: the floor of HTTP, gunicorn and multipart parsing;
(b) the service: ``POST /api/v1/suppliers/{id}/submissions``: size cap, token
    check, workbook guard and reader, assessment, JSON and text rendering, and a
    write transaction (blob, submission, assessment, scores, certificates, audit
    entry) in a SQLite register (WAL), or PostgreSQL with ``--db``.

And, in this process, (c) the core's part of (b) alone: ``read_submission`` of the
workbook, ``assess`` and the JSON rendering, one after another on one core: the
floor of what the service does per upload before any HTTP or database work.

Every upload in (b) is a different workbook (the standard template filled in, one
comment changed), so each is assessed and stored rather than answered from the
register; a last round repeats uploads already stored (the idempotent 200 path).
The load comes from this process, a separate one from the servers: ``--clients``
threads, each with its own connection, sending ``--per-client`` uploads or until
``--seconds`` have passed. Throughput is uploads answered per second of wall
time; latencies are per request, p50 and p99. The ratio (b)/(a) is printed.

Run: ``python bench/service_uploads.py`` (``--help`` for options). A benchmark,
not a test: the figures depend on the machine and whatever else it runs.
"""

from __future__ import annotations

import argparse
import importlib
import io
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import requests

ROOT = Path(__file__).resolve().parent.parent
SUPPLIER = "GB-COH-04567123"
MARKER = "BENCH-0000000"
BARE_APP = """
from flask import Flask, request

def create_app():
    app = Flask("bare")

    @app.post("/api/v1/suppliers/<supplier_id>/submissions")
    def upload(supplier_id):
        data = request.files["file"].read()
        return {"supplier_id": supplier_id, "size": len(data)}, 201

    @app.get("/ready")
    def ready():
        return {"status": "ok"}

    return app
"""


def workbook() -> bytes:
    """The standard template, every question answered at its best, one comment carrying :data:`MARKER`."""
    import openpyxl

    from supplier_qual import load_questionnaire

    # The adapters are installed under supplier_qual but live in adapters/ in the source tree.
    layout: Any = importlib.import_module("supplier_qual.adapters.xlsx.layout")
    template: Any = importlib.import_module("supplier_qual.adapters.xlsx.template")
    questionnaire = load_questionnaire()
    book: Any = openpyxl.load_workbook(io.BytesIO(template.build_template(questionnaire)))
    sheet = book[layout.QUESTIONNAIRE]
    headers = {cell.value: cell.column for cell in sheet[3]}
    questions = {q.id: q for q in questionnaire.questions}
    first = True
    for row in sheet.iter_rows(min_row=4):
        question = questions.get(str(row[0].value))
        if question is None:
            continue
        if question.options:
            answer: object = max(question.options, key=lambda o: o.points).label
        elif question.bands:
            best = max(question.bands, key=lambda b: b.points)
            answer = best.min if best.min is not None else (best.max or 1) - 1
        else:
            answer = "Described in our quality manual"
        sheet.cell(row=row[0].row, column=headers["Answer"]).value = answer
        sheet.cell(row=row[0].row, column=headers["Evidence"]).value = f"QM-{question.id} rev 2"
        if first:
            sheet.cell(row=row[0].row, column=headers["Comment"]).value = MARKER
            first = False
    supplier = book[layout.SUPPLIER]
    for row in supplier.iter_rows(min_row=4):
        label = str(row[0].value or "").rstrip(" *")
        if label == "Supplier name":
            row[1].value = "Northwind Components Ltd"
        elif label == "Country":
            row[1].value = "GB"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def variant(data: bytes, number: int) -> bytes:
    """The workbook with its marker comment replaced by a numbered one of the same length."""
    marker = f"BENCH-{number:07d}".encode()
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if MARKER.encode() in content:
                content = content.replace(MARKER.encode(), marker)
            target.writestr(info, content)
    return out.getvalue()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


class Gunicorn:
    """gunicorn serving ``target`` with 2 sync workers on a free port of 127.0.0.1."""

    def __init__(self, target: str, env: dict[str, str], cwd: Path, workers: int) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        command = [sys.executable, "-m", "gunicorn", "-w", str(workers), "-b", f"127.0.0.1:{self.port}", target]
        self.process = subprocess.Popen(  # noqa: S603 (our own interpreter and arguments)
            command, cwd=cwd, env={**os.environ, **env}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if requests.get(f"{self.url}/ready", timeout=2).status_code == 200:
                    return
            except requests.RequestException:
                time.sleep(0.1)
        self.stop()
        raise SystemExit(f"gunicorn serving {target} did not become ready")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(15)
        except subprocess.TimeoutExpired:
            self.process.kill()


@dataclass
class Round:
    clients: int
    answered: int
    seconds: float
    latencies: list[float]
    statuses: dict[int, int]

    @property
    def per_second(self) -> float:
        return self.answered / self.seconds if self.seconds else 0.0

    def percentile(self, share: float) -> float:
        ordered = sorted(self.latencies)
        if not ordered:
            return 0.0
        return ordered[min(len(ordered) - 1, int(share * len(ordered)))] * 1000


def load(
    url: str, headers: dict[str, str], uploads: Callable[[int], bytes], clients: int, each: int, seconds: float
) -> Round:
    """``clients`` threads each sending up to ``each`` uploads, stopping after ``seconds``."""
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds
    counter = iter(range(10**9))

    def client() -> None:
        with requests.Session() as session:
            for _ in range(each):
                if time.monotonic() > stop_at:
                    return
                with lock:
                    number = next(counter)
                data = uploads(number)
                started = time.perf_counter()
                response = session.post(
                    f"{url}/api/v1/suppliers/{SUPPLIER}/submissions",
                    files={"file": (f"upload-{number}.xlsx", data)},
                    headers=headers,
                    timeout=120,
                )
                took = time.perf_counter() - started
                with lock:
                    latencies.append(took)
                    statuses[response.status_code] = statuses.get(response.status_code, 0) + 1

    threads = [threading.Thread(target=client) for _ in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return Round(clients, len(latencies), time.perf_counter() - started, latencies, statuses)


def core_alone(template: bytes, count: int) -> float:
    """Milliseconds per upload for (c): read, assess and render ``count`` distinct workbooks in this process."""
    import supplier_qual

    pm = supplier_qual.get_plugin_manager(load_entrypoints=False)
    books = [variant(template, 5_000_000 + n) for n in range(count + 1)]
    supplier_qual.render(
        supplier_qual.assess(supplier_qual.read_submission(books[0], filename="w.xlsx", pm=pm), pm=pm), "json", pm=pm
    )
    started = time.perf_counter()
    for data in books[1:]:
        result = supplier_qual.assess(supplier_qual.read_submission(data, filename="w.xlsx", pm=pm), pm=pm)
        supplier_qual.render(result, "json", pm=pm)
    return (time.perf_counter() - started) / count * 1000


def prepare_register(db_url: str) -> str:
    """A register with the supplier and a buyer token; the token."""
    from supplier_qual.web import create_app
    from supplier_qual.web.store import accounts
    from supplier_qual.web.store.models import Supplier, utcnow

    app = create_app({"DATABASE_URL": db_url})
    service = app.extensions["supplier_qual"]
    with service.db.write() as session:
        if session.get(Supplier, SUPPLIER) is None:
            now = utcnow()
            session.add(Supplier(id=SUPPLIER, name="Northwind Components Ltd", created_at=now, updated_at=now))
        account = accounts.create_account(session, name="benchmark", role="buyer")
        token, _ = accounts.issue_token(session, account)
    service.db.dispose()
    return token


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, nargs="+", default=[1, 8, 32], help="concurrent clients per round")
    parser.add_argument("--per-client", type=int, default=0, help="uploads per client (default: 40, 20, 12 …)")
    parser.add_argument("--seconds", type=float, default=30.0, help="longest a round may run")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--db", help="register URL (default: a fresh SQLite file)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()

    template = workbook()
    per_client = {1: 40, 8: 20, 32: 12}
    with tempfile.TemporaryDirectory() as tmp:
        db_url = args.db or f"sqlite:///{Path(tmp) / 'register.db'}"
        token = prepare_register(db_url)
        headers = {"Authorization": f"Bearer {token}"}
        results: dict[str, list[Round]] = {"bare": [], "service": [], "repeat": []}
        (Path(tmp) / "bare_app.py").write_text(BARE_APP, encoding="utf-8")
        bare = Gunicorn("bare_app:create_app()", {}, Path(tmp), args.workers)
        try:
            load(bare.url, headers, lambda _n: template, 2 * args.workers, 3, args.seconds)
            for clients in args.clients:
                each = args.per_client or per_client.get(clients, 12)
                results["bare"].append(load(bare.url, headers, lambda _n: template, clients, each, args.seconds))
        finally:
            bare.stop()
        service = Gunicorn(
            "supplier_qual.web:create_app()",
            {"SUPPLIER_QUAL_DATABASE_URL": db_url, "SUPPLIER_QUAL_AUTO_MIGRATE": "0"},
            ROOT,
            args.workers,
        )
        offset = [0]

        def fresh(number: int) -> bytes:
            return variant(template, offset[0] + number)

        try:
            # Each worker loads the questionnaires and reference data on its first upload: not timed.
            load(service.url, headers, lambda n: variant(template, 9_000_000 + n), 2 * args.workers, 3, args.seconds)
            for clients in args.clients:
                each = args.per_client or per_client.get(clients, 12)
                results["service"].append(load(service.url, headers, fresh, clients, each, args.seconds))
                offset[0] += 1_000_000
            stored = variant(template, 0)
            results["repeat"].append(load(service.url, headers, lambda _n: stored, max(args.clients), 12, args.seconds))
        finally:
            service.stop()

    report(results, args.workers, args.json, core_alone(template, 40))


def report(results: dict[str, list[Round]], workers: int, as_json: bool, core_ms: float) -> None:
    rows = []
    for kind, rounds in results.items():
        for r in rounds:
            rows.append(
                {
                    "server": kind,
                    "clients": r.clients,
                    "uploads": r.answered,
                    "per_second": round(r.per_second, 1),
                    "p50_ms": round(r.percentile(0.50), 1),
                    "p99_ms": round(r.percentile(0.99), 1),
                    "statuses": r.statuses,
                }
            )
    if as_json:
        print(json.dumps({"rounds": rows, "core_alone_ms": round(core_ms, 2)}, indent=2))
        return
    print(f"xlsx uploads under gunicorn ({workers} workers) on 127.0.0.1, {os.cpu_count()} cores shared with the load")
    print(f"{'server':<10}{'clients':>8}{'uploads':>9}{'per s':>9}{'p50 ms':>9}{'p99 ms':>9}  answers")
    for row in rows:
        answers = ", ".join(f"{k}: {v}" for k, v in sorted(row["statuses"].items()))  # type: ignore[attr-defined]
        print(
            f"{row['server']:<10}{row['clients']:>8}{row['uploads']:>9}{row['per_second']:>9}"
            f"{row['p50_ms']:>9}{row['p99_ms']:>9}  {answers}"
        )
    for bare, service in zip(results["bare"], results["service"], strict=False):
        ratio = bare.per_second / service.per_second if service.per_second else float("inf")
        print(f"{service.clients:>3} clients: the service takes {ratio:.1f}× the bare server's time per upload")
    print(
        f"(c) the core alone (read, assess, render JSON) in one process: {core_ms:.1f} ms per upload, "
        f"at most {1000 / core_ms * (os.cpu_count() or 1):.0f}/s on {os.cpu_count()} cores with nothing else running"
    )
    top = results["service"][-1] if results["service"] else None
    if top is not None:
        met = top.per_second >= 300 and top.percentile(0.99) <= 100
        print(
            f"goal at {top.clients} clients: ≥ 300 uploads/s and p99 ≤ 100 ms: "
            f"{'met' if met else 'not met'} ({top.per_second:.0f}/s, p99 {top.percentile(0.99):.0f} ms)"
        )


if __name__ == "__main__":
    main()
