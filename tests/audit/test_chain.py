"""The chain: tamper evidence, verification and checkpoints."""
import json
from datetime import datetime, timezone

import pytest
import sqlalchemy as sa

from app.audit.chain import canonical, entry_hash
from app.audit.services import verify_chain
from tests.database import behind_the_back
from tests.factories import audit_entries


@pytest.fixture
def trail(units, make_user):
    """A chain with a few hundred entries (the units, then some accounts)."""
    for role in ("worker", "commune_leader", "supervisor"):
        make_user(role)
    return audit_entries()


def tamper(sql, **params):
    with behind_the_back() as connection:
        connection.execute(sa.text(sql), params)


def test_the_canonical_form_is_the_documented_one():
    entry = {"id": 7, "at": datetime(2024, 3, 9, 1, 2, 3, 4, tzinfo=timezone.utc), "actor": "lan", "actor_id": 3,
             "actor_role": "worker", "actor_unit": "10933", "ip": None, "request_id": None, "action": "update",
             "entity": "users", "entity_id": "3", "case_ref": None, "unit_path": "2024/30/295/10933/",
             "changes": '{"full_name": ["An", "Ân"]}', "prev_hash": "0" * 64}
    assert canonical(entry) == (
        b"1:7,27:2024-03-09T01:02:03.000004Z,3:lan,1:3,6:worker,5:10933,~~6:update,5:users,1:3,~"
        b"18:2024/30/295/10933/,28:" + '{"full_name": ["An", "Ân"]}'.encode() + b"," + b"64:" + b"0" * 64 + b",")
    assert entry_hash(entry) == "ecbeb888a3781a34ab83d73b337da660c57d4e18a4f50fe5e68d0cde3b0a7ef0"


def test_an_untouched_chain_verifies(trail):
    verdict = verify_chain()
    assert verdict.ok and verdict.entries == len(trail) and verdict.first_broken is None


def test_an_empty_chain_verifies(app):
    assert verify_chain().ok


def test_an_entry_changed_behind_the_applications_back_is_named(trail):
    victim = trail[100]
    tamper("UPDATE audit_entries SET actor = 'someone.else' WHERE id = :id", id=victim.id)
    verdict = verify_chain()
    assert not verdict.ok and verdict.first_broken == victim.id


def test_a_rehashed_entry_still_breaks_the_link_to_the_next(trail):
    victim = dict(trail[100].__dict__)
    victim["actor"] = "someone.else"
    tamper("UPDATE audit_entries SET actor = 'someone.else', hash = :hash WHERE id = :id",
           hash=entry_hash(victim), id=victim["id"])
    assert verify_chain().first_broken == victim["id"] + 1


def test_a_deleted_entry_is_named_by_the_one_after_it(trail):
    tamper("DELETE FROM audit_entries WHERE id = :id", id=trail[50].id)
    assert verify_chain().first_broken == trail[51].id


def test_an_entry_inserted_after_the_head_is_named(trail):
    last = trail[-1]
    tamper("INSERT INTO audit_entries (id, at, action, prev_hash, hash) VALUES (:id, :at, 'create', :prev, :hash)",
           id=last.id + 1, at=last.at, prev=last.hash, hash="e" * 64)
    assert verify_chain().first_broken == last.id + 1


def test_a_cut_off_tail_is_caught_by_the_head_row(trail):
    tamper("DELETE FROM audit_entries WHERE id > :id", id=trail[-3].id)
    verdict = verify_chain()
    assert not verdict.ok and verdict.first_broken == trail[-2].id


def test_a_cut_off_tail_with_a_rewritten_head_is_caught_by_a_checkpoint(trail):
    checkpoint = (trail[-1].id, trail[-1].hash)
    tamper("DELETE FROM audit_entries WHERE id > :id", id=trail[-3].id)
    tamper("UPDATE audit_head SET last_id = :id, last_hash = :hash", id=trail[-3].id, hash=trail[-3].hash)
    assert verify_chain().ok
    verdict = verify_chain(checkpoint)
    assert not verdict.ok and verdict.first_broken == trail[-2].id


def test_verify_command_exits_0_when_whole(runner, trail):
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 0, result.output


def test_verify_command_exits_1_naming_the_broken_entry(runner, trail):
    tamper("UPDATE audit_entries SET changes = NULL WHERE id = :id", id=trail[10].id)
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 1 and str(trail[10].id) in result.output


def test_checkpoint_then_verify_with_it(runner, trail, tmp_path):
    checkpoint = tmp_path / "head.json"
    assert runner.invoke(args=["audit", "checkpoint", "--output", str(checkpoint)]).exit_code == 0
    saved = json.loads(checkpoint.read_text())
    assert saved["id"] >= trail[-1].id
    assert runner.invoke(args=["audit", "verify", "--checkpoint", str(checkpoint)]).exit_code == 0
    tamper("DELETE FROM audit_entries WHERE id > :id", id=trail[-3].id)
    tamper("UPDATE audit_head SET last_id = :id, last_hash = :hash", id=trail[-3].id, hash=trail[-3].hash)
    assert runner.invoke(args=["audit", "verify", "--checkpoint", str(checkpoint)]).exit_code == 1


def test_a_checkpoint_file_that_is_not_one_is_refused(runner, trail, tmp_path):
    bad = tmp_path / "head.json"
    bad.write_text("not json")
    result = runner.invoke(args=["audit", "verify", "--checkpoint", str(bad)])
    assert result.exit_code == 2 and "--checkpoint" in result.output


def test_each_verification_is_itself_recorded(runner, trail):
    runner.invoke(args=["audit", "verify"])
    assert audit_entries(action="audit_verify")


def test_verify_command_names_a_head_row_behind_the_entries_and_exits_1(runner, trail):
    """As after a data-only restore that kept the schema's empty head: the check cannot be appended to the chain,
    and still says what is wrong instead of failing with a traceback."""
    tamper("UPDATE audit_head SET last_id = :id, last_hash = :hash", id=trail[-3].id, hash=trail[-3].hash)
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit), result.output
    assert f"{trail[-2].id}" in result.output and "head" in result.output
    assert not audit_entries(action="audit_verify")
