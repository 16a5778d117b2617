"""Declaring ahead: what it saves at the kiosk and what it costs the phone.

  taps for a TK01       at the kiosk's on-screen keyboard and on a phone's own (a tap per character, two for a
                        letter with a tone mark, one to reach each field, one per choice and per Next, the menu
                        taps; a prefilled default left alone costs nothing), with and without the chip ID card
                        read on the first step (the phone's camera: one tap more), before and after the pick
                        lists (a pick: reach the field, the fewest letters that bring it among the suggestions
                        shown, one tap on it)
  declared on a phone   touches at the kiosk (language, "I have a code"; the scanner reads the phone's screen),
                        and the server time of that check-in
  the phone's pages     each step's page, its style sheet and script, in KB as sent; server time per step, p95
Goals (issue 13): the typing off the kiosk; check-in in two touches.

    python bench/declare_bench.py              SQLite in a temp folder
    python bench/declare_bench.py --postgres   a throw-away PostgreSQL cluster (Debian's binaries)
"""

from __future__ import annotations

import re
import sys
import time
import unicodedata
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import percentiles, run_benches  # noqa: E402
from kiosk import create_app  # noqa: E402
from kiosk.domain.declarations.form import Field, steps  # noqa: E402
from kiosk.domain.declarations.id_card import card_values, read_card  # noqa: E402
from kiosk.domain.declarations.pick_lists import PICK_LISTS, fold, search  # noqa: E402
from kiosk.domain.office.setup import sync_office  # noqa: E402
from tests.support.htmx_client import csrf_of, paired_kiosk  # noqa: E402
from tests.support.kiosk_factories import TK01_STEPS, TODAY  # noqa: E402

DECLARATIONS = 40
MENU_TAPS = {"kiosk": 3, "phone": 1}  # the kiosk: language, "declare", the form; the phone: the form
CARD = "040195000123|187654321|Nguyễn Thị Ánh|25041995|Nữ|Phường Vinh Tân, Nghệ An|15042021"
ASSETS = re.compile(r'(?:href|src)="(/static/[^"]+)"')


def key_taps(text: str) -> int:
    """A tap per character on the kiosk's keyboard, two for a letter with a tone mark (letter, then the mark)."""
    return sum(1 + any(unicodedata.combining(c) for c in unicodedata.normalize("NFD", ch)[1:]) for ch in text)


def letters_to_pick(field: Field, value: str) -> int | None:
    """The fewest letters (typed without diacritics) that bring the value among the suggestions shown."""
    wanted = fold(value)
    for count in range(1, len(wanted) + 1):
        if any(match.pick.value == value for match in search(PICK_LISTS[field.picks], wanted[:count])):
            return count
    return None  # an occupation not in the list: typed whole


def field_taps(field: Field, value: str, picks: bool) -> int:
    if not value or value == field.default:
        return 0
    if field.kind == "choice":
        return 1
    letters = letters_to_pick(field, value) if picks and field.kind == "pick" else None
    return 1 + (key_taps(value) if letters is None else letters + 1)


def taps(where: str, card: bool, picks: bool) -> int:
    filled = set(card_values(read_card(CARD, TODAY), "TK01")) if card else set()
    total = MENU_TAPS[where] + (card and where == "phone")  # the phone's camera button; the kiosk's scanner
    for step in steps("TK01"):
        total += sum(field_taps(field, TK01_STEPS[step.key].get(field.key, ""), picks)
                     for field in step.fields if field.key not in filled)
        total += 1  # Next
    return total + 1  # send


def bench(env: dict[str, str]) -> None:
    print("taps for a TK01          typed   ID card read")
    for where in ("kiosk", "phone"):
        for picks in (False, True):
            label = f"{where}, {'with pick lists' if picks else 'before them'}"
            print(f"  {label:<24}{taps(where, False, picks):>4}   {taps(where, True, picks):>4}")
    app = create_app({"environ": env, "start_hub": False})
    rt = app.extensions["kiosk"]
    with rt.sessions.begin() as session:
        sync_office(session, rt.config)
    times: dict[str, list[float]] = defaultdict(list)
    sizes: dict[str, int] = {}
    check_ins: list[float] = []
    for _ in range(DECLARATIONS):
        browser = app.test_client()
        token = csrf_of(browser.get("/declare").get_data(as_text=True))

        def timed(name: str, path: str, form: dict[str, str], browser=browser, token=token) -> None:  # type: ignore[no-untyped-def]
            started = time.perf_counter()
            answer = browser.post(path, data={"csrf_token": token, **form})
            times[name].append(time.perf_counter() - started)
            assert answer.status_code == 302, (path, answer.status_code)
            page = browser.get(answer.headers["Location"]).get_data()
            sizes[name] = len(page) + sum(len(browser.get(asset).get_data())
                                          for asset in set(ASSETS.findall(page.decode())))

        timed("start", "/declare", {"kind": "TK01"})
        for key, values in TK01_STEPS.items():
            timed(key, f"/declare/{key}", {"action": "next", **values})
        timed("send → code", "/declare/submit", {})
        done = browser.get("/declare/done").get_data(as_text=True)
        code = re.search(r'data-code="(\d+)"', done).group(1)  # type: ignore[union-attr]
        kiosk = paired_kiosk(app, app.test_client())
        started = time.perf_counter()
        assert 'id="ticket"' in kiosk.html("/kiosk/code", code=code)
        check_ins.append(time.perf_counter() - started)
    rt.engine.dispose()
    print("declared on a phone: 2 touches at the kiosk (language, \"I have a code\"), then the scan; "
          f"check-in server time {percentiles(check_ins)}")
    for name, samples in times.items():
        print(f"  phone step {name:<12} {percentiles(samples)}   next page {sizes[name] / 1024:5.1f} KB with assets")


def main() -> None:
    run_benches(__doc__, f"declare-ahead bench, {DECLARATIONS} declarations", bench)


if __name__ == "__main__":
    main()
