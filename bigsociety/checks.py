"""Deployment checks of our own, run by `manage.py check --deploy` beside Django's."""

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register


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


# Periods read from the environment in days, and what a value under one day would break.
PERIODS_IN_DAYS = {
    "ACCOUNT_CONFIRMATION_DAYS": "every confirmation link would have expired when it is sent",
    "UNCONFIRMED_ACCOUNT_DAYS": "purging would delete accounts as soon as they are made",
    "STALE_INVITATION_DAYS": "purging would delete invitations as soon as they are sent",
    "SIGN_IN_LOG_DAYS": "purging would delete the lockout's count of failed sign-ins at once",
    "EOI_RESPONSE_DAYS": "every expression of interest would be overdue when it is sent",
    "RETURN_DUE_DAYS": "every monitoring return would be overdue when its period ends",
}


def period_days(name):
    if name == "ACCOUNT_CONFIRMATION_DAYS":  # kept in seconds, as signing takes it
        return settings.ACCOUNT_CONFIRMATION_MAX_AGE / 86400
    return getattr(settings, name)


@register()
def periods(app_configs, **kwargs):
    """Refuse to start with a period that makes no sense, rather than lose data quietly."""
    problems = [
        Error(
            f"{name} is {period_days(name):g}: {consequence}.",
            hint=f"Set {name} to 1 or more (days).",
            id="bigsociety.E001",
        )
        for name, consequence in PERIODS_IN_DAYS.items()
        if period_days(name) < 1
    ]
    if period_days("UNCONFIRMED_ACCOUNT_DAYS") < period_days("ACCOUNT_CONFIRMATION_DAYS"):
        problems.append(
            Warning(
                "UNCONFIRMED_ACCOUNT_DAYS is shorter than ACCOUNT_CONFIRMATION_DAYS: an account "
                "could be purged while its confirmation link still works.",
                hint="Keep unconfirmed accounts at least as long as their links work.",
                id="bigsociety.W003",
            )
        )
    return problems
