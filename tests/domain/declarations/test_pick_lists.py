"""The declaration's pick lists: the lists the paper form asks from, found by a few letters without diacritics,
and stored in the list's own spelling by the same check the kiosk, the phone and the API run."""

from __future__ import annotations

import pytest

from kiosk.domain.declarations.checks import FieldProblem
from kiosk.domain.declarations.drafts import check_step
from kiosk.domain.declarations.form import PICK_FIELDS, step
from kiosk.domain.declarations.pick_lists import PICK_LISTS, PROVINCES, fold, pick, search
from tests.support.kiosk_factories import TK01_STEPS, TODAY


def found(list_key: str, typed: str) -> list[str]:
    return [match.pick.value for match in search(PICK_LISTS[list_key], typed)]


def test_the_lists_the_form_asks_from() -> None:
    assert len(PROVINCES) == 34 and len({name for name, _ in PROVINCES}) == 34
    assert sum(len(merged) for name, merged in PROVINCES if name not in ("Huế", "TP. Hồ Chí Minh")) >= 26
    ethnic = [each.value for each in PICK_LISTS["ethnic_groups"].picks]
    assert len(ethnic) == len(set(ethnic)) == 54 and ethnic[0] == "Kinh"
    assert PICK_LISTS["religions"].picks[0].value == "Không"
    places = [each.value for each in PICK_LISTS["places"].picks]
    assert "Nhật Bản" in places and "Việt Nam" not in places  # abroad: the country; at home: the province
    assert {key: each.picks for key, each in PICK_FIELDS.items()} == {
        "place_of_birth": "places", "ethnicity": "ethnic_groups", "religion": "religions",
        "occupation": "occupations"}


@pytest.mark.parametrize(("list_key", "typed", "first"), [
    ("places", "ngh", "Nghệ An"),
    ("places", "dak lak", "Đắk Lắk"),  # đ typed as d
    ("places", "HA N", "Hà Nội"),
    ("places", "binh duong", "TP. Hồ Chí Minh"),  # merged on 1 July 2025: today's province
    ("places", "nhat", "Nhật Bản"),
    ("places", "japan", "Nhật Bản"),
    ("places", "日本", "Nhật Bản"),
    ("ethnic_groups", "hmong", "Mông"),
    ("ethnic_groups", "mu", "Mường"),
    ("religions", "cong", "Công giáo"),
    ("religions", "none", "Không"),
    ("occupations", "giao", "Giáo viên"),
])
def test_a_few_letters_without_diacritics_find_the_name(list_key: str, typed: str, first: str) -> None:
    assert found(list_key, typed)[0] == first


def test_suggestions_are_few_and_an_empty_field_shows_the_top_of_the_list() -> None:
    assert found("ethnic_groups", "")[:2] == ["Kinh", "Tày"]
    assert len(found("places", "a")) == 6
    assert found("places", "xyzzy") == []
    via = search(PICK_LISTS["places"], "binh duong")[0].via
    assert via == "Bình Dương" and fold("Thừa Thiên Huế") == "thua thien hue"


def test_the_check_stores_the_lists_spelling_and_refuses_what_a_closed_list_lacks() -> None:
    assert pick(PICK_LISTS["places"], "  nghe   an ") == "Nghệ An"
    assert pick(PICK_LISTS["places"], "Hà Giang") == "Tuyên Quang"
    assert pick(PICK_LISTS["ethnic_groups"], "KINH") == "Kinh"
    assert pick(PICK_LISTS["occupations"], "thợ  may") == "thợ may"  # an occupation not listed is kept
    with pytest.raises(FieldProblem):
        pick(PICK_LISTS["religions"], "Jedi")


def test_a_step_typed_without_diacritics_is_kept_in_the_lists_spelling() -> None:
    typed = {**TK01_STEPS["who"], "place_of_birth": "nghe an", "ethnicity": "tay", "religion": "phat giao"}
    result = check_step("TK01", step("TK01", "who"), typed, {}, TODAY)
    assert result.ok, result.problems
    assert (result.values["place_of_birth"], result.values["ethnicity"], result.values["religion"]) == (
        "Nghệ An", "Tày", "Phật giáo")
    wrong = check_step("TK01", step("TK01", "who"), {**typed, "place_of_birth": "Atlantis"}, {}, TODAY)
    assert set(wrong.problems) == {"place_of_birth"} and wrong.values["place_of_birth"] == "Atlantis"
