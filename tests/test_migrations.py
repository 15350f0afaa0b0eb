"""The migrations build exactly the schema the models describe."""
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
import sqlalchemy as sa

from app.extensions import db


def test_models_and_migrations_agree(app):
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, db.metadata)
    assert differences == []


def test_the_under_16_migration_keeps_the_records_of_16_and_17_year_olds(app, make_user):
    """Issue 15's migration (5e16a0c7b2d9) adds columns only: a 17-year-old's case taken before the under-16 rule
    (Law on Children art. 1) is still there after it, with its child, and listed for review."""
    import sqlalchemy as sa
    from flask_migrate import downgrade, upgrade

    from app.cases import queries
    from app.cases.models import Case
    from app.orm import utcnow
    from tests.factories import case_kept_from_before

    case = case_kept_from_before(make_user("worker"), years=17)
    reference, child_id, born = case.reference, case.child_id, case.child.date_of_birth
    db.session.commit()
    db.session.close()
    downgrade(revision="259477505917")
    upgrade()
    kept = db.session.scalar(sa.select(Case).where(Case.reference == reference))
    assert (kept.child_id, kept.child.date_of_birth, kept.harm_status) == (child_id, born, None)
    province = make_user("province_officer")
    listed = db.session.scalars(queries.filtered(province, queries.CaseFilter(aged_16_or_over=True), utcnow()))
    assert [case.reference for case in listed] == [reference]


def test_the_intake_role_migration_admits_intake_accounts_and_keeps_refusing_unknown_roles(app, make_user):
    """c4a7e2f19d30 widens the role constraint of accounts and grants for the intake role (Decree 56/2017
    art. 26.1); on SQLite by rewriting the constraint in place, so the accounts and what refers to them stay."""
    import pytest
    import sqlalchemy as sa
    from flask_migrate import downgrade, upgrade

    from app.users.models import User

    worker = make_user("worker")
    username = worker.username
    db.session.commit()
    db.session.close()
    downgrade(revision="5b1e7c0d9a42")
    upgrade()
    assert db.session.scalar(sa.select(User).where(User.username == username)) is not None
    make_user("intake")
    db.session.commit()
    with db.engine.connect() as connection, pytest.raises(sa.exc.IntegrityError):
        connection.execute(sa.text("UPDATE users SET role = 'hotline' WHERE username = :name"), {"name": username})


def test_the_intake_role_migration_is_not_undone_while_an_account_holds_the_role(app, make_user):
    import pytest
    from flask_migrate import downgrade, upgrade

    make_user("intake")
    db.session.commit()
    db.session.close()
    downgrade(revision="c4a7e2f19d30")  # the later migrations, so that the intake role's is the next to undo
    with pytest.raises(SystemExit):  # Flask-Migrate's answer to the migration's error
        downgrade(revision="5b1e7c0d9a42")
    # Nothing was undone (read in SQL: the application's models are ahead of this schema).
    assert db.session.execute(sa.text("SELECT version_num FROM alembic_version")).scalar() == "c4a7e2f19d30"
    assert db.session.execute(sa.text("SELECT role FROM users")).scalars().all() == ["intake"]
    db.session.close()
    upgrade()
