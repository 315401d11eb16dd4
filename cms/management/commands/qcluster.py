"""``manage.py qcluster``: django-q2's worker, stopped cleanly by INT, TERM or HUP at any moment (cms.django_q_compat).

It overrides upstream's command of the same name (cms comes before django_q in INSTALLED_APPS) and keeps its options.
"""

import os

from django_q.management.commands import qcluster

from cms.django_q_compat import cluster_run


class Command(qcluster.Command):
    help = "Runs the django-q2 worker until INT (Ctrl-C), TERM or HUP, then stops it and every process it started."

    def handle(self, *args, run_once=False, cluster_name=None, **options):
        if cluster_name:
            os.environ["Q_CLUSTER_NAME"] = cluster_name
        cluster_run(run_once=run_once)
