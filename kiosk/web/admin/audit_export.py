"""The audit log as a file: the filtered events in the desk's words and language, the time on the office's clock
(a real date and time to a spreadsheet), written by `kiosk/web/common/exports.py` as CSV or XLSX."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from flask_babel import gettext as _

from kiosk.data.models import Event
from kiosk.domain.events.audit import AuditNames
from kiosk.web.admin.audit_wording import kind_name, what_happened, who
from kiosk.web.common.exports import Cell, Table

EXPORT_MOST = 100_000  # events in one file; more: the desk asks for a narrower choice


def audit_table(events: list[Event], names: AuditNames, timezone: str) -> Table:
    zone = ZoneInfo(timezone)
    rows: list[list[Cell]] = [
        [event.created_at.astimezone(zone).replace(microsecond=0), kind_name(event.kind), who(event.actor, names),
         what_happened(event, names)] for event in events]
    return Table("audit-log", _("Audit log"), [_("When"), _("Kind"), _("Who"), _("What")], rows)
