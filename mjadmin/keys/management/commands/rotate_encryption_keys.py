from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction

from mjadmin.audit.log import record
from mjadmin.audit.models import Action
from mjadmin.encryption import UndecryptableSecret, reencrypt
from mjadmin.keys.models import ApiCredential


class Command(BaseCommand):
    help = (
        "Re-encrypt every stored secret with the newest key in FIELD_ENCRYPTION_KEYS, "
        "so older keys can then be removed from it."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        rotated = unreadable = 0
        with transaction.atomic():
            for credential in ApiCredential.objects.select_for_update().order_by("pk"):
                try:
                    credential.ciphertext = reencrypt(credential.ciphertext)
                except UndecryptableSecret:
                    # Left as is: its owner is told on the settings page to enter it again.
                    unreadable += 1
                    self.stderr.write(f"Cannot decrypt {credential}; left unchanged.")
                    continue
                credential.save(update_fields=["ciphertext"])
                rotated += 1
        record(
            Action.KEYS_ROTATED,
            detail=f"{rotated} secret(s) re-encrypted, {unreadable} unreadable",
        )
        self.stdout.write(f"Re-encrypted {rotated} secret(s) with the newest key.")
        if unreadable:
            self.stdout.write(
                f"{unreadable} secret(s) could not be decrypted with any configured key; "
                "their owners must re-enter them."
            )
