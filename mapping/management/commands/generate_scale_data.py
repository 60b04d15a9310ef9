"""manage.py generate_scale_data: a county-sized data set for benchmarks.

    manage.py generate_scale_data --wards 100 --organisations 10000 --services 400 \\
        --offers 100000 [--responses 0] [--seed 1] [--flush [--no-input]]

Bulk inserts in batches, many-to-many rows included, so memory stays flat whatever the
numbers. The same seed gives the same data. No history records are written for these
rows (benchmarks measure the pages, not the audit trail), and no users are created.
"""

import datetime
import hashlib
import random
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from mapping import models as m
from mapping.management.commands import _borough as borough
from mapping.management.commands import _catalogue as catalogue
from mapping.management.commands._domain import delete_domain_data, has_domain_data
from services import models as s

WILLINGNESS = [choice.value for choice in m.Willingness]
WILLINGNESS_WEIGHTS = [14, 24, 30, 24, 8]
ROLES = [choice.value for choice in m.OfferRole]
ROLE_WEIGHTS = [18, 24, 36, 10, 12]
GOVERNANCE = [choice.value for choice in m.Governance]
LEGAL_FORMS = [choice.value for choice in m.LegalForm]
# Organisations handled (with their offers) per batch: bounds the memory used.
ORGANISATION_CHUNK = 500


def positive(value):
    number = int(value)
    if number < 0:
        raise ValueError
    return number


