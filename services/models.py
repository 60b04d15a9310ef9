"""The council's service catalogue, its assets, and the handover of services and assets
to community groups: expressions of interest, Assets of Community Value, agreements and
monitoring returns."""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from mapping.models import choices_check
from services import acv
from services.periods import earliest_start_still_running


class RiskTier(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    # "Hard-edged" services such as social care: only supporting roles count for them.
    HIGH = "high", _("High")


class ProvidingBody(models.TextChoices):
    COUNCIL = "council", _("The council")
    PARISH = "parish", _("Parish or town council")
    NHS = "nhs", _("NHS")
    POLICE = "police", _("Police")
    FIRE = "fire", _("Fire and rescue")
    OTHER = "other", _("Other public body")


class DeliveryModel(models.TextChoices):
    COUNCIL_RUN = "council_run", _("Run by the council")
    COUNCIL_WITH_VOLUNTEERS = "council_volunteers", _("Run by the council with volunteers")
    CO_PRODUCED = "co_produced", _("Co-produced with the community")
    COMMISSIONED = "commissioned", _("Commissioned from the voluntary sector")
    COMMUNITY_MANAGED = "community_managed", _("Community-managed with council support")
    TRANSFERRED = "transferred", _("Transferred to the community")
    ARMS_LENGTH = "arms_length", _("Arm's-length body (mutual, social enterprise, co-operative)")


class ReviewStatus(models.TextChoices):
    NOT_UNDER_REVIEW = "not_under_review", _("Not under review")
    UNDER_REVIEW = "under_review", _("Under review")
    OPEN_TO_EOI = "open_to_eoi", _("Open to expressions of interest")
    HANDED_OVER = "handed_over", _("Handed over")


class ServiceCategory(models.Model):
    name = models.CharField(_("name"), max_length=100)
    slug = models.SlugField(_("code"), max_length=60)
    description = models.TextField(_("description"), blank=True)
    default_risk_tier = models.CharField(
        _("usual risk"), max_length=10, choices=RiskTier.choices, default=RiskTier.LOW
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("service category")
        verbose_name_plural = _("service categories")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["name"], name="category_name_unique"),
            models.UniqueConstraint(fields=["slug"], name="category_slug_unique"),
            choices_check("default_risk_tier", RiskTier, "category_risk_tier_valid"),
        ]

    def __str__(self):
        return self.name


class ServiceQuerySet(models.QuerySet):
    def published(self):
        return self.filter(published=True)

    def under_review(self):
        return self.filter(review_status=ReviewStatus.UNDER_REVIEW)

    def open_to_interest(self):
        return self.filter(review_status=ReviewStatus.OPEN_TO_EOI)

    def being_cut(self):
        return self.filter(planned_budget_change__lt=0)

    def at_risk(self):
        """Services that could fall through the gaps: under review, open, or being cut."""
        return self.filter(
            Q(review_status__in=[ReviewStatus.UNDER_REVIEW, ReviewStatus.OPEN_TO_EOI])
            | Q(planned_budget_change__lt=0)
        )

    def high_risk(self):
        return self.filter(risk_tier=RiskTier.HIGH)

    def covering(self, ward):
        return self.filter(wards=ward)


