"""The register's storage on SQLite and PostgreSQL: migrations from empty and from the previous revision,
uploads kept by content and assessments reproducible byte for byte."""

from __future__ import annotations

import hashlib
import json

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from click.testing import CliRunner
from sqlalchemy import inspect, select

from supplier_qual.cli import cli
from supplier_qual.web import qualification
from supplier_qual.web.store import migrate, submissions
from supplier_qual.web.store.database import Database, normalise_url
from supplier_qual.web.store.models import Assessment, Base, PerformanceRecord, Supplier, utcnow
from supplier_qual.web.store.models import Submission as SubmissionRow

from .conftest import NORTHWIND, NORTHWIND_JSON, PERFORMANCE_JSON, Postgres, Register


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_url(request: pytest.FixtureRequest, tmp_path) -> str:  # type: ignore[no-untyped-def]
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'empty.db'}"
    server: Postgres = request.getfixturevalue("postgres")
    return server.empty()


def test_migrations_build_the_tables_the_models_describe(empty_url: str) -> None:
    db = Database(empty_url)
    try:
        assert migrate.current(db) is None
        assert migrate.upgrade(db) == migrate.head()
        assert migrate.is_current(db)
        with db.engine.connect() as connection:
            assert compare_metadata(MigrationContext.configure(connection), Base.metadata) == []
        assert migrate.upgrade(db) == migrate.head()
    finally:
        db.dispose()


def test_a_register_at_the_previous_revision_keeps_its_data(empty_url: str) -> None:
    revisions = migrate.revisions()
    assert len(revisions) >= 2
    db = Database(empty_url)
    try:
        migrate.upgrade(db, revisions[-2])
        assert migrate.current(db) == revisions[-2]
        with db.write() as session:
            now = utcnow()
            session.add(Supplier(id="OLD-1", name="Kept Since Last Version Ltd", created_at=now, updated_at=now))
        assert "sign_in_sessions" not in inspect(db.engine).get_table_names()
        assert migrate.upgrade(db) == migrate.head()
        with db.read() as session:
            assert session.scalars(select(Supplier.name)).all() == ["Kept Since Last Version Ltd"]
        assert "sign_in_sessions" in inspect(db.engine).get_table_names()
    finally:
        db.dispose()


def test_db_commands(empty_url: str) -> None:
    runner = CliRunner()
    before = runner.invoke(cli, ["db", "current", "--db", empty_url])
    assert before.exit_code == 0 and "empty database" in before.output
    upgraded = runner.invoke(cli, ["db", "upgrade", "--db", empty_url])
    assert upgraded.exit_code == 0, upgraded.output
    assert f"to revision {migrate.head()}" in upgraded.output
    again = runner.invoke(cli, ["db", "upgrade", "--db", empty_url])
    assert "already at revision" in again.output
    after = runner.invoke(cli, ["db", "current", "--db", empty_url])
    assert after.output.strip() == f"{migrate.head()} (head)"


def test_database_urls() -> None:
    assert normalise_url("postgresql://u@h/db").drivername == "postgresql+psycopg"
    assert normalise_url("postgres://u@h/db").drivername == "postgresql+psycopg"
    assert normalise_url("sqlite:////tmp/x.db").get_backend_name() == "sqlite"
    from supplier_qual.errors import ConfigurationError

    with pytest.raises(ConfigurationError, match="SQLite or PostgreSQL"):
        normalise_url("mysql://u:secret@h/db")
    bad = CliRunner().invoke(cli, ["db", "current", "--db", "mysql://u:secret@h/db"])
    assert bad.exit_code == 3 and "secret" not in bad.output


def test_sqlite_runs_in_wal_mode_with_foreign_keys(register: Register) -> None:
    with register.service.db.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 5000


def test_raw_uploads_are_kept_and_any_assessment_re_made_byte_for_byte(any_register: Register) -> None:
    data = NORTHWIND_JSON.read_bytes()
    any_register.upload(NORTHWIND, data)
    response = any_register.call(
        "PUT",
        f"/api/v1/suppliers/{NORTHWIND}/performance",
        "buyer",
        data=PERFORMANCE_JSON.read_bytes(),
        content_type="application/json",
    )
    assert response.status_code == 200
    service = any_register.service
    with service.db.read() as session:
        stored = list(session.scalars(select(Assessment).order_by(Assessment.id)))
        assert len(stored) == 2
        for row in stored:
            upload = session.get(SubmissionRow, row.submission_id)
            assert upload is not None
            raw = submissions.blob(session, upload.file_sha256)
            assert raw == data and hashlib.sha256(raw).hexdigest() == upload.file_sha256
            figures = session.get(PerformanceRecord, row.performance_id) if row.performance_id else None
            remade = qualification.compute(
                service,
                qualification.stored_submission(service, upload, raw),
                qualification.performance_of(session, figures),
                row.as_of,
            )
            assert remade.json == row.result_json
            assert hashlib.sha256(remade.json.encode()).hexdigest() == row.result_sha256
            provenance = json.loads(row.result_json)["provenance"]
            assert provenance["input_sha256"] and row.questionnaire_version and row.engine_version


def test_insert_ignore_says_whether_it_inserted(any_register: Register) -> None:
    from supplier_qual.web.store.database import insert_ignore
    from supplier_qual.web.store.models import Blob

    values = {"sha256": "a" * 64, "size": 1, "data": b"x", "created_at": utcnow()}
    with any_register.service.db.write() as session:
        assert insert_ignore(session, Blob, values, ["sha256"]) is True
    with any_register.service.db.write() as session:
        assert insert_ignore(session, Blob, values, ["sha256"]) is False
    assert any_register.count("blobs") == 1
