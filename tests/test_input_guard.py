"""The input guard: what arrives with a request is refused, or cut to its column, before any view sees it."""
from tests.factories import last_audit_entry


def test_a_client_address_longer_than_the_trail_s_column_is_recorded_cut_and_marked(client, make_user):
    """A proxy that passes on a forged X-Forwarded-For could hand over any text as the client's address."""
    user = make_user("worker")
    address = "2001:db8::1, " * 10
    response = client.post("/auth/sign-in", data={"username": user.username, "password": "wrong password"},
                           environ_base={"REMOTE_ADDR": address})
    assert response.status_code == 200
    entry = last_audit_entry(action="sign_in_failed")
    assert entry.ip == address[:63] + "…"
