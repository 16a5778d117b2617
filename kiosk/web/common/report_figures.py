"""The office's report over a period, for the reports page, its exports and the API alike: the closed days not
kept yet are added up and kept first (once; a short write), then the report is read."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from kiosk.data.models import Office, Service
from kiosk.domain.statistics import closed_days
from kiosk.domain.statistics.kpis import Report, report
from kiosk.domain.statistics.measures import Targets, targets_from_config
from kiosk.domain.statistics.periods import Period
from kiosk.web.common.db import db, read_db, runtime


def office_report(office: Office, period: Period) -> Report:
    reader, rt = read_db(), runtime()
    targets = office_targets(office)
    now = rt.clock()
    if closed_days.days_to_keep(reader, office, period, targets, now):
        _keep(office.id, period, targets)
        reader.commit()  # a new snapshot, which sees the days just kept
    return report(reader, office, period, targets, now)


def office_targets(office: Office) -> Targets:
    services = list(read_db().scalars(select(Service).where(Service.office_id == office.id)))
    return targets_from_config(runtime().config["reports"], services)


def _keep(office_id: int, period: Period, targets: Targets) -> None:
    session = db()
    try:
        with session.begin():
            own = session.get_one(Office, office_id)
            missing = closed_days.days_to_keep(session, own, period, targets, runtime().clock())
            if missing:
                closed_days.keep(session, own, missing, targets, runtime().clock())
    except IntegrityError:
        pass  # another request kept the same days at the same moment: theirs are as good
