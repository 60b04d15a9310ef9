"""`manage.py check --deploy --fail-level WARNING` passes with production settings, as CI
runs it, and names the settings that would weaken sign-in."""

import os
import secrets
import subprocess
import sys

from django.conf import settings

PRODUCTION = {
    "DEBUG": "0",
    "ALLOWED_HOSTS": "capacity.example.gov.uk",
    "HTTPS": "1",
    "SECURE_SSL_REDIRECT": "1",
    "EMAIL_URL": "smtp+tls://ci:ci@smtp.example.gov.uk:587",
}


def deploy_check(**changes):
    env = {
        key: value
        for key, value in os.environ.items()
        if key
        not in (
            "DEBUG",
            "ADMIN_REQUIRE_2FA",
            "PROXY_COUNT",
            "TRUST_X_FORWARDED_PROTO",
            # Set for the browser tests in this process; never in a deployment.
            "DJANGO_ALLOW_ASYNC_UNSAFE",
        )
    }
    env |= PRODUCTION | {"SECRET_KEY": secrets.token_urlsafe(50)} | changes
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_production_settings_pass_the_deployment_checks():
    result = deploy_check()
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_weakened_sign_in_fails_the_deployment_checks():
    result = deploy_check(ADMIN_REQUIRE_2FA="0", TRUST_X_FORWARDED_PROTO="1", PROXY_COUNT="0")
    assert result.returncode != 0
    assert "bigsociety.W001" in result.stderr
    assert "bigsociety.W002" in result.stderr
