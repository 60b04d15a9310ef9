"""Shared set-up for the consultation tests: a consultation and a resident answering it."""

from django.urls import reverse

from tests.factories import (
    ConsultationAnswerFactory,
    ConsultationFactory,
    ConsultationResponseFactory,
    ServiceCategoryFactory,
    ServiceFactory,
    WardFactory,
)


def make_consultation(**extra):
    """An open consultation about a library and two parks, in two categories."""
    # The categories every council starts with (a data migration loads them).
    libraries = ServiceCategoryFactory(slug="libraries", name="Libraries")
    parks = ServiceCategoryFactory(slug="parks", name="Parks and green spaces")
    library = ServiceFactory(name="Central Library", category=libraries)
    park = ServiceFactory(name="Ladywell Fields", category=parks)
    green = ServiceFactory(name="Blythe Hill Fields", category=parks)
    consultation = ConsultationFactory(
        title="Our libraries and parks", slug="libraries-and-parks", **extra
    )
    consultation.services.set([library, park, green])
    return consultation, library, park, green


def step_url(consultation, step):
    return reverse(
        "mapping:consultation_respond", kwargs={"slug": consultation.slug, "step": step}
    )


def answer(client, consultation, *, ward, comfort, gives_time=False, hours="", extra=None):
    """Go through every page of the form; ``comfort`` maps services to "1".."5"/"dont_know".

    Returns the response to the final "Accept and send".
    """
    extra = extra or {}
    client.get(reverse("mapping:consultation_start", kwargs={"slug": consultation.slug}))
    client.post(step_url(consultation, "ward"), {"ward": ward.pk, **extra})
    pages = {}
    for service, value in comfort.items():
        pages.setdefault(service.category.name, {})[f"comfort_{service.pk}"] = value
    for n, name in enumerate(sorted(pages), start=1):
        client.post(step_url(consultation, f"services-{n}"), {**pages[name], **extra})
    client.post(
        step_url(consultation, "time"),
        {"gives_time": "yes" if gives_time else "no", "hours_per_month": hours, **extra},
    )
    client.post(step_url(consultation, "about-you"), {"age_band": "", "comment": "", **extra})
    return client.post(step_url(consultation, "check"), {**extra})


def responses_in(consultation, ward, service, comforts, *, gives_time=False, hours=None):
    """Responses made directly in the database, one per comfort value."""
    for comfort in comforts:
        response = ConsultationResponseFactory(
            consultation=consultation, ward=ward, gives_time=gives_time, hours_per_month=hours
        )
        ConsultationAnswerFactory(response=response, service=service, comfort=comfort)


def new_ward(name):
    return WardFactory(name=name)
