"""Deployment checks of our own, run by `manage.py check --deploy` beside Django's."""

from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.security, deploy=True)
def security_settings(app_configs, **kwargs):
    problems = []
    if not settings.ADMIN_REQUIRE_2FA:
        problems.append(
            Warning(
                "ADMIN_REQUIRE_2FA is off: staff can use the admin with a password alone.",
                hint="Set ADMIN_REQUIRE_2FA=1 (the default) in production.",
                id="bigsociety.W001",
            )
        )
    behind_proxy = getattr(settings, "SECURE_PROXY_SSL_HEADER", None) is not None
    if behind_proxy and not settings.AXES_IPWARE_PROXY_COUNT:
        problems.append(
            Warning(
                "The site trusts a proxy's X-Forwarded-Proto but PROXY_COUNT is 0: the "
                "sign-in lockout and rate limits would see every visitor as the proxy.",
                hint="Set PROXY_COUNT to the number of proxies in front of the site.",
                id="bigsociety.W002",
            )
        )
    return problems
