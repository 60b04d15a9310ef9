"""Every page has a title of its own (GOV.UK: people with screen readers and many tabs
tell pages apart by it) and one h1. Walks every page the access matrix can build, as
the first persona allowed to see it."""

import re
from collections import defaultdict

import pytest
from django.urls import reverse

from tests.security.matrix import PERSONAS, ROWS
from tests.security.test_access_matrix import clients, world  # noqa: F401

pytestmark = pytest.mark.django_db

TITLE = re.compile(r"<title>\s*(.*?)\s*</title>", re.S)
H1 = re.compile(r"<h1[\s>]")


def test_every_page_has_its_own_title_and_one_h1(world, clients):  # noqa: F811
    pages_by_title = defaultdict(list)
    no_single_h1 = []
    for row in ROWS:
        persona = next((p for p in PERSONAS if row.get[p] == 200), None)
        if persona is None:
            continue
        url = reverse(row.name, args=row.args(world)) + row.query
        response = clients[persona].get(url, secure=True)
        if not response["Content-Type"].startswith("text/html"):
            continue  # downloads and the open data API
        html = response.content.decode()
        pages_by_title[TITLE.search(html).group(1)].append(row.name)
        if len(H1.findall(html)) != 1:
            no_single_h1.append(row.name)
    assert len(pages_by_title) >= 30
    shared = {title: names for title, names in pages_by_title.items() if len(set(names)) > 1}
    assert not shared, shared
    assert not no_single_h1, no_single_h1