class Service(models.Model):
    name = models.CharField(_("name"), max_length=200)
    category = models.ForeignKey(
        ServiceCategory, on_delete=models.PROTECT, related_name="services"
    )
    providing_body = models.CharField(
        _("provided by"),
        max_length=10,
        choices=ProvidingBody.choices,
        default=ProvidingBody.COUNCIL,
    )
    lgsl_code = models.PositiveIntegerField(
        _("LGA Service List code"),
        null=True,
        blank=True,
        help_text=_("The service's code in the Local Government Service List, if it has one."),
    )
    description = models.TextField(_("description"), blank=True)
    annual_cost = models.DecimalField(
        _("annual cost (£)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    planned_budget_change = models.DecimalField(
        _("planned budget change (£ a year)"),
        max_digits=12,
        decimal_places=2,
        default=0,
        help_text=_("Negative for a cut, for example -25000."),
    )
    statutory_duty = models.BooleanField(_("the council has a legal duty to provide it"))
    risk_tier = models.CharField(_("risk"), max_length=10, choices=RiskTier.choices)
    delivery_model = models.CharField(
        _("how it is run now"),
        max_length=20,
        choices=DeliveryModel.choices,
        default=DeliveryModel.COUNCIL_RUN,
    )
    review_status = models.CharField(
        _("review status"),
        max_length=20,
        choices=ReviewStatus.choices,
        default=ReviewStatus.NOT_UNDER_REVIEW,
    )
    wards = models.ManyToManyField(
        "mapping.Ward", related_name="services", verbose_name=_("wards covered")
    )
    volunteer_hours_needed = models.PositiveIntegerField(
        _("volunteer hours it needs a month"), default=0
    )
    lead_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="led_services",
        verbose_name=_("lead officer"),
    )
    published = models.BooleanField(
        _("shown on public pages"),
        default=True,
        help_text=_("Untick to keep the service off the public catalogue and open data."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = ServiceQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("service")
        verbose_name_plural = _("services")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["category", "name"], name="service_name_in_category"),
            models.CheckConstraint(
                condition=Q(annual_cost__isnull=True) | Q(annual_cost__gte=0),
                name="service_annual_cost_not_negative",
            ),
            choices_check("providing_body", ProvidingBody, "service_providing_body_valid"),
            choices_check("risk_tier", RiskTier, "service_risk_tier_valid"),
            choices_check("delivery_model", DeliveryModel, "service_delivery_model_valid"),
            choices_check("review_status", ReviewStatus, "service_review_status_valid"),
        ]
        indexes = [
            models.Index(fields=["review_status"], name="service_review_status_idx"),
            models.Index(fields=["risk_tier"], name="service_risk_tier_idx"),
            models.Index(fields=["delivery_model"], name="service_delivery_model_idx"),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.risk_tier and self.category_id:
            self.risk_tier = self.category.default_risk_tier
        super().save(*args, **kwargs)

    @property
    def is_high_risk(self):
        return self.risk_tier == RiskTier.HIGH

    @property
    def is_being_cut(self):
        return self.planned_budget_change < 0


# Assets and Assets of Community Value -------------------------------------------------------


class AssetType(models.TextChoices):
    LIBRARY = "library", _("Library")
    COMMUNITY_CENTRE = "community_centre", _("Community centre")
    PARK = "park", _("Park or green space")
    LEISURE_CENTRE = "leisure_centre", _("Leisure centre")
    MUSEUM = "museum", _("Museum or gallery")
    PUB = "pub", _("Pub")
    SHOP = "shop", _("Shop")
    LAND = "land", _("Land")
    OTHER = "other", _("Other building")


class Condition(models.TextChoices):
    GOOD = "good", _("Good")
    FAIR = "fair", _("Fair")
    POOR = "poor", _("Poor")
    UNKNOWN = "unknown", _("Not known")


class Asset(models.Model):
    """A building or piece of land that could be transferred or listed."""

    name = models.CharField(_("name"), max_length=200)
    asset_type = models.CharField(_("type"), max_length=20, choices=AssetType.choices)
    ward = models.ForeignKey(
        "mapping.Ward", on_delete=models.PROTECT, related_name="assets", verbose_name=_("ward")
    )
    address = models.CharField(_("address"), max_length=300, blank=True)
    postcode = models.CharField(_("postcode"), max_length=8, blank=True)
    owner = models.CharField(_("owner"), max_length=200, default="The council")
    owned_by_council = models.BooleanField(_("owned by the council"), default=True)
    running_cost = models.DecimalField(
        _("running cost (£ a year)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    condition = models.CharField(
        _("condition"), max_length=10, choices=Condition.choices, default=Condition.UNKNOWN
    )
    description = models.TextField(_("description"), blank=True)
    services = models.ManyToManyField(
        Service, blank=True, related_name="assets", verbose_name=_("services run from here")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("asset")
        verbose_name_plural = _("assets")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(running_cost__isnull=True) | Q(running_cost__gte=0),
                name="asset_running_cost_not_negative",
            ),
            choices_check("asset_type", AssetType, "asset_type_valid"),
            choices_check("condition", Condition, "asset_condition_valid"),
        ]

    def __str__(self):
        return self.name


class NominationStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Waiting for a decision")
    LISTED = "listed", _("Listed")
    NOT_LISTED = "not_listed", _("Not listed")
    REMOVED = "removed", _("Removed from the list")


class AcvNominationQuerySet(models.QuerySet):
    def waiting(self):
        return self.filter(status=NominationStatus.SUBMITTED)

    def listed_on_day(self, day):
        """Listed, and the 5 years of the listing still running on ``day``."""
        return self.filter(
            status=NominationStatus.LISTED,
            listed_on__lte=day,
            listed_on__gte=earliest_start_still_running(day, acv.LISTING_MONTHS),
        )


class AcvNomination(models.Model):
    """A community nomination of an asset as an Asset of Community Value (Localism Act 2011).

    A listing lasts 5 years from the listing date.
    """

    asset = models.ForeignKey(Asset, on_delete=models.CASCADE, related_name="nominations")
    organisation = models.ForeignKey(
        "mapping.Organisation",
        on_delete=models.PROTECT,
        related_name="acv_nominations",
        verbose_name=_("nominated by"),
    )
    reason = models.TextField(_("why the asset matters to the community"))
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    submitted_at = models.DateTimeField(_("nominated"), auto_now_add=True)
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=NominationStatus.choices,
        default=NominationStatus.SUBMITTED,
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decision_reason = models.TextField(_("reason for the decision"), blank=True)
    listed_on = models.DateField(_("listed on"), null=True, blank=True)

    objects = AcvNominationQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("Asset of Community Value nomination")
        verbose_name_plural = _("Asset of Community Value nominations")
        ordering = ["-submitted_at"]
        constraints = [
            choices_check("status", NominationStatus, "nomination_status_valid"),
            models.CheckConstraint(
                condition=~Q(status=NominationStatus.LISTED) | Q(listed_on__isnull=False),
                name="nomination_listed_has_date",
            ),
        ]

    def __str__(self):
        return f"{self.asset} ({self.get_status_display()})"

    @property
    def is_waiting(self):
        return self.status == NominationStatus.SUBMITTED

    @property
    def decision_due_on(self):
        return acv.nomination_decision_due(self.submitted_at.date())

    @property
    def listing_last_day(self):
        """The last day of the 5-year listing, or None when not listed."""
        if self.status != NominationStatus.LISTED or self.listed_on is None:
            return None
        return acv.listing_last_day(self.listed_on)


class SaleNoticeQuerySet(models.QuerySet):
    def taking_intentions_on(self, day):
        """Notices whose 6-week interim moratorium includes ``day``."""
        first = day - datetime.timedelta(weeks=acv.INTERIM_WEEKS, days=-1)
        return self.filter(notified_on__lte=day, notified_on__gte=first)

    def protecting_on(self, day):
        """Notices whose 18-month protected period includes ``day``."""
        return self.filter(
            notified_on__lte=day,
            notified_on__gte=earliest_start_still_running(day, acv.PROTECTED_MONTHS),
        )


class SaleNotice(models.Model):
    """The owner of a listed asset has told the council they want to sell it.

    From the notice date: a 6-week interim moratorium (community groups may say they
    intend to bid), a 6-month full moratorium, and an 18-month protected period.
    """

    asset = models.ForeignKey(Asset, on_delete=models.CASCADE, related_name="sale_notices")
    notified_on = models.DateField(_("date of the notice"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = SaleNoticeQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("notice of sale")
        verbose_name_plural = _("notices of sale")
        ordering = ["-notified_on"]

    def __str__(self):
        return gettext("%(asset)s: notice of %(date)s") % {
            "asset": self.asset,
            "date": date_format(self.notified_on, "j F Y"),
        }

    @property
    def moratorium(self):
        return acv.moratorium(self.notified_on)


class IntentionToBid(models.Model):
    sale_notice = models.ForeignKey(
        SaleNotice, on_delete=models.CASCADE, related_name="intentions"
    )
    organisation = models.ForeignKey(
        "mapping.Organisation", on_delete=models.PROTECT, related_name="intentions_to_bid"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("intention to bid")
        verbose_name_plural = _("intentions to bid")
        ordering = ["recorded_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["sale_notice", "organisation"], name="intention_one_per_organisation"
            )
        ]

    def __str__(self):
        return f"{self.organisation} – {self.sale_notice.asset}"


# Expressions of interest ---------------------------------------------------------------------


class Route(models.TextChoices):
    RIGHT_TO_CHALLENGE = "right_to_challenge", _("Community Right to Challenge")
    ASSET_TRANSFER = "asset_transfer", _("Community asset transfer")
    CO_PRODUCTION = "co_production", _("Co-production partnership")
    VOLUNTEERING = "volunteering", _("Volunteering partnership")


class EoiStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    UNDER_REVIEW = "under_review", _("Under review")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Actor(models.TextChoices):
    GROUP = "group", _("The lead group")
    OFFICER = "officer", _("A council officer")


# Every move an expression of interest may make, and who may make it. Any other move is
# refused: nothing jumps from draft to accepted, and a decision is never reopened.
EOI_TRANSITIONS = {
    (EoiStatus.DRAFT, EoiStatus.SUBMITTED): Actor.GROUP,
    (EoiStatus.DRAFT, EoiStatus.WITHDRAWN): Actor.GROUP,
    (EoiStatus.SUBMITTED, EoiStatus.UNDER_REVIEW): Actor.OFFICER,
    (EoiStatus.SUBMITTED, EoiStatus.WITHDRAWN): Actor.GROUP,
    (EoiStatus.UNDER_REVIEW, EoiStatus.ACCEPTED): Actor.OFFICER,
    (EoiStatus.UNDER_REVIEW, EoiStatus.REJECTED): Actor.OFFICER,
    (EoiStatus.UNDER_REVIEW, EoiStatus.WITHDRAWN): Actor.GROUP,
}
# A decision is recorded with its reasons, and the group is sent them.
EOI_REASON_REQUIRED = {EoiStatus.ACCEPTED, EoiStatus.REJECTED}


class ExpressionOfInterestQuerySet(models.QuerySet):
    def awaiting_decision(self):
        return self.filter(status__in=[EoiStatus.SUBMITTED, EoiStatus.UNDER_REVIEW])

    def overdue_on(self, day):
        return self.awaiting_decision().filter(decision_due_on__lt=day)

    def led_by(self, organisation):
        return self.filter(lead_organisation=organisation)

    def involving(self, organisation):
        """Led by the organisation, or with it as a partner that has accepted."""
        return self.filter(
            Q(lead_organisation=organisation)
            | Q(partners__organisation=organisation, partners__status=PartnerStatus.ACCEPTED)
        ).distinct()


class ExpressionOfInterest(models.Model):
    lead_organisation = models.ForeignKey(
        "mapping.Organisation",
        on_delete=models.PROTECT,
        related_name="expressions_of_interest",
        verbose_name=_("lead organisation"),
    )
    service = models.ForeignKey(
        Service,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="expressions_of_interest",
    )
    asset = models.ForeignKey(
        Asset,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="expressions_of_interest",
    )
    route = models.CharField(_("route"), max_length=20, choices=Route.choices)
    proposal = models.TextField(_("what you propose"), blank=True)
    capacity_evidence = models.TextField(_("the capacity you bring"), blank=True)
    offers = models.ManyToManyField(
        "mapping.CapacityOffer",
        blank=True,
        related_name="expressions_of_interest",
        verbose_name=_("capacity offers it relies on"),
    )
    support_requested = models.ManyToManyField(
        "mapping.SupportNeed", blank=True, related_name="+", verbose_name=_("support asked for")
    )
    support_notes = models.TextField(_("more about the support you need"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=EoiStatus.choices, default=EoiStatus.DRAFT
    )
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    decision_due_on = models.DateField(_("decision due"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decision_reason = models.TextField(_("reasons for the decision"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = ExpressionOfInterestQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("expression of interest")
        verbose_name_plural = _("expressions of interest")
        ordering = ["-created_at"]
        constraints = [
            # For a service or for an asset, never both and never neither.
            models.CheckConstraint(
                condition=(Q(service__isnull=False) & Q(asset__isnull=True))
                | (Q(service__isnull=True) & Q(asset__isnull=False)),
                name="eoi_service_xor_asset",
            ),
            choices_check("route", Route, "eoi_route_valid"),
            choices_check("status", EoiStatus, "eoi_status_valid"),
        ]
        indexes = [models.Index(fields=["status", "decision_due_on"], name="eoi_status_due_idx")]

    def __str__(self):
        return f"{self.lead_organisation} – {self.service or self.asset}"

    @property
    def subject(self):
        return self.service or self.asset

    @property
    def is_draft(self):
        return self.status == EoiStatus.DRAFT

    @property
    def is_awaiting_decision(self):
        return self.status in (EoiStatus.SUBMITTED, EoiStatus.UNDER_REVIEW)

    def is_overdue_on(self, day):
        return (
            self.is_awaiting_decision
            and self.decision_due_on is not None
            and (self.decision_due_on < day)
        )

    def moves_for(self, actor):
        """The statuses ``actor`` may move this expression of interest to now."""
        return [
            to
            for (start, to), who in EOI_TRANSITIONS.items()
            if start == self.status and who == actor
        ]


class PartnerStatus(models.TextChoices):
    INVITED = "invited", _("Invited")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")


class EoiPartner(models.Model):
    """A partner organisation in a collaborative bid; listed only once it accepts."""

    expression_of_interest = models.ForeignKey(
        ExpressionOfInterest, on_delete=models.CASCADE, related_name="partners"
    )
    organisation = models.ForeignKey(
        "mapping.Organisation", on_delete=models.PROTECT, related_name="partnerships"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=PartnerStatus.choices, default=PartnerStatus.INVITED
    )
    invited_at = models.DateTimeField(auto_now_add=True)
    responded_at = models.DateTimeField(null=True, blank=True)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("partner")
        verbose_name_plural = _("partners")
        ordering = ["organisation__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["expression_of_interest", "organisation"], name="partner_once_per_eoi"
            ),
            choices_check("status", PartnerStatus, "partner_status_valid"),
        ]

    def __str__(self):
        return f"{self.organisation} ({self.get_status_display()})"


class EoiTransition(models.Model):
    """One step in an expression of interest's life: who moved it, when, and why."""

    expression_of_interest = models.ForeignKey(
        ExpressionOfInterest, on_delete=models.CASCADE, related_name="transitions"
    )
    from_status = models.CharField(max_length=20, choices=EoiStatus.choices)
    to_status = models.CharField(max_length=20, choices=EoiStatus.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)
    reason = models.TextField(blank=True)

    class Meta:
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")
        ordering = ["at", "pk"]
        constraints = [
            choices_check("from_status", EoiStatus, "transition_from_valid"),
            choices_check("to_status", EoiStatus, "transition_to_valid"),
        ]

    def __str__(self):
        return f"{self.from_status} → {self.to_status}"


# Handover agreements and monitoring ----------------------------------------------------------


class ReturnFrequency(models.TextChoices):
    MONTHLY = "monthly", _("Every month")
    QUARTERLY = "quarterly", _("Every 3 months")
    HALF_YEARLY = "half_yearly", _("Every 6 months")
    YEARLY = "yearly", _("Every year")


FREQUENCY_MONTHS = {
    ReturnFrequency.MONTHLY: 1,
    ReturnFrequency.QUARTERLY: 3,
    ReturnFrequency.HALF_YEARLY: 6,
    ReturnFrequency.YEARLY: 12,
}


class HandoverAgreementQuerySet(models.QuerySet):
    def current_on(self, day):
        return self.filter(Q(ends_on__isnull=True) | Q(ends_on__gte=day), starts_on__lte=day)


class HandoverAgreement(models.Model):
    expression_of_interest = models.OneToOneField(
        ExpressionOfInterest, on_delete=models.PROTECT, related_name="agreement"
    )
    organisation = models.ForeignKey(
        "mapping.Organisation",
        on_delete=models.PROTECT,
        related_name="agreements",
        verbose_name=_("delivered by"),
    )
    service = models.ForeignKey(
        Service, on_delete=models.PROTECT, null=True, blank=True, related_name="agreements"
    )
    asset = models.ForeignKey(
        Asset, on_delete=models.PROTECT, null=True, blank=True, related_name="agreements"
    )
    description = models.TextField(_("who delivers what"))
    wards = models.ManyToManyField("mapping.Ward", related_name="agreements", blank=True)
    delivery_model = models.CharField(
        _("how it will be run"), max_length=20, choices=DeliveryModel.choices
    )
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    council_funding = models.DecimalField(
        _("council funding (£ a year)"), max_digits=12, decimal_places=2, default=0
    )
    return_frequency = models.CharField(
        _("how often returns are due"),
        max_length=12,
        choices=ReturnFrequency.choices,
        default=ReturnFrequency.QUARTERLY,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = HandoverAgreementQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("handover agreement")
        verbose_name_plural = _("handover agreements")
        ordering = ["-starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gt=F("starts_on")),
                name="agreement_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(council_funding__gte=0), name="agreement_funding_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(service__isnull=False) | Q(asset__isnull=False),
                name="agreement_has_subject",
            ),
            choices_check("delivery_model", DeliveryModel, "agreement_delivery_model_valid"),
            choices_check("return_frequency", ReturnFrequency, "agreement_frequency_valid"),
        ]

    def __str__(self):
        return f"{self.organisation} – {self.service or self.asset}"

    @property
    def subject(self):
        return self.service or self.asset

    @property
    def months_per_return(self):
        return FREQUENCY_MONTHS[self.return_frequency]


class Indicator(models.Model):
    """A measure the delivering group reports on in each monitoring return."""

    agreement = models.ForeignKey(
        HandoverAgreement, on_delete=models.CASCADE, related_name="indicators"
    )
    name = models.CharField(_("name"), max_length=200)
    unit = models.CharField(_("unit"), max_length=50, blank=True)
    target = models.DecimalField(
        _("target per period"), max_digits=12, decimal_places=2, null=True, blank=True
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "name"], name="indicator_name_unique")
        ]

    def __str__(self):
        return self.name


class Rating(models.TextChoices):
    RED = "red", _("Red: serious concerns")
    AMBER = "amber", _("Amber: some concerns")
    GREEN = "green", _("Green: on track")


class ReturnState(models.TextChoices):
    """Where a monitoring return is, on a given day (worked out, not stored)."""

    UPCOMING = "upcoming", _("Not due yet")
    DUE = "due", _("Ready to send")
    OVERDUE = "overdue", _("Overdue")
    WAITING_FOR_REVIEW = "waiting_review", _("Waiting for review")
    REVIEWED = "reviewed", _("Reviewed")


class MonitoringReturnQuerySet(models.QuerySet):
    def submitted(self):
        return self.filter(submitted_at__isnull=False)

    def overdue_on(self, day):
        """Not sent in, and the day after the due date or later: a return due on 30 April
        is on time if sent in on 30 April."""
        return self.filter(submitted_at__isnull=True, due_on__lt=day)

    def open_on(self, day):
        """Not sent in yet, and its period has reached its last day: the group can send it."""
        return self.filter(submitted_at__isnull=True, period_end__lte=day)

    def waiting_for_review(self):
        return self.filter(submitted_at__isnull=False, rating="")

    def rated(self):
        return self.exclude(rating="")

    def of_organisation(self, organisation):
        return self.filter(agreement__organisation=organisation)


class MonitoringReturn(models.Model):
    agreement = models.ForeignKey(
        HandoverAgreement, on_delete=models.CASCADE, related_name="returns"
    )
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to"))
    due_on = models.DateField(_("due on"))
    volunteer_hours = models.PositiveIntegerField(_("volunteer hours delivered"), default=0)
    complaints = models.PositiveIntegerField(_("complaints received"), default=0)
    narrative = models.TextField(_("how it went"), blank=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    rating = models.CharField(_("rating"), max_length=5, choices=Rating.choices, blank=True)
    rating_comment = models.TextField(_("officer's comment"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)

    objects = MonitoringReturnQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("monitoring return")
        verbose_name_plural = _("monitoring returns")
        ordering = ["agreement", "period_start"]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "period_start"], name="return_one_per_period"
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")), name="return_period_ordered"
            ),
            choices_check("rating", Rating, "return_rating_valid", allow_blank=True),
        ]
        indexes = [models.Index(fields=["submitted_at", "due_on"], name="return_overdue_idx")]

    def __str__(self):
        return gettext("%(agreement)s: %(start)s to %(end)s") % {
            "agreement": self.agreement,
            "start": date_format(self.period_start, "j M Y"),
            "end": date_format(self.period_end, "j M Y"),
        }

    def state_on(self, day):
        if self.rating:
            return ReturnState.REVIEWED
        if self.submitted_at:
            return ReturnState.WAITING_FOR_REVIEW
        if self.due_on < day:
            return ReturnState.OVERDUE
        if self.period_end <= day:
            return ReturnState.DUE
        return ReturnState.UPCOMING

    @cached_property
    def state(self):
        return self.state_on(timezone.localdate())

    @property
    def state_label(self):
        return ReturnState(self.state).label

    @property
    def is_submitted(self):
        return self.submitted_at is not None

    @property
    def was_late(self):
        return self.is_submitted and timezone.localdate(self.submitted_at) > self.due_on


class IndicatorValue(models.Model):
    monitoring_return = models.ForeignKey(
        MonitoringReturn, on_delete=models.CASCADE, related_name="values"
    )
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="values")
    value = models.DecimalField(_("value"), max_digits=12, decimal_places=2)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("indicator value")
        verbose_name_plural = _("indicator values")
        constraints = [
            models.UniqueConstraint(
                fields=["monitoring_return", "indicator"], name="value_one_per_indicator"
            )
        ]

    def __str__(self):
        return f"{self.indicator}: {self.value}"
