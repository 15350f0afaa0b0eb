def test_sign_in_page_answers(client):
    assert client.get("/auth/sign-in").status_code == 200
