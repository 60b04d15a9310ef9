import pytest
from django.core.cache import cache
from django.test import RequestFactory

from bigsociety.ratelimit import client_ip, rate_limited, too_many_requests

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()


def request_from(address, forwarded=None):
    extra = {"REMOTE_ADDR": address}
    if forwarded:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


def test_it_allows_up_to_the_limit_then_refuses():
    request = request_from("203.0.113.5")
    results = [rate_limited(request, "t", limit=3, window=60) for _ in range(5)]
    assert results == [False, False, False, True, True]


def test_addresses_and_scopes_are_counted_apart():
    for _ in range(3):
        rate_limited(request_from("203.0.113.5"), "t", limit=3, window=60)
    assert rate_limited(request_from("203.0.113.5"), "t", limit=3, window=60)
    assert not rate_limited(request_from("203.0.113.6"), "t", limit=3, window=60)
    assert not rate_limited(request_from("203.0.113.5"), "other", limit=3, window=60)


def test_behind_a_proxy_the_real_address_is_used(settings):
    request = request_from("10.0.0.1", forwarded="198.51.100.7, 203.0.113.9")
    assert client_ip(request) == "10.0.0.1"  # no proxy trusted: a header can be forged
    settings.AXES_IPWARE_PROXY_COUNT = 1
    assert client_ip(request) == "203.0.113.9"


@pytest.mark.parametrize(
    ("reason", "advice"),
    [
        ("sign_up", "too many new accounts from your internet connection"),
        ("emails", "sent several emails to this address"),
        ("invitations", "limit on how many invitations"),
        ("password_reset", "too many requests from your internet connection"),
    ],
)
def test_every_limit_has_the_one_page_saying_what_to_do(reason, advice):
    from django.contrib.auth.models import AnonymousUser

    request = request_from("192.0.2.1")
    request.user = AnonymousUser()
    response = too_many_requests(request, reason)
    assert response.status_code == 429
    page = response.content.decode()
    assert "Please wait before trying again" in page
    assert advice in page
    assert page.count("<h1") == 1
