"""Open Referral UK (HSDS 3.0, UK profile): what the app publishes as open data.

Only verified organisations and published services go out, and only what the public
pages already show: an organisation's email only if it chose to show its contact
details publicly; never a group's own offer, readiness or hours. A service's capacity
(HSDS 3.1 ``service_capacity``) is published as totals: how many verified groups are
ready to help, and, once at least ``MIN_GROUPS_FOR_HOURS`` groups offer, the volunteer
hours a month they offer between them (so no single group's figure can be read off).

ORUK ids are UUIDs. Each is built from ``SITE_URL`` and the record's number (the last 48
bits are the number), so ids stay the same from one export to the next and a service's
id leads back to it without a lookup table. Keep ``SITE_URL`` stable.
"""

import json
import uuid

from django.conf import settings
from django.db.models import Count, Max, Prefetch, Q, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from mapping.identifiers import split_org_id
from mapping.models import (
    SUPPORTING_ROLES,
    Organisation,
    VerificationStatus,
    Ward,
    Willingness,
)
from services.models import HandoverAgreement, RiskTier, Service

MIN_GROUPS_FOR_HOURS = 3
SERVICE_ORDER = ("name", "pk")
NUMBER_BITS = 0xFFFF_FFFF_FFFF  # the last 48 bits of an id hold the record's number
ONS_URI = "http://statistics.data.gov.uk/id/statistical-geography/"
IDENTIFIER_TYPES = {
    "GB-CHC": "Registered charity number (Charity Commission for England and Wales)",
    "GB-SC": "Scottish charity number (Office of the Scottish Charity Regulator)",
    "GB-NIC": "Northern Ireland charity number (Charity Commission for Northern Ireland)",
    "GB-COH": "Company number (Companies House)",
}


def _base(kind):
    return uuid.uuid5(uuid.NAMESPACE_URL, f"{settings.SITE_URL.rstrip('/')}/oruk/{kind}")


def record_id(kind, number):
    """The ORUK id of record ``number`` of a kind ("service", "organization")."""
    return str(uuid.UUID(int=(_base(kind).int & ~NUMBER_BITS) | number))


def number_from_id(kind, text):
    """The record number in an id made by ``record_id``, or None for any other text."""
    try:
        value = uuid.UUID(str(text))
    except ValueError:
        return None
    if value.int & ~NUMBER_BITS != _base(kind).int & ~NUMBER_BITS:
        return None
    return value.int & NUMBER_BITS


