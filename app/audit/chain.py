"""The hash chain: canonical form of an entry, its hash, and verification (docs/audit-chain.md).

Kept free of Flask and of the ORM so that the rules are plain to read and to re-implement.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Iterable, Mapping, Sequence

# The order in which fields enter the hash; `prev_hash` last.
FIELDS = ("id", "at", "actor", "actor_id", "actor_role", "actor_unit", "ip", "request_id", "action",
          "entity", "entity_id", "case_ref", "unit_path", "changes", "prev_hash")
PREV_HASH = FIELDS.index("prev_hash")


def format_time(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _text(value) -> str | None:
    if value is None or value.__class__ is str:
        return value
    if isinstance(value, datetime):
        return format_time(value)
    return str(value)


def canonical_of_values(values: Sequence) -> bytes:
    """Each value as `<byte length>:<UTF-8 bytes>,`, or `~` for null, in the order given."""
    parts = []
    for value in values:
        text = _text(value)
        if text is None:
            parts.append(b"~")
        else:
            encoded = text.encode("utf-8")
            parts.append(b"%d:%b," % (len(encoded), encoded))
    return b"".join(parts)


def canonical(entry: Mapping) -> bytes:
    return canonical_of_values([entry[field] for field in FIELDS])


def entry_hash(entry: Mapping) -> str:
    return hashlib.sha256(canonical(entry)).hexdigest()


@dataclass(frozen=True)
class Verdict:
    ok: bool
    entries: int
    first_broken: int | None = None
    reason: str | None = None
    head_id: int | None = None
    head_hash: str | None = None


def verify(rows: Iterable[Sequence], genesis: str, expected_head: tuple[int, str] | None = None,
           checkpoint: tuple[int, str] | None = None, after: int = 0) -> Verdict:
    """Walk the chain in id order, holding one entry at a time.

    Each row holds the values of FIELDS in that order, then the stored hash. A changed
    entry fails its own hash; a deleted one leaves a gap in the ids and a `prev_hash`
    that no longer matches; an inserted one cannot match both neighbours.
    `expected_head` (from the head row) and `checkpoint` (kept outside the database)
    catch a tail that was cut off.
    With `after`, the rows start past that entry and `genesis` is its hash (`verify_after`).
    """
    sha256 = hashlib.sha256
    count, previous_id, previous_hash = 0, after, genesis
    for row in rows:
        count += 1
        entry_id, stored_hash = row[0], row[-1]
        if entry_id != previous_id + 1:
            return Verdict(False, count, entry_id, f"id follows {previous_id}")
        if row[PREV_HASH] != previous_hash:
            return Verdict(False, count, entry_id, "prev_hash does not match the entry before")
        if sha256(canonical_of_values(row[:-1])).hexdigest() != stored_hash:
            return Verdict(False, count, entry_id, "content does not match its hash")
        if checkpoint and entry_id == checkpoint[0] and stored_hash != checkpoint[1]:
            return Verdict(False, count, entry_id, "hash differs from the checkpoint")
        previous_id, previous_hash = entry_id, stored_hash
    for name, head in (("head", expected_head), ("checkpoint", checkpoint)):
        if head and head[0] > previous_id:
            return Verdict(False, count, previous_id + 1, f"entries up to {head[0]} named by the {name} are missing")
    if expected_head and expected_head[0] < previous_id:
        return Verdict(False, count, expected_head[0] + 1, "entries follow the one the head row names")
    if expected_head and expected_head[0] == previous_id and expected_head[1] != previous_hash:
        return Verdict(False, count, previous_id, "the head row does not match the last entry")
    return Verdict(True, count, None, None, previous_id, previous_hash)


def verify_after(verified: tuple[int, str], anchor: Sequence | None, rows: Iterable[Sequence],
                 expected_head: tuple[int, str] | None = None) -> Verdict:
    """Walk on from the entry an earlier full verification reached, instead of from the first entry.

    `verified` is that entry's id and the hash it had then; `anchor` is its row now (as the rows, None when
    it is gone), and `rows` the entries after it. The anchor must still hash to what it had: then any change
    to it, or any entry after it rewritten, breaks the walk. What this does NOT prove: that the entries before
    the anchor are unchanged since that verification (they are not read); the next full verification tells.
    `entries` counts the rows after the anchor.
    """
    verified_id, verified_hash = verified
    if verified_id:
        if anchor is None:
            return Verdict(False, 0, verified_id, "the entry the last verification reached is missing")
        if hashlib.sha256(canonical_of_values(anchor[:-1])).hexdigest() != anchor[-1]:
            return Verdict(False, 0, verified_id, "content does not match its hash")
        if anchor[-1] != verified_hash:
            return Verdict(False, 0, verified_id, "hash differs from the one the last verification found")
    return verify(rows, verified_hash, expected_head=expected_head, after=verified_id)
