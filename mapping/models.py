"""Geography and community capacity: wards, organisations, who manages them, what they
offer to do, and what residents say in consultations."""

import datetime
import re

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from mapping.identifiers import charity_org_id, number_from_org_id


def choices_check(field, choices, name, *, allow_blank=False):
    """A database CHECK that a column holds one of its TextChoices values."""
    condition = Q(**{f"{field}__in": choices.values})
    if allow_blank:
        condition |= Q(**{field: ""})
    return models.CheckConstraint(condition=condition, name=name)


# Geography -------------------------------------------------------------------------------


class WardQuerySet(models.QuerySet):
    def deprived(self):
        """The most deprived 20% in England: IMD decile 1 or 2."""
        return self.filter(imd_decile__lte=2)

    def with_boundary(self):
        return self.exclude(boundary__isnull=True)

    def for_postcode(self, text):
        """The ward a typed postcode lies in, through the postcode lookup (if loaded)."""
        postcode = normalise_postcode(text)
        if postcode is None:
            return self.none()
        return self.filter(postcodes__postcode=postcode)


class Ward(models.Model):
    code = models.CharField(
        _("ONS code"), max_length=9, help_text=_("The ward's ONS code, for example E05013714.")
    )
    name = models.CharField(_("name"), max_length=100)
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)
    # IMD 2019, rolled up from the ward's LSOAs weighted by population.
    imd_score = models.DecimalField(
        _("IMD score"), max_digits=6, decimal_places=3, null=True, blank=True
    )
    imd_rank = models.PositiveIntegerField(
        _("IMD rank"),
        null=True,
        blank=True,
        help_text=_("1 is the most deprived area in England."),
    )
    imd_decile = models.PositiveSmallIntegerField(
        _("IMD decile"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
        help_text=_("1 is the most deprived 10% in England."),
    )
    # A GeoJSON geometry (Polygon or MultiPolygon) in WGS84 longitude/latitude.
    boundary = models.JSONField(_("boundary"), null=True, blank=True)

    objects = WardQuerySet.as_manager()
    # Boundaries are large and change only on a boundary review: keep them out of history.
    history = HistoricalRecords(excluded_fields=["boundary"])

    class Meta:
        verbose_name = _("ward")
        verbose_name_plural = _("wards")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["code"], name="ward_code_unique"),
            models.CheckConstraint(
                condition=Q(imd_decile__isnull=True) | Q(imd_decile__gte=1, imd_decile__lte=10),
                name="ward_imd_decile_1_to_10",
            ),
            models.CheckConstraint(
                condition=Q(imd_score__isnull=True) | Q(imd_score__gte=0),
                name="ward_imd_score_not_negative",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def is_deprived(self):
        return self.imd_decile is not None and self.imd_decile <= 2


POSTCODE_SHAPE = re.compile(r"[A-Z]{1,2}[0-9][A-Z0-9]?[0-9][A-Z]{2}")


def normalise_postcode(text):
    """A typed postcode the way the lookup stores it ("se64ru " -> "SE6 4RU").

    None when it is not shaped like a full UK postcode.
    """
    compact = re.sub(r"[^A-Za-z0-9]", "", text or "").upper()
    if not POSTCODE_SHAPE.fullmatch(compact):
        return None
    return f"{compact[:-3]} {compact[-3:]}"


class Postcode(models.Model):
    """A postcode-to-ward lookup, loaded from the ONS postcode directory."""

    postcode = models.CharField(
        _("postcode"), max_length=8, help_text=_("Upper case with one space: SE6 4RU.")
    )
    ward = models.ForeignKey(Ward, on_delete=models.CASCADE, related_name="postcodes")

    class Meta:
        verbose_name = _("postcode")
        verbose_name_plural = _("postcodes")
        ordering = ["postcode"]
        constraints = [models.UniqueConstraint(fields=["postcode"], name="postcode_unique")]

    def __str__(self):
        return self.postcode


# Reference data --------------------------------------------------------------------------


class Skill(models.Model):
    name = models.CharField(_("name"), max_length=100)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("skill")
        verbose_name_plural = _("skills")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["name"], name="skill_name_unique")]

    def __str__(self):
        return self.name


