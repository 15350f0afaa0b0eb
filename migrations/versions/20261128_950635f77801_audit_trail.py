"""audit trail: entries, the chain's head, append-only triggers, outside-change triggers

The hash rules are in docs/audit-chain.md; the PostgreSQL function below computes
exactly what app/audit/chain.py computes, for changes made outside the application.

Revision ID: 950635f77801
Revises: 73ca303ab233
Create Date: 2026-11-28 23:16:51.104483

"""
from alembic import op
import sqlalchemy as sa

import app.orm


# revision identifiers, used by Alembic.
revision = '950635f77801'
down_revision = '73ca303ab233'
branch_labels = None
depends_on = None

GENESIS_HASH = "0" * 64
OUTSIDE_THE_APPLICATION = "current_setting('audit.application', true) IS DISTINCT FROM 'on'"
AUDITED_TABLES = {
    # table: (how to find the unit an entry is about, columns whose values stay out of the trail)
    "units": ("path", ()),
    "users": ("unit_id", ("password_hash",)),
    "api_tokens": ("user_id", ("token_hash",)),
}



def outside_change_trigger(table: str, unit: str, secrets: tuple[str, ...]) -> str:
    """Fires only on connections that are not the application's: those mark themselves when they open
    (app/audit/recorder.py), so the application's own writes cost no trigger call at all."""
    arguments = ", ".join(f"'{argument}'" for argument in (unit, *secrets))
    return (f"CREATE TRIGGER {table}_audit_outside_change AFTER INSERT OR UPDATE OR DELETE ON {table} "
            f"FOR EACH ROW WHEN ({OUTSIDE_THE_APPLICATION}) EXECUTE FUNCTION audit_outside_change({arguments})")


SQLITE_UPGRADE = [
    """CREATE TRIGGER audit_entries_no_update BEFORE UPDATE ON audit_entries
       BEGIN SELECT RAISE(ABORT, 'audit entries are append-only'); END""",
    """CREATE TRIGGER audit_entries_no_delete BEFORE DELETE ON audit_entries
       BEGIN SELECT RAISE(ABORT, 'audit entries are append-only'); END""",
    """CREATE TRIGGER audit_head_no_delete BEFORE DELETE ON audit_head
       BEGIN SELECT RAISE(ABORT, 'the audit head cannot be deleted'); END""",
    # The application's writer on SQLite inserts entries; the head follows each one.
    """CREATE TRIGGER audit_entries_move_head AFTER INSERT ON audit_entries
       BEGIN UPDATE audit_head SET last_id = NEW.id, last_hash = NEW.hash WHERE id = 1; END""",
]

