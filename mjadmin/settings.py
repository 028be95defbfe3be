"""Django settings for mjadmin, all driven by the environment (see .env.example)."""

from pathlib import Path

from mjadmin import config

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

config.read_dotenv(BASE_DIR / ".env")

SECRET_KEY = config.required_str("SECRET_KEY")
# Secrets at rest are encrypted with these, never with SECRET_KEY (see mjadmin/encryption.py).
FIELD_ENCRYPTION_KEYS = config.fernet_keys("FIELD_ENCRYPTION_KEYS")
DEBUG = config.boolean("DEBUG", default=False)
ALLOWED_HOSTS = config.string_list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = config.string_list("CSRF_TRUSTED_ORIGINS", default=[])

USEAPI_BASE_URL = config.http_url("USEAPI_BASE_URL", default="https://api.useapi.net")
APIFRAME_BASE_URL = config.http_url("APIFRAME_BASE_URL", default="https://api.apiframe.pro")
UPSTREAM_TIMEOUT = config.positive_float("UPSTREAM_TIMEOUT", default=15.0)
# Answers larger than this are refused rather than read into memory.
UPSTREAM_MAX_RESPONSE_BYTES = 5 * 1024 * 1024
# Extra origins (besides https:) allowed for third-party images; only the demo sets it,
# so thumbnails served by the local fake over plain http render.
MEDIA_EXTRA_ORIGINS = config.string_list("MEDIA_EXTRA_ORIGINS", default=[])

# How long an upstream account answer is reused per user before asking again.
ACCOUNTS_CACHE_SECONDS = config.positive_int("ACCOUNTS_CACHE_SECONDS", default=30)
# How many task ids one lookup may hold.
TASKS_MAX_IDS = config.positive_int("TASKS_MAX_IDS", default=500)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "mjadmin",
    # The platform both features stand on.
    "mjadmin.team",
    "mjadmin.keys",
    "mjadmin.demo",
    # The two features.
    "accounts",
    "tasks",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "mjadmin.middleware.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

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
            ],
        },
    },
]

DATABASES = {
    "default": config.database("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}")
}
CACHES = {"default": config.cache("CACHE_URL", default="locmemcache://mjadmin")}
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
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": "INFO"},
    "loggers": {
        # urllib3 logs full URLs at DEBUG; keep it at WARNING so nothing chatty leaks.
        "urllib3": {"level": "WARNING"},
    },
}
