"""Sample tickets in the three languages, and helpers to look at printed tickets."""

from __future__ import annotations

from pathlib import Path

from PIL import Image

from printers import TicketPrint

FONT = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"
URL = "http://127.0.0.1:8000/t/Zq3VbT0x9sKd8mWc2LpQfA"
TICKET_ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts" / "tickets"

SAMPLES = {
    "vi": TicketPrint(
        office_name="Phòng Quản lý Xuất nhập cảnh Công an tỉnh Nghệ An",
        service_name="Hộ chiếu cho trẻ em dưới 14 tuổi",
        number="C012",
        issued_at="23/11/2026 09:00",
        ahead_line="Số người chờ trước bạn: 12",
        wait_line="Thời gian chờ dự kiến: khoảng 18 phút",
        qr_url=URL,
        priority_label="Ưu tiên: người cao tuổi",
        citizen_line="Mời quý khách ngồi chờ. Số của quý khách sẽ được gọi và hiển thị trên màn hình.",
        vietnamese_line=None,
        footer="Đường dây nóng: 0238 3844 222",
    ),
    "zh": TicketPrint(
        office_name="义安省出入境管理处",
        service_name="十四岁以下儿童护照",
        number="C007",
        issued_at="23/11/2026 09:00",
        ahead_line="您前面还有 3 人",
        wait_line="预计等候约 6 分钟",
        qr_url=URL,
        priority_label=None,
        citizen_line="请就座等候。叫到您的号码时会在屏幕上显示。",
        vietnamese_line="Mời quý khách ngồi chờ. Số của quý khách sẽ được gọi và hiển thị trên màn hình.",
    ),
    "en": TicketPrint(
        office_name="Nghe An Provincial Immigration Office",
        service_name="Passport re-issue",
        number="B1000",
        issued_at="23/11/2026 09:00",
        ahead_line="People waiting before you: 0",
        wait_line="Estimated wait: about 0 min",
        qr_url=URL,
        priority_label=None,
        citizen_line="Please take a seat. Your number will be called and shown on the screen.",
        vietnamese_line="Mời quý khách ngồi chờ. Số của quý khách sẽ được gọi và hiển thị trên màn hình.",
    ),
}


def save_artifact(image: Image.Image, name: str) -> Path:
    """Kept for a person to look at (tests/artifacts is ignored by git)."""
    TICKET_ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = TICKET_ARTIFACTS / f"{name}.png"
    image.save(path)
    return path


def contains_rows(image: Image.Image, part: Image.Image) -> bool:
    """Whether `part` appears in `image` as a block of whole rows, pixel for pixel."""
    rows = [image.crop((0, y, image.width, y + 1)).tobytes() for y in range(image.height)]
    wanted = [part.crop((0, y, part.width, y + 1)).tobytes() for y in range(part.height)]
    return any(rows[y:y + len(wanted)] == wanted for y in range(len(rows) - len(wanted) + 1))
