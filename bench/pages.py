"""Page render time: the buyer's (and any other) pages over a register of 1,000 assessed suppliers.

A register of ``--suppliers`` suppliers, each with one stored assessment (copies of a
real assessment with their own scores, decisions, certificate dates and corrective
actions, stored through the store's functions, as an upload stores them), is made in
a temporary SQLite file (or ``--db``). Then, in this process, Flask's test client asks
for each page ``--repeat`` times after ``--warmup`` untimed requests, signed in as a
buyer (a tender officer or a supplier user for their own pages), and the server time
of each request (``time.perf_counter`` around the request; no network) is taken.

Pages: the dashboard (first page, sorted by the weakest outcome, filtered), a
supplier's page, the expiry watch, the export of the whole register, and every
argument-less GET page of ``pages.tender.*`` and ``pages.supplier.*`` that the
application has when it runs.

Reference, measured in the same run: a bare Flask application rendering a Jinja
template (a table of escaped rows) of the same size in bytes as the page. The ratio
page/reference says what the register's queries and the page's work add. The goal
is a median of at most 50 ms per page and pages under 100 kB (HTML and stylesheet).
The number of SQL statements each page runs is printed too (a page whose count grows
with the register would be an N+1).

Run: ``python bench/pages.py`` (``--json`` for the bench harness: ``{"figures": [...]}`` of
``{name, measured, unit, reference, ratio, goal, met}``). A benchmark, not a test:
the figures depend on the machine and whatever else it runs.
"""

from __future__ import annotations

import argparse
import json
import logging
import re
import secrets
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flask import Flask, render_template_string
from flask.testing import FlaskClient
from sqlalchemy import event

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import supplier_qual  # noqa: E402
from supplier_qual.web import create_app  # noqa: E402
from supplier_qual.web.service import Service  # noqa: E402
from supplier_qual.web.store import users  # noqa: E402
from tests.web.buyer_support import seed  # noqa: E402

