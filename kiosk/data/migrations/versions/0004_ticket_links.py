"""ticket links: a ticket's declaration and appointment ids point at their rows

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01 15:00:00
"""

from __future__ import annotations

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A link to a row that is gone (a declaration purged before its ticket) would fail the new key.
    op.execute("UPDATE ticket SET declaration_id = NULL WHERE declaration_id NOT IN (SELECT id FROM declaration)")
    op.execute("UPDATE ticket SET appointment_id = NULL WHERE appointment_id NOT IN (SELECT id FROM appointment)")
    with op.batch_alter_table("ticket", schema=None) as batch_op:
        batch_op.create_foreign_key("fk_ticket_declaration_id", "declaration", ["declaration_id"], ["id"])
        batch_op.create_foreign_key("fk_ticket_appointment_id", "appointment", ["appointment_id"], ["id"])


def downgrade() -> None:
    with op.batch_alter_table("ticket", schema=None) as batch_op:
        batch_op.drop_constraint("fk_ticket_appointment_id", type_="foreignkey")
        batch_op.drop_constraint("fk_ticket_declaration_id", type_="foreignkey")
