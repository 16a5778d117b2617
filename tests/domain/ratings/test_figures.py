"""The ratings' figures: response rate and satisfied share by counter, officer, service and day, repeat visits,
cases open, overdue and closed in time; nobody's own row among the officers."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from kiosk.data.models import Office, Ticket
from kiosk.domain.ratings import cases, figures, ratings
from kiosk.domain.ratings.cases import Viewer
from kiosk.domain.ratings.ratings import Details
from kiosk.domain.ratings.settings import RatingSettings
from tests.support.domain import committing


def test_satisfaction_response_and_repeat_visits(session: Session, office: Office, rating_settings: RatingSettings,
                                                 morning: datetime, served: Callable[..., Ticket]) -> None:
    tickets = [served(morning + timedelta(minutes=10 * i)) for i in range(4)]
    served(morning + timedelta(hours=1), counter=2)  # finished, never rated
    with committing(session):
        for ticket, level, visits in zip(tickets, ["very_satisfied", "satisfied", "dissatisfied"], ["1", "2", "3"],
                                         strict=False):
            rating = ratings.rate(session, ticket, level, "pad", morning + timedelta(hours=2), rating_settings)
            ratings.add_details(session, rating, Details(visits=visits), morning, rating_settings)
    day = morning.date()
    [counter_1, counter_2] = figures.rating_figures(session, office, day, day, "counter")
    assert (counter_1.key, counter_1.done, counter_1.rated, counter_1.satisfied) == ("1", 4, 3, 2)
    assert counter_1.response_rate == 0.75 and counter_1.satisfied_share == 2 / 3
    assert (counter_1.second_visit, counter_1.third_visit) == (1, 1)
    assert (counter_2.key, counter_2.done, counter_2.rated, counter_2.satisfied_share) == ("2", 1, 0, None)
    [by_service] = figures.rating_figures(session, office, day, day, "service")
    assert (by_service.key, by_service.done, by_service.rated) == ("passport-first", 5, 3)
    [by_day] = figures.rating_figures(session, office, day, day, "day")
    assert by_day.key == day.isoformat()
    [officer] = figures.rating_figures(session, office, day, day, "officer")
    assert (officer.key, officer.done, officer.rated) == ("officer1", 5, 3)
    assert figures.rating_figures(session, office, day, day, "officer", hidden_officer="officer1") == []
    assert figures.rating_figures(session, office, day + timedelta(days=1), day + timedelta(days=1), "day") == []


def test_cases_open_overdue_and_closed_in_time(session: Session, office: Office, rating_settings: RatingSettings,
                                               morning: datetime, served: Callable[..., Ticket]) -> None:
    first, second = served(), served(morning + timedelta(minutes=10))
    with committing(session):
        ratings.rate(session, first, "not_satisfied", "phone", morning, rating_settings)
        ratings.rate(session, second, "dissatisfied", "phone", morning, rating_settings)
    [case, _other] = cases.cases(session, office, Viewer(0, "staff:boss"))
    with committing(session):
        cases.close(session, office, case.id, "Answered", Viewer(0, "staff:boss"), morning + timedelta(hours=3))
    counts = figures.case_counts(session, office, morning + timedelta(days=2))
    assert (counts.open, counts.overdue, counts.closed_in_time, counts.closed_late) == (1, 1, 1, 0)
