"""A complete, valid TK01 as a citizen would type it, step by step (used by domain, view and browser tests)."""

from __future__ import annotations

TK01_STEPS: dict[str, dict[str, str]] = {
    "who": {"surname": "Nguyễn", "given_names": "Thị Ánh", "sex": "female", "date_of_birth": "25/04/1995",
            "place_of_birth": "Nghệ An", "ethnicity": "Kinh", "religion": "Không"},
    "contact": {"id_number": "040195000123", "phone": "0912345678", "email": "anh@example.vn"},
    "addresses": {"permanent_address": "Phường Vinh Tân, Nghệ An", "temporary_address": "",
                  "current_address": "Phường Vinh Tân, Nghệ An", "occupation": "Giáo viên", "employer": ""},
    "family": {"father_name": "Nguyễn Văn Bình", "father_dob": "1965", "mother_name": "Trần Thị Cúc",
               "mother_dob": "03/1968", "spouse_name": "", "spouse_dob": ""},
    "request": {"request": "first", "chip": "chip", "last_passport_number": "", "last_passport_issued": "",
                "refund_account": ""},
}
WRONG_ID = "040196000123"  # says born in 1996: one digit off, as people mistype
