"""Settings shared by every run mode; configured from environment variables.

DATABASE_URL  PostgreSQL (required; ``manage.py`` and the launcher start an embedded server
              under var/ when it is unset).
REDIS_URL     Celery broker and cache; when unset, kombu's filesystem transport under var/
              and a local-memory cache are used, so no server is needed.
SECRET_KEY    Django secret; PERSON_ID_KEY keys the ID-number encryption and lookup hash.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(os.environ.get("CREDIT_PORTAL_VAR", BASE_DIR / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).lower() in {"1", "true", "yes", "on"}


SECRET_KEY = os.environ.get("SECRET_KEY", "dev-only-insecure-key-change-me-0123456789abcdef")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = [h for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "guardian",
    "pgtrigger",
    "django_celery_beat",
    "captcha",
    # layer 1: project libraries (import no app)
    "credit_portal.calendar",
    "credit_portal.audit",
    "credit_portal.outbox",
    # layers 2-7 (docs/architecture.md §3)
    "registry",
    "commitments",
    "discipline",
    "ratings",
    "restoration",
    "objections",
    "disclosure",
    # the top layer: the demo data (it may import every app; no app imports it)
    "demo",
]

MIDDLEWARE = [
    "credit_portal.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "credit_portal.middleware.ChineseFirstLocaleMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "credit_portal.query_limits.PublicStatementTimeoutMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "credit_portal.urls"
WSGI_APPLICATION = "credit_portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "credit_portal.context_processors.site",
                "credit_portal.context_processors.workbench_nav",
                "discipline.context_processors.entity_notice",
            ],
            # Label filters (``local``, ``department``...) in every template without a load.
            "builtins": [
                "credit_portal.templatetags.portal",
                "registry.templatetags.registry_labels",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/credit_portal"),
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
    )
}
DATABASES["default"]["TEST"] = {"TEMPLATE": "template0", "CHARSET": "UTF8"}
# PostgreSQL streaming replicas that serve the public's reads (credit_portal.replicas): a
# comma-separated list of URLs, each an alias "replica1", "replica2", ... In tests each mirrors
# the default database.
for _n, _url in enumerate(
    [u for u in os.environ.get("DATABASE_REPLICA_URLS", "").split(",") if u.strip()], start=1
):
    DATABASES[f"replica{_n}"] = dj_database_url.parse(
        _url.strip(), conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60"))
    )
    DATABASES[f"replica{_n}"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["credit_portal.replicas.PublicReadRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "workbench:login"
LOGIN_REDIRECT_URL = "workbench:home"
LOGOUT_REDIRECT_URL = "public:home"
GUARDIAN_RAISE_403 = True
ANONYMOUS_USER_NAME = None  # guardian: no anonymous object permissions

# Chinese first, English alongside.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Asia/Shanghai"
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "var" / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"] if (BASE_DIR / "static").exists() else []
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "credit-portal",
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Celery (docs/architecture.md §6: measured facts) ---------------------------------------
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_BROKER_TRANSPORT_OPTIONS: dict = {"visibility_timeout": 3 * 3600}
else:
    # A broker that needs no server: kombu's filesystem transport under var/.
    _broker_dir = VAR_DIR / "broker"
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "queue"),
        "data_folder_out": str(_broker_dir / "queue"),
        "processed_folder": str(_broker_dir / "processed"),
        "control_folder": str(_broker_dir / "control"),
        "store_processed": False,
    }
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = TIME_ZONE
# Queues by kind of work, so a deployment gives each its own workers (docker-compose.yml): the
# rating run's chunks ("long") cannot hold up the outbox's deliveries ("outbox") or the
# clocks and after-commit work ("celery"). The run command's one worker consumes all three.
CELERY_TASK_DEFAULT_QUEUE = "celery"
CELERY_TASK_ROUTES = {
    "ratings.tasks.*": {"queue": "long"},
    "credit_portal.outbox.tasks.*": {"queue": "outbox"},
}
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# No CELERY_BEAT_SCHEDULE: each app declares its periodic tasks (``beat_schedule`` on its
# AppConfig) and credit_portal.celery gathers them.

# --- REST API ----------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "registry.api.authentication.ApiClientTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "credit_portal.pagination.KeysetPagination",
    "PAGE_SIZE": 20,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "credit_portal.api.exception_handler",
    "DEFAULT_THROTTLE_RATES": {"anon": "120/min", "user": "1200/min"},
}
SPECTACULAR_SETTINGS = {
    "TITLE": "credit-portal API",
    "DESCRIPTION": "信用监管平台数据共享接口 / Credit-based supervision portal API",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Several models have a "kind" or share a choice set: name each enum once.
    "ENUM_NAME_OVERRIDES": {
        "EntityKindEnum": "registry.models.MarketEntity.Kind",
        "EntityStatusEnum": "registry.models.MarketEntity.Status",
        "CatalogueKindEnum": "registry.models.CatalogueItem.Kind",
        "DecisionKindEnum": "registry.models.Decision.Kind",
        "PublicityScopeEnum": "registry.models.PublicityScope",
        "SeverityEnum": "registry.models.Severity",
        "CommitmentKindEnum": "commitments.models.CommitmentKind",
        "CommitmentStatusEnum": "commitments.models.Commitment.Status",
        "FulfilmentEnum": "commitments.models.Commitment.Fulfilment",
        "RegistrationKindEnum": "commitments.models.VoluntaryDisclosure.Kind",
        "RegistrationStatusEnum": "commitments.models.VoluntaryDisclosure.Status",
        "ListKindEnum": "discipline.models.ListKind",
        "BasisKindEnum": "discipline.models.BasisKind",
        "BanFieldEnum": "discipline.models.BanField",
        "ObjectionOutcomeEnum": "objections.models.Outcome",
        "ObjectionTargetEnum": "objections.models.Target",
        "ObjectionStatusEnum": "objections.models.Objection.Status",
        "TipOffOutcomeEnum": "objections.models.TipOff.Outcome",
        "TipOffStatusEnum": "objections.models.TipOff.Status",
        "RestorationOutcomeEnum": "restoration.models.RestorationApplication.Outcome",
        "RestorationStatusEnum": "restoration.models.RestorationApplication.Status",
        "RestorationItemKindEnum": "restoration.models.RestorationItem.Kind",
        "ListingStatusEnum": "discipline.models.Listing.Status",
        "ExitReasonEnum": "discipline.models.Listing.ExitReason",
        "MeasureTaskStatusEnum": "discipline.models.MeasureTask.Status",
        "TaskOutcomeEnum": "discipline.models.MeasureTaskItem.Outcome",
        "RectificationStatusEnum": "discipline.models.Rectification.Status",
        "InterviewKindEnum": "discipline.models.Interview.Kind",
        "InterviewStatusEnum": "discipline.models.Interview.Status",
    },
}

# --- Personal information (2022 opinions: security of personal information) ----------------
# Keys the Fernet encryption of ID numbers and the HMAC used to look them up.
PERSON_ID_KEY = os.environ.get("PERSON_ID_KEY", SECRET_KEY)

# --- Objections and tip-offs ----------------------------------------------------------------
# Keys the encryption of filers' and reporters' identities (33/13: the reporter stays
# confidential); a separate key so that rotating it leaves ID-number lookups alone.
CONFIDENTIAL_KEY = os.environ.get("CONFIDENTIAL_KEY", PERSON_ID_KEY)
# Evidence files: outside STATIC_ROOT and any served directory; only the case's handlers get
# them, through a view that checks who is asking.
EVIDENCE_ROOT = Path(os.environ.get("EVIDENCE_ROOT", VAR_DIR / "evidence"))
# Filings per address (django-ratelimit's "count/period"): the public forms' abuse limit.
OBJECTION_RATE = os.environ.get("OBJECTION_RATE", "10/h")
# Where the client's address is read from. Behind a reverse proxy every request comes from the
# proxy: set it to the header the proxy writes (e.g. HTTP_X_REAL_IP), never to a header the
# client can set itself when no proxy overwrites it.
RATELIMIT_IP_META_KEY = os.environ.get("RATELIMIT_IP_META_KEY", "REMOTE_ADDR")
CAPTCHA_LENGTH = 4
CAPTCHA_TIMEOUT = 10  # minutes
# Offline CAPTCHA images (django-simple-captcha): digits and upper-case letters that are hard
# to mistake for each other.
CAPTCHA_CHALLENGE_FUNCT = "captcha.helpers.random_char_challenge"

# --- Outbox (credit_portal.outbox) --------------------------------------------------------------
# Who manages subscribers: the registry's roles decide (the outbox, layer 1, imports no app).
OUTBOX_MANAGER_CHECK = "registry.roles.is_platform_admin"

# --- Public queries ---------------------------------------------------------------------------
PUBLIC_QUERY_TIMEOUT_MS = int(os.environ.get("PUBLIC_QUERY_TIMEOUT_MS", "3000"))
# ./scripts/bench's reference view (/bench/plain/); never on in a deployment.
BENCH_PLAIN_VIEW = env_bool("BENCH_PLAIN_VIEW", False)

# Footer of a Chinese government website (2017 No. 47), from configuration.
SITE_INFO = {
    "sponsor": os.environ.get(
        "SITE_SPONSOR", "信用监管平台示范部署 / credit-portal demo deployment"
    ),
    "site_code": os.environ.get("SITE_CODE", "0000000000"),
    "icp": os.environ.get("SITE_ICP", "示范部署，无备案号 / demo, not filed"),
    "psb": os.environ.get("SITE_PSB", ""),
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "credit_portal.middleware.RequestIdLogFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s"}
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["request_id"],
        }
    },
    "loggers": {"pgserver": {"level": "WARNING"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}
