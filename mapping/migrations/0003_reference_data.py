from django.db import migrations


def load(apps, schema_editor):
    from mapping.reference import SKILLS, SUPPORT_NEEDS

    SupportNeed = apps.get_model("mapping", "SupportNeed")
    Skill = apps.get_model("mapping", "Skill")
    for code, name in SUPPORT_NEEDS:
        SupportNeed.objects.get_or_create(code=code, defaults={"name": name})
    for name in SKILLS:
        Skill.objects.get_or_create(name=name)


class Migration(migrations.Migration):
    dependencies = [("mapping", "0002_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
