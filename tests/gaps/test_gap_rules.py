"""The gap rules, each with hand-computed expected values (DESIGN.md, "The gap analysis").

Default weights: already delivering 1.0, ready now 0.8, ready with support 0.5,
exploring 0.2, not interested 0. Fragile under a ratio of 0.5, covered from 1.
"""

from decimal import Decimal

import pytest

from mapping.gaps import GapClass, analyse, classify, current_rules, median
from mapping.models import OfferRole, VerificationStatus, Willingness
from services.models import ReviewStatus, RiskTier
from tests.factories import (
    CapacityOfferFactory,
    OrganisationFactory,
    ServiceFactory,
    WardFactory,
)

pytestmark = pytest.mark.django_db

D = Decimal


def offer(service, wards, *, hours, willingness=Willingness.READY_NOW, **kwargs):
    organisation = kwargs.pop("organisation", None) or OrganisationFactory(
        verification_status=kwargs.pop("status", VerificationStatus.VERIFIED)
    )
    return CapacityOfferFactory(
        organisation=organisation,
        service=service,
        wards=wards,
        volunteer_hours_per_month=hours,
        willingness=willingness,
        **kwargs,
    )


@pytest.fixture
def wards():
    return [
        WardFactory(name="A ward", imd_decile=1),
        WardFactory(name="B ward", imd_decile=5),
        WardFactory(name="C ward", imd_decile=2),
        WardFactory(name="D ward", imd_decile=9),
    ]


def cell_of(result, service, ward):
    return result.cell(service.pk, ward.pk)


def test_it_classifies_every_class_from_weighted_hours(wards):
    a, b, c, d = wards
    # 120 hours over 4 wards: 30 needed in each.
    service = ServiceFactory(volunteer_hours_needed=120, wards=wards)
    # A: 40 x 1.0 + 10 x 0.8 = 48 from two groups -> ratio 1.6, covered.
    offer(service, [a], hours=40, willingness=Willingness.ALREADY_DELIVERING)
    offer(service, [a], hours=10, willingness=Willingness.READY_NOW)
    # B: 30 x 0.5 + 10 x 0.2 = 17 from two groups -> ratio 0.5667, partial.
    offer(service, [b], hours=30, willingness=Willingness.READY_WITH_SUPPORT)
    offer(service, [b], hours=10, willingness=Willingness.EXPLORING)
    # C: 100 x 1.0 from one group -> ratio 3.3333 but a single group: fragile.
    offer(service, [c], hours=100, willingness=Willingness.ALREADY_DELIVERING)
    # D: only a group that is not interested -> no capacity.
    offer(service, [d], hours=500, willingness=Willingness.NOT_INTERESTED)

    result = analyse()

    covered = cell_of(result, service, a)
    assert (covered.capacity, covered.needed, covered.organisations) == (D(48), D(30), 2)
    assert covered.ratio == D("1.6")
    assert covered.gap_class == GapClass.COVERED
    partial = cell_of(result, service, b)
    assert (partial.capacity, partial.organisations, partial.ratio) == (D(17), 2, D("0.5667"))
    assert partial.gap_class == GapClass.PARTIAL
    fragile = cell_of(result, service, c)
    assert (fragile.capacity, fragile.organisations) == (D(100), 1)
    assert fragile.gap_class == GapClass.FRAGILE
    nobody = cell_of(result, service, d)
    assert (nobody.capacity, nobody.organisations) == (D(0), 0)
    assert nobody.gap_class == GapClass.NO_CAPACITY
    summary = result.services[0]
    assert summary.classes == {"covered": 1, "partial": 1, "fragile": 1, "no_capacity": 1}
    assert summary.capacity == D(165)


def test_two_groups_with_too_few_hours_are_fragile(wards):
    service = ServiceFactory(volunteer_hours_needed=40, wards=[wards[0]])
    # 10 x 0.8 + 10 x 1.0 = 18 of 40 needed: ratio 0.45.
    offer(service, [wards[0]], hours=10, willingness=Willingness.READY_NOW)
    offer(service, [wards[0]], hours=10, willingness=Willingness.ALREADY_DELIVERING)
    cell = cell_of(analyse(), service, wards[0])
    assert (cell.capacity, cell.ratio, cell.gap_class) == (D(18), D("0.45"), GapClass.FRAGILE)


