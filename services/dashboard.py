"""What the officer home page shows from the handover pipeline: decisions and monitoring
returns that are overdue, and returns waiting for review. Six queries, whatever the
numbers."""

from django.utils import timezone

from services.models import ExpressionOfInterest, MonitoringReturn

SHOWN = 5


def officer_home_context(request):
    today = timezone.localdate()
    decisions = ExpressionOfInterest.objects.overdue_on(today)
    returns = MonitoringReturn.objects.overdue_on(today)
    to_review = MonitoringReturn.objects.waiting_for_review()
    return {
        "overdue_decisions": list(
            decisions.select_related("lead_organisation", "service", "asset").order_by(
                "decision_due_on", "pk"
            )[:SHOWN]
        ),
        "overdue_decision_count": decisions.count(),
        "overdue_returns": list(
            returns.select_related(
                "agreement__organisation", "agreement__service", "agreement__asset"
            ).order_by("due_on", "pk")[:SHOWN]
        ),
        "overdue_return_count": returns.count(),
        "returns_to_review": list(
            to_review.select_related(
                "agreement__organisation", "agreement__service", "agreement__asset"
            ).order_by("submitted_at", "pk")[:SHOWN]
        ),
        "returns_to_review_count": to_review.count(),
    }