GOAL_MS = 50.0
GOAL_KB = 100.0
PASSWORD = secrets.token_urlsafe(16)  # the bench users' password, made afresh each run
CSRF = re.compile(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"')
BARE = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{{ title }}</title></head><body>
<main><h1>{{ title }}</h1><table><thead><tr><th>Supplier</th><th>Decision</th><th>Score</th><th>Note</th></tr></thead>
<tbody>{% for row in rows %}<tr><th><a href="/s/{{ row.id }}">{{ row.name }}</a></th><td>{{ row.decision }}</td>
<td>{{ row.score }}</td><td>{{ row.note }}</td></tr>{% endfor %}</tbody></table></main></body></html>"""


@dataclass
class Figure:
    name: str
    median: float
    p95: float
    size: int
    statements: int
    reference: float


def verdict(figure: Figure) -> str:
    return "met" if figure.median <= GOAL_MS and figure.size < GOAL_KB * 1000 else "MISSED"


def bare_app() -> Flask:
    app = Flask("bare")

    @app.get("/rows/<int:count>")
    def rows(count: int) -> str:
        items = [
            {
                "id": f"XX-{n:05d}",
                "name": f"Supplier {n:05d} Ltd & Co",
                "decision": "Conditional",
                "score": 71.5,
                "note": "<certificate expires soon>",
            }
            for n in range(count)
        ]
        return render_template_string(BARE, title="Suppliers", rows=items)

    return app


def timed(client: FlaskClient, path: str, repeat: int, warmup: int) -> tuple[list[float], bytes]:
    body = b""
    for _ in range(warmup):
        response = client.get(path)
        if response.status_code != 200:
            raise SystemExit(f"{path} answered {response.status_code}")
        body = response.data
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        response = client.get(path)
        times.append((time.perf_counter() - start) * 1000)
        body = response.data
    return times, body


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def reference_for(size: int, client: FlaskClient, repeat: int, warmup: int, cache: dict[int, float]) -> float:
    """The bare page's median time at about ``size`` bytes (rows found by their size: ~250 bytes each)."""
    per_row = len(client.get("/rows/100").data) / 100
    count = max(1, round(size / per_row))
    if count not in cache:
        times, _ = timed(client, f"/rows/{count}", repeat, warmup)
        cache[count] = statistics.median(times)
    return cache[count]


def sign_in(app: Flask, email: str) -> FlaskClient:
    client = app.test_client()
    page = client.get("/sign-in").text
    found = CSRF.search(page)
    if found is None:
        raise SystemExit("the sign-in page has no CSRF token")
    response = client.post("/sign-in", data={"email": email, "password": PASSWORD, "csrf_token": found.group(1)})
    if response.status_code != 302:
        raise SystemExit(f"could not sign in as {email}")
    return client


def counting(service: Service) -> Callable[[], int]:
    counter = {"n": 0}

    def count(*_: Any) -> None:
        counter["n"] += 1

    event.listen(service.db.read_engine, "before_cursor_execute", count)
    event.listen(service.db.engine, "before_cursor_execute", count)

    def read() -> int:
        value = counter["n"]
        counter["n"] = 0
        return value

    return read


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--suppliers", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=60, help="timed requests per page (default 60)")
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--db", help="a database URL (default: a temporary SQLite file)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON for the bench harness")
    args = parser.parse_args(argv)
    logging.getLogger("supplier_qual.web").addHandler(logging.NullHandler())
    logging.getLogger("supplier_qual.web").propagate = False

    with tempfile.TemporaryDirectory() as folder:
        url = args.db or f"sqlite:///{Path(folder) / 'register.db'}"
        pm = supplier_qual.get_plugin_manager(load_entrypoints=False)
        app = create_app(
            {"DATABASE_URL": url, "AS_OF": "2026-11-25", "SECRET_KEY": "bench", "INSTANCE_PATH": folder}, pm=pm
        )
        service: Service = app.extensions["supplier_qual"]
        started = time.perf_counter()
        made = seed(service, args.suppliers)
        seeded = time.perf_counter() - started
        with service.db.write() as session:
            for email, role, supplier in (
                ("buyer@bench.example", "buyer", None),
                ("tenders@bench.example", "tender_officer", None),
                ("supplier@bench.example", "supplier", made[0].supplier_id),
            ):
                users.create_user(session, email=email, role=role, name=role, supplier_id=supplier, password=PASSWORD)
        clients = {role: sign_in(app, f"{role}@bench.example") for role in ("buyer", "tenders", "supplier")}
        middle = made[len(made) // 2].supplier_id
        pages: list[tuple[str, str, str]] = [
            ("dashboard", "buyer", "/buyer/"),
            ("dashboard, by weakest outcome", "buyer", "/buyer/?sort=weakest&order=asc"),
            ("dashboard, filtered", "buyer", "/buyer/?decision=conditional&outcome=G&below=70&expiring=365"),
            ("dashboard, page 20", "buyer", "/buyer/?sort=score&order=desc&page=20"),
            ("supplier page", "buyer", f"/buyer/suppliers/{middle}"),
            ("expiry watch", "buyer", "/buyer/expiry?days=90"),
        ]
        with app.test_request_context():
            for rule in app.url_map.iter_rules():
                area = rule.endpoint.split(".")[1] if rule.endpoint.count(".") >= 2 else ""
                download = rule.rule.endswith((".xlsx", ".csv", ".json"))  # a file to save, not a page to read
                readable = not rule.arguments and "GET" in (rule.methods or ()) and not download
                if area in ("tender", "supplier") and readable:
                    pages.append((rule.endpoint, "tenders" if area == "tender" else "supplier", rule.rule))
        statements = counting(service)
        css = len(clients["buyer"].get("/static/pages.css").data)
        bare = bare_app().test_client()
        cache: dict[int, float] = {}
        figures = []
        for name, who, path in pages:
            times, body = timed(clients[who], path, args.repeat, args.warmup)
            statements()
            clients[who].get(path)
            ran = statements()
            figures.append(
                Figure(
                    name,
                    statistics.median(times),
                    p95(times),
                    len(body) + css,
                    ran,
                    reference_for(len(body), bare, args.repeat, args.warmup, cache),
                )
            )
        export_times, export = timed(clients["buyer"], "/buyer/suppliers.xlsx", max(3, args.repeat // 10), 1)

    results: list[dict[str, Any]] = []
    for f in figures:
        results.append(
            {
                "name": f"page {f.name}",
                "measured": round(f.median, 2),
                "unit": "ms",
                "reference": round(f.reference, 2),
                "ratio": round(f.median / f.reference, 2),
                "goal": GOAL_MS,
                "met": f.median <= GOAL_MS,
                "p95": round(f.p95, 2),
                "statements": f.statements,
            }
        )
    for f in figures:
        kb = f.size / 1000
        results.append(
            {
                "name": f"page size {f.name}",
                "measured": round(kb, 1),
                "unit": "kB",
                "reference": None,
                "ratio": None,
                "goal": GOAL_KB,
                "met": kb < GOAL_KB,
            }
        )
    if args.json:
        print(json.dumps({"figures": results}, indent=2))
        return 0
    print(
        f"Pages over a register of {args.suppliers:,} assessed suppliers (seeded in {seeded:.1f} s); "
        f"{args.repeat} timed requests each, server time in this process (Flask test client)"
    )
    print(f"{'page':44} {'median':>8} {'p95':>8} {'bare':>8} {'ratio':>6} {'SQL':>4} {'size':>9}  goal")
    for f in figures:
        print(
            f"{f.name:44} {f.median:7.1f}ms {f.p95:7.1f}ms {f.reference:7.1f}ms {f.median / f.reference:6.1f} "
            f"{f.statements:4d} {f.size / 1000:7.1f}kB  {verdict(f)}"
        )
    print(
        f"{'export of the register (xlsx, not a page)':44} {statistics.median(export_times):7.1f}ms "
        f"{'':>8} {'':>8} {'':>6} {'':>4} {len(export) / 1000:7.1f}kB"
    )
    print(
        "bare: a Flask+Jinja page of the same size (a table of escaped rows), measured in this run; "
        "size: the HTML and the stylesheet"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
