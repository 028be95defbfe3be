from io import StringIO

from cryptography.fernet import Fernet
from django.core.management import call_command
from django.test import override_settings

from mjadmin.keys import credentials
from mjadmin.keys.models import ApiCredential

OLD_KEY = Fernet.generate_key().decode()
NEW_KEY = Fernet.generate_key().decode()


def test_rotation_keeps_every_value_readable_under_the_new_key_alone(alice, bob):
    with override_settings(FIELD_ENCRYPTION_KEYS=[OLD_KEY]):
        credentials.save_secret(alice, "useapi", "user:1-AliceUseapiToken")
        credentials.save_secret(alice, "apiframe", "alice-apiframe-key-0001")
        credentials.save_secret(bob, "apiframe", "bob-apiframe-key-0002")
        before = list(ApiCredential.objects.values_list("ciphertext", flat=True))

    with override_settings(FIELD_ENCRYPTION_KEYS=[NEW_KEY, OLD_KEY]):
        out = StringIO()
        call_command("rotate_encryption_keys", stdout=out)
        assert "Re-encrypted 3 secret(s)" in out.getvalue()

    after = list(ApiCredential.objects.values_list("ciphertext", flat=True))
    assert set(before).isdisjoint(after)

    with override_settings(FIELD_ENCRYPTION_KEYS=[NEW_KEY]):
        assert credentials.get_secret(alice, "useapi") == "user:1-AliceUseapiToken"
        assert credentials.get_secret(alice, "apiframe") == "alice-apiframe-key-0001"
        assert credentials.get_secret(bob, "apiframe") == "bob-apiframe-key-0002"


def test_rotation_reports_and_keeps_a_value_no_key_decrypts(alice, bob):
    with override_settings(FIELD_ENCRYPTION_KEYS=[OLD_KEY]):
        credentials.save_secret(alice, "useapi", "user:1-AliceUseapiToken")
    with override_settings(FIELD_ENCRYPTION_KEYS=[NEW_KEY]):
        credentials.save_secret(bob, "useapi", "user:2-BobUseapiToken0")
        out, err = StringIO(), StringIO()
        call_command("rotate_encryption_keys", stdout=out, stderr=err)
        assert "Re-encrypted 1 secret(s)" in out.getvalue()
        assert "1 secret(s) could not be decrypted" in out.getvalue()
        assert "AliceUseapiToken" not in out.getvalue() + err.getvalue()
        assert credentials.get_secret(bob, "useapi") == "user:2-BobUseapiToken0"
