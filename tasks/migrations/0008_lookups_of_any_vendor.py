"""A lookup names the vendor API it was made with ("apiframe-v1"), not only Apiframe's v1 or v2,
so a lookup of any vendor keeps its vendor; its stored answers are read by that vendor."""

from django.db import migrations, models

RENAMES = {"v1": "apiframe-v1", "v2": "apiframe-v2"}


def forwards(apps, schema_editor):
    lookup = apps.get_model("tasks", "Lookup")
    for old, new in RENAMES.items():
        lookup.objects.filter(api=old).update(api=new)


def backwards(apps, schema_editor):
    lookup = apps.get_model("tasks", "Lookup")
    # Lookups of vendors the old code does not know cannot go back with it.
    lookup.objects.exclude(api__in=list(RENAMES.values())).delete()
    for old, new in RENAMES.items():
        lookup.objects.filter(api=new).update(api=old)


class Migration(migrations.Migration):
    dependencies = [("tasks", "0007_lookup_remembers_its_api")]

    operations = [
        migrations.AlterField(
            model_name="lookup",
            name="api",
            field=models.CharField(default="apiframe-v1", max_length=32),
        ),
        migrations.RunPython(forwards, backwards),
    ]
