"""Settings for bigsociety, all read from the environment through one environ.Env().

See .env.example and the README's configuration table for every variable.
"""

from datetime import timedelta
from pathlib import Path

import environ
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"  # git-ignored: the SQLite database, uploads, screenshots

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)
if DEBUG:
    SECRET_KEY = env("SECRET_KEY", default="dev-only-insecure-key-do-not-use-in-production")
else:
    # No default: a production server must never start with a known key.
    SECRET_KEY = env("SECRET_KEY")

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
COUNCIL_NAME = env("COUNCIL_NAME", default="Demo Borough Council")
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000")

INSTALLED_APPS = [
    # The admin site, asking staff for a two-factor code (accounts/admin_site.py).
    "accounts.apps.CouncilAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "django_filters",
    "axes",
    "simple_history",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "bigsociety",
    "accounts",
    "mapping",
    "services",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "bigsociety.middleware.DatabaseUnavailableMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # After the messages middleware: it says why it signed someone out.
    "accounts.middleware.SessionLifetimeMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # django-axes must come last so it sees the outcome of every sign-in attempt.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "bigsociety.urls"
WSGI_APPLICATION = "bigsociety.wsgi.application"
ASGI_APPLICATION = "bigsociety.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "bigsociety.context_processors.site",
            ],
            "builtins": ["django.templatetags.i18n", "django.templatetags.static"],
        },
    },
]

# Form templates come from TEMPLATES, so templates/govuk/ can give every form the
# GOV.UK markup.
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

# Databases ---------------------------------------------------------------------------
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Fail fast when the database is down, so pages can answer 503 within seconds.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
        "connect_timeout", env.int("DATABASE_CONNECT_TIMEOUT", default=3)
    )
elif DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A fresh clone has no var/ folder yet; SQLite cannot create the file without it.
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            # Take the write lock at the start of a transaction: avoids "database is
            # locked" when two requests write at once.
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Read replicas: off unless DATABASE_REPLICA_URLS lists at least one.
for i, url in enumerate(env.list("DATABASE_REPLICA_URLS", default=[])):
    DATABASES[f"replica{i}"] = env.db_url_config(url) | {"TEST": {"MIRROR": "default"}}
DATABASE_ROUTERS = ["bigsociety.routers.ReplicaRouter"]

# Cache and sessions -------------------------------------------------------------------
# The default cache lives in the database so that several processes share it (rate
# limits, the gap-analysis cache). Production uses Redis: CACHE_URL=redis://...
CACHES = {"default": env.cache("CACHE_URL", default="dbcache://bigsociety_cache")}
SESSION_ENGINE = env("SESSION_ENGINE", default="django.contrib.sessions.backends.db")
SESSION_COOKIE_AGE = int(timedelta(hours=12).total_seconds())
SESSION_IDLE_TIMEOUT = int(timedelta(minutes=30).total_seconds())
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"

# Users and sign-in ----------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:sign_in"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
PASSWORD_RESET_TIMEOUT = int(timedelta(hours=2).total_seconds())
# How long the link that confirms a new account's email address works: set in days, like
# the other periods here; kept in seconds, as signing's max_age takes it.
ACCOUNT_CONFIRMATION_MAX_AGE = int(
    timedelta(days=env.int("ACCOUNT_CONFIRMATION_DAYS", default=3)).total_seconds()
)
ADMIN_REQUIRE_2FA = env.bool("ADMIN_REQUIRE_2FA", default=True)

# django-axes: lock the username-and-address pair after 5 failures for 30 minutes.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=30)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_USERNAME_FORM_FIELD = "username"
# Behind a proxy, say how many proxies add X-Forwarded-For so the real address is used.
AXES_IPWARE_PROXY_COUNT = env.int("PROXY_COUNT", default=0) or None
AXES_IPWARE_META_PRECEDENCE_ORDER = (
    ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"] if AXES_IPWARE_PROXY_COUNT else ["REMOTE_ADDR"]
)

