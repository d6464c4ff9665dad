"""Bringing a register's tables up to date with Alembic, one process at a time."""

from __future__ import annotations

import fcntl
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, text

from ...errors import ConfigurationError
from .database import Database

MIGRATIONS = Path(__file__).with_name("migrations")
# Any fixed number: the PostgreSQL advisory lock that keeps two processes from migrating at once.
PG_LOCK_KEY = 0x5351_4D49


def _config(connection: Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def head() -> str:
    """The newest revision this version of the service knows."""
    revision = ScriptDirectory.from_config(_config()).get_current_head()
    if revision is None:
        raise ConfigurationError("the register's migrations are missing from this installation")
    return revision


def revisions() -> list[str]:
    """Every revision, oldest first."""
    return [s.revision for s in reversed(list(ScriptDirectory.from_config(_config()).walk_revisions()))]


def current(db: Database) -> str | None:
    """The revision the database is at, ``None`` when it has never been migrated."""
    with db.read_engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def is_current(db: Database) -> bool:
    return current(db) == head()


def upgrade(db: Database, revision: str = "head") -> str | None:
    """Migrate ``db`` to ``revision``; a second process waits for the first rather than racing it.

    :return: the revision the database is at afterwards.
    """
    with _migration_lock(db), db.engine.begin() as connection:
        command.upgrade(_config(connection), revision)
    return current(db)


@contextmanager
def _migration_lock(db: Database) -> Iterator[None]:
    path = db.sqlite_path
    if db.is_sqlite:
        if path is None:
            yield
            return
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        with open(f"{path}.migrate-lock", "a+b") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)
        return
    with db.engine.connect() as connection:
        connection.execute(text("SELECT pg_advisory_lock(:key)"), {"key": PG_LOCK_KEY})
        connection.commit()
        try:
            yield
        finally:
            connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": PG_LOCK_KEY})
            connection.commit()
