"""Who may open what: every page for an anonymous visitor, the lookup's owner, a teammate, an
admin, and a deactivated teammate whose browser still holds the cookie from before."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.test import Client
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from mjadmin.keys import credentials
from mjadmin.team import invitations
from tasks.models import Lookup, TaskResult
from tests.fakes.fake_midjourney_proxy import ACCOUNT_ENABLED_ID as PROXY_ACCOUNT
from tests.fakes.fake_vendors import CHANNEL_MAIN, DEMO_APIFRAME_KEY, DEMO_USEAPI_TOKEN

OK, LOGIN, FORBIDDEN, ADMIN_LOGIN = "200", "to sign-in", "403", "to admin sign-in"
PERSONAS = ["anonymous", "owner", "teammate", "admin", "deactivated"]
MEMBER_PAGES = {"anonymous": LOGIN, "owner": OK, "teammate": OK, "admin": OK}
ADMIN_PAGES = {"anonymous": LOGIN, "owner": FORBIDDEN, "teammate": FORBIDDEN, "admin": OK}
# path -> what each persona gets; the deactivated teammate always gets what anonymous gets.
MATRIX = {
    "/": {**MEMBER_PAGES, "owner": "302", "teammate": "302", "admin": "302"},
    "/login/": {"anonymous": OK, "owner": "302", "teammate": "302", "admin": "302"},
    "/healthz": dict.fromkeys(PERSONAS[:4], OK),
    "/accounts/": MEMBER_PAGES,
    f"/accounts/{CHANNEL_MAIN}/": MEMBER_PAGES,
    # Acting on accounts: each teammate with their own useapi.net token (accounts/actions.py).
    "/accounts/add/": MEMBER_PAGES,
    f"/accounts/{CHANNEL_MAIN}/reset/": MEMBER_PAGES,
    f"/accounts/{CHANNEL_MAIN}/max-jobs/": MEMBER_PAGES,
    f"/accounts/{CHANNEL_MAIN}/delete/": MEMBER_PAGES,
    # A proxy's accounts: each teammate with their own proxy token (an admin token to list).
    "/accounts/vendor/midjourney_proxy/": MEMBER_PAGES,
    f"/accounts/vendor/midjourney_proxy/{PROXY_ACCOUNT}/disable/": MEMBER_PAGES,
    "/tasks/": MEMBER_PAGES,
    "/tasks/history/": MEMBER_PAGES,
    "/tasks/{lookup}/": MEMBER_PAGES,  # lookups are the team's: any teammate may reopen one
    "/tasks/{lookup}/export.csv": MEMBER_PAGES,
    "/tasks/{lookup}/export.json": MEMBER_PAGES,
    "/tasks/{lookup}/images.txt": MEMBER_PAGES,
    # A v2 key's own jobs and a key's credits: each teammate with their own key (a v1 key is
    # told why there is no list).
    "/tasks/jobs/": MEMBER_PAGES,
    "/tasks/jobs/e57a2c90-3f1b-4d68-9a0e-6b4c8d2f1a75/": MEMBER_PAGES,
    "/tasks/key-account/": MEMBER_PAGES,
    "/settings/": MEMBER_PAGES,
    "/password/": MEMBER_PAGES,
    "/password/done/": MEMBER_PAGES,
    "/profile/": MEMBER_PAGES,
    "/audit/": ADMIN_PAGES,
    "/team/": ADMIN_PAGES,
    "/team/invite/": ADMIN_PAGES,
    "/team/invitations/{invitation}/revoke/": ADMIN_PAGES,
    "/team/members/{member}/make-admin/": ADMIN_PAGES,
    "/team/members/{member}/make-member/": ADMIN_PAGES,
    "/team/members/{member}/deactivate/": ADMIN_PAGES,
    "/team/members/{member}/reactivate/": ADMIN_PAGES,
    "/team/members/{member}/reset-link/": ADMIN_PAGES,
    "/team/locks/": ADMIN_PAGES,
    # One-time links move their token into the session, then ask on a token-free address (and
    # tell a signed-in browser to sign out first: tests/mjadmin/team).
    "/join/{invitation_token}/": dict.fromkeys(PERSONAS[:4], "302"),
    "/join/": dict.fromkeys(PERSONAS[:4], "404"),  # no invitation in this session
    "/reset/{reset_uid}/{reset_token}/": {
        **dict.fromkeys(PERSONAS[1:4], "409"),
        "anonymous": "302",
    },
    "/reset/MQ/not-a-real-token/": {**dict.fromkeys(PERSONAS[1:4], "409"), "anonymous": OK},
    "/admin/": {
        "anonymous": ADMIN_LOGIN,
        "owner": ADMIN_LOGIN,
        "teammate": ADMIN_LOGIN,
        "admin": OK,
    },
    "/setup/not-a-real-token/": dict.fromkeys(PERSONAS[:4], "404"),
}
CASES = [(path, persona) for path in MATRIX for persona in PERSONAS]


@pytest.fixture
def world(db, fake, settings):
    users = get_user_model().objects
    admin = users.create_user("alice", password="x", is_staff=True, is_superuser=True)
    owner = users.create_user("bob", password="x")
    teammate = users.create_user("carol", password="x")
    gone = users.create_user("dave", password="x")
    for user in (admin, owner, teammate, gone):
        credentials.save_secret(user, "useapi", DEMO_USEAPI_TOKEN)
        credentials.save_secret(user, "apiframe", DEMO_APIFRAME_KEY)
    lookup = Lookup.objects.create(owner=owner)
    TaskResult.objects.create(lookup=lookup, position=0, task_id="x", state="finished")
    invitation, invitation_token = invitations.invite("erin", "", by=admin)
    places = {
        "lookup": lookup.id,
        "member": owner.pk,
        "invitation": invitation.pk,
        "invitation_token": invitation_token,
    }
    clients = {"anonymous": Client()}
    for name, user in (
        ("owner", owner),
        ("teammate", teammate),
        ("admin", admin),
        ("deactivated", gone),
    ):
        clients[name] = Client()
        clients[name].force_login(user)
    gone.is_active = False
    gone.save()
    # After the sign-ins above: a reset token is bound to the last sign-in.
    teammate.refresh_from_db()
    places["reset_uid"] = urlsafe_base64_encode(force_bytes(teammate.pk))
    places["reset_token"] = default_token_generator.make_token(teammate)
    return clients, places


def outcome(response) -> str:
    if response.status_code == 302:
        location = response["Location"]
        if location.startswith("/admin/login/"):
            return ADMIN_LOGIN
        if location.startswith("/login/"):
            return LOGIN
    return str(response.status_code)


@pytest.mark.parametrize(("path", "persona"), CASES, ids=[f"{p} {who}" for p, who in CASES])
def test_each_page_answers_each_persona_as_it_should(world, path, persona):
    clients, places = world
    expected = MATRIX[path]["anonymous" if persona == "deactivated" else persona]
    response = clients[persona].get(path.format(**places))
    assert outcome(response) == expected


def test_the_matrix_covers_every_url_the_app_has():
    from django.urls import get_resolver

    def patterns(resolver, prefix=""):
        for entry in resolver.url_patterns:
            if hasattr(entry, "url_patterns"):
                yield from patterns(entry, prefix + str(entry.pattern))
            else:
                yield prefix + str(entry.pattern)

    app_urls = {p for p in patterns(get_resolver()) if not p.startswith("admin/")}
    # The ones a person opens with GET; POST-only ones are in the CSRF test.
    covered_or_post_only = {
        "", "healthz", "favicon.ico", "login/", "logout/", "password/", "password/done/",
        "setup/<str:token>/", "team/locks/", "settings/", "audit/", "accounts/",
        "profile/", "team/", "team/invite/", "team/invitations/<int:pk>/revoke/",
        "team/members/<int:pk>/<slug:action>/", "join/<str:token>/", "join/",
        "reset/<uidb64>/<token>/",
        "^accounts/(?P<channel>[A-Za-z0-9_-]{1,64})/$", "accounts/add/",
        "^accounts/(?P<channel>[A-Za-z0-9_-]{1,64})/reset/$",
        "^accounts/(?P<channel>[A-Za-z0-9_-]{1,64})/max-jobs/$",
        "^accounts/(?P<channel>[A-Za-z0-9_-]{1,64})/delete/$", "tasks/", "tasks/<uuid:lookup_id>/",
        "tasks/<uuid:lookup_id>/export.csv", "tasks/<uuid:lookup_id>/export.json",
        "tasks/history/", "tasks/<uuid:lookup_id>/name/", "tasks/<uuid:lookup_id>/images.txt",
        "tasks/jobs/", "tasks/jobs/<uuid:job_id>/", "tasks/jobs/look-up/", "tasks/key-account/",
        "accounts/vendor/<slug:vendor>/",
        "^accounts/vendor/(?P<vendor>[a-z_]{1,32})/(?P<account_id>[A-Za-z0-9-]{1,64})/"
        "(?P<action>enable|disable|sync)/$",
    }  # fmt: skip
    assert app_urls <= covered_or_post_only | {"admin/"}, app_urls - covered_or_post_only