def test_an_offer_naming_several_wards_splits_its_hours_equally(wards):
    a, b, c, _ = wards
    service = ServiceFactory(volunteer_hours_needed=0, wards=wards)
    # 60 hours ready now over 3 wards: 0.8 x 60 / 3 = 16 in each; none in D.
    offer(service, [a, b, c], hours=60, willingness=Willingness.READY_NOW)
    result = analyse()
    assert [cell_of(result, service, w).capacity for w in wards] == [D(16), D(16), D(16), D(0)]


def test_hours_offered_in_a_ward_the_service_does_not_cover_are_not_moved_elsewhere(wards):
    a, b, *_ = wards
    service = ServiceFactory(volunteer_hours_needed=10, wards=[a])
    # 20 hours over A and B: 10 in A (1.0 weight); B is not a cell of this service.
    offer(service, [a, b], hours=20, willingness=Willingness.ALREADY_DELIVERING)
    result = analyse()
    assert cell_of(result, service, a).capacity == D(10)
    assert cell_of(result, service, b) is None


def test_a_ratio_of_exactly_one_half_is_partial_and_exactly_one_is_covered(wards):
    a, b, *_ = wards
    service = ServiceFactory(volunteer_hours_needed=60, wards=[a, b])  # 30 a ward
    # A: 10 + 5 = 15 of 30 -> exactly 0.5.
    offer(service, [a], hours=10, willingness=Willingness.ALREADY_DELIVERING)
    offer(service, [a], hours=10, willingness=Willingness.READY_WITH_SUPPORT)
    # B: 20 + 10 = 30 of 30 -> exactly 1.
    offer(service, [b], hours=20, willingness=Willingness.ALREADY_DELIVERING)
    offer(service, [b], hours=20, willingness=Willingness.READY_WITH_SUPPORT)
    result = analyse()
    assert cell_of(result, service, a).ratio == D("0.5")
    assert cell_of(result, service, a).gap_class == GapClass.PARTIAL
    assert cell_of(result, service, b).ratio == D(1)
    assert cell_of(result, service, b).gap_class == GapClass.COVERED


def test_a_tie_survives_hours_that_do_not_divide_evenly(wards):
    trio = wards[:3]
    # 20 hours over 3 wards: 6.667 needed; two groups each 5 hours over the 3 wards:
    # 2 x 5 / 3 = 3.333 in each. Exactly one half: partial, not fragile.
    service = ServiceFactory(volunteer_hours_needed=20, wards=trio)
    offer(service, trio, hours=5, willingness=Willingness.ALREADY_DELIVERING)
    offer(service, trio, hours=5, willingness=Willingness.ALREADY_DELIVERING)
    cell = cell_of(analyse(), service, trio[0])
    assert cell.capacity == D("3.3333")
    assert cell.needed == D("6.6667")
    assert cell.ratio == D("0.5")
    assert cell.gap_class == GapClass.PARTIAL


def test_a_service_needing_no_hours_is_classed_by_the_number_of_groups(wards):
    a, b, c, _ = wards
    service = ServiceFactory(volunteer_hours_needed=0, wards=[a, b, c])
    offer(service, [a], hours=0, willingness=Willingness.EXPLORING)
    offer(service, [a], hours=5, willingness=Willingness.READY_NOW)
    offer(service, [b], hours=50, willingness=Willingness.READY_NOW)
    result = analyse()
    assert cell_of(result, service, a).ratio is None
    assert cell_of(result, service, a).gap_class == GapClass.COVERED
    assert cell_of(result, service, b).gap_class == GapClass.FRAGILE
    assert cell_of(result, service, c).gap_class == GapClass.NO_CAPACITY


