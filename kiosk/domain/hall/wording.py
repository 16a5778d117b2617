"""The words of a hall announcement per language: the sentence the display shows and the text a voice reads."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from num2words import num2words

TEMPLATES = {
    "vi": "Mời công dân có số thứ tự {number} đến quầy số {counter}",
    "en": "Ticket {number}, please go to counter {counter}",
    "zh": "请{number}号到{counter}号窗口",
}
# Only where the voice needs other words than the display: espeak-ng reads Chinese correctly only as pinyin.
SPOKEN_TEMPLATES = {"zh": "qǐng {number} hào dào {counter} hào chuāng kǒu"}
# What a voice reads of a call while others wait behind it: the number and the counter, no more, so a backlog
# drains in seconds (Chinese as pinyin, as above).
BRIEF_TEMPLATES = {"vi": "{number}, quầy {counter}", "en": "{number}, counter {counter}",
                   "zh": "{number} hào, {counter} hào chuāng kǒu"}
STYLES = ("digits", "whole")

# Letter names as a Vietnamese announcer says them; vowels are their own names.
VI_LETTERS = {
    "A": "A", "B": "bê", "C": "xê", "D": "dê", "E": "E", "F": "ép", "G": "giê", "H": "hát", "I": "I",
    "J": "di", "K": "ca", "L": "e lờ", "M": "em mờ", "N": "en nờ", "O": "O", "P": "pê", "Q": "quy",
    "R": "e rờ", "S": "ét xì", "T": "tê", "U": "U", "V": "vê", "W": "vê kép", "X": "ích xì", "Y": "i dài",
    "Z": "dét",
}
VI_DIGITS = ("không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín")
EN_DIGITS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
ZH_DIGITS = ("líng", "yī", "èr", "sān", "sì", "wǔ", "liù", "qī", "bā", "jiǔ")
_ZH_PLACES = ((1000, "qiān"), (100, "bǎi"), (10, "shí"), (1, ""))


def _vietnamese_whole(n: int) -> str:
    """num2words, but 1015 is "một nghìn không trăm mười lăm" as people say it, not "một nghìn lẻ mười lăm"."""
    thousands, rest = divmod(n, 1000)
    if not (0 < thousands < 1000 and 0 < rest < 100):
        return str(num2words(n, lang="vi"))
    tail = ("lẻ " if rest < 10 else "") + str(num2words(rest, lang="vi"))
    return f"{num2words(thousands * 1000, lang='vi')} không trăm {tail}"


def _english_whole(n: int) -> str:
    return str(num2words(n, lang="en"))


def _chinese_digit(digit: int, place: str) -> str:
    """一 is yì before 千/百 (tone sandhi) and 2 is liǎng before 千, as numbers are read aloud."""
    if digit == 1 and place in ("qiān", "bǎi"):
        return "yì"
    if digit == 2 and place == "qiān":
        return "liǎng"
    return ZH_DIGITS[digit]


def _chinese_whole(n: int) -> str:
    """Pinyin of 0–9999: 12 "shí èr", 105 "yì bǎi líng wǔ", 2000 "liǎng qiān"."""
    if not 0 <= n < 10_000:
        raise ValueError(f"{n} has more digits than a ticket number")
    if n < 10:
        return ZH_DIGITS[n]
    if n < 20:
        return "shí" + (f" {ZH_DIGITS[n - 10]}" if n > 10 else "")
    words: list[str] = []
    zero_before = False
    for place, name in _ZH_PLACES:
        digit = n // place % 10
        if digit == 0:
            zero_before = bool(words)
            continue
        words += ["líng"] if zero_before else []
        words += [_chinese_digit(digit, name), name] if name else [ZH_DIGITS[digit]]
        zero_before = False
    return " ".join(words)


@dataclass(frozen=True)
class _Reader:
    """How one language reads the letters and digits of a ticket number."""

    letter: Callable[[str], str]
    digits: tuple[str, ...]
    whole: Callable[[int], str]
    separator: str


# espeak-ng's English and cmn-latn-pinyin voices say a capital letter's (Chinese-style English) name themselves.
_READERS = {
    "vi": _Reader(VI_LETTERS.__getitem__, VI_DIGITS, _vietnamese_whole, ", "),
    "en": _Reader(str, EN_DIGITS, _english_whole, ", "),
    "zh": _Reader(str, ZH_DIGITS, _chinese_whole, " "),
}
LANGUAGES = tuple(_READERS)


def spoken_number(number: str, lang: str, style: str = "digits", separator: str | None = None) -> str:
    """A ticket number as words a voice reads right ("A012" → "A, không, một, hai"); espeak would say "mười hai".
    A brief call reads the digits without the pauses commas make."""
    if lang not in _READERS or style not in STYLES:
        raise ValueError(f"cannot read numbers in language {lang!r}, style {style!r}")
    if not (number.isascii() and number.isalnum()):
        raise ValueError(f"not a ticket number: {number!r}")
    reader = _READERS[lang]
    words: list[str] = []
    for run in re.findall(r"[A-Za-z]|[0-9]+", number):
        if run.isalpha():
            words.append(reader.letter(run.upper()))
        elif style == "whole":
            words.append(reader.whole(int(run)))
        else:
            words += [reader.digits[int(digit)] for digit in run]
    return (reader.separator if separator is None else separator).join(words)


def announcement_text(
    number: str, counter: str | int, lang: str, templates: Mapping[str, str] | None = None
) -> str:
    """The sentence the display shows: "Mời công dân có số thứ tự A012 đến quầy số 3"."""
    template = {**TEMPLATES, **(templates or {})}[lang]
    return template.format(number=number, counter=counter)


def spoken_text(
    number: str,
    counter: str | int,
    lang: str,
    style: str = "digits",
    templates: Mapping[str, str] | None = None,
    spoken_templates: Mapping[str, str] | None = None,
) -> str:
    """The sentence a voice reads: numbers as words, Chinese as pinyin; office wording overrides the defaults."""
    template = {**TEMPLATES, **(templates or {}), **SPOKEN_TEMPLATES, **(spoken_templates or {})}[lang]
    return template.format(
        number=spoken_number(number, lang, style), counter=spoken_number(str(counter), lang, "whole")
    )


def brief_text(number: str, counter: str | int, lang: str) -> str:
    """What a voice reads of a call while others wait: "A không một hai, quầy ba", no pause between digits."""
    return BRIEF_TEMPLATES[lang].format(number=spoken_number(number, lang, "digits", separator=" "),
                           counter=spoken_number(str(counter), lang, "whole"))


def announcement_languages(citizen_lang: str, office_langs: list[str], speak_citizen_language: bool) -> list[str]:
    """Vietnamese first, always; then the citizen's language when the office announces in it."""
    wanted = speak_citizen_language and citizen_lang in office_langs and citizen_lang in LANGUAGES
    return ["vi"] + ([citizen_lang] if wanted and citizen_lang != "vi" else [])
