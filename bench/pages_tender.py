"""Server time of the tender officer's pages with 1,000 suppliers in the register.

In this process, through Flask's test client (no network, so the figure is the
server's own time: routing, the session and user lookup, the queries, Jinja):

(a) bare: a Flask application answering one small template through the same test
    client, the floor of Flask, werkzeug and Jinja for one page;
(b) the pages, signed in as a tender officer, over a SQLite register holding
    ``--suppliers`` suppliers (every one with a stored assessment, so each row of
    the bidders' list has its decision and score) and a tender checked for two
    bidders: the tenders' list, the tender's page (requirements, reports, the
    bidders' list), the report and its printable page, and the workbook export.

Each page is requested ``--n`` times after one untimed warm-up; the median and p95
per request in milliseconds are printed, with the ratio to (a) and the page's size.

Run: ``python bench/pages_tender.py`` (``--help`` for options). A benchmark, not a
test: the figures depend on the machine and whatever else it runs.
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
from pathlib import Path
from typing import Any

from flask import Flask, render_template_string

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = secrets.token_urlsafe(16)


GOAL_MS = 50.0  # server time of a page, as for every page (issue: pages render in ≤ 50 ms)


def timed(call: Callable[[], Any], n: int) -> tuple[float, float, int]:
    """Median and p95 in milliseconds of ``n`` calls (after one untimed), and the size of the last answer."""
    size = len(call().data)
    times = []
    for _ in range(n):
        start = time.perf_counter()
        response = call()
        times.append((time.perf_counter() - start) * 1000)
        if response.status_code != 200:
            raise SystemExit(f"the page answered {response.status_code}")
    times.sort()
    return statistics.median(times), times[min(len(times) - 1, int(len(times) * 0.95))], size


def bare() -> Flask:
    app = Flask("bare")

    @app.get("/")
    def page() -> str:
        return render_template_string("<!doctype html><title>{{ t }}</title><h1>{{ t }}</h1>", t="Tenders")

    return app


def register(folder: Path, suppliers: int) -> tuple[Flask, str, int]:
    """A register with ``suppliers`` assessed suppliers, users, the example tender and one eligibility run."""
    import supplier_qual
    from supplier_qual.web import create_app, qualification, tendering
    from supplier_qual.web.auth import Principal
    from supplier_qual.web.store import assessments, users
    from supplier_qual.web.store.models import Assessment, Supplier, utcnow

    pm = supplier_qual.get_plugin_manager(load_entrypoints=False)
    app = create_app(
        {"DATABASE_URL": f"sqlite:///{folder / 'bench.db'}", "AS_OF": "2026-11-25", "SECRET_KEY": "bench"}, pm=pm
    )
    service = app.extensions["supplier_qual"]
    setup = Principal(name="bench", role="admin")
    examples = ROOT / "examples"
    with service.db.write() as session:
        now = utcnow()
        for sid, name in (("GB-COH-04567123", "Northwind Components Ltd"), ("CZ-ICO-27182818", "Brightline")):
            session.add(Supplier(id=sid, name=name, country="GB", created_at=now, updated_at=now))
        users.create_user(session, email="tenders@bench.example", role="tender_officer", name="T", password=PASSWORD)
    for sid, path in (
        ("GB-COH-04567123", examples / "submissions" / "northwind-components.json"),
        ("CZ-ICO-27182818", examples / "submissions" / "brightline-fabrication.json"),
    ):
        qualification.submit(service, setup, sid, path.read_bytes(), path.name, "application/json")
    with service.db.write() as session:
        template = session.get(Assessment, 1)
        if template is None:
            raise SystemExit("the first assessment was not stored")
        now = utcnow()
        for n in range(suppliers - 2):
            sid = f"XX-BENCH-{n:05d}"
            session.add(Supplier(id=sid, name=f"Bench supplier {n}", country="DE", created_at=now, updated_at=now))
            session.flush()
            copy = Assessment(
                **{
                    c.name: getattr(template, c.name)
                    for c in Assessment.__table__.columns
                    if c.name not in ("id", "supplier_id")
                },
                supplier_id=sid,
            )
            assessments.add(session, copy, {"A": 80.0, "G": 60.0}, [])
    tender = examples / "tenders" / "valve-components.yaml"
    row, _ = tendering.register_tender(service, setup, tender.read_bytes(), tender.name)
    run = tendering.check_eligibility(
        service, Principal("bench", "tender_officer"), row.id, ["GB-COH-04567123", "CZ-ICO-27182818"], None
    )
    return app, row.id, run.id


def signed_in(app: Flask) -> Any:
    client = app.test_client()
    page = client.get("/sign-in").text
    token = re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', page)
    if token is None:
        raise SystemExit("the sign-in page has no CSRF token")
    answer = client.post(
        "/sign-in", data={"email": "tenders@bench.example", "password": PASSWORD, "csrf_token": token.group(1)}
    )
    if answer.status_code != 302:
        raise SystemExit(f"signing in answered {answer.status_code}")
    return client


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--suppliers", type=int, default=1000, help="suppliers in the register (default 1000)")
    parser.add_argument("--n", type=int, default=50, help="requests per page (default 50)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON for the bench harness")
    args = parser.parse_args(argv)
    out = sys.stderr if args.json else sys.stdout
    figures: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory() as folder:
        app, tender_id, run_id = register(Path(folder), args.suppliers)
        logging.getLogger("supplier_qual.web.requests").disabled = True  # a line per request would swamp the table
        client = signed_in(app)
        floor = bare().test_client()
        base, base_p95, base_size = timed(lambda: floor.get("/"), args.n)
        heading = f"Tender officer's pages, {args.suppliers:,} suppliers, {args.n} requests each (ms per request)"
        print(heading, file=out)
        print(f"{'page':<34}{'median':>8}{'p95':>8}{'ratio':>8}{'bytes':>9}", file=out)
        print(f"{'(a) bare Flask + Jinja page':<34}{base:>8.2f}{base_p95:>8.2f}{1:>8.1f}{base_size:>9,}", file=out)
        report = f"/tenders/{tender_id}/eligibility/{run_id}"
        for label, path in (
            ("(b) tenders' list", "/tenders/"),
            ("(b) tender with bidders' list", f"/tenders/{tender_id}"),
            ("(b) eligibility report", report),
            ("(b) printable report", f"{report}/print"),
            ("(b) workbook export", f"{report}/report.xlsx"),
        ):
            median, p95, size = timed(lambda path=path: client.get(path), args.n)  # type: ignore[misc]
            print(f"{label:<34}{median:>8.2f}{p95:>8.2f}{median / base:>8.1f}{size:>9,}", file=out)
            page = label.removeprefix("(b) ")
            download = path.endswith(".xlsx")
            figures.append(
                {
                    "name": f"tender desk: {page} ({args.suppliers:,} suppliers)",
                    "measured": round(median, 2),
                    "unit": "ms",
                    "reference": round(base, 2),
                    "reference_name": "a bare Flask + Jinja page",
                    "ratio": round(median / base, 2),
                    "goal": None if download else GOAL_MS,
                    "met": None if download else median <= GOAL_MS,
                    "p95": round(p95, 2),
                    "bytes": size,
                }
            )
        app.extensions["supplier_qual"].db.dispose()
    if args.json:
        print(json.dumps({"figures": figures}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
