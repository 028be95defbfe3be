"""Steps the team tests share: an admin inviting someone, and that someone joining."""

from urllib.parse import urlsplit

from django.test import Client

from tests.html import one

NEW_PASSWORD = "a-fresh-Passphrase-731"


def invite(admin_client: Client, username: str, email: str = "") -> str:
    """The path of the invitation link the page shows the admin."""
    response = admin_client.post("/team/invite/", {"username": username, "email": email})
    assert response.status_code == 200
    return urlsplit(str(one(response, "#one-time-link")["value"])).path


def join(link: str, password: str = NEW_PASSWORD) -> tuple[Client, object]:
    client = Client()
    response = client.post(link, {"password1": password, "password2": password})
    return client, response


def can_sign_in(username: str, password: str) -> bool:
    client = Client()
    client.post("/login/", {"username": username, "password": password})
    return "_auth_user_id" in client.session


class BrokenMailBackend:
    """A mail backend that fails as a misconfigured one does: with anything at all."""

    def __init__(self, *args, **kwargs) -> None:
        pass

    def send_messages(self, messages) -> int:
        raise RuntimeError("the mail server said something unexpected")
