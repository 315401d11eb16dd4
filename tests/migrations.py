"""The migration tests' one way to move the test database to a migration and read its models there."""

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor


def migrate(targets):
    """Migrate the test database to ``targets`` (pairs of app label and migration name) and return the models as they
    are there (the project state's apps). Content types are read afresh: migrating back and forth may remake them."""
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    ContentType.objects.clear_cache()
    return executor.loader.project_state(targets).apps


def leaf_nodes():
    """Every app's latest migration: where a test leaves the database."""
    return MigrationExecutor(connection).loader.graph.leaf_nodes()
