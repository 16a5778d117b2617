"""The booking as an .ics file for the phone's own calendar (RFC 5545: one event, UTC times, CRLF lines)."""

from __future__ import annotations

from datetime import datetime


def ics(uid: str, start: datetime, end: datetime, summary: str, location: str, description: str,
        now: datetime) -> str:
    stamp = "%Y%m%dT%H%M%SZ"
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//passport-office//booking//EN", "BEGIN:VEVENT",
             f"UID:{uid}", f"DTSTAMP:{now.strftime(stamp)}", f"DTSTART:{start.strftime(stamp)}",
             f"DTEND:{end.strftime(stamp)}", f"SUMMARY:{_text(summary)}", f"LOCATION:{_text(location)}",
             f"DESCRIPTION:{_text(description)}", "END:VEVENT", "END:VCALENDAR"]
    return "\r\n".join(lines) + "\r\n"


def _text(value: str) -> str:
    """RFC 5545 TEXT: backslash, comma, semicolon and newline escaped."""
    return value.replace("\\", "\\\\").replace(",", "\\,").replace(";", "\\;").replace("\n", "\\n")
