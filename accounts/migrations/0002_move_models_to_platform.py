# ApiCredential moved to the keys app and SetupToken to the team app. Only Django's idea of
# which app owns them changes here; their tables (and every stored row) are kept and taken over
# by keys.0001 and team.0001.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("keys", "0001_take_over_api_credentials"),
        ("team", "0001_take_over_setup_tokens"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="ApiCredential"),
                migrations.DeleteModel(name="SetupToken"),
            ]
        ),
    ]