def test_a_group_offering_no_hours_still_counts_as_willing(wards):
    service = ServiceFactory(volunteer_hours_needed=10, wards=[wards[0]])
    offer(service, [wards[0]], hours=0, willingness=Willingness.READY_NOW)
    cell = cell_of(analyse(), service, wards[0])
    assert (cell.organisations, cell.capacity, cell.gap_class) == (1, D(0), GapClass.FRAGILE)


def test_a_high_risk_service_counts_only_supporting_roles(wards):
    a = wards[0]
    service = ServiceFactory(risk_tier=RiskTier.HIGH, volunteer_hours_needed=10, wards=[a])
    offer(
        service,
        [a],
        hours=100,
        willingness=Willingness.ALREADY_DELIVERING,
        role=OfferRole.RUN_SERVICE,
    )
    offer(
        service,
        [a],
        hours=100,
        willingness=Willingness.ALREADY_DELIVERING,
        role=OfferRole.RUN_ASSET,
    )
    offer(
        service, [a], hours=5, willingness=Willingness.ALREADY_DELIVERING, role=OfferRole.VOLUNTEER
    )
    offer(
        service,
        [a],
        hours=10,
        willingness=Willingness.READY_WITH_SUPPORT,
        role=OfferRole.CO_PRODUCE,
    )
    offer(service, [a], hours=10, willingness=Willingness.EXPLORING, role=OfferRole.SELF_HELP)
    cell = cell_of(analyse(), service, a)
    # 5 + 5 + 2 = 12 from three groups; the two running the service do not count.
    assert (cell.capacity, cell.organisations, cell.ratio) == (D(12), 3, D("1.2"))


def test_the_same_roles_count_for_a_low_risk_service(wards):
    a = wards[0]
    service = ServiceFactory(risk_tier=RiskTier.LOW, volunteer_hours_needed=10, wards=[a])
    offer(
        service,
        [a],
        hours=100,
        willingness=Willingness.ALREADY_DELIVERING,
        role=OfferRole.RUN_SERVICE,
    )
    assert cell_of(analyse(), service, a).capacity == D(100)


def test_groups_waiting_for_review_count_only_when_asked_and_rejected_ones_never(wards):
    a = wards[0]
    service = ServiceFactory(volunteer_hours_needed=100, wards=[a])
    offer(service, [a], hours=50, willingness=Willingness.ALREADY_DELIVERING)
    offer(
        service,
        [a],
        hours=30,
        willingness=Willingness.ALREADY_DELIVERING,
        status=VerificationStatus.PENDING,
    )
    offer(
        service,
        [a],
        hours=1000,
        willingness=Willingness.ALREADY_DELIVERING,
        status=VerificationStatus.REJECTED,
    )

    verified_only = cell_of(analyse(), service, a)
    assert (verified_only.capacity, verified_only.organisations) == (D(50), 1)
    assert verified_only.gap_class == GapClass.FRAGILE

    with_pending = cell_of(analyse(include_pending=True), service, a)
    assert (with_pending.capacity, with_pending.organisations) == (D(80), 2)
    assert with_pending.gap_class == GapClass.PARTIAL


def test_withdrawn_offers_do_not_count(wards):
    a = wards[0]
    service = ServiceFactory(volunteer_hours_needed=10, wards=[a])
    kept = offer(service, [a], hours=10, willingness=Willingness.ALREADY_DELIVERING)
    offer(service, [a], hours=10, willingness=Willingness.ALREADY_DELIVERING).withdraw()
    cell = cell_of(analyse(), service, a)
    assert (cell.capacity, cell.organisations, cell.gap_class) == (D(10), 1, GapClass.FRAGILE)
    kept.withdraw()
    assert cell_of(analyse(), service, a).gap_class == GapClass.NO_CAPACITY