# Email --------------------------------------------------------------------------------
# EMAIL_URL in django-environ's form (smtp+tls://user:pass@host:587, consolemail://),
# turned into Django 6.1's MAILERS.
_email = env.email("EMAIL_URL", default="consolemail://")
MAILERS = {"default": {"BACKEND": _email["EMAIL_BACKEND"]}}
if _email["EMAIL_BACKEND"].endswith("smtp.EmailBackend"):
    MAILERS["default"]["OPTIONS"] = {
        "host": _email["EMAIL_HOST"],
        "port": _email["EMAIL_PORT"],
        "username": _email["EMAIL_HOST_USER"],
        "password": _email["EMAIL_HOST_PASSWORD"],
        "use_tls": _email.get("EMAIL_USE_TLS", False),
        "use_ssl": _email.get("EMAIL_USE_SSL", False),
        "timeout": 10,
    }
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="bigsociety <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Security headers ------------------------------------------------------------------------
HTTPS = env.bool("HTTPS", default=not DEBUG)
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=False)
if env.bool("TRUST_X_FORWARDED_PROTO", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = int(timedelta(days=365).total_seconds()) if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.NONCE],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

# Internationalisation -------------------------------------------------------------------
# The language for visitors whose browser asks for none the site offers.
LANGUAGE_CODE = env("LANGUAGE_CODE", default="en-gb")
LOCALE_PATHS = [BASE_DIR / "locale"]
# English, the language the text is written in, and each translation once it is compiled
# into locale/ (README, "Welsh and other languages"). Offered sooner, a browser asking for
# Welsh would get English pages marked lang="cy", with the odd word from Django's own
# Welsh ("Hafan" for "Home").
LANGUAGES = [("en-gb", _("English"))] + [
    (code, name)
    for code, name in [("cy", _("Welsh"))]
    if (LOCALE_PATHS[0] / code / "LC_MESSAGES" / "django.mo").exists()
]
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = False  # humanize's intcomma is used where a count is shown

