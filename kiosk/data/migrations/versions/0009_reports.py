"""what the reports need: closed days added up once, and the log read by kind and time

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01 20:00:00
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

COUNTS = ("issued", "served", "no_show", "cancelled", "transferred", "priority", "green_channel", "appointments",
          "waits")
TALLY: tuple[tuple[str, sa.types.TypeEngine[Any]], ...] = (
    *((name, sa.Integer()) for name in COUNTS), ("wait_s", sa.Float()), ("served_waits", sa.Integer()),
    ("within_target", sa.Integer()), ("walk_ups", sa.Integer()), ("walk_up_s", sa.Float()),
    ("services", sa.Integer()), ("service_s", sa.Float()), ("visits", sa.Integer()), ("visit_s", sa.Float()),
    ("signed_in_s", sa.Float()),
)


def upgrade() -> None:
    with op.batch_alter_table("event", schema=None) as batch_op:
        batch_op.create_index("ix_event_kind", ["office_id", "kind", "created_at"], unique=False)
    op.create_table(
        "report_day",
        sa.Column("office_id", sa.Integer(), nullable=False),
        sa.Column("service_day", sa.Date(), nullable=False),
        sa.Column("targets", sa.String(length=400), nullable=False),
        sa.Column("appointments_kept", sa.Integer(), nullable=False),
        sa.Column("appointments_missed", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["office_id"], ["office.id"]),
        sa.PrimaryKeyConstraint("office_id", "service_day"),
    )
    op.create_table(
        "report_group",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("office_id", sa.Integer(), nullable=False),
        sa.Column("service_day", sa.Date(), nullable=False),
        sa.Column("split", sa.String(length=16), nullable=False),
        sa.Column("key", sa.String(length=40), nullable=True),
        *(sa.Column(name, kind, nullable=False) for name, kind in TALLY),
        sa.ForeignKeyConstraint(["office_id"], ["office.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("report_group", schema=None) as batch_op:
        batch_op.create_index("ix_report_group_day", ["office_id", "service_day"], unique=False)
    op.create_table(
        "report_count",
        sa.Column("office_id", sa.Integer(), nullable=False),
        sa.Column("service_day", sa.Date(), nullable=False),
        sa.Column("measure", sa.String(length=8), nullable=False),
        sa.Column("value", sa.Integer(), nullable=False),
        sa.Column("tickets", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["office_id"], ["office.id"]),
        sa.PrimaryKeyConstraint("office_id", "service_day", "measure", "value"),
    )


def downgrade() -> None:
    op.drop_table("report_count")
    with op.batch_alter_table("report_group", schema=None) as batch_op:
        batch_op.drop_index("ix_report_group_day")
    op.drop_table("report_group")
    op.drop_table("report_day")
    with op.batch_alter_table("event", schema=None) as batch_op:
        batch_op.drop_index("ix_event_kind")
