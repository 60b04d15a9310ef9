"""The demo borough: what ``manage.py load_demo`` puts in the database.

Deterministic: every random choice comes from a generator seeded with a fixed value,
one per part (organisations, offers, responses...), and each part's plan is drawn in
full whether or not its rows already exist, so the plan depends only on the wards and
the reference data, never on what else the database holds.

Idempotent: each top-level row (ward, service, organisation, consultation, asset,
expression of interest) is created only if a row with the same
natural key is missing, and the rows that belong to it (offers, responses, returns...)
only together with it. A second run therefore adds nothing, and leaves alone whatever
people changed while trying the demo.
"""

import datetime
import hashlib
import random
import secrets
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.core.management.base import CommandError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from simple_history.utils import bulk_create_with_history

from accounts.models import OFFICERS_GROUP, User
from mapping import models as m
from mapping.imports import run_import
from mapping.management.commands import _borough as borough
from mapping.management.commands import _catalogue as catalogue
from services import models as s

SEED = 20111115  # the Localism Act 2011 received Royal Assent on 15 November 2011
ORGANISATIONS = 150
OFFERS = 600

OFFICER_EMAIL = "officer@demo.local"
GROUP_EMAIL = "group@demo.local"
ADMIN_EMAIL = "admin@demo.local"
# The organisation group@demo.local owns: verified, with offers, and running the
# handed-over service under an agreement.
DEMO_GROUP_NAME = "Kestrel Community Trust"

# How much each legal form is represented among the 150 (adds up to 150).
LEGAL_FORM_COUNTS = {
    "unincorporated": 24,
    "cio": 20,
    "charitable_company": 16,
    "cic": 12,
    "community_benefit_society": 6,
    "cooperative": 5,
    "social_enterprise": 10,
    "parish_council": 4,
    "faith_group": 15,
    "friends_of": 20,
    "informal": 18,
}

INCOME_BY_FORM = {
    "informal": ["none", "under_10k"],
    "unincorporated": ["none", "under_10k", "under_10k", "10k_100k"],
    "friends_of": ["under_10k", "under_10k", "10k_100k"],
    "faith_group": ["under_10k", "10k_100k", "10k_100k"],
    "parish_council": ["10k_100k", "100k_1m"],
}

WILLINGNESS_WEIGHTS = {
    m.Willingness.ALREADY_DELIVERING: 14,
    m.Willingness.READY_NOW: 24,
    m.Willingness.READY_WITH_SUPPORT: 30,
    m.Willingness.EXPLORING: 24,
    m.Willingness.NOT_INTERESTED: 8,
}
ROLE_WEIGHTS = {
    m.OfferRole.RUN_SERVICE: 18,
    m.OfferRole.CO_PRODUCE: 24,
    m.OfferRole.VOLUNTEER: 36,
    m.OfferRole.SELF_HELP: 10,
    m.OfferRole.RUN_ASSET: 12,
}

REJECTION_REASONS = [
    "We could not confirm the group's address or who runs it. Please send a constitution.",
    "The charity number given belongs to a different organisation.",
]

COMMENTS = [
    "The library is the only warm place some of my neighbours go. Please keep it open.",
    "Happy to help with the park at weekends.",
    "Care for older people should stay with trained staff, not volunteers.",
    "More things for teenagers to do in the evenings, please.",
    "I would give a few hours a month if someone organised it.",
    "The community centre needs a new roof before anyone can take it on.",
]


def weighted(rng, weights):
    """One key of ``weights`` (a dict of key: weight), at random in proportion."""
    keys = list(weights)
    return rng.choices(keys, weights=[weights[k] for k in keys])[0]


def add_months(day, months):
    """The first of the month ``months`` after ``day``'s month."""
    year, month = divmod(day.month - 1 + months, 12)
    return datetime.date(day.year + year, month + 1, 1)


def create_all(model, objs, batch_size=500):
    """Insert ``objs``; rows of models with history get their first history record."""
    if not objs:
        return []
    if hasattr(model, "history"):
        return bulk_create_with_history(
            objs, model, batch_size=batch_size, default_change_reason="Demo data"
        )
    return model.objects.bulk_create(objs, batch_size=batch_size)


def link(relation, pairs):
    """Bulk-insert many-to-many rows: ``pairs`` of (left object, right id)."""
    through = relation.through
    left, right = relation.field.m2m_field_name(), relation.field.m2m_reverse_field_name()
    through.objects.bulk_create(
        [through(**{f"{left}_id": a.pk, f"{right}_id": b}) for a, b in pairs],
        batch_size=1000,
        ignore_conflicts=True,
    )


# The plan ------------------------------------------------------------------------------------


@dataclass
class OrganisationPlan:
    name: str
    legal_form: str
    ward_codes: list[str]
    whole_borough: bool
    fields: dict
    preferred_categories: list[str]
    registered_days_ago: int


@dataclass
class OfferPlan:
    organisation: str
    service: str
    ward_codes: list[str]
    skills: list[str]
    support: list[str]
    fields: dict


@dataclass
class ResponsePlan:
    ward_code: str
    browser_hash: str
    days_ago: int
    fields: dict
    answers: dict = field(default_factory=dict)  # service name: comfort (None: don't know)


