"""Every word a person reads in a template is marked for translation, so a council in
Wales can offer the whole service in Welsh by translating one .po file (README, "Welsh
and other languages").

The check reads each template as text. It takes away what is not shown or is already
marked: comments, {% blocktranslate %} blocks, other template tags and variables,
<script> and <style>, HTML tags, entities and punctuation. Any letters left are text
nobody can translate. The attributes people read or hear (alt, title, placeholder,
aria-label, an input button's value) are checked the same way, and so are words written
into template code that end up on the page (`default:"None"`, `with label="Save"`)."""

import re
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings

# Text shown as it is in every language. Each entry says why.
ALLOWED = {
    # The language code base.html falls back to in <html lang>: read by browsers and
    # screen readers, never shown.
    "en-gb",
}
# Values handed to included templates that are not shown. `reveal` is the choice that
# opens a follow-up question (mapping/groups/_conditional_radios.html).
KEYWORDS_NOT_SHOWN = {"reveal"}

COMMENT = re.compile(r"\{#.*?#\}|\{%\s*comment\b.*?%\}.*?\{%\s*endcomment\s*%\}", re.S)
# The admin's <body class="...">, filled by a block of CSS class names.
CLASS_BLOCK = re.compile(r"\{%\s*block bodyclass\s*%\}.*?\{%\s*endblock\b.*?%\}", re.S)
BLOCKTRANSLATE = re.compile(
    r"\{%\s*blocktrans(?:late)?\b.*?%\}.*?\{%\s*endblocktrans(?:late)?\s*%\}", re.S
)
TEMPLATE_CODE = re.compile(r"\{%.*?%\}|\{\{.*?\}\}", re.S)
# Words written into template code that reach the page: a filter's fallback or choice
# of words, and a value handed to an included template. `_("...")` marks them.
FILTER_LITERAL = re.compile(r"""\|(?:default|default_if_none|yesno):\s*("[^"]*"|'[^']*')""")
HANDS_ON = re.compile(r"\{%\s*(?:include|with)\b")
KEYWORD_LITERAL = re.compile(r"""\b(\w+)=\s*("[^"]*"|'[^']*')""")
HTML_COMMENT = re.compile(r"<!--.*?-->", re.S)
SCRIPT_OR_STYLE = re.compile(r"<(script|style)\b.*?</\1\s*>", re.S | re.I)
HTML_TAG = re.compile(r"<[!/]?[a-zA-Z][^>]*>", re.S)
# The attributes people read or hear; `data-...-text` is text a script puts on the page.
READ_ATTRIBUTE = re.compile(
    r"\s(alt|title|placeholder|aria-label|aria-description|label|value|data-[\w-]*text)"
    r"""\s*=\s*("[^"]*"|'[^']*')""",
    re.I,
)
INPUT_BUTTON = re.compile(r"""^<input\b.*\btype\s*=\s*["']?(submit|button|reset)\b""", re.S | re.I)
ENTITY = re.compile(r"&(?:#\d+|#x[0-9a-fA-F]+|\w+);")
LETTER = re.compile(r"[^\W\d_]")


def _blank(match):
    """What a removed piece leaves behind: its line breaks, so line numbers stay true."""
    return "\n" * match.group().count("\n") or " "


def _line_of(source, index):
    return source.count("\n", 0, index) + 1


def unmarked_text(source):
    """(line, text) for each piece of visible text in a template not marked for
    translation."""
    found = []
    source = COMMENT.sub(_blank, source)
    source = CLASS_BLOCK.sub(_blank, source)
    source = BLOCKTRANSLATE.sub(_blank, source)
    for code in TEMPLATE_CODE.finditer(source):
        literals = FILTER_LITERAL.findall(code.group())
        if HANDS_ON.match(code.group()):
            literals += [
                literal
                for keyword, literal in KEYWORD_LITERAL.findall(code.group())
                if keyword not in KEYWORDS_NOT_SHOWN
            ]
        for literal in literals:
            if LETTER.search(literal) and literal[1:-1] not in ALLOWED:
                found.append((_line_of(source, code.start()), literal))
    source = TEMPLATE_CODE.sub(_blank, source)
    source = HTML_COMMENT.sub(_blank, source)
    source = SCRIPT_OR_STYLE.sub(_blank, source)
    for tag in HTML_TAG.finditer(source):
        for attribute in READ_ATTRIBUTE.finditer(tag.group()):
            name, value = attribute.group(1).lower(), attribute.group(2)[1:-1]
            if name == "value" and not INPUT_BUTTON.search(tag.group()):
                continue  # the value a form sends, which nobody reads
            if name == "label" and not tag.group().lower().startswith(("<optgroup", "<option")):
                continue
            value = ENTITY.sub(" ", value).strip()
            if LETTER.search(value) and value not in ALLOWED:
                found.append((_line_of(source, tag.start()), f"{name}={value!r}"))
    source = HTML_TAG.sub(_blank, source)
    source = ENTITY.sub(" ", source)
    for number, line in enumerate(source.splitlines(), start=1):
        text = " ".join(line.split())
        if LETTER.search(text) and text not in ALLOWED:
            found.append((number, text))
    return sorted(found)


