"""Alembic environment: runs on the connection the app hands over (see kiosk.data.engine.upgrade)."""

from __future__ import annotations

from alembic import context

from kiosk.data.models import Base

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run migrations with `kiosk db upgrade`, which supplies the connection")
context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
