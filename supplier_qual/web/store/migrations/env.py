"""Alembic's entry point: runs the register's migrations on the connection it is given."""

from __future__ import annotations

from alembic import context

from supplier_qual.web.store.models import Base

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=True,
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