class Command(BaseCommand):
    help = (
        "Generate a large synthetic data set for benchmarks: wards with boundaries and "
        "deprivation, services, organisations, capacity offers and, optionally, "
        "consultation responses. Refuses to run on a database that already has data "
        "unless --flush."
    )

    def add_arguments(self, parser):
        parser.add_argument("--wards", type=positive, default=100)
        parser.add_argument("--organisations", type=positive, default=10_000)
        parser.add_argument("--services", type=positive, default=400)
        parser.add_argument("--offers", type=positive, default=100_000)
        parser.add_argument(
            "--responses",
            type=positive,
            default=0,
            help="Consultation responses, each answering about 20 services.",
        )
        parser.add_argument("--seed", type=int, default=1, help="The same seed, the same data.")
        parser.add_argument(
            "--flush",
            action="store_true",
            help="Delete all wards, organisations, services, offers, consultations and "
            "handover records first (never users or reference data).",
        )
        parser.add_argument(
            "--no-input",
            "--noinput",
            action="store_false",
            dest="interactive",
            help="With --flush: do not ask for confirmation.",
        )
        parser.add_argument("--batch-size", type=positive, default=2_000)

    def handle(self, *args, **options):
        self.options = options
        self.batch = max(1, options["batch_size"])
        if options["wards"] < 1 or options["services"] < 1:
            raise CommandError("There must be at least one ward and one service.")
        if options["offers"] and not options["organisations"]:
            raise CommandError("Offers need organisations: give --organisations.")
        most = options["organisations"] * options["services"]
        if options["offers"] > most:
            raise CommandError(
                f"At most {most:,} offers are possible: one per organisation and service."
            )

        if has_domain_data():
            if not options["flush"]:
                raise CommandError(
                    "This database already has wards, organisations or services. Use a new "
                    "database, or --flush to delete them first (users are kept)."
                )
            if options["interactive"]:
                answer = input(
                    "This deletes every ward, organisation, service, offer, consultation "
                    "and handover record in the database. Type 'delete' to continue: "
                )
                if answer.strip().lower() != "delete":
                    raise CommandError("Nothing was deleted.")
            started = time.monotonic()
            deleted = delete_domain_data()
            self.say(f"Deleted {deleted:,} rows", started)

        self.rng = random.Random(options["seed"])
        started = time.monotonic()
        with transaction.atomic():
            wards = self.create_wards()
            services = self.create_services(wards)
            self.create_organisations_and_offers(wards, services)
            if options["responses"]:
                self.create_responses(wards, services)
        self.say("Done", started)

    def say(self, what, started):
        self.stdout.write(f"{what} in {time.monotonic() - started:.1f} seconds.")

    def bulk(self, model, objs):
        return model.objects.bulk_create(objs, batch_size=self.batch)

    def link(self, relation, pairs):
        through = relation.through
        left = relation.field.m2m_field_name()
        right = relation.field.m2m_reverse_field_name()
        through.objects.bulk_create(
            (through(**{f"{left}_id": a, f"{right}_id": b}) for a, b in pairs),
            batch_size=self.batch,
        )

    # Wards and services ----------------------------------------------------------------------

    def create_wards(self):
        started = time.monotonic()
        data = borough.synthetic_wards(self.options["wards"], rng=self.rng, code_start=800_001)
        wards = self.bulk(
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
                for w in data
            ],
        )
        self.say(f"{len(wards):,} wards", started)
        return wards

    def create_services(self, wards):
        started = time.monotonic()
        categories = {c.slug: c for c in s.ServiceCategory.objects.all()}
        templates = catalogue.SERVICES
        services, ward_sets = [], []
        for n in range(self.options["services"]):
            template = templates[n % len(templates)]
            area = n // len(templates)
            name = template.name if area == 0 else f"{template.name} (area {area + 1})"
            category = categories.get(template.category) or next(iter(categories.values()))
            services.append(
                s.Service(
                    name=name,
                    category=category,
                    providing_body=template.body,
                    lgsl_code=template.lgsl[0] if template.lgsl else None,
                    description=template.description,
                    annual_cost=template.annual_cost,
                    planned_budget_change=template.budget_change,
                    statutory_duty=template.statutory,
                    risk_tier=template.risk,
                    delivery_model=template.delivery,
                    review_status=template.review,
                    volunteer_hours_needed=template.hours_needed,
                )
            )
            count = max(1, round(template.coverage * len(wards)))
            ward_sets.append(wards if count == len(wards) else self.rng.sample(wards, count))
        services = self.bulk(s.Service, services)
        self.link(
            s.Service.wards,
            (
                (service.pk, ward.pk)
                for service, ws in zip(services, ward_sets, strict=True)
                for ward in ws
            ),
        )
        self.say(f"{len(services):,} services", started)
        return [
            (service, ws, template.appeal + 1)
            for service, ws, template in zip(
                services,
                ward_sets,
                [templates[n % len(templates)] for n in range(len(services))],
                strict=True,
            )
        ]

    # Organisations and offers ------------------------------------------------------------------

    def create_organisations_and_offers(self, wards, services):
        started = time.monotonic()
        total_orgs = self.options["organisations"]
        total_offers = self.options["offers"]
        skills = list(m.Skill.objects.order_by("pk").values_list("pk", flat=True))
        needs = list(m.SupportNeed.objects.order_by("pk").values_list("pk", flat=True))
        ward_weights = [0.4 + 0.12 * ward.imd_decile for ward in wards]
        service_weights = [appeal for _service, _wards, appeal in services]
        # Offers per organisation: spread so that they add up to --offers exactly.
        per_org = [total_offers // total_orgs] * total_orgs if total_orgs else []
        for n in self.rng.sample(
            range(total_orgs), total_offers % total_orgs if total_orgs else 0
        ):
            per_org[n] += 1
        now = timezone.now()
        offers_made = 0
        for first in range(0, total_orgs, ORGANISATION_CHUNK):
            numbers = range(first, min(first + ORGANISATION_CHUNK, total_orgs))
            organisations, org_wards = [], []
            for n in numbers:
                form = LEGAL_FORMS[n % len(LEGAL_FORMS)]
                served = {
                    w.pk for w in self.rng.choices(wards, ward_weights, k=self.rng.randint(1, 4))
                }
                org_wards.append(sorted(served))
                status = self.rng.choices(["verified", "pending", "rejected"], [85, 12, 3])[0]
                organisations.append(
                    m.Organisation(
                        name=f"{self.rng.choice(catalogue.NAME_WORDS)} Community Group {n + 1}",
                        legal_form=form,
                        charity_number=str(1_000_000 + n)
                        if form in ("cio", "charitable_company")
                        else "",
                        company_number=f"{20_000_000 + n:08d}"
                        if form in ("cic", "charitable_company")
                        else "",
                        volunteers=self.rng.randint(2, 80),
                        paid_staff=self.rng.randint(0, 10),
                        description="A generated organisation for benchmarks.",
                        verification_status=status,
                        verified_at=None if status == "pending" else now,
                    )
                )
            organisations = self.bulk(m.Organisation, organisations)
            self.link(
                m.Organisation.wards_served,
                (
                    (org.pk, ward)
                    for org, ws in zip(organisations, org_wards, strict=True)
                    for ward in ws
                ),
            )

            offers, offer_wards, offer_skills, offer_needs = [], [], [], []
            for org, n, served in zip(organisations, numbers, org_wards, strict=True):
                chosen = set()
                while len(chosen) < per_org[n]:
                    chosen.update(
                        self.rng.choices(
                            range(len(services)), service_weights, k=per_org[n] - len(chosen)
                        )
                    )
                for index in sorted(chosen):
                    service, covered, _appeal = services[index]
                    high = service.risk_tier == s.RiskTier.HIGH
                    overlap = (
                        [w.pk for w in covered if w.pk in served]
                        if len(covered) < len(wards)
                        else served
                    )
                    codes = overlap or [
                        w.pk for w in self.rng.sample(covered, min(2, len(covered)))
                    ]
                    offers.append(
                        m.CapacityOffer(
                            organisation=org,
                            service=service,
                            willingness=self.rng.choices(WILLINGNESS, WILLINGNESS_WEIGHTS)[0],
                            role=self.rng.choice(m.SUPPORTING_ROLES)
                            if high
                            else self.rng.choices(ROLES, ROLE_WEIGHTS)[0],
                            volunteer_hours_per_month=self.rng.choice([4, 8, 12, 20, 30, 40, 80]),
                            volunteers=self.rng.randint(1, 20),
                            preferred_governance=self.rng.choice(GOVERNANCE),
                        )
                    )
                    offer_wards.append(codes)
                    offer_skills.append(
                        self.rng.sample(skills, min(len(skills), self.rng.randint(0, 2)))
                    )
                    offer_needs.append(
                        self.rng.sample(needs, min(len(needs), self.rng.randint(0, 2)))
                    )
            offers = self.bulk(m.CapacityOffer, offers)
            rows = list(zip(offers, offer_wards, offer_skills, offer_needs, strict=True))
            self.link(m.CapacityOffer.wards, ((o.pk, w) for o, ws, _, _ in rows for w in ws))
            self.link(m.CapacityOffer.skills, ((o.pk, k) for o, _, ks, _ in rows for k in ks))
            self.link(
                m.CapacityOffer.support_needed, ((o.pk, d) for o, _, _, ds in rows for d in ds)
            )
            offers_made += len(offers)
        self.say(f"{total_orgs:,} organisations and {offers_made:,} offers", started)

    # Consultation responses --------------------------------------------------------------------

    def create_responses(self, wards, services):
        started = time.monotonic()
        today = timezone.localdate()
        asked = [service for service, _wards, _appeal in services[:20]]
        consultation = m.Consultation.objects.create(
            title="Scale test consultation",
            slug=f"scale-test-{self.options['seed']}",
            opens_on=today - datetime.timedelta(days=30),
            closes_on=today + datetime.timedelta(days=30),
            is_published=True,
        )
        consultation.services.set(asked)
        total = self.options["responses"]
        made = 0
        chunk = 5_000
        for first in range(0, total, chunk):
            responses = []
            for n in range(first, min(first + chunk, total)):
                gives_time = self.rng.random() < 0.25
                responses.append(
                    m.ConsultationResponse(
                        consultation=consultation,
                        ward=self.rng.choice(wards),
                        gives_time=gives_time,
                        hours_per_month=self.rng.choice([2, 4, 8]) if gives_time else None,
                        browser_hash=hashlib.sha256(f"scale-{n}".encode()).hexdigest(),
                    )
                )
            responses = self.bulk(m.ConsultationResponse, responses)
            self.bulk(
                m.ConsultationAnswer,
                [
                    m.ConsultationAnswer(
                        response=response,
                        service=service,
                        comfort=self.rng.choice([None, 1, 2, 3, 3, 4, 4, 5]),
                    )
                    for response in responses
                    for service in asked
                ],
            )
            made += len(responses)
        self.say(f"{made:,} consultation responses", started)
