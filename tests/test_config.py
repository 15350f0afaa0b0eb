import pytest

from app import create_app
from app.config import ConfigError, load_config


def test_production_refuses_to_start_without_a_secret_key(monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        create_app({"APP_ENV": "production"})


def test_environment_defaults_to_production(monkeypatch):
    monkeypatch.delenv("APP_ENV", raising=False)
    monkeypatch.setenv("SECRET_KEY", "s3cret")
    assert load_config()["APP_ENV"] == "production"


def test_development_runs_without_a_secret_key(monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    assert load_config({"APP_ENV": "development"})["SECRET_KEY"]


def test_database_defaults_to_a_sqlite_file_under_instance(monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    url = load_config({"APP_ENV": "development"})["SQLALCHEMY_DATABASE_URI"]
    assert url.startswith("sqlite:///") and url.endswith("/instance/app.db")


def test_postgres_urls_get_the_psycopg_driver(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgres://u@db/cases")
    assert load_config({"APP_ENV": "development"})["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u@db/cases"


def test_timezone_defaults_to_ho_chi_minh(monkeypatch):
    monkeypatch.delenv("APP_TIMEZONE", raising=False)
    assert load_config({"APP_ENV": "development"})["APP_TIMEZONE"] == "Asia/Ho_Chi_Minh"


def test_an_unknown_timezone_is_refused(monkeypatch):
    monkeypatch.setenv("APP_TIMEZONE", "Mars/Olympus")
    with pytest.raises(ConfigError, match="APP_TIMEZONE"):
        load_config({"APP_ENV": "development"})


def test_session_cookie_is_secure_outside_development(monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "s3cret")
    assert load_config({"APP_ENV": "production"})["SESSION_COOKIE_SECURE"] is True
    assert load_config({"APP_ENV": "testing"})["SESSION_COOKIE_SECURE"] is True
    assert load_config({"APP_ENV": "development"})["SESSION_COOKIE_SECURE"] is False
