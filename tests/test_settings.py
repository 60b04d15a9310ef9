"""Settings read from the environment, checked the way a deployment runs them: in a
fresh process, with only the variables given here."""

import os
import secrets
import shutil
import subprocess
import sys

import pytest
from django.conf import settings

BASE_DIR = settings.BASE_DIR

PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": secrets.token_urlsafe(50),
    "ALLOWED_HOSTS": "capacity.example.gov.uk",
    "HTTPS": "1",
    "SECURE_SSL_REDIRECT": "1",
    "EMAIL_URL": "smtp+tls://user:password@smtp.example.gov.uk:587",
}

needs_no_env_file = pytest.mark.skipif(
    (BASE_DIR / ".env").exists(), reason="a .env file beside manage.py would add its settings"
)


def manage(*args, **environment):
    """Run manage.py in a new process with only ``environment`` (and PATH) set."""
    env = {"PATH": os.environ.get("PATH", ""), "HOME": os.environ.get("HOME", ""), **environment}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@needs_no_env_file
def test_the_deployment_checks_pass_with_production_values():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


@needs_no_env_file
def test_the_deployment_checks_fail_without_https():
    result = manage(
        "check", "--deploy", "--fail-level", "WARNING", **(PRODUCTION | {"HTTPS": "0"})
    )
    assert result.returncode != 0
    assert "SESSION_COOKIE_SECURE" in result.stderr


@needs_no_env_file
def test_it_refuses_to_start_without_a_secret_key_when_debug_is_off():
    environment = {key: value for key, value in PRODUCTION.items() if key != "SECRET_KEY"}
    result = manage("check", **environment)
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


@pytest.mark.skipif(not shutil.which("make"), reason="make is not installed")
def test_make_says_clearly_when_the_python_version_is_missing():
    result = subprocess.run(
        ["make", "--no-print-directory", "python", "PYTHON_VERSION=3.99"],
        cwd=BASE_DIR,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "Python 3.99 was not found. Install it" in result.stdout


def confirmation_max_age(**environment):
    result = manage(
        "shell",
        "--no-imports",
        "-c",
        "from django.conf import settings; print(settings.ACCOUNT_CONFIRMATION_MAX_AGE)",
        DEBUG="1",
        **environment,
    )
    assert result.returncode == 0, result.stderr
    return int(result.stdout)


@needs_no_env_file
def test_the_confirmation_link_works_for_the_days_the_environment_gives():
    assert confirmation_max_age() == 3 * 24 * 60 * 60
    assert confirmation_max_age(ACCOUNT_CONFIRMATION_DAYS="5") == 5 * 24 * 60 * 60


@needs_no_env_file
@pytest.mark.parametrize(
    "name", ["ACCOUNT_CONFIRMATION_DAYS", "UNCONFIRMED_ACCOUNT_DAYS", "EOI_RESPONSE_DAYS"]
)
def test_a_period_under_a_day_stops_the_site_starting(name):
    result = manage("check", DEBUG="1", **{name: "0"})
    assert result.returncode != 0
    assert "bigsociety.E001" in result.stderr
    assert f"{name} is 0:" in result.stderr


@needs_no_env_file
def test_the_default_periods_pass_the_checks():
    result = manage("check", DEBUG="1")
    assert result.returncode == 0, result.stderr
    assert "bigsociety" not in result.stdout + result.stderr


@needs_no_env_file
def test_accounts_purged_before_their_link_expires_are_warned_of():
    result = manage("check", "--fail-level", "WARNING", DEBUG="1", UNCONFIRMED_ACCOUNT_DAYS="2")
    assert result.returncode != 0
    assert "bigsociety.W003" in result.stderr