def test_deprived_wards_below_the_median_are_flagged(wards):
    a, b, c, d = wards  # deciles 1, 5, 2, 9
    service = ServiceFactory(volunteer_hours_needed=40, wards=wards)
    # Capacities: A 8, B 16, C 12, D 40 -> sorted 8, 12, 16, 40; median (12 + 16) / 2 = 14.
    offer(service, [a], hours=10)
    offer(service, [b], hours=20)
    offer(service, [c], hours=15)
    offer(service, [d], hours=50)
    result = analyse()
    assert result.services[0].median_capacity == D(14)
    assert cell_of(result, service, a).deprived  # decile 1, 8 < 14
    assert cell_of(result, service, c).deprived  # decile 2, 12 < 14
    assert not cell_of(result, service, b).deprived  # 16 >= 14, and not deprived anyway
    assert not cell_of(result, service, d).deprived


def test_a_deprived_ward_at_exactly_the_median_is_not_flagged(wards):
    a, b, c, _ = wards  # deciles 1, 5, 2
    service = ServiceFactory(volunteer_hours_needed=30, wards=[a, b, c])
    # Capacities 8, 0, 16: median 8. A (decile 1) has exactly 8: not below.
    offer(service, [a], hours=10)
    offer(service, [c], hours=20)
    result = analyse()
    assert result.services[0].median_capacity == D(8)
    assert not cell_of(result, service, a).deprived
    assert not cell_of(result, service, c).deprived  # 16, above the median
    assert not cell_of(result, service, b).deprived  # 0, but decile 5


def test_only_deciles_1_and_2_count_as_deprived():
    rich, richer = WardFactory(imd_decile=9), WardFactory(imd_decile=10)
    decile_2, decile_3 = WardFactory(imd_decile=2), WardFactory(imd_decile=3)
    service = ServiceFactory(volunteer_hours_needed=40, wards=[rich, richer, decile_2, decile_3])
    offer(service, [rich], hours=50)  # 40
    offer(service, [richer], hours=50)  # 40
    result = analyse()
    # Capacities 40, 40, 0, 0: median 20. Both poorer wards are below it, but only the
    # one in decile 2 is among the most deprived 20%.
    assert result.services[0].median_capacity == D(20)
    assert cell_of(result, service, decile_2).deprived
    assert not cell_of(result, service, decile_3).deprived


def test_a_ward_without_deprivation_figures_is_never_flagged(wards):
    a, b, *_ = wards
    unknown = WardFactory(imd_decile=None)
    service = ServiceFactory(volunteer_hours_needed=30, wards=[a, b, unknown])
    offer(service, [a], hours=50)
    offer(service, [b], hours=50)
    assert not cell_of(analyse(), service, unknown).deprived


def test_services_at_risk_with_no_capacity_anywhere_fall_through_the_gaps(wards):
    a, b, *_ = wards
    under_review = ServiceFactory(
        name="Under review", wards=[a, b], review_status=ReviewStatus.UNDER_REVIEW
    )
    open_to_eoi = ServiceFactory(name="Open", wards=[a], review_status=ReviewStatus.OPEN_TO_EOI)
    ServiceFactory(name="Cut", wards=[a], planned_budget_change=D("-25000"))
    # Only a group that is not interested, and a withdrawn offer: still nobody.
    offer(under_review, [a], hours=40, willingness=Willingness.NOT_INTERESTED)
    offer(open_to_eoi, [a], hours=40).withdraw()
    saved = ServiceFactory(name="Saved", wards=[a, b], review_status=ReviewStatus.UNDER_REVIEW)
    offer(saved, [b], hours=1, willingness=Willingness.EXPLORING)
    ServiceFactory(name="Stable", wards=[a], review_status=ReviewStatus.NOT_UNDER_REVIEW)
    ServiceFactory(name="Growing", wards=[a], planned_budget_change=D("5000"))

    result = analyse()
    assert [s.name for s in result.falling_through()] == ["Cut", "Open", "Under review"]


def test_the_ward_filter_narrows_the_cells_but_not_the_median(wards):
    a, b, c, d = wards
    service = ServiceFactory(volunteer_hours_needed=40, wards=wards)
    offer(service, [a], hours=10)  # 8
    offer(service, [b], hours=20)  # 16
    offer(service, [c], hours=15)  # 12
    offer(service, [d], hours=50)  # 40
    result = analyse(wards=[a.pk])
    assert list(result.cells) == [(service.pk, a.pk)]
    assert [w.code for w in result.wards] == [a.code]
    assert result.services[0].median_capacity == D(14)
    assert result.cell(service.pk, a.pk).deprived
    assert result.services[0].classes == {"fragile": 4}


