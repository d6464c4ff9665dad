"""The connection to the register: SQLite by default, PostgreSQL by URL, safe under several server processes.

SQLite runs in WAL mode with a busy timeout, foreign keys on, and every write
transaction opened with ``BEGIN IMMEDIATE``: a deferred transaction that reads
and then writes fails at once with "database is locked" when another process
committed in between, whatever the timeout. Reads use a second engine with plain
``BEGIN`` so they never wait for a writer. Engines are made lazily in the process
that uses them, so a server that forks its workers never shares a connection.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.orm import Session
from sqlalchemy.pool import StaticPool

from ...errors import ConfigurationError

SQLITE_BUSY_TIMEOUT_MS = 15_000


def normalise_url(url: str) -> URL:
    """The SQLAlchemy URL for ``url``; PostgreSQL URLs use psycopg 3 unless they name a driver.

    :raises ConfigurationError: not a database URL, or a database this service does not support.
    """
    try:
        parsed = make_url(url.replace("postgres://", "postgresql://", 1) if url.startswith("postgres://") else url)
    except ArgumentError as exc:
        raise ConfigurationError(f"{_redacted(url)!r} is not a database URL") from exc
    if parsed.drivername == "postgresql":
        parsed = parsed.set(drivername="postgresql+psycopg")
    if parsed.get_backend_name() not in ("sqlite", "postgresql"):
        raise ConfigurationError(f"the register needs SQLite or PostgreSQL, not {parsed.get_backend_name()}")
    return parsed


def _redacted(url: str) -> str:
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return "<unreadable URL>"


class Database:
    """The register's database: sessions for reading and for writing."""

    def __init__(self, url: str | URL) -> None:
        self.url = normalise_url(url) if isinstance(url, str) else url
        self._pid: int | None = None
        self._write: Engine | None = None
        self._read: Engine | None = None

    @property
    def is_sqlite(self) -> bool:
        return self.url.get_backend_name() == "sqlite"

    @property
    def sqlite_path(self) -> str | None:
        """The SQLite file, or ``None`` for PostgreSQL and in-memory SQLite."""
        if not self.is_sqlite or self.url.database in (None, "", ":memory:"):
            return None
        return self.url.database

    def __repr__(self) -> str:
        return f"Database({self.url.render_as_string(hide_password=True)!r})"

    @property
    def engine(self) -> Engine:
        """The engine for writes (and for migrations)."""
        return self._ensure()[0]

    @property
    def read_engine(self) -> Engine:
        return self._ensure()[1]

    def _ensure(self) -> tuple[Engine, Engine]:
        if self._pid == os.getpid() and self._write is not None and self._read is not None:
            return self._write, self._read
        self._pid = os.getpid()
        if not self.is_sqlite:
            self._write = self._read = create_engine(self.url, pool_pre_ping=True, pool_size=5, max_overflow=10)
        elif self.sqlite_path is None:
            self._write = self._read = _sqlite_engine(self.url, begin="BEGIN IMMEDIATE", memory=True)
        else:
            self._write = _sqlite_engine(self.url, begin="BEGIN IMMEDIATE")
            self._read = _sqlite_engine(self.url, begin="BEGIN")
        return self._write, self._read

    @contextmanager
    def write(self) -> Iterator[Session]:
        """A session in one write transaction, committed on leaving, rolled back on an error."""
        with Session(self.engine, expire_on_commit=False) as session, session.begin():
            yield session

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A session for reading; it never writes."""
        # Closing (not rolling back) ends the transaction and keeps what was loaded readable.
        with Session(self.read_engine, expire_on_commit=False) as session:
            yield session

    def dispose(self) -> None:
        """Close every pooled connection of this process."""
        for engine in {id(e): e for e in (self._write, self._read) if e is not None}.values():
            engine.dispose()
        self._write = self._read = None
        self._pid = None


def _sqlite_engine(url: URL, *, begin: str, memory: bool = False) -> Engine:
    options: dict[str, Any] = {"connect_args": {"check_same_thread": False, "timeout": SQLITE_BUSY_TIMEOUT_MS / 1000}}
    if memory:
        options["poolclass"] = StaticPool
    engine = create_engine(url, **options)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # The driver's own transaction handling skips BEGIN before reads; take it over.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        if not memory:
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        connection.exec_driver_sql(begin)

    return engine


def insert_ignore(session: Session, model: type[Any], values: dict[str, Any], keys: list[str]) -> bool:
    """Insert a row unless one with the same ``keys`` exists; ``True`` when this call inserted it.

    Safe under concurrent callers: the database's unique constraint decides, and the
    loser of a race waits for the winner's commit, then inserts nothing.
    """
    from sqlalchemy.dialects import postgresql, sqlite

    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    key = list(model.__table__.primary_key.columns)
    statement = insert(model).values(**values).on_conflict_do_nothing(index_elements=keys).returning(*key)
    # RETURNING says whether a row went in: drivers disagree on rowcount after ON CONFLICT.
    return session.execute(statement).first() is not None
