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
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": env != "development",
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SECURE": env != "development",
        "IDLE_TIMEOUT": timedelta(minutes=30),
        "PERMANENT_SESSION_LIFETIME": timedelta(minutes=30),
        # The cookie is sent again only when the session changes: end_idle_sessions moves its clock once a minute.
        "SESSION_REFRESH_EACH_REQUEST": False,
        "LOGIN_MAX_FAILURES": 5,
        "LOGIN_LOCKOUT": timedelta(minutes=15),
        "PASSWORD_MIN_LENGTH": 10,
        # Argon2id (RFC 9106's second recommended set); tests lower it for speed.
        "PASSWORD_HASH_PARAMETERS": {"time_cost": 3, "memory_cost": 64 * 1024, "parallelism": 4},
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
    }
    config.update(overrides)
    return config
