"""What a finger meets on a touch screen: every visible control (button, link, field, choice, [role=button]) and the
box that takes its touch, which for a control inside a label is the label too (a radio drawn as a large choice,
a checkbox with its words)."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import Page

FINGER_PX = 48  # WCAG 2.5.5 asks 44; the office's tablets and kiosk get a margin for gloves and hurry
TARGETS = """() => {
  const shown = (el) => { const r = el.getBoundingClientRect(); const s = getComputedStyle(el);
    return r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && s.opacity !== '0' && !el.closest('[hidden]'); };
  const labelOf = (el) => el.closest('label')
    || (el.id ? document.querySelector(`label[for="${CSS.escape(el.id)}"]`) : null);
  return [...document.querySelectorAll('button, a[href], input:not([type=hidden]), select, summary, [role=button]')]
    .map((el) => ({el, boxes: [el, labelOf(el)].filter((part) => part && shown(part))}))
    .filter(({boxes}) => boxes.length)
    .map(({el, boxes}) => {
      const sizes = boxes.map((part) => part.getBoundingClientRect());
      return {what: (el.innerText || el.value || el.name || el.id || el.tagName).trim().slice(0, 40),
              w: Math.max(...sizes.map((b) => b.width)), h: Math.max(...sizes.map((b) => b.height)),
              primary: el.classList.contains('primary') && !el.classList.contains('language-button')};
    });
}"""


def touch_targets(page: Page) -> list[dict[str, Any]]:
    return list(page.evaluate(TARGETS))


def too_small(page: Page, at_least: float = FINGER_PX) -> list[dict[str, Any]]:
    """The targets whose touch box is narrower or lower than a finger (half a pixel of rounding allowed)."""
    return [t for t in touch_targets(page) if min(t["w"], t["h"]) < at_least - 0.5]
