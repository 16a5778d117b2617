"""the office's booking calendar, bookings with their anti-tout keys

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01 20:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


NEW_COLUMNS = (
    ("cancelled_at", sa.DateTime(timezone=True)),
    ("id_key", sa.String(64)),
    ("phone_key", sa.String(64)),
    ("address_key", sa.String(64)),
    ("declaration_code", sa.String(12)),
    ("booked_by", sa.String(128)),
)


def upgrade() -> None:
    with op.batch_alter_table("appointment", schema=None) as batch_op:
        batch_op.add_column(sa.Column("ends_at", sa.DateTime(timezone=True), nullable=True))
        for name, kind in NEW_COLUMNS:
            batch_op.add_column(sa.Column(name, kind, nullable=True))
    op.execute("UPDATE appointment SET ends_at = slot_at")  # bookings made before slots had an end
    with op.batch_alter_table("appointment", schema=None) as batch_op:
        batch_op.alter_column("ends_at", existing_type=sa.DateTime(timezone=True), nullable=False)
        batch_op.create_index("ix_appointment_slot", ["office_id", "service_id", "slot_at"])
        batch_op.create_index("ix_appointment_id_key", ["office_id", "id_key"])
    op.create_table(
        "booking_calendar",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("office_id", sa.Integer(), nullable=False),
        sa.Column("service_id", sa.Integer(), nullable=False),
        sa.Column("bookable", sa.Boolean(), nullable=False),
        sa.Column("slot_min", sa.Integer(), nullable=False),
        sa.Column("places", sa.Integer(), nullable=False),
        sa.Column("walk_in_share", sa.Float(), nullable=False),
        sa.Column("horizon_days", sa.Integer(), nullable=False),
        sa.Column("sessions", sa.JSON(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["office_id"], ["office.id"]),
        sa.ForeignKeyConstraint(["service_id"], ["service.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("office_id", "service_id"),
    )
    op.create_table(
        "booking_day",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("office_id", sa.Integer(), nullable=False),
        sa.Column("service_id", sa.Integer(), nullable=True),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("kind", sa.String(8), nullable=False),
        sa.Column("opens", sa.String(5), nullable=True),
        sa.Column("closes", sa.String(5), nullable=True),
        sa.Column("note", sa.String(200), nullable=False),
        sa.ForeignKeyConstraint(["office_id"], ["office.id"]),
        sa.ForeignKeyConstraint(["service_id"], ["service.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_booking_day", "booking_day", ["office_id", "day"])


def downgrade() -> None:
    op.drop_index("ix_booking_day", table_name="booking_day")
    op.drop_table("booking_day")
    op.drop_table("booking_calendar")
    with op.batch_alter_table("appointment", schema=None) as batch_op:
        batch_op.drop_index("ix_appointment_id_key")
        batch_op.drop_index("ix_appointment_slot")
        for name, _kind in reversed(NEW_COLUMNS):
            batch_op.drop_column(name)
        batch_op.drop_column("ends_at")
