"""Checks of a response's security headers, inline code and cookies, shared by the
header tests and the admin walk."""

import re
from html.parser import HTMLParser

EVENT_HANDLER = re.compile(r"^on[a-z]+$")


class InlineCode(HTMLParser):
    """Scripts, styles and style or event attributes in a page, as the CSP sees them."""

    def __init__(self, nonce):
        super().__init__()
        self.nonce = nonce
        self.problems = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for name in attrs:
            if name == "style" or EVENT_HANDLER.match(name):
                self.problems.append(f"<{tag} {name}=...>")
        if tag == "script" and "src" not in attrs and attrs.get("nonce") != self.nonce:
            self.problems.append("<script> without the nonce")
        if tag == "style" and attrs.get("nonce") != self.nonce:
            self.problems.append("<style> without the nonce")
        if tag == "a" and (attrs.get("href") or "").strip().lower().startswith("javascript:"):
            self.problems.append("<a href=javascript:>")


def header_problems(response):
    problems = []
    csp = response.get("Content-Security-Policy", "")
    html = response.get("Content-Type", "").startswith("text/html")
    nonce = re.search(r"'nonce-([^']+)'", csp)
    if html and not nonce:
        return ["no Content-Security-Policy with a nonce"]
    # Without a nonce (JSON, files) the policy allows no inline code at all.
    for needed in ("default-src 'self'", "object-src 'none'", "frame-ancestors 'none'"):
        if needed not in csp:
            problems.append(f"CSP lacks {needed}")
    expected = {
        "Strict-Transport-Security": "max-age=31536000; includeSubDomains; preload",
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "same-origin",
        "X-Frame-Options": "DENY",
        "Cross-Origin-Opener-Policy": "same-origin",
    }
    for name, value in expected.items():
        if response.get(name) != value:
            problems.append(f"{name}: {response.get(name)!r}")
    if html:
        for directive in ("script-src 'self' 'nonce-", "style-src 'self' 'nonce-"):
            if directive not in csp:
                problems.append(f"CSP lacks {directive}")
        if "{#" in response.content.decode() or "#}" in response.content.decode():
            problems.append("a template comment shows on the page")
        parser = InlineCode(nonce.group(1))
        parser.feed(response.content.decode())
        problems.extend(sorted(set(parser.problems)))
    return problems


def cookie_problems(response):
    problems = []
    for name, morsel in response.cookies.items():
        if morsel.value == "" and morsel["max-age"] == 0:
            continue  # deleting a cookie
        if not morsel["secure"]:
            problems.append(f"cookie {name} is not Secure")
        if not morsel["httponly"]:
            problems.append(f"cookie {name} is not HttpOnly")
        if morsel["samesite"] not in ("Lax", "Strict"):
            problems.append(f"cookie {name} has SameSite={morsel['samesite']!r}")
    return problems
