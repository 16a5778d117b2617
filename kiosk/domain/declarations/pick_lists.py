"""The declaration's pick lists: province (the 34 since 1 July 2025, or the country if abroad), ethnic group (the
54), religion, occupation. One source for the kiosk, the phone and the API: the screens show what `search` finds
for a few letters typed without diacritics; the checks store the list's own spelling (`pick`).

Stored values are Vietnamese, as the paper form is written; the English and Chinese names are glosses, shown
beside a value and searched like it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from babel import Locale

from kiosk.domain.declarations.checks import FieldProblem, clean_text
from kiosk.domain.languages import _

SHOWN = 6  # suggestions under a field: all reachable without scrolling, on the kiosk and a phone


@dataclass(frozen=True)
class Pick:
    value: str  # stored, Vietnamese
    glosses: dict[str, str]  # language → name, where it differs from the value
    formerly: tuple[str, ...] = ()  # names found too: the provinces merged into this one, other spellings


@dataclass(frozen=True)
class Match:
    pick: Pick
    via: str | None = None  # the former name or gloss the letters matched, when not the value


@dataclass(frozen=True)
class PickList:
    picks: tuple[Pick, ...]
    closed: bool = True  # False: the list only suggests, anything else typed is kept (occupations)


def fold(text: str) -> str:
    """Lower case without diacritics ("Đắk Lắk" → "dak lak"): how citizens type on a phone without Vietnamese."""
    bare = unicodedata.normalize("NFD", clean_text(text).lower().replace("đ", "d"))
    return "".join(c for c in bare if not unicodedata.combining(c))


def _words_start(text: str, typed: list[str]) -> bool:
    words = re.split(r"[\s\-–.,()'’]+", fold(text))
    return all(any(word.startswith(part) for word in words) or (not part.isascii() and part in fold(text))
               for part in typed)


def search(pick_list: PickList, typed: str, limit: int = SHOWN) -> list[Match]:
    """What a few letters find: values beginning with them, values with a word beginning with them, then a former
    name or a gloss; the list's order within each."""
    parts = fold(typed).split()
    if not parts:
        return [Match(pick) for pick in pick_list.picks[:limit]]
    found = [Match(pick) for pick in pick_list.picks if _words_start(pick.value, parts)]
    found.sort(key=lambda match: not fold(match.pick.value).startswith(parts[0]))  # "nhat": Nhật Bản first
    for pick in pick_list.picks:
        if len(found) >= limit:
            break
        if any(match.pick is pick for match in found):
            continue
        via = next((name for name in (*pick.formerly, *pick.glosses.values()) if _words_start(name, parts)), None)
        if via is not None:
            found.append(Match(pick, via))
    return found[:limit]


def pick(pick_list: PickList, typed: str) -> str:
    """The list's own spelling of what was typed ("nghe an" → "Nghệ An", a merged province → today's one); a
    closed list refuses anything else, an open one keeps it as typed."""
    wanted = fold(typed)
    for each in pick_list.picks:
        if wanted in (fold(each.value), *map(fold, each.formerly), *map(fold, each.glosses.values())):
            return each.value
    if pick_list.closed:
        raise FieldProblem(_("Not in the list: type the first letters and choose one."))
    return clean_text(typed)


# The 34 provinces and centrally-run cities since 1 July 2025 (Resolution 202/2025/QH15), with those merged in.
PROVINCES = (
    ("An Giang", ("Kiên Giang",)), ("Bắc Ninh", ("Bắc Giang",)), ("Cà Mau", ("Bạc Liêu",)), ("Cao Bằng", ()),
    ("Cần Thơ", ("Sóc Trăng", "Hậu Giang")), ("Đà Nẵng", ("Quảng Nam",)), ("Đắk Lắk", ("Phú Yên",)),
    ("Điện Biên", ()), ("Đồng Nai", ("Bình Phước",)), ("Đồng Tháp", ("Tiền Giang",)), ("Gia Lai", ("Bình Định",)),
    ("Hà Nội", ()), ("Hà Tĩnh", ()), ("Hải Phòng", ("Hải Dương",)), ("Huế", ("Thừa Thiên Huế",)),
    ("Hưng Yên", ("Thái Bình",)), ("Khánh Hòa", ("Ninh Thuận", "Khánh Hoà")), ("Lai Châu", ()), ("Lạng Sơn", ()),
    ("Lào Cai", ("Yên Bái",)), ("Lâm Đồng", ("Đắk Nông", "Bình Thuận")), ("Nghệ An", ()),
    ("Ninh Bình", ("Hà Nam", "Nam Định")), ("Phú Thọ", ("Vĩnh Phúc", "Hòa Bình", "Hoà Bình")),
    ("Quảng Ngãi", ("Kon Tum",)), ("Quảng Ninh", ()), ("Quảng Trị", ("Quảng Bình",)), ("Sơn La", ()),
    ("Tây Ninh", ("Long An",)), ("Thái Nguyên", ("Bắc Kạn",)), ("Thanh Hóa", ("Thanh Hoá",)),
    ("TP. Hồ Chí Minh", ("Hồ Chí Minh", "Sài Gòn", "HCM", "Bình Dương", "Bà Rịa - Vũng Tàu")),
    ("Tuyên Quang", ("Hà Giang",)), ("Vĩnh Long", ("Bến Tre", "Trà Vinh")),
)
# The 54 ethnic groups in the order of the official list (Decision 121-TCTK/PPCĐ), Kinh first.
ETHNIC_GROUPS = (
    "Kinh", "Tày", "Thái", "Hoa", "Khmer", "Mường", "Nùng", "Mông", "Dao", "Gia Rai", "Ngái", "Ê Đê", "Ba Na",
    "Xơ Đăng", "Sán Chay", "Cơ Ho", "Chăm", "Sán Dìu", "Hrê", "Mnông", "Raglai", "Xtiêng", "Bru - Vân Kiều", "Thổ",
    "Giáy", "Cơ Tu", "Gié Triêng", "Mạ", "Khơ Mú", "Co", "Tà Ôi", "Chơ Ro", "Kháng", "Xinh Mun", "Hà Nhì", "Chu Ru",
    "Lào", "La Chí", "La Ha", "Phù Lá", "La Hủ", "Lự", "Lô Lô", "Chứt", "Mảng", "Pà Thẻn", "Cơ Lao", "Cống", "Bố Y",
    "Si La", "Pu Péo", "Brâu", "Ơ Đu", "Rơ Măm",
)
ETHNIC_SPELLINGS = {"Khmer": ("Khơ Me",), "Mông": ("H'Mông", "Hmông", "Mèo"), "Ê Đê": ("Ê-đê",),
                    "Gia Rai": ("Gia-rai", "Jrai"), "Ba Na": ("Ba-na", "Bahnar")}