def template_folders():
    """templates/ and the templates folder of each of this project's own apps."""
    base = Path(settings.BASE_DIR)
    folders = [Path(folder) for folder in settings.TEMPLATES[0]["DIRS"]]
    for app in apps.get_app_configs():
        folder = Path(app.path) / "templates"
        # Only the project's own apps: Django and the packages translate their own.
        if folder.is_dir() and Path(app.path).parent == base:
            folders.append(folder)
    return folders


def templates():
    base = Path(settings.BASE_DIR)
    return sorted(
        (path.relative_to(base), path)
        for folder in template_folders()
        for path in folder.rglob("*")
        if path.is_file() and path.suffix in {".html", ".txt", ".xml"}
    )


TEMPLATES = templates()


def test_it_reads_every_template():
    assert len(TEMPLATES) >= 150
    assert Path("templates/base.html") in {name for name, _ in TEMPLATES}


@pytest.mark.parametrize(
    "path", [path for _, path in TEMPLATES], ids=[str(n) for n, _ in TEMPLATES]
)
def test_every_template_marks_its_text_for_translation(path):
    found = unmarked_text(path.read_text())
    where = path.relative_to(settings.BASE_DIR)
    assert not found, f"{where} has text not marked for translation:\n" + "\n".join(
        f"  line {line}: {text}" for line, text in found
    )


def test_every_allowed_text_is_still_in_a_template():
    """An entry nobody needs any more would hide the same words left unmarked elsewhere."""
    sources = " ".join(" ".join(path.read_text().split()) for _, path in TEMPLATES)
    assert [text for text in ALLOWED if text not in sources] == []
    assert [word for word in KEYWORDS_NOT_SHOWN if f" {word}=" not in sources] == []


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("<p>Save your answers</p>", [(1, "Save your answers")]),
        ("<h1>\n  {{ group.name }}: members\n</h1>", [(2, ": members")]),
        ('<img src="x.png" alt="A map of the wards">', [(1, "alt='A map of the wards'")]),
        ('<a href="/" title="Home">{% translate "Home" %}</a>', [(1, "title='Home'")]),
        ('<input type="submit" value="Search">', [(1, "value='Search'")]),
        (
            '<input aria-label="Ward" placeholder="e.g. Brockley">',
            [(1, "aria-label='Ward'"), (1, "placeholder='e.g. Brockley'")],
        ),
        ('{{ group.website|default:"None given" }}', [(1, '"None given"')]),
        ('{{ flag|yesno:"Yes,No" }}', [(1, '"Yes,No"')]),
        ('{% include "x.html" with label="Continue" %}', [(1, '"Continue"')]),
        ("{% block title %}Gaps by ward{% endblock %}", [(1, "Gaps by ward")]),
        ("Dear {{ name }},\n\nThank you.\n", [(1, "Dear ,"), (3, "Thank you.")]),
    ],
)
def test_it_finds_text_not_marked(source, expected):
    assert unmarked_text(source) == expected


@pytest.mark.parametrize(
    "source",
    [
        '<p>{% translate "Save your answers" %}</p>',
        "{% blocktranslate with name=group.name %}{{ name }}: members{% endblocktranslate %}",
        "{% blocktranslate count n=count %}{{ n }} group{% plural %}{{ n }} groups"
        "{% endblocktranslate %}",
        '<img src="x.png" alt="{% translate "A map of the wards" %}">',
        '<input type="submit" value="{% translate "Search" %}">',
        '<button name="decision" value="approve">{% translate "Approve" %}</button>',
        '<input type="hidden" name="step" value="check">',
        '{% include "_conditional_radios.html" with choice=form.area reveal="wards" %}',
        "{% block bodyclass %}{{ block.super }} app-accounts model-user{% endblock %}",
        "<html lang=\"{{ LANGUAGE_CODE|default:'en-gb' }}\">",
        '{{ group.website|default:_("None given") }}',
        '{% include "x.html" with label=_("Continue") %}',
        '{% url "mapping:ward_detail" ward.pk %} {% querystring page=2 %}',
        "{# A note for developers #}{% comment %}Also not shown{% endcomment %}",
        "<!-- not shown --><script>let shown = false;</script><style>p { color: red }</style>",
        '<div class="govuk-width-container" id="main" lang="cy">&nbsp;&mdash; 12 – £5</div>',
    ],
)
def test_it_passes_text_marked_or_not_shown(source):
    assert unmarked_text(source) == []