POSTGRESQL_UPGRADE = [
    """CREATE FUNCTION audit_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION 'audit entries are append-only: % on % refused', TG_OP, TG_TABLE_NAME
            USING ERRCODE = 'insufficient_privilege';
    END $$""",
    """CREATE TRIGGER audit_entries_append_only BEFORE UPDATE OR DELETE ON audit_entries
       FOR EACH ROW EXECUTE FUNCTION audit_refuse_change()""",
    """CREATE TRIGGER audit_entries_no_truncate BEFORE TRUNCATE ON audit_entries
       FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_change()""",
    """CREATE TRIGGER audit_head_kept BEFORE DELETE ON audit_head
       FOR EACH ROW EXECUTE FUNCTION audit_refuse_change()""",
    """CREATE TRIGGER audit_head_no_truncate BEFORE TRUNCATE ON audit_head
       FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_change()""",
    # One field of the canonical form: `<byte length>:<UTF-8 bytes>,`, or `~` for null.
    """CREATE FUNCTION audit_field(value text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
        SELECT CASE WHEN value IS NULL THEN '~'
                    ELSE octet_length(convert_to(value, 'UTF8'))::text || ':' || value || ',' END
    $$""",
    # Appends one entry to the chain: the application's writer on PostgreSQL and the trigger below both
    # call it, so the hash rule (docs/audit-chain.md) is written once in SQL, as once in Python.
    """CREATE FUNCTION audit_append(entry_at timestamptz, entry_actor text, entry_actor_id bigint,
        entry_actor_role text, entry_actor_unit text, entry_ip text, entry_request_id text, entry_action text,
        entry_entity text, entry_entity_id text, entry_case text, entry_path text, entry_changes text)
    RETURNS bigint LANGUAGE plpgsql AS $$
    DECLARE
        entry_id bigint;
        previous text;
        entry_hash text;
    BEGIN
        UPDATE audit_head SET last_id = last_id + 1 WHERE id = 1 RETURNING last_id, last_hash
          INTO entry_id, previous;
        entry_hash := encode(sha256(convert_to(
            audit_field(entry_id::text)
            || audit_field(to_char(entry_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'))
            || audit_field(entry_actor) || audit_field(entry_actor_id::text) || audit_field(entry_actor_role)
            || audit_field(entry_actor_unit) || audit_field(entry_ip) || audit_field(entry_request_id)
            || audit_field(entry_action) || audit_field(entry_entity) || audit_field(entry_entity_id)
            || audit_field(entry_case) || audit_field(entry_path) || audit_field(entry_changes)
            || audit_field(previous), 'UTF8')), 'hex');
        INSERT INTO audit_entries (id, at, actor, actor_id, actor_role, actor_unit, ip, request_id, action, entity,
                                   entity_id, case_ref, unit_path, changes, prev_hash, hash)
        VALUES (entry_id, entry_at, entry_actor, entry_actor_id, entry_actor_role, entry_actor_unit, entry_ip,
                entry_request_id, entry_action, entry_entity, entry_entity_id, entry_case, entry_path,
                entry_changes, previous, entry_hash);
        UPDATE audit_head SET last_hash = entry_hash WHERE id = 1;
        RETURN entry_id;
    END $$""",
    # Records a change that did not come through the application, attributed to the database role.
    # Arguments: how to find the unit (path, unit_id, address_unit_id, user_id, child_id, case_id,
    # plan_id or none), then the secret columns. Rows are named by their whole primary key.
    """CREATE FUNCTION audit_outside_change() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    old_row jsonb;
    new_row jsonb;
    row_data jsonb;
    secrets text[] := coalesce(TG_ARGV[1:TG_NARGS - 1], ARRAY[]::text[]);
    entry_action text := CASE TG_OP WHEN 'INSERT' THEN 'create' WHEN 'UPDATE' THEN 'update' ELSE 'delete' END;
    entry_at timestamptz := date_trunc('microseconds', clock_timestamp());
    entry_actor text := 'db:' || session_user;
    entry_ip text := host(inet_client_addr());
    entry_entity_id text;
    entry_path text;
    entry_case text;
    entry_changes text;
BEGIN
    old_row := CASE WHEN TG_OP <> 'INSERT' THEN to_jsonb(OLD) END;
    new_row := CASE WHEN TG_OP <> 'DELETE' THEN to_jsonb(NEW) END;
    row_data := coalesce(new_row, old_row);
    SELECT jsonb_object_agg(key, CASE
               WHEN key = ANY(secrets) THEN jsonb_build_array(
                   CASE WHEN old_row -> key IS NULL OR old_row -> key = 'null' THEN 'null'::jsonb
                        ELSE '"[redacted]"'::jsonb END,
                   CASE WHEN new_row -> key IS NULL OR new_row -> key = 'null' THEN 'null'::jsonb
                        ELSE '"[redacted]"'::jsonb END)
               ELSE jsonb_build_array(coalesce(old_row -> key, 'null'), coalesce(new_row -> key, 'null')) END)::text
      INTO entry_changes
      FROM jsonb_object_keys(row_data) AS key
     WHERE coalesce(old_row -> key, 'null') IS DISTINCT FROM coalesce(new_row -> key, 'null');
    IF entry_changes IS NULL AND TG_OP = 'UPDATE' THEN
        RETURN NULL;
    END IF;
    SELECT string_agg(row_data ->> a.attname, ',' ORDER BY array_position(i.indkey::int2[], a.attnum))
      INTO entry_entity_id
      FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)
     WHERE i.indrelid = TG_RELID AND i.indisprimary;
    entry_path := CASE TG_ARGV[0]
        WHEN 'path' THEN row_data ->> 'path'
        WHEN 'unit_id' THEN (SELECT u.path FROM units u WHERE u.id = (row_data ->> 'unit_id')::bigint)
        WHEN 'address_unit_id' THEN
            (SELECT u.path FROM units u WHERE u.id = (row_data ->> 'address_unit_id')::bigint)
        WHEN 'user_id' THEN (SELECT u.path FROM users s JOIN units u ON u.id = s.unit_id
                              WHERE s.id = (row_data ->> 'user_id')::bigint)
        WHEN 'child_id' THEN (SELECT u.path FROM children c JOIN units u ON u.id = c.address_unit_id
                               WHERE c.id = (row_data ->> 'child_id')::bigint)
        WHEN 'case_id' THEN (SELECT u.path FROM cases c JOIN units u ON u.id = c.unit_id
                              WHERE c.id = (row_data ->> 'case_id')::bigint)
        WHEN 'plan_id' THEN (SELECT u.path FROM plans p JOIN cases c ON c.id = p.case_id
                              JOIN units u ON u.id = c.unit_id WHERE p.id = (row_data ->> 'plan_id')::bigint)
    END;
    entry_case := CASE
        WHEN TG_TABLE_NAME = 'cases' THEN row_data ->> 'reference'
        WHEN TG_ARGV[0] = 'case_id' THEN
            (SELECT c.reference FROM cases c WHERE c.id = (row_data ->> 'case_id')::bigint)
        WHEN TG_ARGV[0] = 'plan_id' THEN (SELECT c.reference FROM plans p JOIN cases c ON c.id = p.case_id
                                           WHERE p.id = (row_data ->> 'plan_id')::bigint)
    END;
    PERFORM audit_append(entry_at, entry_actor, NULL, NULL, NULL, entry_ip, NULL, entry_action, TG_TABLE_NAME,
                         entry_entity_id, entry_case, entry_path, entry_changes);
    RETURN NULL;
END $$""",
    *[
        outside_change_trigger(table, unit, secrets) for table, (unit, secrets) in AUDITED_TABLES.items()
    ],
]

