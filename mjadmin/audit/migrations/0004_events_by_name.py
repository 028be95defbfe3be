from django.db import migrations, models


class Migration(migrations.Migration):
    """An event is a plain name (the platform's, or one a vendor registers): no choices, so a new
    vendor's events need no migration. Names stay as stored."""

    dependencies = [("audit", "0003_midjourney_account_events")]

    operations = [
        migrations.AlterField(
            model_name="auditevent",
            name="action",
            field=models.CharField(db_index=True, max_length=40),
        ),
    ]