class SupportNeed(models.Model):
    """What a group needs from the council to take on more: training, funding, premises..."""

    code = models.SlugField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=100)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("support need")
        verbose_name_plural = _("support needs")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["code"], name="support_need_code_unique"),
            models.UniqueConstraint(fields=["name"], name="support_need_name_unique"),
        ]

    def __str__(self):
        return self.name


# Organisations -----------------------------------------------------------------------------


class LegalForm(models.TextChoices):
    UNINCORPORATED = "unincorporated", _("Unincorporated association")
    CIO = "cio", _("Charitable incorporated organisation (CIO)")
    CHARITABLE_COMPANY = "charitable_company", _("Charitable company")
    CIC = "cic", _("Community interest company (CIC)")
    COMMUNITY_BENEFIT_SOCIETY = "community_benefit_society", _("Community benefit society")
    COOPERATIVE = "cooperative", _("Co-operative")
    SOCIAL_ENTERPRISE = "social_enterprise", _("Social enterprise")
    PARISH_COUNCIL = "parish_council", _("Parish or town council")
    FAITH_GROUP = "faith_group", _("Faith group")
    FRIENDS_OF = "friends_of", _("'Friends of' group")
    INFORMAL = "informal", _("Informal group")


class IncomeBand(models.TextChoices):
    NONE = "none", _("No regular income")
    UNDER_10K = "under_10k", _("Under £10,000 a year")
    FROM_10K = "10k_100k", _("£10,000 to £100,000 a year")
    FROM_100K = "100k_1m", _("£100,000 to £1 million a year")
    OVER_1M = "over_1m", _("Over £1 million a year")


class VerificationStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for review")
    VERIFIED = "verified", _("Verified")
    REJECTED = "rejected", _("Rejected")


class OrganisationQuerySet(models.QuerySet):
    def verified(self):
        return self.filter(verification_status=VerificationStatus.VERIFIED)

    def pending(self):
        return self.filter(verification_status=VerificationStatus.PENDING)

    def serving(self, ward):
        """Organisations that work in the ward, including those that serve the whole borough."""
        # EXISTS rather than a join: no duplicate rows, so no DISTINCT over every group.
        serves = Organisation.wards_served.through.objects.filter(
            organisation_id=models.OuterRef("pk"), ward=ward
        )
        return self.filter(Q(serves_whole_borough=True) | models.Exists(serves))

    def managed_by(self, user):
        return self.filter(memberships__user=user)

    def with_identifier(self, identifier):
        """Find by org-id identifier: GB-CHC-1234567, GB-SC-SC012345, GB-NIC-100012,
        GB-COH-01234567 or any other."""
        field, value = number_from_org_id(identifier)
        if field:
            return self.filter(**{field: value})
        return self.filter(other_identifier=identifier)