POSTGRESQL_DOWNGRADE = [
    *[f"DROP TRIGGER {table}_audit_outside_change ON {table}" for table in AUDITED_TABLES],
    "DROP TRIGGER audit_entries_append_only ON audit_entries",
    "DROP TRIGGER audit_entries_no_truncate ON audit_entries",
    "DROP TRIGGER audit_head_kept ON audit_head",
    "DROP TRIGGER audit_head_no_truncate ON audit_head",
    "DROP FUNCTION audit_outside_change()",
    "DROP FUNCTION audit_append(timestamptz, text, bigint, text, text, text, text, text, text, text, text, text, "
    "text)",
    "DROP FUNCTION audit_field(text)",
    "DROP FUNCTION audit_refuse_change()",
]


def upgrade():
    op.create_table('audit_entries',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=False, nullable=False),
    sa.Column('at', app.orm.UTCDateTime(timezone=True), nullable=False),
    sa.Column('actor', sa.String(length=80), nullable=True),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('actor_role', sa.String(length=32), nullable=True),
    sa.Column('actor_unit', sa.String(length=16), nullable=True),
    sa.Column('ip', sa.String(length=64), nullable=True),
    sa.Column('request_id', sa.String(length=64), nullable=True),
    sa.Column('action', sa.String(length=40), nullable=False),
    sa.Column('entity', sa.String(length=40), nullable=True),
    sa.Column('entity_id', sa.String(length=40), nullable=True),
    sa.Column('case_ref', sa.String(length=40), nullable=True),
    sa.Column('unit_path', sa.String(length=255), nullable=True),
    sa.Column('changes', sa.Text(), nullable=True),
    sa.Column('prev_hash', sa.String(length=64), nullable=False),
    sa.Column('hash', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_entries'))
    )
    with op.batch_alter_table('audit_entries', schema=None) as batch_op:
        batch_op.create_index('ix_audit_entries_action_at', ['action', 'at'], unique=False)
        batch_op.create_index('ix_audit_entries_actor_at', ['actor', 'at'], unique=False)
        batch_op.create_index('ix_audit_entries_at', ['at'], unique=False)
        batch_op.create_index('ix_audit_entries_case_ref_id', ['case_ref', 'id'], unique=False)
        batch_op.create_index('ix_audit_entries_unit_path', ['unit_path'], unique=False, postgresql_ops={'unit_path': 'text_pattern_ops'})

    op.create_table('audit_head',
    sa.Column('id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('last_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('last_hash', sa.String(length=64), nullable=False),
    sa.CheckConstraint('id = 1', name=op.f('ck_audit_head_single_row')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_head'))
    )
    op.execute(f"INSERT INTO audit_head (id, last_id, last_hash) VALUES (1, 0, '{GENESIS_HASH}')")
    if op.get_bind().dialect.name == "postgresql":
        for statement in POSTGRESQL_UPGRADE:
            op.execute(statement)
    else:
        for statement in SQLITE_UPGRADE:
            op.execute(statement)


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        for statement in POSTGRESQL_DOWNGRADE:
            op.execute(statement)
    op.drop_table('audit_head')
    with op.batch_alter_table('audit_entries', schema=None) as batch_op:
        batch_op.drop_index('ix_audit_entries_unit_path', postgresql_ops={'unit_path': 'text_pattern_ops'})
        batch_op.drop_index('ix_audit_entries_case_ref_id')
        batch_op.drop_index('ix_audit_entries_at')
        batch_op.drop_index('ix_audit_entries_actor_at')
        batch_op.drop_index('ix_audit_entries_action_at')

    op.drop_table('audit_entries')
