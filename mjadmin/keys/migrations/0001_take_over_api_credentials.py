# Until this migration ApiCredential belonged to the accounts app. This takes over its table
# as it is (rows, constraint and all), then gives it this app's name: nothing is re-encrypted
# and no key is touched.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def relabel_content_type(apps, schema_editor):
    # So permissions granted on the model keep pointing at it.
    content_type = apps.get_model("contenttypes", "ContentType")
    if not content_type.objects.filter(app_label="keys", model="apicredential").exists():
        content_type.objects.filter(app_label="accounts", model="apicredential").update(
            app_label="keys"
        )


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("accounts", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="ApiCredential",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "service",
                            models.CharField(
                                choices=[
                                    ("useapi_token", "useapi.net API token"),
                                    ("apiframe_key", "Apiframe API key"),
                                ],
                                max_length=32,
                            ),
                        ),
                        ("ciphertext", models.TextField()),
                        ("saved_at", models.DateTimeField()),
                        (
                            "user",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="api_credentials",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "db_table": "accounts_apicredential",
                        "constraints": [
                            models.UniqueConstraint(
                                fields=("user", "service"), name="one_credential_per_service"
                            )
                        ],
                    },
                ),
            ]
        ),
        migrations.AlterModelTable(name="apicredential", table=None),
        migrations.RunPython(relabel_content_type, migrations.RunPython.noop),
    ]