def _part_id(*parts):
    """A stable id for a record that is part of another (a service area, an identifier)."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, "/".join([settings.SITE_URL, "oruk", *parts])))


def _absolute(path):
    return settings.SITE_URL.rstrip("/") + path


# Organisations ---------------------------------------------------------------------------------


def published_organisations():
    return Organisation.objects.verified().order_by("name", "pk")


def _identifier(organisation_id, identifier):
    scheme, value = split_org_id(identifier)
    if scheme in IDENTIFIER_TYPES:
        item = {
            "identifier_scheme": scheme,
            "identifier_type": IDENTIFIER_TYPES[scheme],
            "identifier": value,
        }
    else:
        item = {"identifier_type": "Other identifier", "identifier": identifier}
    return {
        "id": _part_id("organization", organisation_id, "identifier", identifier),
        "organization_id": organisation_id,
        **item,
    }


def organisation_json(organisation):
    oid = record_id("organization", organisation.pk)
    data = {
        "id": oid,
        "name": organisation.name,
        "description": organisation.description,
        "organization_identifiers": [_identifier(oid, i) for i in organisation.identifiers],
    }
    if organisation.website:
        data["website"] = organisation.website
    if organisation.publish_contact and organisation.contact_email:
        data["email"] = organisation.contact_email
    return data


def council_json():
    """The council as an organisation: it runs the services it has not handed over."""
    return {
        "id": record_id("council", 0),
        "name": settings.COUNCIL_NAME,
        "description": _("The local council, which runs or commissions this service."),
    }


# Services --------------------------------------------------------------------------------------


def _counting_offers():
    """The offers that count in the gap analysis: active, willing, from verified groups
    and, for high-risk services, in a supporting role only."""
    return (
        Q(offers__withdrawn_at__isnull=True)
        & ~Q(offers__willingness=Willingness.NOT_INTERESTED)
        & Q(offers__organisation__verification_status=VerificationStatus.VERIFIED)
        & (~Q(risk_tier=RiskTier.HIGH) | Q(offers__role__in=SUPPORTING_ROLES))
    )


def published_services(*, full=False):
    """Published services with what their ORUK record needs, in a fixed number of queries:
    the services with their capacity totals, their wards (with boundaries when ``full``)
    and the verified group running each handed-over one."""
    ward_fields = ["pk", "code", "name"] + (["boundary"] if full else [])
    counting = _counting_offers()
    return (
        Service.objects.published()
        .annotate(
            ready_groups=Count("offers__organisation", filter=counting, distinct=True),
            offered_hours=Sum("offers__volunteer_hours_per_month", filter=counting),
            offers_updated=Max("offers__updated_at", filter=counting),
        )
        .prefetch_related(
            Prefetch(
                "wards",
                queryset=Ward.objects.only(*ward_fields).order_by("code"),
                to_attr="ward_list",
            ),
            Prefetch(
                "agreements",
                queryset=HandoverAgreement.objects.current_on(timezone.localdate())
                .filter(organisation__verification_status=VerificationStatus.VERIFIED)
                .select_related("organisation")
                .order_by("-starts_on", "pk"),
                to_attr="current_agreements",
            ),
        )
        .order_by(*SERVICE_ORDER)
    )


def _service_area(service_id, ward, *, full):
    area = {
        "id": _part_id("service", service_id, "area", ward.code),
        "service_id": service_id,
        "name": ward.name,
        "uri": ONS_URI + ward.code,
    }
    if full and ward.boundary:
        area["extent"] = json.dumps(ward.boundary, separators=(",", ":"))
        area["extent_type"] = "geojson"
    return area


def _capacity(service_id, service):
    updated = (service.offers_updated or service.updated_at).isoformat()
    capacity = [
        {
            "id": _part_id("service", service_id, "capacity", "groups"),
            "unit": {
                "id": _part_id("unit", "groups"),
                "name": _("Community groups ready to help"),
            },
            "available": service.ready_groups,
            "description": _(
                "Verified community groups that have offered to help run or support this service."
            ),
            "updated": updated,
        }
    ]
    if service.ready_groups >= MIN_GROUPS_FOR_HOURS:
        capacity.append(
            {
                "id": _part_id("service", service_id, "capacity", "hours"),
                "unit": {"id": _part_id("unit", "hours"), "name": _("Volunteer hours a month")},
                "available": service.offered_hours or 0,
                "maximum": service.volunteer_hours_needed,
                "description": _(
                    "Volunteer hours a month offered by those groups between them; the "
                    "maximum is what the service needs."
                ),
                "updated": updated,
            }
        )
    return capacity


def service_json(service, *, full=False):
    """An ORUK service. ``full`` adds each ward's boundary (GeoJSON) to its service area."""
    sid = record_id("service", service.pk)
    agreement = service.current_agreements[0] if service.current_agreements else None
    organisation = (
        organisation_json(agreement.organisation) if agreement is not None else council_json()
    )
    organisation.pop("organization_identifiers", None)
    return {
        "id": sid,
        "organization_id": organisation["id"],
        "name": service.name,
        "description": service.description,
        "url": _absolute(reverse("services:public_service", args=[service.pk])),
        "status": "active",
        "last_modified": service.updated_at.isoformat(),
        "organization": organisation,
        "service_areas": [_service_area(sid, w, full=full) for w in service.ward_list],
        "service_capacity": _capacity(sid, service),
    }


# Pages ----------------------------------------------------------------------------------------


def page_json(*, total, per_page, number, items):
    """An ORUK page: the paging fields and ``contents``. A page past the last is empty."""
    pages = max(1, -(-total // per_page))
    return {
        "total_items": total,
        "total_pages": pages,
        "page_number": number,
        "size": len(items),
        "first_page": number == 1,
        "last_page": number >= pages,
        "empty": not items,
        "contents": items,
    }
