"""Quotas and abuse (issue 17, point 7): uploads per account and hour, counted in Redis through Flask-Limiter for
the page and the API together; a body above the limit refused with 413 before it is read."""
import io

import pytest
import sqlalchemy as sa

from app.attachments.models import Attachment
from app.extensions import db
from tests.attachments.test_api import multipart, token_for
from tests.attachments.web import files_kept_apart, upload  # noqa: F401


@pytest.fixture
def two_per_hour(app):
    kept = app.config["ATTACHMENT_UPLOADS_PER_HOUR"]
    app.config["ATTACHMENT_UPLOADS_PER_HOUR"] = "2 per hour"
    yield
    app.config["ATTACHMENT_UPLOADS_PER_HOUR"] = kept


def english(client):
    client.post("/language", data={"locale": "en"})


def test_beyond_the_hourly_uploads_of_an_account_the_page_answers_429_saying_when(client, sign_in, worker, case,
                                                                                 two_per_hour):
    sign_in(worker)
    english(client)
    for _ in range(2):
        assert client.post(f"/cases/{case.reference}/attachments", data=upload()).status_code == 302
    response = client.post(f"/cases/{case.reference}/attachments", data=upload())
    assert response.status_code == 429 and int(response.headers["Retry-After"]) > 0
    assert "You have added as many files as one account may in an hour." in response.text
    assert db.session.scalar(sa.select(sa.func.count(Attachment.id))) == 2


def test_the_page_and_the_api_count_against_one_hourly_limit(client, sign_in, worker, case, two_per_hour):
    auth = token_for(client, worker)
    sign_in(worker)
    assert client.post(f"/cases/{case.reference}/attachments", data=upload()).status_code == 302
    assert client.post(f"/api/v1/cases/{case.reference}/attachments", data=multipart(),
                       headers=auth).status_code == 201
    response = client.post(f"/api/v1/cases/{case.reference}/attachments", data=multipart(),
                           headers={**auth, "Accept-Language": "vi"})
    assert response.status_code == 429 and response.json["error"]["code"] == "too_many_requests"
    assert "tài khoản" in response.json["error"]["message"]


def test_another_account_is_not_held_back_by_ones_uploads(client, sign_in, worker, case, make_user, two_per_hour):
    auth = token_for(client, worker)
    for _ in range(2):
        client.post(f"/api/v1/cases/{case.reference}/attachments", data=multipart(), headers=auth)
    leader = token_for(client, make_user("commune_leader"))
    assert client.post(f"/api/v1/cases/{case.reference}/attachments", data=multipart(),
                       headers=leader).status_code == 201


class Unread(io.RawIOBase):
    """A body that says how much of it was read: a 500 MB upload that is never sent whole."""

    def __init__(self):
        self.read_bytes = 0

    def readable(self):
        return True

    def readinto(self, buffer):
        size = min(len(buffer), 64 * 1024)
        buffer[:size] = b"\0" * size
        self.read_bytes += size
        return size


FIVE_HUNDRED_MB = 500 * 1024 * 1024


def _huge_post(client, path, headers=None, length=FIVE_HUNDRED_MB):
    """A multipart POST whose Content-Length says `length` (none: a chunked body of unknown length)."""
    body = Unread()
    environ = {"wsgi.input": body, "CONTENT_LENGTH": str(length)} if length else \
        {"wsgi.input": body, "wsgi.input_terminated": True, "CONTENT_LENGTH": "", "HTTP_TRANSFER_ENCODING": "chunked"}
    response = client.post(path, headers={"Content-Type": "multipart/form-data; boundary=x", **(headers or {})},
                           environ_overrides=environ)
    return response, body


def test_a_500_mb_upload_on_the_page_is_refused_with_413_before_it_is_read(client, sign_in, worker, case):
    sign_in(worker)
    english(client)
    response, body = _huge_post(client, f"/cases/{case.reference}/attachments")
    assert response.status_code == 413 and "files of at most 20 MB can be attached" in response.text
    assert body.read_bytes == 0


def test_a_500_mb_upload_over_the_api_is_refused_with_413_in_the_apis_format(client, worker, case):
    auth = token_for(client, worker)
    response, body = _huge_post(client, f"/api/v1/cases/{case.reference}/attachments",
                                {**auth, "Accept-Language": "en"})
    assert response.status_code == 413 and response.json["error"]["code"] == "too_large"
    assert "files of at most 20 MB can be attached" in response.json["error"]["message"]
    assert body.read_bytes == 0


def test_a_body_without_a_length_is_read_no_further_than_the_limit(client, worker, case, app):
    response, body = _huge_post(client, f"/api/v1/cases/{case.reference}/attachments", token_for(client, worker),
                                length=None)
    assert response.status_code == 413
    assert body.read_bytes <= app.config["ATTACHMENT_BODY_LIMIT"] + 128 * 1024


def test_a_file_just_over_the_limit_within_the_body_limit_is_refused_and_not_kept(client, worker, case, app):
    kept = app.config["ATTACHMENT_MAX_BYTES"]
    app.config["ATTACHMENT_MAX_BYTES"] = 100_000
    try:
        response = client.post(f"/api/v1/cases/{case.reference}/attachments", headers=token_for(client, worker),
                               data=multipart(b"\xff\xd8\xff" + b"\0" * 200_000))
    finally:
        app.config["ATTACHMENT_MAX_BYTES"] = kept
    assert response.status_code == 413
    assert db.session.scalar(sa.select(sa.func.count(Attachment.id))) == 0


def test_other_pages_keep_the_smaller_limit(client, sign_in, worker, case):
    sign_in(worker)
    response = client.post(f"/cases/{case.reference}/escalate", data={"reason": "x" * (17 * 1024 * 1024)})
    assert response.status_code == 413
