"""The application factory."""
import json

import sqlalchemy as sa
from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from app import errors, forms, i18n, input_guard, security
from app.audit import recorder as audit_recorder
from app.config import PROJECT_ROOT, load_config
from app.orm import install_commit_notes, install_write_guard, ping_idle_connections, release_session, tune_sqlite
from app.extensions import babel, csrf, db, login_manager, migrate


def create_app(config: dict | None = None) -> Flask:
    app = Flask(__name__, instance_relative_config=True)
    app.config.update(load_config(config))

    db.init_app(app)
    # Runs before Flask-SQLAlchemy's own teardown (teardowns run in reverse order).
    app.teardown_appcontext(release_session)
    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            sa.event.listen(db.engine, "connect", tune_sqlite)
        elif db.engine.dialect.name == "postgresql":
            sa.event.listen(db.engine, "connect", audit_recorder.mark_application_connection)
            ping_idle_connections(db.engine)
    audit_recorder.install()
    install_write_guard()
    install_commit_notes()
    migrate.init_app(app, db, directory=str(PROJECT_ROOT / "migrations"))
    login_manager.init_app(app)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=i18n.select_locale)
    i18n.init_app(app)
    forms.init_app(app)
    errors.init_app(app)
    input_guard.init_app(app)
    audit_recorder.init_app(app)
    security.init_app(app)
    if app.config["PROXY_COUNT"]:
        proxies = app.config["PROXY_COUNT"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies)

    from app import api, models, narratives  # noqa: F401  (models: for the metadata; narratives: for the trail)
    from app.reports import facts as report_facts
    from app.reports import register_facts
    from app.attachments.views import bp as attachments_bp
    from app.audit.views import bp as audit_bp
    from app.cases.views import bp as cases_bp
    from app.children.views import bp as children_bp
    from app.register.views import bp as register_bp
    from app.facilities.views import bp as facilities_bp
    from app.deadlines.views import bp as holidays_bp
    from app.documents.views import bp as documents_bp
    from app.deadlines.views import standards_bp
    from app.escalations.views import bp as escalations_bp
    from app.notifications.views import bp as notifications_bp
    from app.referrals.views import bp as referrals_bp
    from app.reorganisation.views import bp as reorganisation_bp
    from app.auth.views import bp as auth_bp
    from app.main.views import bp as main_bp
    from app.reporting.views import bp as reporting_bp
    from app.reports.views import bp as reports_bp
    from app.users.views import bp as users_bp

    report_facts.install()
    register_facts.install()

    app.register_blueprint(main_bp)
    app.register_blueprint(auth_bp)
    app.register_blueprint(users_bp)
    app.register_blueprint(audit_bp)
    app.register_blueprint(cases_bp)
    app.register_blueprint(children_bp)
    app.register_blueprint(register_bp)
    app.register_blueprint(facilities_bp)
    app.register_blueprint(holidays_bp)
    app.register_blueprint(standards_bp)
    app.register_blueprint(referrals_bp)
    app.register_blueprint(reorganisation_bp)
    app.register_blueprint(escalations_bp)
    app.register_blueprint(notifications_bp)
    app.register_blueprint(reports_bp)
    app.register_blueprint(reporting_bp)
    app.register_blueprint(documents_bp)
    app.register_blueprint(attachments_bp)
    app.register_blueprint(api.bp)
    csrf.exempt(api.bp)

    from app.attachments.cli import attachments_cli
    from app.audit.cli import audit_cli
    from app.backup import backup
    from app.demo.cli import seed_cli
    from app.escalations.cli import escalate
    from app.notifications.cli import mail_cli
    from app.reports.cli import reports_cli
    from app.units.cli import units_cli
    from app.users.cli import users_cli

    app.cli.add_command(units_cli)
    app.cli.add_command(users_cli)
    app.cli.add_command(seed_cli)
    app.cli.add_command(audit_cli)
    app.cli.add_command(attachments_cli)
    app.cli.add_command(escalate)
    app.cli.add_command(mail_cli)
    app.cli.add_command(reports_cli)
    app.cli.add_command(backup)

    _register_template_helpers(app)
    return app


def _register_template_helpers(app: Flask) -> None:
    from flask_babel import get_locale
    from flask_login import current_user

    from app.access import can, role_label
    from app.deadlines.services import due_label, open_due_label
    from app.main.menu import menu_for
    from app.notifications.services import badge_for, forget_badge
    from app.orm import utcnow

    app.before_request(forget_badge)

    @app.context_processor
    def inject_helpers():
        return {"can": lambda capability: can(current_user, capability), "get_locale": get_locale,
                "waiting_count": lambda: badge_for(current_user, utcnow())}

    app.jinja_env.filters["fromjson"] = json.loads
    app.jinja_env.filters["role_label"] = role_label
    app.jinja_env.globals["due_label"] = due_label
    app.jinja_env.globals["open_due_label"] = open_due_label
    app.jinja_env.globals["menu_for"] = menu_for
