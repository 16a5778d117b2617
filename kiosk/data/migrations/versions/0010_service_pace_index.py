"""a service's latest finished tickets found by index: the pace every estimate reads

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01 23:20:00
"""

from __future__ import annotations

from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_ticket_service_finished", "ticket", ["service_id", "status", "finished_at"])


def downgrade() -> None:
    op.drop_index("ix_ticket_service_finished", table_name="ticket")
