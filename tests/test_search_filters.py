"""Every list's name search: a search of only spaces lists everything, as no search does,
and a word is looked for in the names."""

import pytest

import mapping.filters
import services.filters


def searchable_filtersets():
    for module in (mapping.filters, services.filters):
        for value in vars(module).values():
            model = getattr(getattr(value, "_meta", None), "model", None)
            if isinstance(value, type) and model and "q" in getattr(value, "base_filters", {}):
                yield value


FILTERSETS = list(searchable_filtersets())


def test_the_lists_with_a_search_are_found():
    assert len(FILTERSETS) >= 8


@pytest.mark.parametrize("filterset", FILTERSETS, ids=lambda cls: cls.__name__)
def test_a_search_of_spaces_is_no_search(filterset):
    everything = filterset._meta.model.objects.all()
    blank = filterset(data={"q": "   "}, queryset=everything)
    none = filterset(data={}, queryset=everything)
    assert blank.is_valid()
    assert str(blank.qs.query) == str(none.qs.query)


@pytest.mark.parametrize("filterset", FILTERSETS, ids=lambda cls: cls.__name__)
def test_a_word_is_searched_for(filterset):
    searched = filterset(data={"q": "  library "}, queryset=filterset._meta.model.objects.all())
    assert searched.is_valid()
    assert "%library%" in str(searched.qs.query).lower()
