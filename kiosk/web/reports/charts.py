"""The report's charts, drawn on the server as SVG by pygal (no script in the browser, sharp on paper). Each is
handed to the page as an image (a data: address): the SVG's own stylesheet then stays inside the image, outside
the page's content security policy, and a chart prints like any picture."""

from __future__ import annotations

import base64
from typing import Any

import pygal
from flask_babel import gettext as _
from pygal.style import Style

from kiosk.web.common.exports import Table

STYLE = Style(background="white", plot_background="white", foreground="#1b2430", foreground_strong="#1b2430",
              foreground_subtle="#c9d2de", colors=("#1f5fa8", "#c0392b", "#2e7d4f"), font_family="sans-serif",
              label_font_size=13, major_label_font_size=13, value_font_size=12, title_font_size=16)
SIZE = {"width": 900, "height": 320}


def waiting_chart(table: Table) -> str:
    """People waiting through the day (a mean working day of the period)."""
    chart = _chart(pygal.Line, _("People waiting"), fill=True, show_dots=False)
    chart.x_labels = [row[0] for row in table.rows]
    chart.x_labels_major = [row[0] for row in table.rows if str(row[0]).endswith(":00")]
    chart.add(_("People waiting"), [row[1] for row in table.rows])
    return _image(chart)


def waits_chart(table: Table) -> str:
    """How many waited how long."""
    chart = _chart(pygal.Bar, _("Wait distribution"))
    chart.x_labels = chart.x_labels_major = [row[0] for row in table.rows]  # every bin named
    chart.x_title = _("Wait (min)")
    chart.add(_("Tickets called"), [row[1] for row in table.rows])
    return _image(chart)


def level_chart(table: Table, target_min: int) -> str:
    """The service level day by day."""
    chart = _chart(pygal.Line, _("Service level by day (%)"), range=(0, 100), show_dots=len(table.rows) <= 31)
    days = [row[0] for row in table.rows]
    chart.x_labels = [str(day) for day in days]
    chart.x_labels_major = [str(day) for day in days[:: max(1, len(days) // 8)]]
    chart.add(_("Service level (%)"), [row[4] for row in table.rows])
    chart.y_title = _("within %(minutes)s min", minutes=target_min)
    return _image(chart)


def _chart(kind: Any, title: str, **options: Any) -> Any:
    return kind(title=title, style=STYLE, js=[], disable_xml_declaration=True, show_legend=False,
                show_minor_x_labels=False, x_label_rotation=0, truncate_label=-1, print_values=False,
                **SIZE, **options)


def _image(chart: Any) -> str:
    svg = chart.render(is_unicode=True)
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()
