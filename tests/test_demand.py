from decimal import Decimal

import pytest

from mapping.demand import demand_by_cell
from tests.factories import (
    ConsultationAnswerFactory,
    ConsultationFactory,
    ConsultationResponseFactory,
    ServiceFactory,
    WardFactory,
)

pytestmark = pytest.mark.django_db


def answer(consultation, ward, service, comfort, gives_time=False, hours=None):
    response = ConsultationResponseFactory(
        consultation=consultation, ward=ward, gives_time=gives_time, hours_per_month=hours
    )
    return ConsultationAnswerFactory(response=response, service=service, comfort=comfort)


def test_it_aggregates_a_cell_as_computed_by_hand(django_assert_num_queries):
    consultation = ConsultationFactory()
    ward, other_ward = WardFactory(), WardFactory()
    library = ServiceFactory()
    # comforts 1, 2, 4, 5 and one "don't know"; two would give 3 and 5 hours.
    for comfort, gives, hours in [
        (1, False, None),
        (2, True, 3),
        (4, False, None),
        (5, True, 5),
        (None, False, None),
    ]:
        answer(consultation, ward, library, comfort, gives, hours)
    answer(consultation, other_ward, library, 3)

    with django_assert_num_queries(1):
        cells = demand_by_cell()

    cell = cells[(library.pk, ward.pk)]
    assert cell.responses == 5
    assert cell.comfort_answers == 4
    assert cell.mean_comfort == Decimal("3.00")  # (1 + 2 + 4 + 5) / 4
    assert cell.uneasy == 2
    assert cell.share_uneasy == Decimal("0.50")
    assert (cell.volunteers, cell.volunteer_hours) == (2, 8)
    assert not cell.suppressed
    assert cells[(library.pk, other_ward.pk)].suppressed  # 1 response, under 5


def test_drafts_do_not_count_and_one_consultation_can_be_chosen():
    ward, library = WardFactory(), ServiceFactory()
    draft = ConsultationFactory(is_published=False)
    first, second = ConsultationFactory(), ConsultationFactory()
    answer(draft, ward, library, 5)
    answer(first, ward, library, 1)
    answer(second, ward, library, 5)
    assert demand_by_cell()[(library.pk, ward.pk)].responses == 2
    only_first = demand_by_cell(consultation=first)[(library.pk, ward.pk)]
    assert (only_first.responses, only_first.mean_comfort) == (1, Decimal("1.00"))