class DemoBorough:
    def __init__(self, *, today=None, data_dir=None):
        self.today = today or timezone.localdate()
        self.data_dir = data_dir or borough.shared_data_dir()
        self.created = Counter()  # what was added, for the summary

    # Running it --------------------------------------------------------------------------

    @transaction.atomic
    def load(self, *, password=None):
        """Load whatever of the demo is missing. Returns the sign-in details."""
        self.refuse_a_database_with_other_data()
        accounts = self.load_accounts(password)
        self.officer = accounts["officer"].user
        self.wards = self.load_wards()
        self.load_postcodes()
        self.services = self.load_services()
        self.organisations = self.load_organisations()
        self.load_memberships(accounts["group"].user)
        self.load_offers()
        self.load_consultations()
        self.load_assets()
        self.load_handover()
        return accounts

    def refuse_a_database_with_other_data(self):
        names = [name for name, _form in self.plan_organisation_names()]
        others = m.Organisation.objects.exclude(name__in=names)
        if others.exists() and not m.Organisation.objects.filter(name__in=names).exists():
            raise CommandError(
                "This database already holds organisations that are not the demo's. "
                "load_demo only fills an empty database or tops up the demo; use a new "
                "database (for example DATABASE_URL=sqlite:///var/demo.sqlite3)."
            )

    # Accounts ------------------------------------------------------------------------------

    @dataclass
    class Account:
        user: User
        role: str
        password: str | None  # None: kept as it was

    def load_accounts(self, password):
        new_password = password or secrets.token_urlsafe(12)
        hashed = None  # hashed once for all three: hashing is slow on purpose
        officers, _ = Group.objects.get_or_create(name=OFFICERS_GROUP)
        specs = {
            "officer": (OFFICER_EMAIL, "Jo Officer", {}),
            "group": (GROUP_EMAIL, "Sam Member", {}),
            "admin": (ADMIN_EMAIL, "Alex Admin", {"is_staff": True, "is_superuser": True}),
        }
        accounts = {}
        for key, (email, full_name, flags) in specs.items():
            user = User.objects.filter(email=email).first()
            given = None  # kept as it was
            if user is None or password:
                hashed = hashed or make_password(new_password)
                given = new_password
            if user is None:
                user = User.objects.create(
                    email=email,
                    password=hashed,
                    full_name=full_name,
                    email_confirmed_at=timezone.now(),
                    **flags,
                )
                self.created["accounts"] += 1
            elif password:
                user.password = hashed
                user.save(update_fields=["password"])
            # Only when missing: adding again would still write a row of history.
            if key == "officer" and not user.groups.filter(pk=officers.pk).exists():
                user.groups.add(officers)
            accounts[key] = self.Account(user=user, role=key, password=given)
        return accounts

    # Geography -----------------------------------------------------------------------------

    def load_wards(self):
        """The wards already there, or else Lewisham's, or else a made-up borough."""
        if not m.Ward.objects.exists():
            wards = borough.lewisham_wards(self.data_dir)
            if wards is None:
                wards = borough.synthetic_wards(20, rng=random.Random(f"{SEED}-wards"))
                self.geography = "a made-up borough (../shared/data is not there)"
            else:
                self.geography = "Lewisham's real wards, boundaries and deprivation"
            create_all(
                m.Ward,
                [
                    m.Ward(
                        code=w.code,
                        name=w.name,
                        boundary=w.boundary,
                        imd_rank=w.imd_rank,
                        imd_decile=w.imd_decile,
                        population=w.population,
                    )
                    for w in wards
                ],
            )
            self.created["wards"] += len(wards)
        else:
            self.geography = f"the {m.Ward.objects.count()} wards already in the database"
        return list(m.Ward.objects.order_by("code"))

    def load_postcodes(self):
        """Lewisham's postcodes when they are there (residents answer by postcode);
        otherwise a few made-up ones per ward in the unused "DB" postcode area."""
        known = {ward.code: ward for ward in self.wards}
        path = self.data_dir / "lewisham" / "postcode_to_ward2022.csv"
        if path.exists() and all(code in known for code in borough.LEWISHAM_WARD_CODES):
            # The same import an officer would run (manage.py import_postcodes).
            report = run_import("postcodes", path)
            if not report.ok:
                raise CommandError(report.as_text())
            self.created["postcodes"] += report.created
            return
        rows = []
        rng = random.Random(f"{SEED}-postcodes")
        for n, ward in enumerate(self.wards, start=1):
            for sector in range(1, 4):
                for _ in range(5):
                    unit = "".join(rng.choices("ABDEFGHJLNPQRSTUWXYZ", k=2))
                    rows.append(m.Postcode(postcode=f"DB{n} {sector}{unit}", ward=ward))
        before = m.Postcode.objects.count()
        m.Postcode.objects.bulk_create(rows, batch_size=1000, ignore_conflicts=True)
        self.created["postcodes"] += m.Postcode.objects.count() - before

    def ward_weights(self):
        """More groups, and more offers, in less deprived wards."""
        return {ward.code: 0.4 + 0.12 * (ward.imd_decile or 5) for ward in self.wards}

    # Services ------------------------------------------------------------------------------

    def plan_service_wards(self):
        rng = random.Random(f"{SEED}-service-wards")
        codes = [ward.code for ward in self.wards]
        plan = {}
        for service in catalogue.SERVICES:
            if service.coverage >= 1:
                plan[service.name] = codes
            else:
                count = max(1, round(service.coverage * len(codes)))
                plan[service.name] = sorted(rng.sample(codes, count))
        return plan

    def load_services(self):
        categories = {c.slug: c for c in s.ServiceCategory.objects.all()}
        missing = [
            slug for slug in {x.category for x in catalogue.SERVICES} if slug not in categories
        ]
        if missing:
            raise CommandError(f"Service categories are missing: {', '.join(sorted(missing))}")
        ward_plan = self.plan_service_wards()
        existing = {
            (service.category.slug, service.name): service
            for service in s.Service.objects.select_related("category")
        }
        new = []
        for plan in catalogue.SERVICES:
            if (plan.category, plan.name) in existing:
                continue
            new.append(
                s.Service(
                    name=plan.name,
                    category=categories[plan.category],
                    providing_body=plan.body,
                    lgsl_code=plan.lgsl[0] if plan.lgsl else None,
                    description=plan.description,
                    annual_cost=Decimal(plan.annual_cost),
                    planned_budget_change=Decimal(plan.budget_change),
                    statutory_duty=plan.statutory,
                    risk_tier=plan.risk,
                    delivery_model=plan.delivery,
                    review_status=plan.review,
                    volunteer_hours_needed=plan.hours_needed,
                    lead_officer=self.officer,
                )
            )
        create_all(s.Service, new)
        wards = {ward.code: ward.pk for ward in self.wards}
        link(
            s.Service.wards,
            [(service, wards[code]) for service in new for code in ward_plan[service.name]],
        )
        self.created["services"] += len(new)
        return {
            service.name: service
            for service in s.Service.objects.filter(
                name__in=[plan.name for plan in catalogue.SERVICES]
            )
        }

    # Organisations -------------------------------------------------------------------------

    def plan_organisation_names(self):
        """150 distinct names and legal forms; the demo group's comes first."""
        rng = random.Random(f"{SEED}-organisation-names")
        places = borough.ward_names(len(borough._PREFIXES) * len(borough._SUFFIXES))
        forms = [form for form, n in LEGAL_FORM_COUNTS.items() for _ in range(n)]
        rng.shuffle(forms)
        forms.remove("cio")
        forms.insert(0, "cio")
        names = [DEMO_GROUP_NAME]
        for form in forms[1:]:
            templates, _preferred = catalogue.LEGAL_FORMS[form]
            name = DEMO_GROUP_NAME
            while name in names:
                name = rng.choice(templates).format(
                    word=rng.choice(catalogue.NAME_WORDS),
                    place=rng.choice(places),
                    saint=rng.choice(catalogue.SAINTS),
                )
            names.append(name)
        return list(zip(names, forms, strict=True))

    def plan_organisations(self, wards):
        rng = random.Random(f"{SEED}-organisations")
        ward_weights = {ward.code: 0.4 + 0.12 * (ward.imd_decile or 5) for ward in wards}
        charity_numbers = rng.sample(range(1_100_000, 1_210_000), ORGANISATIONS)
        company_numbers = rng.sample(range(6_000_000, 14_000_000), ORGANISATIONS)
        mutual_numbers = rng.sample(range(10_000, 40_000), ORGANISATIONS)
        plans = []
        for n, (name, form) in enumerate(self.plan_organisation_names()):
            _templates, preferred = catalogue.LEGAL_FORMS[form]
            whole_borough = rng.random() < 0.08
            ward_codes = []
            if wards:
                base = weighted(rng, ward_weights)
                ward_codes = sorted(
                    {base} | {weighted(rng, ward_weights) for _ in range(rng.randint(0, 3))}
                )
            big = form in ("charitable_company", "cio", "social_enterprise", "cic")
            volunteers = rng.randint(5, 120) if big else rng.randint(2, 40)
            status = weighted(rng, {"verified": 80, "pending": 14, "rejected": 6})
            if n == 0:
                status, whole_borough = "verified", False
            charity = company = other = ""
            if form in ("cio", "charitable_company") or (
                form in ("faith_group", "friends_of") and rng.random() < 0.3
            ):
                charity = str(charity_numbers[n])
            if form in ("charitable_company", "cic") or (
                form == "social_enterprise" and rng.random() < 0.6
            ):
                company = f"{company_numbers[n]:08d}"
            if form in ("community_benefit_society", "cooperative"):
                other = f"GB-MPR-{mutual_numbers[n]}R"
            contact = f"{rng.choice(catalogue.FIRST_NAMES)} {rng.choice(catalogue.LAST_NAMES)}"
            slug = slugify(name)[:40].strip("-")
            fields = {
                "charity_number": charity,
                "company_number": company,
                "other_identifier": other,
                "address": f"{rng.randint(1, 240)} {rng.choice(catalogue.NAME_WORDS)} Road",
                "volunteers": volunteers,
                "paid_staff": rng.randint(1, 25) if big else 0,
                "income_band": rng.choice(
                    INCOME_BY_FORM.get(form, ["10k_100k", "10k_100k", "100k_1m", "over_1m"])
                ),
                "description": rng.choice(catalogue.DESCRIPTIONS),
                "website": f"https://{slug}.example.org" if rng.random() < 0.5 else "",
                "contact_name": contact,
                "contact_email": f"hello@{slug}.example.org",
                "contact_phone": f"020 7946 {rng.randint(0, 999):04d}",
                "publish_contact": rng.random() < 0.6,
                "verification_status": status,
                "verification_reason": rng.choice(REJECTION_REASONS)
                if status == "rejected"
                else "",
            }
            plans.append(
                OrganisationPlan(
                    name=name,
                    legal_form=form,
                    ward_codes=ward_codes,
                    whole_borough=whole_borough,
                    fields=fields,
                    preferred_categories=preferred,
                    registered_days_ago=rng.randint(20, 900),
                )
            )
        return plans

    def load_organisations(self):
        self.organisation_plans = self.plan_organisations(self.wards)
        existing = set(
            m.Organisation.objects.filter(
                name__in=[p.name for p in self.organisation_plans]
            ).values_list("name", flat=True)
        )
        postcodes = self.postcodes_by_ward()
        rng = random.Random(f"{SEED}-organisation-postcodes")
        now = timezone.now()
        new, plans = [], []
        for plan in self.organisation_plans:
            # Drawn for every plan, so the choices do not depend on what exists.
            ward_postcodes = postcodes.get(plan.ward_codes[0] if plan.ward_codes else "", [""])
            postcode = rng.choice(ward_postcodes or [""])
            if plan.name in existing:
                continue
            fields = dict(plan.fields)
            if fields["verification_status"] != m.VerificationStatus.PENDING:
                fields["verified_by"] = self.officer
                fields["verified_at"] = now - datetime.timedelta(
                    days=max(1, plan.registered_days_ago - 10)
                )
            new.append(
                m.Organisation(
                    name=plan.name,
                    legal_form=plan.legal_form,
                    postcode=postcode,
                    serves_whole_borough=plan.whole_borough,
                    **fields,
                )
            )
            plans.append(plan)
        create_all(m.Organisation, new)
        wards = {ward.code: ward.pk for ward in self.wards}
        link(
            m.Organisation.wards_served,
            [
                (org, wards[code])
                for org, plan in zip(new, plans, strict=True)
                for code in plan.ward_codes
            ],
        )
        for org, plan in zip(new, plans, strict=True):
            org.created_at = now - datetime.timedelta(days=plan.registered_days_ago)
        m.Organisation.objects.bulk_update(new, ["created_at"], batch_size=500)
        self.new_organisations = {org.name for org in new}
        self.created["organisations"] += len(new)
        return {
            org.name: org
            for org in m.Organisation.objects.filter(
                name__in=[p.name for p in self.organisation_plans]
            )
        }

    def postcodes_by_ward(self):
        postcodes = {}
        for code, postcode in m.Postcode.objects.filter(ward__in=self.wards).values_list(
            "ward__code", "postcode"
        ):
            postcodes.setdefault(code, []).append(postcode)
        return {code: sorted(values)[:200] for code, values in postcodes.items()}

    def load_memberships(self, group_user):
        organisation = self.organisations[DEMO_GROUP_NAME]
        _, created = m.Membership.objects.get_or_create(
            user=group_user,
            organisation=organisation,
            defaults={"role": m.MembershipRole.OWNER},
        )
        self.created["memberships"] += int(created)
        if DEMO_GROUP_NAME in self.new_organisations:
            m.Invitation.objects.create(
                organisation=organisation,
                email="new.volunteer@demo.local",
                role=m.MembershipRole.EDITOR,
                invited_by=group_user,
            )
            self.created["invitations"] += 1

    # Capacity offers -----------------------------------------------------------------------

    def plan_offers(self):
        rng = random.Random(f"{SEED}-offers")
        ward_plan = self.plan_service_wards()
        ward_weights = self.ward_weights()
        by_name = {service.name: service for service in catalogue.SERVICES}
        appeal = {service.name: service.appeal**2 for service in catalogue.SERVICES}
        skills = list(m.Skill.objects.order_by("name").values_list("name", flat=True))
        needs = list(m.SupportNeed.objects.order_by("code").values_list("code", flat=True))
        organisations = self.organisation_plans
        org_weights = {plan.name: plan.fields["volunteers"] ** 0.5 for plan in organisations}
        org_weights[DEMO_GROUP_NAME] = 0  # its offers are set below
        plans_by_name = {plan.name: plan for plan in organisations}

        pairs = [
            (DEMO_GROUP_NAME, catalogue.HANDED_OVER_SERVICE),
            (DEMO_GROUP_NAME, "Community centres"),
            (DEMO_GROUP_NAME, "Community libraries"),
            (DEMO_GROUP_NAME, "Youth clubs"),
            (DEMO_GROUP_NAME, "Befriending for older people"),
        ]
        chosen = set(pairs)
        attempts = 0
        while len(pairs) < OFFERS and attempts < OFFERS * 50:
            attempts += 1
            org = plans_by_name[weighted(rng, org_weights)]
            weights = {
                name: weight * (3 if by_name[name].category in org.preferred_categories else 1)
                for name, weight in appeal.items()
            }
            service = weighted(rng, weights)
            if (org.name, service) not in chosen:
                chosen.add((org.name, service))
                pairs.append((org.name, service))

        offers = []
        for org_name, service_name in pairs:
            org = plans_by_name[org_name]
            service = by_name[service_name]
            covered = ward_plan[service_name]
            if org.whole_borough or not set(org.ward_codes) & set(covered):
                count = min(len(covered), rng.randint(1, 4))
                weights = {code: ward_weights[code] for code in covered}
                codes = {weighted(rng, weights) for _ in range(count)}
            else:
                codes = set(org.ward_codes) & set(covered)
            willingness = weighted(rng, WILLINGNESS_WEIGHTS)
            if service.risk == s.RiskTier.HIGH and rng.random() < 0.85:
                role = rng.choice(m.SUPPORTING_ROLES)
            else:
                role = weighted(rng, ROLE_WEIGHTS)
            hours = rng.choice([4, 6, 8, 10, 12, 16, 20, 24, 30, 40, 60, 80, 120])
            support = []
            if willingness == m.Willingness.READY_WITH_SUPPORT:
                support = rng.sample(needs, rng.randint(1, 3)) if needs else []
            elif rng.random() < 0.2 and needs:
                support = [rng.choice(needs)]
            start = None
            if willingness != m.Willingness.ALREADY_DELIVERING and rng.random() < 0.6:
                start = self.today + datetime.timedelta(days=rng.randrange(14, 400, 7))
            offers.append(
                OfferPlan(
                    organisation=org_name,
                    service=service_name,
                    ward_codes=sorted(codes),
                    skills=rng.sample(skills, rng.randint(0, 3)) if skills else [],
                    support=support,
                    fields={
                        "willingness": willingness,
                        "role": role,
                        "volunteer_hours_per_month": hours,
                        "volunteers": rng.randint(1, max(2, org.fields["volunteers"] // 2)),
                        "preferred_governance": weighted(
                            rng, {"council": 3, "arms_length": 2, "no_preference": 5}
                        ),
                        "earliest_start": start,
                        "conditions": rng.choice(catalogue.CONDITIONS)
                        if rng.random() < 0.25
                        else "",
                    },
                )
            )
        # The demo group: ready, with a mix of roles, so its pages have something to show.
        for offer in offers[:5]:
            offer.fields["willingness"] = m.Willingness.READY_NOW
        offers[0].fields["willingness"] = m.Willingness.ALREADY_DELIVERING
        return offers

    def load_offers(self):
        plans = self.plan_offers()
        new, new_plans = [], []
        for plan in plans:
            if plan.organisation not in self.new_organisations:
                continue
            new.append(
                m.CapacityOffer(
                    organisation=self.organisations[plan.organisation],
                    service=self.services[plan.service],
                    **plan.fields,
                )
            )
            new_plans.append(plan)
        create_all(m.CapacityOffer, new)
        wards = {ward.code: ward.pk for ward in self.wards}
        skills = dict(m.Skill.objects.values_list("name", "pk"))
        needs = dict(m.SupportNeed.objects.values_list("code", "pk"))
        pairs = list(zip(new, new_plans, strict=True))
        link(m.CapacityOffer.wards, [(o, wards[c]) for o, p in pairs for c in p.ward_codes])
        link(m.CapacityOffer.skills, [(o, skills[n]) for o, p in pairs for n in p.skills])
        link(m.CapacityOffer.support_needed, [(o, needs[c]) for o, p in pairs for c in p.support])
        self.created["capacity offers"] += len(new)

    # Consultations -------------------------------------------------------------------------

    CONSULTATIONS = [
        # slug, title, opens (days from today), closes, published, results published,
        # responses, services asked about
        (
            "who-should-run-local-services",
            "Who should run our local services?",
            -21,
            35,
            True,
            False,
            260,
            [
                "Community libraries",
                "Parks and open spaces maintenance",
                "Community centres",
                "Youth clubs",
                "Meals on wheels",
                "Day centres for older people",
                "Children's centres",
                "Public toilets",
                "Dial-a-ride",
                "Litter picking",
                "Borough museum",
                "Mental health peer support",
            ],
        ),
        (
            "libraries-and-parks-last-year",
            "Libraries and parks: have your say",
            -400,
            -340,
            True,
            True,
            80,
            ["Community libraries", "Mobile library", "Events in parks", "Nature reserves"],
        ),
        (
            "youth-services-review",
            "Youth services review",
            30,
            72,
            False,
            False,
            0,
            ["Youth clubs", "School holiday activities", "Advice for young people"],
        ),
    ]

    def plan_responses(self, slug, count, service_names):
        """Uneven by ward: several wards with plenty of responses, others with a few."""
        rng = random.Random(f"{SEED}-responses-{slug}")
        codes = [ward.code for ward in self.wards]
        deciles = {ward.code: ward.imd_decile or 5 for ward in self.wards}
        # A third of the wards are busy, a third have a few responses, the rest fewer.
        shuffled = rng.sample(codes, len(codes))
        third = max(1, len(codes) // 3)
        ward_weights = dict.fromkeys(shuffled[:third], 12)
        ward_weights |= dict.fromkeys(shuffled[third : 2 * third], 3)
        ward_weights |= dict.fromkeys(shuffled[2 * third :], 0.6)
        risk = {service.name: service.risk for service in catalogue.SERVICES}
        centre = {s.RiskTier.LOW: 3.9, s.RiskTier.MEDIUM: 3.2, s.RiskTier.HIGH: 2.2}
        ages = [choice.value for choice in m.AgeBand]
        plans = []
        for n in range(count):
            code = weighted(rng, ward_weights)
            gives_time = rng.random() < (0.18 + 0.015 * deciles[code])
            answers = {}
            for name in service_names:
                draw = rng.random()
                if draw < 0.06:
                    continue  # skipped the question
                if draw < 0.13:
                    answers[name] = None  # "don't know"
                else:
                    comfort = round(rng.gauss(centre[risk[name]], 1.0))
                    answers[name] = min(5, max(1, comfort))
            plans.append(
                ResponsePlan(
                    ward_code=code,
                    browser_hash=hashlib.sha256(f"demo-{slug}-{n}".encode()).hexdigest(),
                    days_ago=n,
                    fields={
                        "gives_time": gives_time,
                        "hours_per_month": rng.choice([2, 4, 4, 6, 8, 10, 12, 20])
                        if gives_time
                        else None,
                        "age_band": rng.choice([*ages, ""]),
                        "comment": rng.choice(COMMENTS) if rng.random() < 0.1 else "",
                    },
                    answers=answers,
                )
            )
        return plans

    def load_consultations(self):
        wards = {ward.code: ward for ward in self.wards}
        for slug, title, opens, closes, published, results, count, names in self.CONSULTATIONS:
            plans = self.plan_responses(slug, count, names)
            if m.Consultation.objects.filter(slug=slug).exists():
                continue
            opens_on = self.today + datetime.timedelta(days=opens)
            closes_on = self.today + datetime.timedelta(days=closes)
            consultation = m.Consultation.objects.create(
                slug=slug,
                title=title,
                introduction=(
                    "The council is looking again at how some services are run. Tell us "
                    "which you would be comfortable to see run by community groups or "
                    "volunteers, and whether you would give some time yourself. Your "
                    "answers are anonymous."
                ),
                opens_on=opens_on,
                closes_on=closes_on,
                is_published=published,
                results_published=results,
                created_by=self.officer,
            )
            consultation.services.set([self.services[name] for name in names])
            self.created["consultations"] += 1
            responses = [
                m.ConsultationResponse(
                    consultation=consultation,
                    ward=wards[plan.ward_code],
                    browser_hash=plan.browser_hash,
                    **plan.fields,
                )
                for plan in plans
            ]
            create_all(m.ConsultationResponse, responses)
            # Spread over the days it has been open, the latest first.
            last = min(self.today, closes_on)
            open_days = max(1, (last - opens_on).days)
            for response, plan in zip(responses, plans, strict=True):
                day = last - datetime.timedelta(days=plan.days_ago * open_days // max(count, 1))
                response.submitted_at = timezone.make_aware(
                    datetime.datetime.combine(day, datetime.time(9 + plan.days_ago % 12))
                )
            m.ConsultationResponse.objects.bulk_update(responses, ["submitted_at"], batch_size=500)
            create_all(
                m.ConsultationAnswer,
                [
                    m.ConsultationAnswer(
                        response=response, service=self.services[name], comfort=comfort
                    )
                    for response, plan in zip(responses, plans, strict=True)
                    for name, comfort in plan.answers.items()
                ],
            )
            self.created["consultation responses"] += len(responses)

    # Assets and Assets of Community Value ---------------------------------------------------

    def plan_assets(self):
        rng = random.Random(f"{SEED}-assets")
        codes = [ward.code for ward in self.wards]
        places = borough.ward_names(len(borough._PREFIXES) * len(borough._SUFFIXES))
        place = iter(rng.sample(places, 12))
        A = s.AssetType
        return [
            # name, type, ward, owner (None: the council), running cost, condition, services
            ("Central Library", A.LIBRARY, None, 180_000, "good", ["Community libraries"]),
            (
                f"{next(place)} Library",
                A.LIBRARY,
                None,
                65_000,
                "fair",
                ["Community libraries", "Library computers and digital help"],
            ),
            (
                f"{next(place)} Community Centre",
                A.COMMUNITY_CENTRE,
                None,
                48_000,
                "poor",
                ["Community centres"],
            ),
            (
                f"{next(place)} Community Centre",
                A.COMMUNITY_CENTRE,
                None,
                39_000,
                "fair",
                ["Community centres", catalogue.HANDED_OVER_SERVICE],
            ),
            (
                f"{next(place)} Park",
                A.PARK,
                None,
                52_000,
                "good",
                ["Parks and open spaces maintenance"],
            ),
            (
                f"{next(place)} Recreation Ground",
                A.PARK,
                None,
                31_000,
                "fair",
                ["Events in parks"],
            ),
            (
                f"{next(place)} Leisure Centre",
                A.LEISURE_CENTRE,
                None,
                420_000,
                "fair",
                ["Swimming pools"],
            ),
            ("Borough Museum", A.MUSEUM, None, 95_000, "poor", ["Borough museum"]),
            (
                "The Kestrel Arms",
                A.PUB,
                "Northfield Taverns Ltd",
                None,
                "fair",
                [],
            ),
            (f"{next(place)} Corner Shop", A.SHOP, "A private owner", None, "unknown", []),
            (f"Land at {next(place)} Road", A.LAND, None, 4_000, "unknown", []),
            (f"{next(place)} Youth Hut", A.OTHER, None, 12_000, "poor", ["Youth clubs"]),
        ], [rng.choice(codes) for _ in range(12)]

    def load_assets(self):
        assets, ward_codes = self.plan_assets()
        wards = {ward.code: ward for ward in self.wards}
        existing = set(
            s.Asset.objects.filter(name__in=[a[0] for a in assets]).values_list("name", flat=True)
        )
        new = []
        for (name, kind, owner, cost, condition, services), code in zip(
            assets, ward_codes, strict=True
        ):
            if name in existing:
                continue
            asset = s.Asset.objects.create(
                name=name,
                asset_type=kind,
                ward=wards[code],
                owner=owner or "The council",
                owned_by_council=owner is None,
                running_cost=Decimal(cost) if cost is not None else None,
                condition=condition,
                address=f"{name}, {wards[code].name}",
            )
            asset.services.set([self.services[n] for n in services])
            new.append(asset)
        self.created["assets"] += len(new)
        self.assets = {
            asset.name: asset for asset in s.Asset.objects.filter(name__in=[a[0] for a in assets])
        }
        new_names = {asset.name for asset in new}

        # The pub: listed as an Asset of Community Value, and now for sale. The notice came
        # 12 days ago, inside the 6-week interim moratorium: groups may still say they
        # intend to bid.
        pub = self.assets["The Kestrel Arms"]
        nominator = self.organisations[self.verified_names()[3]]
        if pub.name in new_names:
            now = timezone.now()
            s.AcvNomination.objects.create(
                asset=pub,
                organisation=nominator,
                reason="The only pub left on the estate: it hosts the darts league, the "
                "lunch club's Christmas dinner and the residents' meetings.",
                status=s.NominationStatus.LISTED,
                decided_by=self.officer,
                decided_at=now - datetime.timedelta(days=400),
                decision_reason="It furthers the social wellbeing of the community now and "
                "can realistically continue to do so.",
                listed_on=self.today - datetime.timedelta(days=400),
            )
            notice = s.SaleNotice.objects.create(
                asset=pub,
                notified_on=self.today - datetime.timedelta(days=12),
                recorded_by=self.officer,
            )
            s.IntentionToBid.objects.create(
                sale_notice=notice, organisation=nominator, recorded_by=self.officer
            )
            self.created["Asset of Community Value listings"] += 1
        shop = next(a for a in self.assets.values() if a.asset_type == s.AssetType.SHOP)
        if shop.name in new_names:
            s.AcvNomination.objects.create(
                asset=shop,
                organisation=self.organisations[self.verified_names()[4]],
                reason="The last shop and post office counter in walking distance for many "
                "older residents.",
            )

    def verified_names(self):
        """Verified demo organisations other than the demo group's, in plan order."""
        return [
            plan.name
            for plan in self.organisation_plans
            if plan.fields["verification_status"] == "verified" and plan.name != DEMO_GROUP_NAME
        ]

    # Expressions of interest and the handover agreement ---------------------------------------

    def load_handover(self):
        """One expression of interest in each status; the accepted one has an agreement
        with monitoring returns (one rated, one waiting for review, one overdue)."""
        leads = self.verified_names()
        days = datetime.timedelta
        due = days(settings.EOI_RESPONSE_DAYS)
        land = next(a for a in self.assets.values() if a.asset_type == s.AssetType.LAND)
        museum = self.assets["Borough Museum"]
        E, R = s.EoiStatus, s.Route
        specs = [
            # lead, service or asset, route, status, submitted (days ago), decided (days ago)
            (leads[0], self.services["Youth clubs"], R.CO_PRODUCTION, E.DRAFT, None, None),
            (
                leads[1],
                self.services["Meals on wheels"],
                R.RIGHT_TO_CHALLENGE,
                E.SUBMITTED,
                10,
                None,
            ),
            (leads[2], land, R.ASSET_TRANSFER, E.UNDER_REVIEW, 75, None),
            (
                DEMO_GROUP_NAME,
                self.services[catalogue.HANDED_OVER_SERVICE],
                R.RIGHT_TO_CHALLENGE,
                E.ACCEPTED,
                400,
                350,
            ),
            (leads[5], self.services["Dial-a-ride"], R.RIGHT_TO_CHALLENGE, E.REJECTED, 120, 70),
            (leads[6], museum, R.ASSET_TRANSFER, E.WITHDRAWN, 90, 60),
            (leads[7], self.services["Community centres"], R.VOLUNTEERING, E.SUBMITTED, 3, None),
        ]
        now = timezone.now()
        for lead_name, subject, route, status, submitted, decided in specs:
            lead = self.organisations[lead_name]
            is_asset = isinstance(subject, s.Asset)
            lookup = {"lead_organisation": lead, "asset" if is_asset else "service": subject}
            if s.ExpressionOfInterest.objects.filter(**lookup).exists():
                continue
            submitted_at = now - days(submitted) if submitted is not None else None
            decided_at = now - days(decided) if decided is not None else None
            eoi = s.ExpressionOfInterest.objects.create(
                **lookup,
                route=route,
                status=status,
                proposal=f"{lead.name} proposes to take on {subject} with local volunteers, "
                "keeping opening hours and prices as they are for at least three years.",
                capacity_evidence=f"{lead.volunteers} volunteers, a management committee "
                "that meets monthly, and five years of running activities locally.",
                support_notes="A year of reduced rent and help with the lease.",
                submitted_at=submitted_at,
                decision_due_on=(submitted_at + due).date() if submitted_at else None,
                decided_at=decided_at if status in (E.ACCEPTED, E.REJECTED) else None,
                decided_by=self.officer if status in (E.ACCEPTED, E.REJECTED) else None,
                decision_reason={
                    E.ACCEPTED: "A strong, well-evidenced proposal with local support.",
                    E.REJECTED: "The proposal does not show how trips for wheelchair users "
                    "would continue. We would welcome a joint bid with a transport "
                    "operator.",
                }.get(status, ""),
            )
            eoi.support_requested.set(
                m.SupportNeed.objects.filter(code__in=["training", "legal-advice"])
            )
            if not is_asset:
                eoi.offers.set(m.CapacityOffer.objects.filter(organisation=lead, service=subject))
            self.record_transitions(eoi, status, submitted_at, decided_at)
            if status == E.UNDER_REVIEW:
                s.EoiPartner.objects.create(
                    expression_of_interest=eoi,
                    organisation=self.organisations[leads[8]],
                    status=s.PartnerStatus.ACCEPTED,
                    responded_at=submitted_at,
                )
                s.EoiPartner.objects.create(
                    expression_of_interest=eoi, organisation=self.organisations[leads[9]]
                )
            if status == E.ACCEPTED:
                self.load_agreement(eoi)
            self.created["expressions of interest"] += 1

    def record_transitions(self, eoi, status, submitted_at, decided_at):
        E = s.EoiStatus
        steps = []
        if submitted_at:
            steps.append((E.DRAFT, E.SUBMITTED, None, submitted_at, ""))
            if status in (E.UNDER_REVIEW, E.ACCEPTED, E.REJECTED):
                review_at = submitted_at + datetime.timedelta(days=7)
                steps.append((E.SUBMITTED, E.UNDER_REVIEW, self.officer, review_at, ""))
            if status in (E.ACCEPTED, E.REJECTED):
                steps.append(
                    (E.UNDER_REVIEW, status, self.officer, decided_at, eoi.decision_reason)
                )
            if status == E.WITHDRAWN:
                withdrawn_at = submitted_at + datetime.timedelta(days=30)
                steps.append((E.SUBMITTED, E.WITHDRAWN, None, withdrawn_at, "We lost our venue."))
        transitions = [
            s.EoiTransition(
                expression_of_interest=eoi, from_status=a, to_status=b, by=by, reason=reason
            )
            for a, b, by, _at, reason in steps
        ]
        s.EoiTransition.objects.bulk_create(transitions)
        for transition, (*_, at, _reason) in zip(transitions, steps, strict=True):
            transition.at = at
        s.EoiTransition.objects.bulk_update(transitions, ["at"])

    def load_agreement(self, eoi):
        starts_on = add_months(self.today, -11)
        agreement = s.HandoverAgreement.objects.create(
            expression_of_interest=eoi,
            organisation=eoi.lead_organisation,
            service=eoi.service,
            description=f"{eoi.lead_organisation} runs the bookable halls and rooms: "
            "bookings, opening and locking up, cleaning and small repairs. The council "
            "keeps the buildings insured and does major repairs.",
            delivery_model=s.DeliveryModel.TRANSFERRED,
            starts_on=starts_on,
            ends_on=add_months(starts_on, 36) - datetime.timedelta(days=1),
            council_funding=Decimal("12000"),
            return_frequency=s.ReturnFrequency.QUARTERLY,
            created_by=self.officer,
        )
        agreement.wards.set(eoi.service.wards.all())
        indicators = [
            s.Indicator.objects.create(agreement=agreement, name=name, unit=unit, target=target)
            for name, unit, target in [
                ("Hours the halls were open", "hours", Decimal(150)),
                ("Bookings by community groups", "bookings", Decimal(40)),
                ("Active volunteers", "people", Decimal(12)),
            ]
        ]
        now = timezone.now()
        group_user = User.objects.get(email=GROUP_EMAIL)
        for quarter in range(4):
            period_start = add_months(starts_on, 3 * quarter)
            period_end = add_months(period_start, 3) - datetime.timedelta(days=1)
            due_on = period_end + datetime.timedelta(days=30)
            fields = {}
            if quarter < 2:  # the first two were sent in; the first has been reviewed
                fields = {
                    "volunteer_hours": 310 + 40 * quarter,
                    "complaints": quarter,
                    "narrative": "Bookings are up since we opened on Saturdays. The boiler "
                    "failed in the cold snap and the council repaired it within a week.",
                    "submitted_at": timezone.make_aware(
                        datetime.datetime.combine(
                            due_on - datetime.timedelta(days=5), datetime.time(10)
                        )
                    ),
                    "submitted_by": group_user,
                }
            if quarter == 0:
                fields |= {
                    "rating": s.Rating.GREEN,
                    "rating_comment": "On track: bookings above target.",
                    "reviewed_by": self.officer,
                    "reviewed_at": now - datetime.timedelta(days=150),
                }
            monitoring_return = s.MonitoringReturn.objects.create(
                agreement=agreement,
                period_start=period_start,
                period_end=period_end,
                due_on=due_on,
                **fields,
            )
            if monitoring_return.submitted_at:
                for indicator, value in zip(indicators, [162, 45 + 5 * quarter, 14], strict=True):
                    s.IndicatorValue.objects.create(
                        monitoring_return=monitoring_return, indicator=indicator, value=value
                    )
        self.created["handover agreements"] += 1
