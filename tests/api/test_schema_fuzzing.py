"""Schemathesis against the API, driven by its own openapi.json: no answer is a server error, and none contradicts
the document (statuses, headers, bodies, what it says is refused or required). A fixed seed and a bounded number of
examples per operation keep the run short and the same from run to run; `make test` runs it on SQLite and on
PostgreSQL, which enforces column lengths."""
from dataclasses import dataclass, field

import hypothesis
import pytest
import schemathesis
from hypothesis import strategies as st

from app.api.openapi import DOCUMENT
from app.audit.models import MAX_ENTRY_ID
from app.extensions import db
from app.input_guard import MAX_ID
from tests.factories import PASSWORD, attach_file, make_case, make_referral

# Examples per operation for the fuzzing phase; the explicit examples and the boundary values of the coverage
# phase come on top.
EXAMPLES = 25


@dataclass
class Api:
    """The app as each request reaches it, the tokens of a worker and an inspector, and the ids of records that
    exist, which generated path parameters name half the time."""

    app: object = None
    tokens: dict = field(default_factory=dict)
    known: dict = field(default_factory=dict)


CURRENT = Api()


def application(environ, start_response):
    return CURRENT.app(environ, start_response)


schema = schemathesis.openapi.from_dict(DOCUMENT)
schema.app = application


# A schema-valid request may still be refused by a rule no schema can state (a unit that does not exist, a date
# before the case): 412, 422 and 428 are answers too, and 429 once the fuzzer has tried more sign-ins from one
# address than the limits allow (README, Sign-in limits). What it must never get is 400 or a server error.
schema.config.checks.positive_data_acceptance.expected_statuses = ["2xx", "401", "403", "404", "409", "412",
                                                                    "422", "428", "429"]
# A stale version refuses a request whatever else is wrong with it.
schema.config.checks.negative_data_rejection.expected_statuses = [
    *schema.config.checks.negative_data_rejection.expected_statuses, "412"]
# The document's 400 says that text holding a NUL character is refused: no database stores one. Parameters the
# document does not name are ignored, as OpenAPI lets a server do.
schema.config.generation.update(allow_x00=False, allow_extra_parameters=False)


def _well_formed(key: str, value) -> bool:
    """Not a value generated to be refused (then it stays as generated): references are text, the rest ids."""
    if key == "reference":
        return isinstance(value, str)
    largest = MAX_ENTRY_ID if key == "entry_id" else MAX_ID
    return isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= largest


@schema.hook
def flatmap_path_parameters(context, path_parameters):
    area = context.operation.path.split("/")[1]
    named = {key: CURRENT.known[key, area] for key, value in (path_parameters or {}).items()
             if (key, area) in CURRENT.known and _well_formed(key, value)}
    if not named:
        return st.just(path_parameters)
    return st.sampled_from([path_parameters, {**path_parameters, **named}])


@pytest.fixture
def api(app, make_user, tmp_path, monkeypatch):
    from app.escalations.services import raise_by_hand

    monkeypatch.setitem(app.config, "ATTACHMENT_DIR", str(tmp_path / "attachments"))
    worker = make_user("worker")
    make_user("commune_leader")
    case = make_case(worker)
    referral = make_referral(case, worker, send=False)
    escalation = raise_by_hand(case, worker, "Gia đình đe doạ cán bộ.")
    attachment = attach_file(case, worker)
    CURRENT.known = {("reference", "cases"): case.reference, ("number", "referrals"): referral.id,
                     ("number", "escalations"): escalation.id, ("number", "attachments"): attachment.id,
                     ("entry_id", "audit"): 1}
    client = app.test_client()
    CURRENT.tokens = {role: client.post("/api/v1/tokens", json={"username": user.username, "password": PASSWORD}
                                        ).json["token"]
                      for role, user in (("worker", worker), ("inspector", make_user("inspector")))}
    db.session.remove()

    def each_request_in_its_own_context(environ, start_response):
        with app.app_context():
            return app.wsgi_app(environ, start_response)

    CURRENT.app = each_request_in_its_own_context
    return CURRENT


@schema.parametrize()
@hypothesis.settings(max_examples=EXAMPLES, derandomize=True, deadline=None, database=None,
                     suppress_health_check=list(hypothesis.HealthCheck))
def test_the_api_answers_as_its_document_says(case, api):
    role = "inspector" if case.operation.path.startswith("/audit") else "worker"
    case.call_and_validate(headers={"Authorization": f"Bearer {api.tokens[role]}"})
