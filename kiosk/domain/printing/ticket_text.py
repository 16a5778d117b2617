"""A ticket's printable wording in the citizen's language (plus Vietnamese), outside any web request.

The spooler builds tickets in its own thread, where Flask-Babel has no request locale, so the "ticket"
catalogue is loaded directly.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from babel.support import NullTranslations, Translations
from sqlalchemy.orm import Session

from kiosk.data.models import Declaration, Office, Ticket
from kiosk.domain.queue.estimates import estimate, waiting_ahead
from kiosk.domain.queue.settings import QueueSettings
from printers import TicketPrint

TRANSLATIONS = Path(__file__).resolve().parents[2] / "translations"
_cache: dict[str, NullTranslations] = {}


def translations(language: str) -> NullTranslations:
    if language not in _cache:
        _cache[language] = Translations.load(str(TRANSLATIONS), [language], domain="ticket")
    return _cache[language]


def priority_label(kind: str | None, approved: bool, language: str) -> str | None:
    _ = translations(language).gettext
    if kind and not approved:
        return _("Priority requested: awaiting approval")
    labels = {
        "elderly": _("Priority: elderly"),
        "child": _("Priority: small child"),
        "disabled": _("Priority: disability"),
        "pregnant": _("Priority: pregnancy"),
        "urgent": _("Priority: urgent case"),
    }
    return labels.get(kind or "")


def wait_line(ahead: int, wait_s: int | None, language: str) -> str:
    """The estimate under the number; with no counter open for the service, that instead of a wait."""
    _ = translations(language).gettext
    if wait_s is None:
        return _("No counter is open for this service now; you will be called when one opens.")
    if not ahead:
        return _("You are next.")
    return _("Estimated wait: about %(minutes)s min") % {"minutes": max(1, round(wait_s / 60))}


def waiting_line(language: str) -> str:
    _ = translations(language).gettext
    return _("Please take a seat. Your number will be called and shown on the screen.")


AS_ISSUED = timedelta(minutes=1)  # a paper printed this soon after issue is the one handed out with the ticket


def printable_ticket(session: Session, ticket_id: int, settings: QueueSettings, config: dict[str, Any],
                     now: datetime) -> TicketPrint:
    """The ticket as it stands now: printed as it is issued, the wait the kiosk's screen told (worked out once, at
    issue); a reprint, or a paper its printer held up, the wait now. Same number and QR either way."""
    ticket = session.get_one(Ticket, ticket_id)
    office = session.get_one(Office, ticket.office_id)
    if now - ticket.issued_at <= AS_ISSUED:
        ahead, wait_s = waiting_ahead(session, office, ticket), ticket.estimated_wait_s
    else:
        waits = estimate(session, office, ticket, settings, now)
        ahead, wait_s = waits.ahead, waits.wait_s
    declared = session.get(Declaration, ticket.declaration_id) if ticket.declaration_id else None
    return ticket_print(
        office_names=office.names,
        service_names=ticket.service.names,
        number=ticket.number,
        issued_at=ticket.issued_at,
        timezone=office.timezone,
        ahead=ahead,
        wait_s=wait_s,
        priority=ticket.priority,
        priority_approved=ticket.priority_approved,
        status_url=status_url(config, ticket.token),
        language=ticket.language,
        footer=config["printer"]["footer"],
        declaration_code=declared.code if declared else None,
    )


def status_url(config: dict[str, Any], token: str) -> str:
    """What the QR holds: the public status page of the ticket's random token, nothing else."""
    return f"{config['server']['public_url'].rstrip('/')}/t/{token}"


def ticket_print(
    *,
    office_names: dict[str, str],
    service_names: dict[str, str],
    number: str,
    issued_at: datetime,
    timezone: str,
    ahead: int,
    wait_s: int | None,
    priority: str | None,
    priority_approved: bool,
    status_url: str,
    language: str,
    footer: dict[str, str] | None = None,
    declaration_code: str | None = None,
) -> TicketPrint:
    """Everything printed on the ticket, already translated; nothing personal."""
    _ = translations(language).gettext
    local = issued_at.astimezone(ZoneInfo(timezone))
    return TicketPrint(
        office_name=office_names.get(language) or office_names["vi"],
        service_name=service_names.get(language) or service_names["vi"],
        number=number,
        issued_at=local.strftime("%d/%m/%Y %H:%M"),
        ahead_line=_("People waiting before you: %(count)s") % {"count": ahead},
        wait_line=wait_line(ahead, wait_s, language),
        qr_url=status_url,
        priority_label=priority_label(priority, priority_approved, language),
        citizen_line=waiting_line(language),
        vietnamese_line=None if language == "vi" else waiting_line("vi"),
        footer=_pick(footer or {}, language),
        declaration_line=_("Declaration received: %(code)s") % {"code": declaration_code} if declaration_code else None,
    )


def _pick(texts: dict[str, Any], language: str) -> str | None:
    text = texts.get(language) or texts.get("vi")
    return str(text) if text else None