# No religion first, then the religions recognised in Vietnam (Government Committee for Religious Affairs).
RELIGIONS = (
    ("Không", "None", "无"), ("Phật giáo", "Buddhism", "佛教"), ("Công giáo", "Catholicism", "天主教"),
    ("Tin Lành", "Protestantism", "基督新教"), ("Cao Đài", "Caodaism", "高台教"),
    ("Phật giáo Hòa Hảo", "Hoa Hao Buddhism", "和好佛教"), ("Hồi giáo", "Islam", "伊斯兰教"),
    ("Bà-la-môn", "Brahmanism", "婆罗门教"), ("Baha'i", "Baháʼí", "巴哈伊教"),
    ("Tịnh độ Cư sĩ Phật hội Việt Nam", "", ""), ("Tứ Ân Hiếu Nghĩa", "", ""), ("Bửu Sơn Kỳ Hương", "", ""),
    ("Minh Sư Đạo", "", ""), ("Minh Lý Đạo - Tam Tông Miếu", "", ""), ("Phật giáo Hiếu Nghĩa Tà Lơn", "", ""),
    ("Cơ đốc Phục lâm", "Seventh-day Adventist", "基督复临安息日会"),
    ("Các Thánh hữu ngày sau của Chúa Giê-su Ky-tô", "Latter-day Saints", "耶稣基督后期圣徒教会"),
)
# What citizens most often write; anything else typed is kept as it is.
OCCUPATIONS = (
    ("Học sinh", "Pupil", "中小学生"), ("Sinh viên", "Student", "大学生"), ("Công nhân", "Factory worker", "工人"),
    ("Nông dân", "Farmer", "农民"), ("Ngư dân", "Fisher", "渔民"), ("Kinh doanh", "Business", "经商"),
    ("Nhân viên văn phòng", "Office worker", "职员"), ("Cán bộ, công chức, viên chức", "Civil servant", "公务员"),
    ("Giáo viên", "Teacher", "教师"), ("Bác sĩ", "Doctor", "医生"), ("Điều dưỡng", "Nurse", "护士"),
    ("Kỹ sư", "Engineer", "工程师"), ("Lái xe", "Driver", "司机"), ("Lao động tự do", "Self-employed", "自由职业"),
    ("Nội trợ", "Homemaker", "家庭主妇"), ("Hưu trí", "Retired", "退休"), ("Chưa có việc làm", "Unemployed", "无业"),
)
NOT_COUNTRIES = {"VN", "EU", "EZ", "UN", "QO", "XA", "XB", "ZZ"}  # Vietnam is its provinces; the rest are not places


def _glossed(vi: str, en: str, zh: str) -> Pick:
    return Pick(vi, {language: name for language, name in (("en", en), ("zh", zh)) if name})


def _countries() -> tuple[Pick, ...]:
    """Born abroad: the country, named in Vietnamese (CLDR through Babel), found by its English or Chinese name."""
    names = {language: Locale.parse(language).territories for language in ("vi", "en", "zh")}
    codes = [code for code in map(str, names["vi"]) if len(code) == 2 and code.isalpha() and code not in NOT_COUNTRIES]
    picks = [Pick(names["vi"][code], {"en": names["en"][code], "zh": names["zh"][code]}) for code in codes]
    return tuple(sorted(picks, key=lambda each: fold(each.value)))


PICK_LISTS: dict[str, PickList] = {
    "places": PickList(tuple(Pick(name, {}, formerly) for name, formerly in PROVINCES) + _countries()),
    "ethnic_groups": PickList(tuple(Pick(name, {}, ETHNIC_SPELLINGS.get(name, ())) for name in ETHNIC_GROUPS)),
    "religions": PickList(tuple(_glossed(*names) for names in RELIGIONS)),
    "occupations": PickList(tuple(_glossed(*names) for names in OCCUPATIONS), closed=False),
}
