"""Welsh is offered to browsers that ask for it once its translation is compiled into
locale/, and not before (README, "Welsh and other languages")."""

import shutil
import subprocess

import pytest
from django.conf import settings as django_settings
from django.utils import translation

from bigsociety.history import recent_changes
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

WELSH_PO = """\
msgid ""
msgstr "Content-Type: text/plain; charset=UTF-8\\n"

msgid "Have your say"
msgstr "Dweud eich dweud"

msgid "Erased on request"
msgstr "Wedi'i ddileu ar gais"
"""


@pytest.fixture
def welsh(settings, tmp_path):
    """A small Welsh translation, compiled and offered as a real one would be."""
    if not shutil.which("msgfmt"):
        pytest.skip("needs msgfmt (apt-get install gettext)")
    folder = tmp_path / "cy" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    (folder / "django.po").write_text(WELSH_PO)
    subprocess.run(["msgfmt", "-o", folder / "django.mo", folder / "django.po"], check=True)
    settings.LOCALE_PATHS = [tmp_path]
    settings.LANGUAGES = [("en-gb", "English"), ("cy", "Welsh")]


@pytest.mark.skipif(
    (django_settings.LOCALE_PATHS[0] / "cy" / "LC_MESSAGES" / "django.mo").exists(),
    reason="a Welsh translation is compiled in locale/, so Welsh is offered",
)
def test_without_a_translation_a_welsh_browser_gets_english_marked_as_english(anon_client):
    page = anon_client.get("/", HTTP_ACCEPT_LANGUAGE="cy")
    assert '<html lang="en-gb"' in page.text
    assert page["Content-Language"] == "en-gb"
    assert "Have your say" in page.text
    assert "Hafan" not in page.text  # Django's own Welsh for "Home", the page's title


def test_once_translated_a_welsh_browser_gets_welsh(welsh, anon_client):
    in_welsh = anon_client.get("/", HTTP_ACCEPT_LANGUAGE="cy")
    in_english = anon_client.get("/", HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.8")

    assert '<html lang="cy"' in in_welsh.text
    assert in_welsh["Content-Language"] == "cy"
    assert "Dweud eich dweud" in in_welsh.text
    assert '<html lang="en-gb"' in in_english.text
    assert "Have your say" in in_english.text
    assert "Dweud eich dweud" not in in_english.text


def test_history_shows_the_sites_own_reasons_translated_and_peoples_as_typed(welsh):
    group = OrganisationFactory()
    group._change_reason = "Erased on request"  # accounts.actions.ERASURE_REASON
    group.save()
    group._change_reason = "Gwirio'r cyfeiriad"  # typed by a person
    group.save()
    with translation.override("cy"):
        reasons = [change.reason for change in recent_changes(group)]
    # Newest first; the first save has no reason.
    assert reasons == ["Gwirio'r cyfeiriad", "Wedi'i ddileu ar gais", ""]
