"""What the hall hears and sees: the sentence per language, ticket numbers read out, which languages speak."""

from __future__ import annotations

import pytest
from num2words import num2words

from kiosk.domain.hall.wording import (
    VI_LETTERS,
    announcement_languages,
    announcement_text,
    brief_text,
    spoken_number,
    spoken_text,
)


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("vi", "Mời công dân có số thứ tự A012 đến quầy số 3"),
        ("en", "Ticket A012, please go to counter 3"),
        ("zh", "请A012号到3号窗口"),
    ],
)
def test_displayed_sentence(lang: str, text: str) -> None:
    assert announcement_text("A012", 3, lang) == text


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("vi", "Mời công dân có số thứ tự A, không, một, hai đến quầy số ba"),
        ("en", "Ticket A, zero, one, two, please go to counter three"),
        ("zh", "qǐng A líng yī èr hào dào sān hào chuāng kǒu"),
    ],
)
def test_spoken_sentence_reads_the_number_digit_by_digit(lang: str, text: str) -> None:
    assert spoken_text("A012", "3", lang) == text


@pytest.mark.parametrize(
    ("number", "lang", "spoken"),
    [
        ("A012", "vi", "A, không, một, hai"),
        ("B1002", "vi", "bê, một, không, không, hai"),
        ("C905", "vi", "xê, chín, không, năm"),
        ("A012", "en", "A, zero, one, two"),
        ("B1002", "en", "B, one, zero, zero, two"),
        ("A012", "zh", "A líng yī èr"),
        ("B1002", "zh", "B yī líng líng èr"),
        ("f347", "zh", "F sān sì qī"),
    ],
)
def test_digits_style(number: str, lang: str, spoken: str) -> None:
    assert spoken_number(number, lang) == spoken


@pytest.mark.parametrize(
    ("number", "lang", "spoken"),
    [
        ("A012", "vi", "A, mười hai"),
        ("A015", "vi", "A, mười lăm"),
        ("A021", "vi", "A, hai mươi mốt"),
        ("A105", "vi", "A, một trăm lẻ năm"),
        ("B1002", "vi", "bê, một nghìn không trăm lẻ hai"),
        ("B1015", "vi", "bê, một nghìn không trăm mười lăm"),
        ("B1200", "vi", "bê, một nghìn hai trăm"),
        ("A012", "en", "A, twelve"),
        ("B1002", "en", "B, one thousand and two"),
        ("A012", "zh", "A shí èr"),
        ("A110", "zh", "A yì bǎi yī shí"),
        ("B1002", "zh", "B yì qiān líng èr"),
        ("B2020", "zh", "B liǎng qiān líng èr shí"),
    ],
)
def test_whole_style(number: str, lang: str, spoken: str) -> None:
    assert spoken_number(number, lang, "whole") == spoken


@pytest.mark.parametrize("n", [7, 12, 21, 345, 999])
def test_whole_style_is_num2words_below_a_thousand(n: int) -> None:
    assert spoken_number(f"A{n:03d}", "vi", "whole") == f"A, {num2words(n, lang='vi')}"
    assert spoken_number(f"A{n:03d}", "en", "whole") == f"A, {num2words(n, lang='en')}"


def test_counter_is_read_as_a_whole_number() -> None:
    assert spoken_text("A012", 12, "vi").endswith("đến quầy số mười hai")
    assert spoken_text("A012", 12, "en").endswith("counter twelve")
    assert spoken_text("A012", 12, "zh").endswith("dào shí èr hào chuāng kǒu")


def test_every_letter_has_a_vietnamese_name() -> None:
    assert sorted(VI_LETTERS) == [chr(code) for code in range(ord("A"), ord("Z") + 1)]
    assert (VI_LETTERS["B"], VI_LETTERS["C"], VI_LETTERS["D"], VI_LETTERS["G"]) == ("bê", "xê", "dê", "giê")
    assert spoken_number("S1", "vi") == "ét xì, một"


@pytest.mark.parametrize("bad", ["", "A-12", "A 12", "Đ12"])
def test_not_a_ticket_number(bad: str) -> None:
    with pytest.raises(ValueError, match="not a ticket number"):
        spoken_number(bad, "vi")


def test_unknown_language_or_style() -> None:
    with pytest.raises(ValueError):
        spoken_number("A012", "fr")
    with pytest.raises(ValueError):
        spoken_number("A012", "vi", "roman")


def test_office_wording_overrides_the_default() -> None:
    templates = {"vi": "Xin mời số {number} tới quầy {counter}"}
    assert announcement_text("A012", 3, "vi", templates) == "Xin mời số A012 tới quầy 3"
    assert spoken_text("A012", 3, "vi", templates=templates) == "Xin mời số A, không, một, hai tới quầy ba"
    assert announcement_text("A012", 3, "en", templates) == "Ticket A012, please go to counter 3"


def test_chinese_display_wording_leaves_the_pinyin_alone_unless_given() -> None:
    templates = {"zh": "请{number}号到{counter}号柜台"}
    assert announcement_text("A012", 3, "zh", templates) == "请A012号到3号柜台"
    assert spoken_text("A012", 3, "zh", templates=templates) == "qǐng A líng yī èr hào dào sān hào chuāng kǒu"
    spoken = {"zh": "qǐng {number} hào dào {counter} hào guì tái"}
    assert spoken_text("A012", 3, "zh", spoken_templates=spoken) == "qǐng A líng yī èr hào dào sān hào guì tái"


@pytest.mark.parametrize(
    ("citizen", "office", "switch", "langs"),
    [
        ("vi", ["vi", "en", "zh"], True, ["vi"]),
        ("en", ["vi", "en", "zh"], True, ["vi", "en"]),
        ("zh", ["vi", "en", "zh"], True, ["vi", "zh"]),
        ("zh", ["vi", "en", "zh"], False, ["vi"]),
        ("zh", ["vi", "en"], True, ["vi"]),
        ("en", ["en", "vi"], True, ["vi", "en"]),
        ("fr", ["vi", "fr"], True, ["vi"]),
    ],
)
def test_languages_vietnamese_first_then_the_citizens(
    citizen: str, office: list[str], switch: bool, langs: list[str]
) -> None:
    assert announcement_languages(citizen, office, switch) == langs


@pytest.mark.parametrize(("lang", "said"), [
    ("vi", "A không một hai, quầy ba"),
    ("en", "A zero one two, counter three"),
    ("zh", "A líng yī èr hào, sān hào chuāng kǒu"),
])
def test_a_brief_call_is_the_number_and_the_counter_without_pauses(lang: str, said: str) -> None:
    assert brief_text("A012", 3, lang) == said
