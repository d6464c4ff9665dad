"""200 uploads, some identical, from 32 concurrent clients against gunicorn with 2 workers on 127.0.0.1:
every accepted upload is stored exactly once, none is lost, and nothing answers 5xx."""

from __future__ import annotations

import json
import os
import random
import socket
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pluggy
import pytest
import requests

from supplier_qual.model import Questionnaire

from ..xlsx_corpus import fill
from .conftest import BRIGHTLINE, NORTHWIND, NORTHWIND_JSON, ROOT, build_register

UPLOADS = 200
DISTINCT = 120
WORKBOOKS = 12
CLIENTS = 32
DEADLINE_S = 240


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def start_gunicorn(db_url: str, tmp: Path) -> Iterator[str]:
    port = free_port()
    env = {**os.environ, "SUPPLIER_QUAL_DATABASE_URL": db_url, "SUPPLIER_QUAL_AS_OF": "2026-11-25"}
    log = (tmp / "gunicorn.log").open("wb")
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-w", "2", "-b", f"127.0.0.1:{port}", "--timeout", "60",
         "supplier_qual.web:create_app()"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                if requests.get(f"{url}/ready", timeout=2).status_code == 200:
                    break
            except (requests.ConnectionError, requests.Timeout):
                pass
            if process.poll() is not None:
                raise AssertionError((tmp / "gunicorn.log").read_text())
            time.sleep(0.1)
        else:
            raise AssertionError("gunicorn did not become ready in 30 s")
        yield url
    finally:
        process.terminate()
        try:
            process.wait(15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


def payloads(questionnaire: Questionnaire) -> list[tuple[str, str, bytes]]:
    """Distinct uploads: (supplier, filename, bytes), JSON variants and filled-in workbooks."""
    base = json.loads(NORTHWIND_JSON.read_bytes())
    base["supplier"].pop("id")
    found = []
    for n in range(DISTINCT - WORKBOOKS):
        base["answers"]["A1"]["comment"] = f"revision {n}"
        found.append((NORTHWIND if n % 2 else BRIGHTLINE, f"rev-{n}.json", json.dumps(base).encode()))
    for n in range(WORKBOOKS):
        workbook = fill(questionnaire, comments={questionnaire.questions[0].id: f"workbook {n}"})
        found.append((NORTHWIND, f"book-{n}.xlsx", workbook))
    return found


@pytest.mark.slow
@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_concurrent_uploads_are_each_stored_exactly_once(
    backend: str,
    request: pytest.FixtureRequest,
    tmp_path: Path,
    web_pm: pluggy.PluginManager,
    questionnaire: Questionnaire,
) -> None:
    if backend == "sqlite":
        db_url = f"sqlite:///{tmp_path / 'register.db'}"
    else:
        db_url = request.getfixturevalue("postgres").fresh()
    register = build_register(db_url, web_pm)
    token = register.tokens["buyer"]
    register.service.db.dispose()
    distinct = payloads(questionnaire)
    rng = random.Random(11)  # noqa: S311 (a fixed mix of uploads, not a secret)
    plan = distinct + [rng.choice(distinct) for _ in range(UPLOADS - len(distinct))]
    rng.shuffle(plan)
    started = time.monotonic()

    def upload(item: tuple[str, str, bytes]) -> tuple[tuple[str, str], int, int | None]:
        supplier, name, data = item
        with requests.Session() as session:
            response = session.post(
                f"{url}/api/v1/suppliers/{supplier}/submissions",
                files={"file": (name, data)},
                headers={"Authorization": f"Bearer {token}"},
                timeout=120,
            )
        body = response.json()
        return (supplier, name), response.status_code, body.get("id")

    servers = start_gunicorn(db_url, tmp_path)
    url = next(servers)
    try:
        with ThreadPoolExecutor(max_workers=CLIENTS) as pool:
            results = list(pool.map(upload, plan))
    finally:
        servers.close()
    assert time.monotonic() - started < DEADLINE_S
    statuses = Counter(status for _, status, _ in results)
    assert set(statuses) <= {200, 201}, statuses
    created = Counter(key for key, status, _ in results if status == 201)
    twice = [k for k, n in created.items() if n > 1]
    assert twice == [], [(k, s, i) for k, s, i in results if k in twice]
    assert statuses[201] == len(distinct)
    assert statuses[200] == UPLOADS - len(distinct)
    ids: dict[tuple[str, str], set[int | None]] = {}
    for key, _, assessment_id in results:
        ids.setdefault(key, set()).add(assessment_id)
    assert all(len(found) == 1 for found in ids.values()), "every copy answers with the one assessment"
    checked = build_register.__globals__["Register"](register.app, register.app.test_client(), register.tokens)
    assert checked.count("submissions") == len(distinct)
    assert checked.count("assessments") == len(distinct)
    assert checked.count("blobs") == len(distinct)
    assert checked.count("audit_log") == len(distinct)
    register.service.db.dispose()


@pytest.mark.slow
@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_workers_starting_together_on_an_empty_register_migrate_it_once(
    backend: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    if backend == "sqlite":
        db_url = f"sqlite:///{tmp_path / 'empty.db'}"
    else:
        db_url = request.getfixturevalue("postgres").empty()
    servers = start_gunicorn(db_url, tmp_path)
    url = next(servers)
    try:
        answers = [requests.get(f"{url}/ready", timeout=10).json() for _ in range(6)]
    finally:
        servers.close()
    from supplier_qual.web.store import migrate
    from supplier_qual.web.store.database import Database

    assert all(a["status"] == "ok" and a["revision"] == migrate.head() for a in answers)
    db = Database(db_url)
    try:
        assert migrate.current(db) == migrate.head()
    finally:
        db.dispose()
    assert "Traceback" not in (tmp_path / "gunicorn.log").read_text()
