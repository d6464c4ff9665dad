"""Fixtures for the qualification service: a register on SQLite or PostgreSQL, tokens for every role, clients.

PostgreSQL tests use the server at 127.0.0.1:5432 (``SUPPLIER_QUAL_TEST_POSTGRES``
overrides the address): each test session makes its own uniquely named databases
and drops them afterwards, so parallel runs never collide. Where no server answers,
those tests are skipped and say why.
"""

from __future__ import annotations

import io
import json
import os
import secrets
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pluggy
import pytest
from flask import Flask
from flask.testing import FlaskClient

import supplier_qual
from supplier_qual.web import create_app
from supplier_qual.web.service import Service
from supplier_qual.web.store import accounts, migrate
from supplier_qual.web.store.database import Database
from supplier_qual.web.store.models import Supplier, utcnow

from ..conftest import AS_OF, EXAMPLES

ROOT = Path(__file__).resolve().parents[2]
NORTHWIND = "GB-COH-04567123"
BRIGHTLINE = "CZ-ICO-27182818"
NORTHWIND_JSON = EXAMPLES / "northwind-components.json"
BRIGHTLINE_JSON = EXAMPLES / "brightline-fabrication.json"
PERFORMANCE_JSON = EXAMPLES / "northwind-performance.json"
TENDER_YAML = ROOT / "examples" / "tenders" / "valve-components.yaml"
POSTGRES = os.environ.get("SUPPLIER_QUAL_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432")


class Postgres:
    """Databases on the test server, made from one migrated template so each test starts clean in milliseconds."""

    def __init__(self, base: str) -> None:
        import psycopg

        self.base = base
        self.tag = f"sq_test_{secrets.token_hex(4)}"
        self.made: list[str] = []
        self._psycopg = psycopg
        self.template = self._create(f"{self.tag}_template")
        db = Database(self.url(self.template))
        migrate.upgrade(db)
        db.dispose()
        self.counter = 0

    def _admin(self) -> Any:
        return self._psycopg.connect(f"{self.base}/postgres", autocommit=True, connect_timeout=3)

    def _create(self, name: str, template: str | None = None) -> str:
        with self._admin() as connection:
            suffix = f" TEMPLATE {template}" if template else ""
            connection.execute(f'CREATE DATABASE "{name}"{suffix}')
        self.made.append(name)
        return name

    def url(self, name: str) -> str:
        return f"{self.base}/{name}"

    def empty(self) -> str:
        self.counter += 1
        return self.url(self._create(f"{self.tag}_{self.counter}"))

    def fresh(self) -> str:
        """A migrated, empty register."""
        self.counter += 1
        return self.url(self._create(f"{self.tag}_{self.counter}", self.template))

    def drop_all(self) -> None:
        with self._admin() as connection:
            for name in reversed(self.made):
                connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def postgres() -> Iterator[Postgres]:
    try:
        import psycopg

        psycopg.connect(f"{POSTGRES}/postgres", connect_timeout=3).close()
    except Exception as exc:  # any failure to connect means: no server to test against
        # CI starts PostgreSQL before the run: there, an unreachable server is a failure, not a skip.
        (pytest.fail if os.environ.get("CI") else pytest.skip)(
            f"PostgreSQL is not reachable at {POSTGRES} ({type(exc).__name__}); storage tests ran on SQLite only"
        )
    server = Postgres(POSTGRES)
    yield server
    server.drop_all()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A migrated, empty register on each backend."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'register.db'}"
    server: Postgres = request.getfixturevalue("postgres")
    return server.fresh()


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'register.db'}"


@pytest.fixture
def web_pm(monkeypatch: pytest.MonkeyPatch) -> pluggy.PluginManager:
    monkeypatch.delenv("SUPPLIER_QUAL_LOAD_PLUGINS", raising=False)
    return supplier_qual.get_plugin_manager(load_entrypoints=False)


def make_app(url: str, pm: pluggy.PluginManager, **config: Any) -> Flask:
    return create_app({"DATABASE_URL": url, "AS_OF": AS_OF.isoformat(), "TESTING": True, **config}, pm=pm)


@dataclass
class Register:
    """An application with two suppliers and a token per role (and one per supplier)."""

    app: Flask
    client: FlaskClient
    tokens: dict[str, str]

    @property
    def service(self) -> Service:
        found: Service = self.app.extensions["supplier_qual"]
        return found

    def headers(self, who: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[who]}"}

    def call(self, method: str, path: str, who: str | None = None, **kwargs: Any) -> Any:
        headers = {**kwargs.pop("headers", {}), **(self.headers(who) if who else {})}
        return self.client.open(path, method=method, headers=headers, **kwargs)

    def upload(self, supplier_id: str, data: bytes, filename: str = "submission.json", who: str = "buyer") -> Any:
        return self.call(
            "POST",
            f"/api/v1/suppliers/{supplier_id}/submissions",
            who,
            data={"file": (io.BytesIO(data), filename)},
            content_type="multipart/form-data",
        )

    def count(self, table: str) -> int:
        from sqlalchemy import text

        with self.service.db.read() as session:
            return int(session.execute(text(f"SELECT count(*) FROM {table}")).scalar_one())  # noqa: S608


def build_register(url: str, pm: pluggy.PluginManager, **config: Any) -> Register:
    app = make_app(url, pm, **config)
    service: Service = app.extensions["supplier_qual"]
    tokens = {}
    with service.db.write() as session:
        now = utcnow()
        session.add(
            Supplier(id=NORTHWIND, name="Northwind Components Ltd", country="GB", created_at=now, updated_at=now)
        )
        session.add(
            Supplier(id=BRIGHTLINE, name="Brightline Fabrication s.r.o.", country="CZ", created_at=now, updated_at=now)
        )
        session.flush()
        for who, role, supplier in (
            ("admin", "admin", None),
            ("buyer", "buyer", None),
            ("tender_officer", "tender_officer", None),
            ("supplier", "supplier", NORTHWIND),
            ("other_supplier", "supplier", BRIGHTLINE),
        ):
            account = accounts.create_account(session, name=f"{who} account", role=role, supplier_id=supplier)
            tokens[who], _ = accounts.issue_token(session, account)
    return Register(app, app.test_client(), tokens)


@pytest.fixture
def register(sqlite_url: str, web_pm: pluggy.PluginManager) -> Iterator[Register]:
    """The register on SQLite, for tests of routes and roles."""
    found = build_register(sqlite_url, web_pm)
    yield found
    found.service.db.dispose()


@pytest.fixture
def any_register(db_url: str, web_pm: pluggy.PluginManager) -> Iterator[Register]:
    """The register on SQLite and on PostgreSQL, for storage tests."""
    found = build_register(db_url, web_pm)
    yield found
    found.service.db.dispose()


@pytest.fixture
def expected_json(web_pm: pluggy.PluginManager) -> Callable[..., dict[str, Any]]:
    """The assessment the core gives for a file, computed the same way the service must."""

    def expected(path: Path, performance: supplier_qual.Performance | None = None) -> dict[str, Any]:
        result = supplier_qual.assess(
            supplier_qual.read_submission(path.read_bytes(), filename=path.name, pm=web_pm),
            as_of=AS_OF,
            performance=performance,
            pm=web_pm,
        )
        rendered = supplier_qual.render(result, "json", pm=web_pm)
        assert isinstance(rendered, str)
        parsed: dict[str, Any] = json.loads(rendered)
        return parsed

    return expected