class Organisation(models.Model):
    name = models.CharField(_("name"), max_length=200)
    legal_form = models.CharField(_("legal form"), max_length=30, choices=LegalForm.choices)
    charity_number = models.CharField(
        _("registered charity number"),
        max_length=12,
        blank=True,
        help_text=_("From the Charity Commission register, for example 1123456."),
    )
    company_number = models.CharField(
        _("company number"),
        max_length=8,
        blank=True,
        help_text=_("From Companies House: 8 characters, for example 01234567 or SC123456."),
    )
    # An org-id identifier that is not a charity or company number (e.g. a 360Giving id).
    other_identifier = models.CharField(_("other identifier"), max_length=100, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    postcode = models.CharField(_("postcode"), max_length=8, blank=True)
    wards_served = models.ManyToManyField(
        Ward, blank=True, related_name="organisations", verbose_name=_("wards served")
    )
    serves_whole_borough = models.BooleanField(_("serves the whole borough"), default=False)
    volunteers = models.PositiveIntegerField(_("volunteers"), default=0)
    paid_staff = models.PositiveIntegerField(_("paid staff"), default=0)
    income_band = models.CharField(
        _("income"), max_length=20, choices=IncomeBand.choices, default=IncomeBand.UNDER_10K
    )
    description = models.TextField(_("what the group does"), blank=True)
    website = models.URLField(_("website"), blank=True)
    contact_name = models.CharField(_("contact name"), max_length=150, blank=True)
    contact_email = models.EmailField(_("contact email"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=30, blank=True)
    publish_contact = models.BooleanField(
        _("show the contact details publicly"),
        default=False,
        help_text=_("Contact details appear in the public directory only if this is ticked."),
    )
    verification_status = models.CharField(
        _("verification"),
        max_length=10,
        choices=VerificationStatus.choices,
        default=VerificationStatus.PENDING,
    )
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    verified_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    verification_reason = models.TextField(_("reason given"), blank=True)
    created_at = models.DateTimeField(_("registered"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)
    # Optimistic locking: a save that started from an older version is refused, so two
    # people editing at once never silently overwrite each other.
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = OrganisationQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["charity_number"],
                condition=~Q(charity_number=""),
                name="organisation_charity_number_unique",
            ),
            models.UniqueConstraint(
                fields=["company_number"],
                condition=~Q(company_number=""),
                name="organisation_company_number_unique",
            ),
            models.UniqueConstraint(
                fields=["other_identifier"],
                condition=~Q(other_identifier=""),
                name="organisation_other_identifier_unique",
            ),
            choices_check("legal_form", LegalForm, "organisation_legal_form_valid"),
            choices_check("income_band", IncomeBand, "organisation_income_band_valid"),
            choices_check(
                "verification_status", VerificationStatus, "organisation_verification_valid"
            ),
        ]
        indexes = [
            models.Index(fields=["verification_status", "name"], name="org_status_name_idx"),
            models.Index(fields=["legal_form"], name="org_legal_form_idx"),
            # The officer directory's sorts (name first, then by volunteers), a page at a
            # time: read in order from the index rather than sorting every group.
            models.Index(fields=["name", "id"], name="org_name_idx"),
            models.Index(fields=["volunteers", "name", "id"], name="org_volunteers_idx"),
        ]

    def __str__(self):
        return self.name

    @property
    def identifiers(self):
        """org-id identifiers (https://org-id.guide) for the organisation."""
        ids = []
        if self.charity_number:
            ids.append(charity_org_id(self.charity_number))
        if self.company_number:
            ids.append(f"GB-COH-{self.company_number}")
        if self.other_identifier:
            ids.append(self.other_identifier)
        return ids

    @property
    def is_verified(self):
        return self.verification_status == VerificationStatus.VERIFIED

    # Quicker than get_legal_form_display() and get_verification_status_display(), which
    # translate every choice's label on each call: the directory shows 25 rows a page.
    @property
    def legal_form_label(self):
        return LegalForm(self.legal_form).label

    @property
    def verification_label(self):
        return VerificationStatus(self.verification_status).label

    def verify(self, *, by):
        self.verification_status = VerificationStatus.VERIFIED
        self.verified_by = by
        self.verified_at = timezone.now()
        self.verification_reason = ""
        self.save()

    def reject(self, *, by, reason):
        self.verification_status = VerificationStatus.REJECTED
        self.verified_by = by
        self.verified_at = timezone.now()
        self.verification_reason = reason
        self.save()


class MembershipRole(models.TextChoices):
    OWNER = "owner", _("Owner")
    EDITOR = "editor", _("Editor")


class MembershipQuerySet(models.QuerySet):
    def owners(self):
        return self.filter(role=MembershipRole.OWNER)


class Membership(models.Model):
    """Who manages an organisation. Owners also manage its members."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(
        _("role"), max_length=10, choices=MembershipRole.choices, default=MembershipRole.EDITOR
    )
    created_at = models.DateTimeField(_("joined"), auto_now_add=True)

    objects = MembershipQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["organisation__name", "user__email"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation"], name="membership_user_organisation_unique"
            ),
            choices_check("role", MembershipRole, "membership_role_valid"),
        ]

    def __str__(self):
        return f"{self.user} – {self.organisation} ({self.get_role_display()})"

    @property
    def is_owner(self):
        return self.role == MembershipRole.OWNER


class InvitationQuerySet(models.QuerySet):
    def open(self):
        """Not yet accepted, and sent less than INVITATION_DAYS ago."""
        cutoff = timezone.now() - datetime.timedelta(days=Invitation.INVITATION_DAYS)
        return self.filter(accepted_at__isnull=True, created_at__gt=cutoff)


class Invitation(models.Model):
    """An owner's invitation to someone to help manage the organisation."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField(_("email address"))
    role = models.CharField(
        _("role"), max_length=10, choices=MembershipRole.choices, default=MembershipRole.EDITOR
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("sent"), auto_now_add=True)
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    INVITATION_DAYS = 14

    objects = InvitationQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at"]
        constraints = [choices_check("role", MembershipRole, "invitation_role_valid")]

    def __str__(self):
        return gettext("%(email)s to %(group)s") % {
            "email": self.email,
            "group": self.organisation,
        }

    @property
    def expires_at(self):
        return self.created_at + datetime.timedelta(days=self.INVITATION_DAYS)

    @property
    def is_open(self):
        return self.accepted_at is None and timezone.now() < self.expires_at


# Capacity offers ------------------------------------------------------------------------------


class Willingness(models.TextChoices):
    ALREADY_DELIVERING = "already_delivering", _("Already delivering")
    READY_NOW = "ready_now", _("Ready now")
    READY_WITH_SUPPORT = "ready_with_support", _("Ready with support")
    EXPLORING = "exploring", _("Exploring")
    NOT_INTERESTED = "not_interested", _("Not interested")


class OfferRole(models.TextChoices):
    RUN_SERVICE = "run_service", _("Run the whole service")
    CO_PRODUCE = "co_produce", _("Co-produce with the council")
    VOLUNTEER = "volunteer", _("Volunteer alongside council staff")
    SELF_HELP = "self_help", _("Self-help or peer support")
    RUN_ASSET = "run_asset", _("Run a building or space")


# Roles that leave the council in charge: the only ones that count for high-risk services.
SUPPORTING_ROLES = (OfferRole.CO_PRODUCE, OfferRole.VOLUNTEER, OfferRole.SELF_HELP)


class Governance(models.TextChoices):
    STAY_WITH_COUNCIL = "council", _("Stay with the council")
    ARMS_LENGTH = "arms_length", _("Move to an arm's-length body")
    NO_PREFERENCE = "no_preference", _("No preference")


class CapacityOfferQuerySet(models.QuerySet):
    def active(self):
        return self.filter(withdrawn_at__isnull=True)

    def for_service(self, service):
        return self.filter(service=service)

    def naming_ward(self, ward):
        return self.filter(wards=ward)

    def of_verified_organisations(self):
        return self.filter(organisation__verification_status=VerificationStatus.VERIFIED)

    def willing(self):
        return self.exclude(willingness=Willingness.NOT_INTERESTED)


class CapacityOffer(models.Model):
    """What one organisation is able and willing to do for one service, and where."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="offers")
    service = models.ForeignKey(
        "services.Service", on_delete=models.PROTECT, related_name="offers"
    )
    wards = models.ManyToManyField(Ward, related_name="offers", verbose_name=_("wards"))
    willingness = models.CharField(
        _("how ready the group is"), max_length=20, choices=Willingness.choices
    )
    role = models.CharField(_("role"), max_length=20, choices=OfferRole.choices)
    volunteer_hours_per_month = models.PositiveIntegerField(
        _("volunteer hours a month"), default=0
    )
    volunteers = models.PositiveIntegerField(_("volunteers"), default=0)
    skills = models.ManyToManyField(
        Skill, blank=True, related_name="offers", verbose_name=_("skills")
    )
    preferred_governance = models.CharField(
        _("who should run it"),
        max_length=20,
        choices=Governance.choices,
        default=Governance.NO_PREFERENCE,
    )
    earliest_start = models.DateField(_("earliest start"), null=True, blank=True)
    conditions = models.TextField(_("conditions"), blank=True)
    support_needed = models.ManyToManyField(
        SupportNeed, blank=True, related_name="offers", verbose_name=_("support needed")
    )
    created_at = models.DateTimeField(_("added"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)
    # Withdrawn offers are kept (an expression of interest may cite them) but no longer count.
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = CapacityOfferQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("capacity offer")
        verbose_name_plural = _("capacity offers")
        ordering = ["organisation__name", "service__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "service"], name="offer_one_per_organisation_service"
            ),
            choices_check("willingness", Willingness, "offer_willingness_valid"),
            choices_check("role", OfferRole, "offer_role_valid"),
            choices_check("preferred_governance", Governance, "offer_governance_valid"),
        ]
        indexes = [
            models.Index(fields=["service", "willingness"], name="offer_service_willing_idx"),
            # A group's active offers: its count in the directory, and the directory's
            # filters on readiness, service and category (one offer matching them all).
            models.Index(
                fields=["organisation", "willingness"],
                condition=Q(withdrawn_at__isnull=True),
                name="offer_active_org_idx",
            ),
        ]

    def __str__(self):
        return f"{self.organisation} – {self.service}"

    @property
    def is_active(self):
        return self.withdrawn_at is None

    # Quicker than get_willingness_display() and get_role_display() (see Organisation).
    @property
    def willingness_label(self):
        return Willingness(self.willingness).label

    @property
    def role_label(self):
        return OfferRole(self.role).label

    def withdraw(self):
        self.withdrawn_at = timezone.now()
        self.version += 1
        self.save(update_fields=["withdrawn_at", "version", "updated_at"])


# Resident consultation ----------------------------------------------------------------------


class ConsultationQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)

    def drafts(self):
        return self.filter(is_published=False)

    def open_on(self, day):
        return self.published().filter(opens_on__lte=day, closes_on__gte=day)

    def scheduled_on(self, day):
        return self.published().filter(opens_on__gt=day)

    def closed_on(self, day):
        return self.published().filter(closes_on__lt=day)

    def in_state_on(self, state, day):
        """Consultations in a ``Consultation.State`` on the day, as a queryset."""
        return {
            Consultation.State.DRAFT: self.drafts,
            Consultation.State.SCHEDULED: lambda: self.scheduled_on(day),
            Consultation.State.OPEN: lambda: self.open_on(day),
            Consultation.State.CLOSED: lambda: self.closed_on(day),
        }[state]()

    def with_response_count(self):
        return self.annotate(response_count=models.Count("responses"))

    def asking_about(self, service):
        return self.filter(services=service)


class Consultation(models.Model):
    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("web address"), max_length=80)
    introduction = models.TextField(_("introduction"), blank=True)
    opens_on = models.DateField(_("opens on"))
    closes_on = models.DateField(_("closes on"))
    services = models.ManyToManyField(
        "services.Service", related_name="consultations", verbose_name=_("services asked about")
    )
    # A draft is not shown and takes no responses; once published it is open between
    # its dates and closed after them.
    is_published = models.BooleanField(_("published"), default=False)
    results_published = models.BooleanField(_("results published"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ConsultationQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("consultation")
        verbose_name_plural = _("consultations")
        ordering = ["-opens_on"]
        constraints = [
            models.UniqueConstraint(fields=["slug"], name="consultation_slug_unique"),
            models.CheckConstraint(
                condition=Q(closes_on__gte=models.F("opens_on")),
                name="consultation_closes_after_opening",
            ),
        ]

    def __str__(self):
        return self.title

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SCHEDULED = "scheduled", _("Not open yet")
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    def state_on(self, day):
        if not self.is_published:
            return self.State.DRAFT
        if day < self.opens_on:
            return self.State.SCHEDULED
        if day > self.closes_on:
            return self.State.CLOSED
        return self.State.OPEN

    @cached_property
    def state(self):
        return self.state_on(timezone.localdate())

    @property
    def state_label(self):
        return self.State(self.state).label

    @property
    def is_open(self):
        return self.state == self.State.OPEN

    @property
    def is_closed(self):
        return self.state == self.State.CLOSED

    @property
    def has_public_results(self):
        """Results are shown to the public once published, and only after closing (so
        nobody can compare the figures before and after a neighbour answers)."""
        return self.results_published and self.is_closed

    def latest_response_day(self):
        """The local date of the latest response, or None."""
        latest = self.responses.order_by("-submitted_at").values_list("submitted_at", flat=True)
        latest = latest.first()
        return timezone.localdate(latest) if latest else None


class AgeBand(models.TextChoices):
    UNDER_18 = "under_18", _("Under 18")
    FROM_18 = "18_24", _("18 to 24")
    FROM_25 = "25_34", _("25 to 34")
    FROM_35 = "35_44", _("35 to 44")
    FROM_45 = "45_54", _("45 to 54")
    FROM_55 = "55_64", _("55 to 64")
    FROM_65 = "65_74", _("65 to 74")
    OVER_75 = "75_plus", _("75 or over")


class ConsultationResponseQuerySet(models.QuerySet):
    def with_comment(self):
        return self.exclude(comment="")


class ConsultationResponse(models.Model):
    """One resident's anonymous answers. Never changed after submission."""

    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="responses"
    )
    ward = models.ForeignKey(Ward, on_delete=models.PROTECT, related_name="consultation_responses")
    gives_time = models.BooleanField(_("would give time to help"), default=False)
    hours_per_month = models.PositiveSmallIntegerField(_("hours a month"), null=True, blank=True)
    age_band = models.CharField(_("age"), max_length=10, choices=AgeBand.choices, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    # A keyed hash of a random token held in the resident's browser: one response per
    # browser per consultation, without knowing who anyone is.
    browser_hash = models.CharField(max_length=64, editable=False)
    submitted_at = models.DateTimeField(_("submitted"), auto_now_add=True)

    objects = ConsultationResponseQuerySet.as_manager()

    class Meta:
        verbose_name = _("consultation response")
        verbose_name_plural = _("consultation responses")
        ordering = ["-submitted_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["consultation", "browser_hash"], name="response_one_per_browser"
            ),
            choices_check("age_band", AgeBand, "response_age_band_valid", allow_blank=True),
        ]
        indexes = [
            models.Index(fields=["consultation", "ward"], name="response_consult_ward_idx"),
        ]

    def __str__(self):
        return f"{self.consultation} – {self.ward} – {self.submitted_at:%Y-%m-%d}"