# Static files and uploads ------------------------------------------------------------
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = env.path("STATIC_ROOT", default=VAR_DIR / "staticfiles")
MEDIA_ROOT = env.path("MEDIA_ROOT", default=VAR_DIR / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
IMPORT_MAX_UPLOAD_BYTES = env.int("IMPORT_MAX_UPLOAD_BYTES", default=60 * 1024 * 1024)

# Logging: to stderr, where gunicorn and systemd collect it.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}

# Domain settings shown to officers on "how this is calculated" --------------------------
PAGE_SIZE = 25
EOI_RESPONSE_DAYS = env.int("EOI_RESPONSE_DAYS", default=60)

# Officer mapping and the gap analysis (issue 5) -------------------------------------------
# The rules of "where the gaps are", shown to officers on the "how this is calculated"
# page. Weights and ratios are strings so they stay exact Decimals.
GAP_ANALYSIS = {
    # How much an offer's hours count, by how ready the group says it is.
    "WEIGHTS": {
        "already_delivering": "1.0",
        "ready_now": "0.8",
        "ready_with_support": "0.5",
        "exploring": "0.2",
        "not_interested": "0",
    },
    # Fewer willing groups than this in a ward is a single point of failure: fragile.
    "MIN_ORGANISATIONS": 2,
    # Coverage ratio (weighted hours / needed hours) under this is fragile...
    "FRAGILE_BELOW": "0.5",
    # ...and from this up it is covered; in between it is partial.
    "COVERED_FROM": "1",
    # Wards in IMD deciles up to this are "deprived" (1 and 2: the most deprived 20%).
    "DEPRIVED_DECILE_AT_MOST": 2,
}
# Resident consultation and public pages (issue 6) -----------------------------------------
# Responses accepted from one internet address for one consultation in an hour. Raise it
# for consultation events where many people answer from one library or office network.
CONSULTATION_RESPONSES_PER_HOUR = env.int("CONSULTATION_RESPONSES_PER_HOUR", default=10)

# Imports, open data and exports (issue 8) ---------------------------------------------------
# Uploads larger than IMPORT_MAX_UPLOAD_BYTES (above) are refused. The import worker
# (manage.py run_imports) looks for queued uploads this often:
IMPORT_WORKER_POLL_SECONDS = env.int("IMPORT_WORKER_POLL_SECONDS", default=2)
# An import a worker took but did not finish within this time (its worker was stopped)
# is marked as failed; its writes were rolled back with its transaction.
IMPORT_STALE_MINUTES = env.int("IMPORT_STALE_MINUTES", default=60)
# Open Referral UK API: the largest page a client may ask for with ?per_page=.
ORUK_MAX_PAGE_SIZE = 100

# Community groups: sign-up, invitations (issue 4) ------------------------------------------
# Sign-ups accepted from one internet address in an hour.
SIGN_UPS_PER_HOUR = env.int("SIGN_UPS_PER_HOUR", default=10)
# Confirmation emails sent to one email address in an hour (sign-ups and "send it again").
CONFIRMATION_EMAILS_PER_HOUR = env.int("CONFIRMATION_EMAILS_PER_HOUR", default=3)
# Invitations sent to one email address in a day, whichever group sends them, and
# invitations one person may send in an hour: enough for a group adding its committee,
# too few to use the site to pester someone.
INVITATIONS_PER_ADDRESS_PER_DAY = env.int("INVITATIONS_PER_ADDRESS_PER_DAY", default=3)
INVITATIONS_PER_HOUR = env.int("INVITATIONS_PER_HOUR", default=20)

# Handover pipeline and public accountability (issue 7) ------------------------------------
# EOI_RESPONSE_DAYS (above) is the council's response period for expressions of interest.
# Days a group has to send in a monitoring return after its period ends.
RETURN_DUE_DAYS = env.int("RETURN_DUE_DAYS", default=30)
# An agreement with no end date has its returns scheduled this many months ahead;
# `manage.py schedule_returns` (run daily or monthly) keeps extending them.
RETURNS_SCHEDULED_AHEAD_MONTHS = 24

# Security, privacy and reliability (issue 9) ---------------------------------------------
# Sign-in lockout, rate limits and the consultation limit all see the same client address:
# behind PROXY_COUNT proxies, the address the first of them saw (bigsociety/ratelimit.py).
AXES_CLIENT_IP_CALLABLE = "bigsociety.ratelimit.client_ip"
# The name an authenticator app shows beside the admin's codes.
OTP_TOTP_ISSUER = COUNCIL_NAME
# Password resets asked for from one internet address, and for one email address, in an
# hour. Past the first, the address sees "too many requests"; past the second, the page
# looks the same but no email is sent, so nobody can flood someone's inbox.
PASSWORD_RESETS_PER_HOUR_PER_ADDRESS = env.int("PASSWORD_RESETS_PER_HOUR_PER_ADDRESS", default=10)
PASSWORD_RESETS_PER_HOUR_PER_EMAIL = env.int("PASSWORD_RESETS_PER_HOUR_PER_EMAIL", default=3)
# Erasing a person, changing someone's roles and similar actions ask for the password
# again when it was last given longer ago than this (seconds).
REAUTHENTICATION_MAX_AGE = int(timedelta(minutes=10).total_seconds())
# What `manage.py purge_expired_data` removes (the privacy notice states these).
UNCONFIRMED_ACCOUNT_DAYS = env.int("UNCONFIRMED_ACCOUNT_DAYS", default=7)
STALE_INVITATION_DAYS = env.int("STALE_INVITATION_DAYS", default=14)
# Sign-in records (address, browser, time) kept this long for investigating misuse.
SIGN_IN_LOG_DAYS = env.int("SIGN_IN_LOG_DAYS", default=90)
# Where `make backup` writes.
BACKUP_DIR = env.path("BACKUP_DIR", default=VAR_DIR / "backups")

# Performance at county scale (issue 10) ----------------------------------------------------
# How long the gap analysis may stay in the shared cache. Every write to the data it
# reads replaces it sooner (mapping.gapcache); this only bounds how stale it could get if
# the cache was unreachable at the moment of a write. 0 turns the cache off.
GAP_CACHE_SECONDS = env.int("GAP_CACHE_SECONDS", default=3600)
