from django.db import migrations


def load(apps, schema_editor):
    from services.reference import CATEGORIES

    ServiceCategory = apps.get_model("services", "ServiceCategory")
    for slug, name, tier in CATEGORIES:
        ServiceCategory.objects.get_or_create(
            slug=slug, defaults={"name": name, "default_risk_tier": tier}
        )


class Migration(migrations.Migration):
    dependencies = [("services", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
