# Until this migration SetupToken belonged to the accounts app. This takes over its table as
# it is, then gives it this app's name, so a first-run link printed before the upgrade still works.

from django.db import migrations, models


def relabel_content_type(apps, schema_editor):
    content_type = apps.get_model("contenttypes", "ContentType")
    if not content_type.objects.filter(app_label="team", model="setuptoken").exists():
        content_type.objects.filter(app_label="accounts", model="setuptoken").update(
            app_label="team"
        )


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("accounts", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="SetupToken",
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
                        ("digest", models.CharField(max_length=64, unique=True)),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                    ],
                    options={"db_table": "accounts_setuptoken"},
                ),
            ]
        ),
        migrations.AlterModelTable(name="setuptoken", table=None),
        migrations.RunPython(relabel_content_type, migrations.RunPython.noop),
    ]