class ConsultationAnswer(models.Model):
    """How comfortable a resident would be to see one service run by the community."""

    response = models.ForeignKey(
        ConsultationResponse, on_delete=models.CASCADE, related_name="answers"
    )
    service = models.ForeignKey(
        "services.Service", on_delete=models.PROTECT, related_name="consultation_answers"
    )
    # 1 (very uncomfortable) to 5 (very comfortable); empty for "don't know".
    comfort = models.PositiveSmallIntegerField(_("comfort"), null=True, blank=True)

    class Meta:
        verbose_name = _("consultation answer")
        verbose_name_plural = _("consultation answers")
        constraints = [
            models.UniqueConstraint(
                fields=["response", "service"], name="answer_one_per_response_service"
            ),
            models.CheckConstraint(
                condition=Q(comfort__isnull=True) | Q(comfort__gte=1, comfort__lte=5),
                name="answer_comfort_1_to_5",
            ),
        ]
        indexes = [models.Index(fields=["service", "comfort"], name="answer_service_comfort_idx")]

    def __str__(self):
        return f"{self.service}: {self.comfort or '?'}"


# Imports --------------------------------------------------------------------------------------


class ImportKind(models.TextChoices):
    WARDS = "wards", _("Ward boundaries")
    DEPRIVATION = "deprivation", _("Deprivation")
    ORGANISATIONS = "organisations", _("Organisations")
    SERVICES = "services", _("Services")
    POSTCODES = "postcodes", _("Postcodes")


class ImportStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting to start")
    RUNNING = "running", _("Running")
    SUCCEEDED = "succeeded", _("Imported")
    CHECKED = "checked", _("Checked, nothing written (dry run)")
    FAILED = "failed", _("Failed, nothing written")


class ImportRun(models.Model):
    """One run of an import, from the command line or an upload page, and its report."""

    kind = models.CharField(_("what"), max_length=20, choices=ImportKind.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=ImportStatus.choices, default=ImportStatus.QUEUED
    )
    filename = models.CharField(_("file"), max_length=255)
    options = models.JSONField(_("options"), default=dict, blank=True)
    dry_run = models.BooleanField(_("dry run"), default=False)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("started"), auto_now_add=True)
    # When a worker took an uploaded file off the queue (``manage.py run_imports``).
    started_at = models.DateTimeField(_("picked up"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    rows_read = models.PositiveIntegerField(_("rows read"), default=0)
    rows_created = models.PositiveIntegerField(_("rows created"), default=0)
    rows_updated = models.PositiveIntegerField(_("rows updated"), default=0)
    # [{"row": 12, "field": "postcode", "message": "..."}], at most a few thousand.
    errors = models.JSONField(_("problems"), default=list, blank=True)
    # All the problems found, when there were more than ``errors`` keeps.
    problem_count = models.PositiveIntegerField(_("problems found"), default=0)
    # Rows imported with a note (a postcode left out, say): same shape as ``errors``.
    warnings = models.JSONField(_("notes"), default=list, blank=True)
    summary = models.TextField(_("summary"), blank=True)

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-created_at"]
        constraints = [
            choices_check("kind", ImportKind, "import_kind_valid"),
            choices_check("status", ImportStatus, "import_status_valid"),
        ]
        # The import workers look for the oldest queued run.
        indexes = [models.Index(fields=["status", "created_at"], name="import_status_created_idx")]

    def __str__(self):
        return f"{self.get_kind_display()} – {self.filename} ({self.get_status_display()})"

    @property
    def is_finished(self):
        return self.status not in (ImportStatus.QUEUED, ImportStatus.RUNNING)


class ImportChunk(models.Model):
    """A piece of an uploaded file, waiting in the database for an import worker.

    Uploads are kept in the database, not on the web server's disk, so that any worker
    on any machine can run them; the pieces are deleted once the import has run.
    """

    run = models.ForeignKey(ImportRun, on_delete=models.CASCADE, related_name="chunks")
    # "file", or "lookup" for a second file (the LSOA-to-ward lookup of a deprivation import).
    part = models.CharField(max_length=10, default="file")
    number = models.PositiveIntegerField()
    data = models.BinaryField()

    class Meta:
        verbose_name = _("uploaded file piece")
        verbose_name_plural = _("uploaded file pieces")
        ordering = ["run", "part", "number"]
        constraints = [
            models.UniqueConstraint(fields=["run", "part", "number"], name="import_chunk_unique")
        ]

    def __str__(self):
        return f"{self.run_id}/{self.part}/{self.number}"
