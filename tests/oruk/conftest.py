"""The Open Referral UK V3.0-UK schemas from ../shared/data, as a jsonschema Registry.

The schemas refer to each other by their published addresses (open_api.json points at
service.json, service_list.json... on GitHub); the Registry serves those addresses from
the local files, so validation needs no network.
"""

import json

import pytest
from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from tests.imports.conftest import SHARED

SCHEMAS = SHARED / "schemas" / "oruk-v3.0-uk"
PUBLISHED_AT = (
    "https://raw.githubusercontent.com/tpximpact/OpenReferralApi/refs/heads/main/"
    "OpenReferralApi/Schemas/V3.0-UK/"
)
PAGE_FIELDS = {
    "total_items",
    "total_pages",
    "page_number",
    "size",
    "first_page",
    "last_page",
    "empty",
    "contents",
}


def _registry():
    resources = []
    for path in sorted(SCHEMAS.glob("*.json")):
        contents = json.loads(path.read_text(encoding="utf-8"))
        resource = Resource.from_contents(contents, default_specification=DRAFT202012)
        resources.append((PUBLISHED_AT + path.name, resource))
    return Registry().with_resources(resources)


class OrukSchemas:
    def __init__(self):
        self.registry = _registry()

    def validator(self, ref):
        return Draft202012Validator(
            {"$ref": ref}, registry=self.registry, format_checker=FormatChecker()
        )

    def response(self, path):
        """The validator of the 200 response of an API path, as open_api.json gives it."""
        pointer = path.replace("~", "~0").replace("/", "~1")
        return self.validator(
            f"{PUBLISHED_AT}open_api.json#/paths/{pointer}/get/responses/200/content/"
            "application~1json/schema"
        )

    def file(self, name):
        return self.validator(PUBLISHED_AT + name)

    def errors(self, validator, data):
        return sorted(e.message for e in validator.iter_errors(data))

    def check_page(self, data, item_schema):
        """A list page: ORUK's paging fields (Page, which requires none, so they are
        checked by name too), and every item valid against the list's item schema."""
        assert set(data) == PAGE_FIELDS
        page = self.validator(f"{PUBLISHED_AT}open_api.json#/components/schemas/Page")
        assert not self.errors(page, data)
        for item in data["contents"]:
            assert not self.errors(self.file(item_schema), item)


@pytest.fixture(scope="session")
def oruk_schemas():
    if not SCHEMAS.exists():
        pytest.skip("../shared/data is not beside the checkout: no ORUK schemas")
    return OrukSchemas()
