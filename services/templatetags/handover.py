"""The handover panel on a community group's dashboard (issue 7): a few counts, each from
one query, so the dashboard's query count does not grow with the group's records."""

from django import template
from django.db.models import Count, Q
from django.utils import timezone

from services.models import (
    AcvNomination,
    EoiPartner,
    EoiStatus,
    ExpressionOfInterest,
    MonitoringReturn,
    PartnerStatus,
    SaleNotice,
)

register = template.Library()


@register.simple_tag
def group_handover_summary(organisation):
    """Counts for ``organisation``: its expressions of interest by status, invitations to
    answer, returns to send (and how many are overdue), nominations waiting, and listed
    assets for sale that groups can still say they intend to bid for. Five queries."""
    today = timezone.localdate()
    by_status = dict(
        ExpressionOfInterest.objects.led_by(organisation)
        .values_list("status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    returns = (
        MonitoringReturn.objects.of_organisation(organisation)
        .open_on(today)
        .aggregate(to_send=Count("pk"), overdue=Count("pk", filter=Q(due_on__lt=today)))
    )
    return {
        "drafts": by_status.get(EoiStatus.DRAFT, 0),
        "awaiting_decision": by_status.get(EoiStatus.SUBMITTED, 0)
        + by_status.get(EoiStatus.UNDER_REVIEW, 0),
        "accepted": by_status.get(EoiStatus.ACCEPTED, 0),
        "invitations": EoiPartner.objects.filter(
            organisation=organisation,
            status=PartnerStatus.INVITED,
            expression_of_interest__status=EoiStatus.DRAFT,
        ).count(),
        "returns_to_send": returns["to_send"],
        "returns_overdue": returns["overdue"],
        "nominations_waiting": AcvNomination.objects.waiting()
        .filter(organisation=organisation)
        .count(),
        "assets_for_sale": SaleNotice.objects.taking_intentions_on(today).count(),
    }
