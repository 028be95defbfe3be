"""Django settings for mjadmin, all driven by the environment (see .env.example)."""

from datetime import timedelta
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from mjadmin import config, content_security

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

config.read_dotenv(BASE_DIR / ".env")

SECRET_KEY = config.required_str("SECRET_KEY")
# Secrets at rest are encrypted with these, never with SECRET_KEY (see mjadmin/encryption.py).
FIELD_ENCRYPTION_KEYS = config.fernet_keys("FIELD_ENCRYPTION_KEYS")
DEBUG = config.boolean("DEBUG", default=False)
ALLOWED_HOSTS = config.string_list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = config.string_list("CSRF_TRUSTED_ORIGINS", default=[])

# Each vendor's own settings, from its folder (one line a vendor).
from mjadmin.vendors.apiframe.settings import *  # noqa: E402, F403
from mjadmin.vendors.legnext.settings import *  # noqa: E402, F403
from mjadmin.vendors.midjourney_proxy.settings import *  # noqa: E402, F403
from mjadmin.vendors.useapi.settings import *  # noqa: E402, F403

# One upstream call (connect, answer and retries) ends within UPSTREAM_TIMEOUT seconds; every
# call a page makes ends within UPSTREAM_PAGE_TIMEOUT of the request's arrival.
UPSTREAM_TIMEOUT = config.positive_float("UPSTREAM_TIMEOUT", default=15.0)
UPSTREAM_PAGE_TIMEOUT = config.positive_float("UPSTREAM_PAGE_TIMEOUT", default=25.0)
# Answers larger than this are refused rather than read into memory.
# 8 MB holds a team of 50,000 Midjourney accounts (about 6.5 MB of JSON) and refuses anything
# much larger, which no documented endpoint sends.
UPSTREAM_MAX_RESPONSE_BYTES = 8 * 1024 * 1024
# Extra origins (besides https:) allowed for third-party images; only the demo sets it,
# so thumbnails served by the local fake over plain http render.
MEDIA_EXTRA_ORIGINS = config.string_list("MEDIA_EXTRA_ORIGINS", default=[])

# How long an upstream account answer is reused per user before asking again.
ACCOUNTS_CACHE_SECONDS = config.positive_int("ACCOUNTS_CACHE_SECONDS", default=30)
# How many task ids one lookup may hold.
TASKS_MAX_IDS = config.positive_int("TASKS_MAX_IDS", default=2000)
# A task running for longer than this many minutes is flagged as possibly stuck.
TASKS_STUCK_AFTER_MINUTES = config.positive_int("TASKS_STUCK_AFTER_MINUTES", default=10)
# Apiframe calls in flight at once: per app process, and for any one lookup (see tasks/fetching.py).
# 40 calls of 20 ids at once: a 2,000-id lookup is three rounds of calls (README: Performance).
TASKS_PROCESS_CALLS = config.positive_int("TASKS_PROCESS_CALLS", default=96)
TASKS_LOOKUP_CALLS = config.positive_int("TASKS_LOOKUP_CALLS", default=40)
if TASKS_LOOKUP_CALLS >= TASKS_PROCESS_CALLS:
    raise ImproperlyConfigured(
        "TASKS_LOOKUP_CALLS must be below TASKS_PROCESS_CALLS, or one lookup could take every "
        "slot and hold up everyone else's."
    )

# --- Production switches (README: Deployment). HTTPS_ONLY turns on each HTTPS setting; each can
# also be set on its own. Only behind a proxy that sets X-Forwarded-Proto (and strips it from
# clients) may SECURE_PROXY_SSL_HEADER be true.
HTTPS_ONLY = config.boolean("HTTPS_ONLY", default=False)
SECURE_SSL_REDIRECT = config.boolean("SECURE_SSL_REDIRECT", default=HTTPS_ONLY)
# A load balancer checks each app server directly, over plain http.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_SECURE = config.boolean("SESSION_COOKIE_SECURE", default=HTTPS_ONLY)
CSRF_COOKIE_SECURE = config.boolean("CSRF_COOKIE_SECURE", default=HTTPS_ONLY)
SECURE_HSTS_SECONDS = config.non_negative_int(
    "SECURE_HSTS_SECONDS", default=365 * 24 * 3600 if HTTPS_ONLY else 0
)
SECURE_HSTS_INCLUDE_SUBDOMAINS = config.boolean("SECURE_HSTS_INCLUDE_SUBDOMAINS", HTTPS_ONLY)
SECURE_HSTS_PRELOAD = config.boolean("SECURE_HSTS_PRELOAD", default=HTTPS_ONLY)
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https")
    if config.boolean("SECURE_PROXY_SSL_HEADER", default=False)
    else None
)
# How many reverse proxies in front of the app append to X-Forwarded-For (nginx: 1). Client
# addresses for sign-in throttling and the audit log are read from there; 0 uses REMOTE_ADDR.
TRUSTED_PROXY_COUNT = config.non_negative_int("TRUSTED_PROXY_COUNT", default=0)

# Sessions end after SESSION_IDLE_MINUTES without a request, and SESSION_MAX_HOURS after
# sign-in whatever happens (mjadmin/team/sessions.py).
SESSION_IDLE_MINUTES = config.positive_int("SESSION_IDLE_MINUTES", default=12 * 60)
SESSION_MAX_HOURS = config.positive_int("SESSION_MAX_HOURS", default=7 * 24)
SESSION_COOKIE_AGE = SESSION_IDLE_MINUTES * 60
# The CSRF token lives in the session, so no long-lived CSRF cookie is set at all.
CSRF_USE_SESSIONS = True

