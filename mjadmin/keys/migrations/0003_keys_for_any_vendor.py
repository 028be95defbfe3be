"""Stored keys become "a key for vendor X": the service names the vendor's registry slug (no
choices, so a new vendor needs no migration), and an Apiframe key serves its owner's lookups as
it did. Every saved key keeps working."""

from django.db import migrations, models

RENAMES = {"useapi_token": "useapi", "apiframe_key": "apiframe"}


def forwards(apps, schema_editor):
    credential = apps.get_model("keys", "ApiCredential")
    for old, new in RENAMES.items():
        credential.objects.filter(service=old).update(service=new)
    credential.objects.filter(service="apiframe").update(for_lookups=True)
    # Only Apiframe has more than one API; the others' rows carried the old default.
    credential.objects.exclude(service="apiframe").update(api="")


def backwards(apps, schema_editor):
    credential = apps.get_model("keys", "ApiCredential")
    # Keys of vendors the old code does not know cannot go back with it.
    credential.objects.exclude(service__in=list(RENAMES.values())).delete()
    credential.objects.filter(api="").update(api="v1")
    for old, new in RENAMES.items():
        credential.objects.filter(service=new).update(service=old)


class Migration(migrations.Migration):
    dependencies = [("keys", "0002_apiframe_api")]

    operations = [
        migrations.AlterField(
            model_name="apicredential", name="service", field=models.CharField(max_length=32)
        ),
        migrations.AlterField(
            model_name="apicredential",
            name="api",
            field=models.CharField(blank=True, default="", max_length=16),
        ),
        migrations.AddField(
            model_name="apicredential",
            name="for_lookups",
            field=models.BooleanField(default=False),
        ),
        migrations.RunPython(forwards, backwards),
    ]
