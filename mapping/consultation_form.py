"""The public consultation form: its pages, the answers kept in the resident's session
until they send them, and the browser token that allows one response per browser.

Nothing here identifies anyone. The session holds the answers only until they are sent
(or the session expires). The browser token is a random value in a signed, HttpOnly
cookie; the database keeps only a keyed hash of it with the consultation's id, so a
response cannot be traced back to a browser without the server's secret key, and tokens
cannot be linked across consultations.
"""

import secrets
from itertools import groupby

from django.conf import settings
from django.utils.crypto import salted_hmac

from mapping.models import Postcode

BROWSER_COOKIE = "consultation_browser"
BROWSER_COOKIE_SALT = "bigsociety.consultation.browser-cookie"
BROWSER_HASH_SALT = "bigsociety.consultation.browser-hash"
BROWSER_COOKIE_DAYS = 365


def browser_token(request):
    """The token in the browser's cookie, or None if absent or tampered with."""
    return request.get_signed_cookie(BROWSER_COOKIE, default=None, salt=BROWSER_COOKIE_SALT)


def new_browser_token():
    return secrets.token_urlsafe(32)


def remember_browser(response, token):
    response.set_signed_cookie(
        BROWSER_COOKIE,
        token,
        salt=BROWSER_COOKIE_SALT,
        max_age=BROWSER_COOKIE_DAYS * 24 * 3600,
        httponly=True,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )
    return response


def browser_hash(token, consultation):
    """HMAC of the token and the consultation's id under the server's secret key."""
    return salted_hmac(
        BROWSER_HASH_SALT, f"{token}:{consultation.pk}", algorithm="sha256"
    ).hexdigest()


class Progress:
    """A resident's answers so far, in their session until they send them."""

    def __init__(self, request, consultation):
        self.session = request.session
        self.key = f"consultation:{consultation.pk}"
        self.data = dict(self.session.get(self.key, {}))

    def get(self, name, default=None):
        return self.data.get(name, default)

    @property
    def comfort(self):
        """{service id as a string: 1 to 5, or None for don't know}."""
        return dict(self.data.get("comfort", {}))

    @property
    def caught(self):
        return bool(self.data.get("caught"))

    def update(self, **values):
        self.data.update(values)
        self.session[self.key] = self.data

    def answer(self, comfort):
        self.update(comfort=self.comfort | comfort)

    def mark_caught(self):
        self.update(caught=True)

    def forget_services_except(self, service_ids):
        keep = {str(pk) for pk in service_ids}
        self.update(comfort={k: v for k, v in self.comfort.items() if k in keep})

    def clear(self):
        self.session.pop(self.key, None)
        self.data = {}


class Questionnaire:
    """The pages of one consultation's form, in order:

    where you live (postcode, or ward from a list) -> one page per service category ->
    giving time -> about you -> check your answers.
    """

    def __init__(self, consultation):
        self.consultation = consultation
        services = consultation.services.select_related("category").order_by(
            "category__name", "name"
        )
        self.pages = [
            (category, list(group)) for category, group in groupby(services, lambda s: s.category)
        ]
        self.postcode_lookup = Postcode.objects.exists()

    @property
    def service_ids(self):
        return [service.pk for _category, services in self.pages for service in services]

    @property
    def where_step(self):
        return "postcode" if self.postcode_lookup else "ward"

    @property
    def steps(self):
        services = [f"services-{n}" for n in range(1, len(self.pages) + 1)]
        return ["postcode", "ward", *services, "time", "about-you", "check"]

    def position(self, step):
        """Where a step comes in the journey: the two "where" steps share a place."""
        if step in ("postcode", "ward"):
            return 0
        if step.startswith("services-"):
            return int(step.removeprefix("services-"))
        return len(self.pages) + ["time", "about-you", "check"].index(step) + 1

    def page(self, step):
        """(category, services) of a services step."""
        return self.pages[int(step.removeprefix("services-")) - 1]

    def next_incomplete(self, progress):
        """The first page the resident still has to answer ("check" once all are done)."""
        if progress.get("ward") is None:
            return self.where_step
        answered = progress.comfort
        for n, (_category, services) in enumerate(self.pages, start=1):
            if any(str(service.pk) not in answered for service in services):
                return f"services-{n}"
        if progress.get("gives_time") is None:
            return "time"
        if not progress.get("about_done"):
            return "about-you"
        return "check"

    def reachable(self, step, progress):
        """A page can be opened once every page before it has been answered."""
        return self.position(step) <= self.position(self.next_incomplete(progress))

    def previous(self, step):
        """The page before, for the back link; None for the first."""
        position = self.position(step)
        if step == "ward" and self.postcode_lookup:
            return "postcode"
        if position == 0:
            return None
        if position == 1:
            return self.where_step
        if step.startswith("services-") or step == "time":
            return f"services-{position - 1}" if position - 1 >= 1 else self.where_step
        return {"about-you": "time", "check": "about-you"}[step]

    def following(self, step):
        """The page after."""
        if step in ("postcode", "ward"):
            return "services-1" if self.pages else "time"
        if step.startswith("services-"):
            n = int(step.removeprefix("services-"))
            return f"services-{n + 1}" if n < len(self.pages) else "time"
        return {"time": "about-you", "about-you": "check"}[step]