# Sign-in throttling (django-axes): a username is locked from one address after
# LOGIN_FAILURE_LIMIT wrong passwords in a row, for LOGIN_COOLOFF_MINUTES. Kept in the database,
# so every app process sees the same locks.
LOGIN_FAILURE_LIMIT = config.positive_int("LOGIN_FAILURE_LIMIT", default=5)
LOGIN_COOLOFF_MINUTES = config.positive_int("LOGIN_COOLOFF_MINUTES", default=15)
AXES_FAILURE_LIMIT = LOGIN_FAILURE_LIMIT
AXES_COOLOFF_TIME = timedelta(minutes=LOGIN_COOLOFF_MINUTES)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "mjadmin.client_ip.client_ip"
AXES_USERNAME_CALLABLE = "mjadmin.team.locks.username_tried"
AXES_LOCKOUT_CALLABLE = "mjadmin.team.views.locked_out"
# Usernames typed at sign-in are kept by axes; its access log (every success) is not needed.
AXES_DISABLE_ACCESS_LOG = True
AXES_VERBOSE = False

# A pasted log of megabytes still holds task ids: the paste form reads up to TASKS_PASTE_CHARS
# characters, and a form post is that many characters URL-encoded (up to 12 bytes each, for an
# emoji), so Django must accept a body that large. Only signed-in teammates post forms.
TASKS_PASTE_CHARS = 2_000_000
DATA_UPLOAD_MAX_MEMORY_SIZE = TASKS_PASTE_CHARS * 12 + 64 * 1024

# Team invitations and the password reset links admins make stop working after this many hours.
TEAM_INVITE_HOURS = config.positive_int("TEAM_INVITE_HOURS", default=72)
PASSWORD_RESET_TIMEOUT = TEAM_INVITE_HOURS * 3600
# Invitation emails. Without EMAIL_URL they are written to the server console instead.
EMAIL_CONFIGURED = config.is_set("EMAIL_URL")
globals().update(config.email("EMAIL_URL", default="consolemail://"))
DEFAULT_FROM_EMAIL = config.string("EMAIL_FROM", default="mjadmin <mjadmin@localhost>")
# A mail server that stops answering must not hold the admin's request (or its worker) for long.
EMAIL_TIMEOUT = 10
# `manage.py watch_accounts` posts account alerts here (Slack-compatible {"text": …}) besides
# emailing them when EMAIL_URL is set. Empty: no webhook. The URL is a secret (it is the key).
ALERT_WEBHOOK_URL = config.http_url("ALERT_WEBHOOK_URL", default="")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "csp",
    "axes",
    "mjadmin",
    # The platform both features stand on.
    "mjadmin.audit",
    "mjadmin.team",
    "mjadmin.keys",
    # One folder per vendor; its registry tells the platform what each brings.
    "mjadmin.vendors",
    # The two features.
    "accounts",
    "tasks",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "mjadmin.team.sessions.AbsoluteSessionLifetimeMiddleware",
    "mjadmin.team.time_zones.ViewerTimeZoneMiddleware",
    "mjadmin.middleware.NoStoreWhenSignedInMiddleware",
    "mjadmin.audit.context.AuditContextMiddleware",
    "mjadmin.middleware.UpstreamPageDeadlineMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into the lock-out page.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    # First, so a locked-out username never reaches the password check.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# A strict policy: this site's own scripts and styles only; third-party images over https only
# (plus MEDIA_EXTRA_ORIGINS, which only the demo sets); nothing may be framed or connected to.
CONTENT_SECURITY_POLICY = content_security.policy(MEDIA_EXTRA_ORIGINS)

ROOT_URLCONF = "mjadmin.urls"
WSGI_APPLICATION = "mjadmin.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "mjadmin.team.context_processors.roles",
            ],
        },
    },
]

DATABASES = {
    "default": config.database("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}")
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # Transactions take SQLite's write lock when they begin, so two requests that read, then
    # write (the same invitation used twice at once) queue up instead of failing "locked".
    # Write-ahead logging lets pages read while a lookup's answers are being written (in the
    # default journal a reader holds writers off, and each commit syncs twice); NORMAL syncs at
    # checkpoints, which in WAL mode cannot corrupt the file.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        transaction_mode="IMMEDIATE",
        init_command="PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    )
# The default cache is a table in the database, so every process sees the same answers
# (make run creates it); CACHE_URL=redis://… selects Redis.
CACHES = {"default": config.cache("CACHE_URL", default="dbcache://mjadmin_cache")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "team:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "team:login"

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "filters": {"one_time_links": {"()": "mjadmin.log_masking.OneTimeLinkFilter"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["one_time_links"],
        }
    },
    "root": {"handlers": ["console"], "level": "INFO"},
    "loggers": {
        # urllib3 logs full URLs at DEBUG; keep it at WARNING so nothing chatty leaks.
        "urllib3": {"level": "WARNING"},
        # django-axes logs every sign-in at INFO; the audit log already records them.
        "axes": {"level": "WARNING"},
    },
}
