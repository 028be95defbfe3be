from django.db import migrations, models

# PostgreSQL estimates how many lookups hold a word from a sample of the prompt words; with its
# default sample a word that three lookups hold looks like one that hundreds hold, and the history's
# search then tests every lookup, newest first, instead of reading those three (README:
# Performance). Ten times the default sample gets rare words right.
WORD_STATISTICS = 1000


def _set_word_statistics(target: int):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        table = schema_editor.quote_name(apps.get_model("tasks", "PromptWord")._meta.db_table)
        schema_editor.execute(f"ALTER TABLE {table} ALTER COLUMN word SET STATISTICS {target}")
        schema_editor.execute(f"ANALYZE {table}")

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("tasks", "0004_viewer_choice"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="lookup",
            index=models.Index(
                condition=models.Q(("name", ""), _negated=True),
                fields=["name", "id"],
                name="lookup_named",
            ),
        ),
        migrations.RunPython(_set_word_statistics(WORD_STATISTICS), _set_word_statistics(-1)),
    ]
