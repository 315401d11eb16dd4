"""Seed the Team and Type taxonomies with the lists every English SEND service uses."""

from django.db import migrations

TEAMS = [
    ("SLT", "Speech and Language Therapy"),
    ("OT", "Occupational Therapy"),
    ("Physio", "Physiotherapy"),
    ("CDT", "Community Paediatrics"),
    ("EP", "Educational Psychology"),
    ("CAMHS", "Child and Adolescent Mental Health Service"),
    ("CTPLD", "Community Team for People with Learning Disabilities"),
    ("Nursing", "Nursing"),
    ("HI", "Hearing Impairment"),
    ("VI", "Visual Impairment"),
    ("Social Care", "Social Care"),
    ("Schools", "Schools"),
]
TYPES = [
    ("C&L", "Cognition and Learning"),
    ("Comms", "Communication"),
    ("SEMH", "Social, Emotional and Mental Health"),
    ("PSI", "Physical, Sensory and Independence"),
    ("Health", "Health"),
    ("PfA", "Preparing for Adulthood"),
]


def seed(apps, schema_editor):
    for model_name, terms in (("Team", TEAMS), ("NeedType", TYPES)):
        model = apps.get_model("advice_forms", model_name)
        for order, (code, name) in enumerate(terms, start=1):
            model.objects.get_or_create(code=code, defaults={"name": name, "sort_order": order * 10})


def unseed(apps, schema_editor):
    for model_name, terms in (("Team", TEAMS), ("NeedType", TYPES)):
        apps.get_model("advice_forms", model_name).objects.filter(code__in=[code for code, _ in terms]).delete()


class Migration(migrations.Migration):
    dependencies = [("advice_forms", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
