"""Every model names its rows in words (``__str__``): the admin, history and error
messages show them to people."""

import pytest
from django.apps import apps

from tests.admin.rows import add_rows, can_build

MODELS = [
    model
    for label in ("accounts", "mapping", "services")
    for model in apps.get_app_config(label).get_models()
    if not model.__name__.startswith("Historical")
]


def test_every_model_can_be_built_here():
    assert [m._meta.label for m in MODELS if not can_build(m)] == []


@pytest.mark.django_db
@pytest.mark.parametrize("model", MODELS, ids=lambda model: model._meta.label)
def test_a_row_is_named_in_words(model):
    add_rows(model, 1)
    row = model._default_manager.order_by("-pk").first()
    name = str(row)
    assert name.strip()
    assert "object (" not in name, name
