"""Configuration read from the environment.

`APP_ENV` is `production` unless told otherwise, so a forgotten setting fails
safe: production refuses to start without a `SECRET_KEY`.
"""
import os
from datetime import timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

PROJECT_ROOT = Path(__file__).resolve().parent.parent
ENVIRONMENTS = ("development", "testing", "production")
ATTACHMENT_STORES = ("database", "filesystem")


class ConfigError(RuntimeError):
    """The environment does not describe a runnable application."""


def _default_database_url() -> str:
    instance = PROJECT_ROOT / "instance"
    instance.mkdir(exist_ok=True)
    return f"sqlite:///{instance / 'app.db'}"


def _normalise_database_url(url: str) -> str:
    # Hosting platforms hand out `postgres://` URLs; SQLAlchemy wants the driver named.
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def _default_attachment_dir() -> str:
    return str(PROJECT_ROOT / "instance" / "attachments")


def load_config(overrides: dict | None = None) -> dict:
    overrides = dict(overrides or {})
    env = overrides.get("APP_ENV") or os.environ.get("APP_ENV", "production")
    if env not in ENVIRONMENTS:
        raise ConfigError(f"APP_ENV must be one of {', '.join(ENVIRONMENTS)}, not {env!r}")
    secret_key = overrides.get("SECRET_KEY") or os.environ.get("SECRET_KEY")
    if not secret_key:
        if env == "production":
            raise ConfigError("SECRET_KEY must be set outside development and testing")
        secret_key = f"insecure-{env}-key"
    timezone = overrides.get("APP_TIMEZONE") or os.environ.get("APP_TIMEZONE", "Asia/Ho_Chi_Minh")
    try:
        ZoneInfo(timezone)
    except (KeyError, ValueError) as exc:
        raise ConfigError(f"APP_TIMEZONE {timezone!r} is not a known time zone") from exc

    config = {
        "APP_ENV": env,
        "TESTING": env == "testing",
        "SECRET_KEY": secret_key,
        "SQLALCHEMY_DATABASE_URI": _normalise_database_url(
            overrides.pop("DATABASE_URL", None) or os.environ.get("DATABASE_URL") or _default_database_url()
        ),
        "APP_TIMEZONE": timezone,
        "BABEL_DEFAULT_LOCALE": "vi",
        "BABEL_DEFAULT_TIMEZONE": timezone,
        "BABEL_TRANSLATION_DIRECTORIES": str(PROJECT_ROOT / "translations"),
        "LANGUAGES": ("vi", "en"),
        # Unit codes are reused between the 2024 and 2025 lists; this names the one in force.
        "UNITS_EDITION": os.environ.get("UNITS_EDITION", "2024"),
        # The unit at the top of this deployment (a province's code), under which entries that belong to no unit
        # are filed (sign-ins with unknown usernames); unset, the only top unit of the list in force.
        "TOP_UNIT": os.environ.get("TOP_UNIT") or None,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": env != "development",
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SECURE": env != "development",
        "IDLE_TIMEOUT": timedelta(minutes=30),
        "PERMANENT_SESSION_LIFETIME": timedelta(minutes=30),
        # The cookie is sent again only when the session changes: end_idle_sessions moves its clock once a minute.
        "SESSION_REFRESH_EACH_REQUEST": False,
        # Wrong passwords for one account from addresses it has never signed in from: after this many, such
        # addresses are refused for the account for LOGIN_LOCKOUT (its owner still signs in from a known one).
        "LOGIN_MAX_FAILURES": 5,
        "LOGIN_LOCKOUT": timedelta(minutes=15),
        # From an address the account has signed in from before, failures slow down instead: after
        # LOGIN_MAX_FAILURES, each next attempt waits this long, doubled after every further failure, up to the most.
        "KNOWN_ADDRESS_FIRST_WAIT": timedelta(seconds=15),
        "KNOWN_ADDRESS_LONGEST_WAIT": timedelta(minutes=5),
        # An address stays known this long after the account last signed in from it.
        "KNOWN_ADDRESS_KEPT_FOR": timedelta(days=90),
        # Per source address, shared by the sign-in page, token creation and activation (Flask-Limiter syntax).
        "SIGN_IN_ATTEMPTS_PER_ADDRESS": os.environ.get("SIGN_IN_ATTEMPTS_PER_ADDRESS",
                                                       "5 per 10 seconds; 20 per minute"),
        "SIGN_IN_FAILURES_PER_ADDRESS": os.environ.get("SIGN_IN_FAILURES_PER_ADDRESS", "20 per hour"),
        # Where the limits are counted: shared by every process and host (Redis) in production.
        "RATELIMIT_STORAGE_URI": os.environ.get("RATELIMIT_STORAGE_URI") or (None if env == "production"
                                                                             else "memory://"),
        "RATELIMIT_STRATEGY": "moving-window",
        # Should the storage fail, each process counts on its own rather than refusing every sign-in.
        "RATELIMIT_IN_MEMORY_FALLBACK_ENABLED": True,
        "RATELIMIT_KEY_PREFIX": "sign-in",
        # Duplicate checks at intake per account and hour; beyond, matches outside the worker's scope go untold
        # (app/children/services.py, check_for_duplicates). Flask-Limiter syntax, counted in the limiter's storage.
        "DUPLICATE_CHECKS_PER_HOUR": os.environ.get("DUPLICATE_CHECKS_PER_HOUR", "30 per hour"),
        "PASSWORD_MIN_LENGTH": 10,
        # Argon2id (RFC 9106's second recommended set); tests lower it for speed.
        "PASSWORD_HASH_PARAMETERS": {"time_cost": 3, "memory_cost": 64 * 1024, "parallelism": 4},
        # Hashes one process computes at once (each takes 64 MiB), and how long a request waits for a turn
        # before it is answered 503: a flood of sign-ins queues rather than exhausting memory.
        "PASSWORD_HASH_CONCURRENCY": int(os.environ.get("PASSWORD_HASH_CONCURRENCY", "2")),
        "PASSWORD_HASH_WAIT": timedelta(seconds=10),
        # A one-time code that lets a person choose their password (a new account, a reset).
        "ACTIVATION_CODE_LIFETIME": timedelta(hours=72),
        "API_TOKEN_LIFETIME": timedelta(hours=12),
        "WTF_CSRF_TIME_LIMIT": None,
        # How many reverse proxies stand in front (X-Forwarded-For/-Proto are trusted that deep).
        "PROXY_COUNT": int(os.environ.get("PROXY_COUNT", "0")),
        "MAX_CONTENT_LENGTH": 16 * 1024 * 1024,
        "JSON_SORT_KEYS": False,
        # Email notices are off unless MAIL_SERVER is set; `flask --app wsgi mail deliver` sends the outbox.
        "MAIL_SERVER": os.environ.get("MAIL_SERVER") or None,
        "MAIL_PORT": int(os.environ.get("MAIL_PORT", "587")),
        "MAIL_USE_TLS": os.environ.get("MAIL_USE_TLS", "true").lower() != "false",
        "MAIL_USERNAME": os.environ.get("MAIL_USERNAME") or None,
        "MAIL_PASSWORD": os.environ.get("MAIL_PASSWORD") or None,
        "MAIL_FROM": os.environ.get("MAIL_FROM", "bao-ve-tre-em@localhost"),
        # The address people reach the application at, for the links in email notices.
        "APP_BASE_URL": os.environ.get("APP_BASE_URL", "http://127.0.0.1:5000"),
        # Attachments (issue 17): the largest file accepted, and the largest image in pixels, checked from its header
        # before it is decoded (a small PNG can unpack to gigabytes).
        "ATTACHMENT_MAX_BYTES": int(os.environ.get("ATTACHMENT_MAX_BYTES", str(20 * 1024 * 1024))),
        "ATTACHMENT_MAX_PIXELS": int(os.environ.get("ATTACHMENT_MAX_PIXELS", str(50_000_000))),
        # Where the files are kept: "database" (chunks in the table attachment_chunks, committed with the row: every
        # host sees them, and a database backup holds them) or "filesystem" (under ATTACHMENT_DIR, for one host).
        "ATTACHMENT_STORE": os.environ.get("ATTACHMENT_STORE") or ("database" if env == "production"
                                                                   else "filesystem"),
        "ATTACHMENT_DIR": os.environ.get("ATTACHMENT_DIR") or _default_attachment_dir(),
        # Uploads per account (Flask-Limiter syntax), and the request body refused before it is read: the largest
        # file and 1 MB for the form's other fields.
        "ATTACHMENT_UPLOADS_PER_HOUR": os.environ.get("ATTACHMENT_UPLOADS_PER_HOUR", "60 per hour"),
    }
    config.update(overrides)
    config.setdefault("ATTACHMENT_BODY_LIMIT", config["ATTACHMENT_MAX_BYTES"] + 1024 * 1024)
    if config["ATTACHMENT_STORE"] not in ATTACHMENT_STORES:
        raise ConfigError(f"ATTACHMENT_STORE must be one of {', '.join(ATTACHMENT_STORES)}, "
                          f"not {config['ATTACHMENT_STORE']!r}")
    return config