def test_only_the_services_asked_for_are_analysed(wards):
    from services.models import Service

    wanted = ServiceFactory(name="Wanted", wards=wards[:1])
    ServiceFactory(name="Other", wards=wards[:1])
    result = analyse(services=Service.objects.filter(pk=wanted.pk))
    assert [s.name for s in result.services] == ["Wanted"]
    assert list(result.cells) == [(wanted.pk, wards[0].pk)]


def test_weights_and_thresholds_come_from_settings(wards, settings):
    settings.GAP_ANALYSIS = {
        **settings.GAP_ANALYSIS,
        "WEIGHTS": {**settings.GAP_ANALYSIS["WEIGHTS"], "exploring": "0"},
        "MIN_ORGANISATIONS": 1,
        "FRAGILE_BELOW": "0.25",
    }
    a = wards[0]
    service = ServiceFactory(volunteer_hours_needed=100, wards=[a])
    offer(service, [a], hours=30, willingness=Willingness.ALREADY_DELIVERING)
    offer(service, [a], hours=100, willingness=Willingness.EXPLORING)
    cell = cell_of(analyse(), service, a)
    # Exploring now weighs nothing and does not count as willing; one group suffices.
    assert (cell.capacity, cell.organisations, cell.gap_class) == (D(30), 1, GapClass.PARTIAL)


def test_residents_demand_sits_beside_the_class_without_changing_it(wards):
    from tests.factories import ConsultationAnswerFactory, ConsultationResponseFactory

    a = wards[0]
    service = ServiceFactory(volunteer_hours_needed=10, wards=[a])
    for comfort in (5, 5, 4, 4, 2):
        response = ConsultationResponseFactory(ward=a, gives_time=comfort == 5)
        ConsultationAnswerFactory(response=response, service=service, comfort=comfort)
    cell = cell_of(analyse(), service, a)
    assert cell.gap_class == GapClass.NO_CAPACITY
    assert cell.demand.mean_comfort == D("4.00")
    assert cell.demand.volunteers == 2
    assert not cell.demand.suppressed


def test_median_and_classify_follow_the_written_rules():
    assert median([]) is None
    assert median([D(3)]) == D(3)
    assert median([D(1), D(4)]) == D("2.5")
    assert median([D(9), D(1), D(5)]) == D(5)
    rules = current_rules()
    assert classify(organisations=0, ratio=D(5), rules=rules) == GapClass.NO_CAPACITY
    assert classify(organisations=1, ratio=D(5), rules=rules) == GapClass.FRAGILE
    assert classify(organisations=2, ratio=D("0.4999"), rules=rules) == GapClass.FRAGILE
    assert classify(organisations=2, ratio=D("0.5"), rules=rules) == GapClass.PARTIAL
    assert classify(organisations=2, ratio=D("0.9999"), rules=rules) == GapClass.PARTIAL
    assert classify(organisations=2, ratio=D(1), rules=rules) == GapClass.COVERED
    assert classify(organisations=2, ratio=None, rules=rules) == GapClass.COVERED


def test_a_service_covering_no_ward_at_risk_falls_through(wards):
    ServiceFactory(name="Nowhere yet", review_status=ReviewStatus.UNDER_REVIEW)
    result = analyse()
    assert [s.name for s in result.falling_through()] == ["Nowhere yet"]
    assert result.services[0].ward_count == 0


@pytest.mark.parametrize("size", [3, 12])
def test_it_takes_five_queries_whatever_the_size(django_assert_num_queries, size):
    wards = [WardFactory() for _ in range(size)]
    for i in range(size):
        service = ServiceFactory(wards=wards)
        offer(service, wards[: i + 1], hours=10 * i)
    with django_assert_num_queries(5):
        result = analyse()
    assert len(result.cells) == size * size
