from django.core.management.base import BaseCommand, CommandError

from bench import topology


class Command(BaseCommand):
    help = (
        "Run the production shape on loopback: collectstatic, migrate, two gunicorn app servers and two "
        "django-q2 workers against a local PostgreSQL and Redis, with production settings. Ctrl-C stops all."
    )

    def add_arguments(self, parser):
        parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/portal_prod")
        parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/1")
        parser.add_argument("--ports", default="8001,8002", help="Comma-separated loopback ports, one per app server.")
        parser.add_argument("--workers", type=int, default=2, help="How many qcluster workers.")

    def handle(self, *args, database_url, redis_url, ports, workers, **options):
        topology.serve(
            database_url=database_url,
            redis_url=redis_url,
            ports=_ports(ports),
            workers=workers,
        )


def _ports(ports: str) -> list[int]:
    """ "8001,8002" as numbers; anything else is one line saying what to give (`make serve-prod PORT=abc`)."""
    try:
        numbers = [int(port) for port in ports.split(",")]
    except ValueError:
        numbers = []
    if not numbers or not all(1 <= number <= 65535 for number in numbers):
        raise CommandError(
            f"--ports takes port numbers (1 to 65535) separated by commas, e.g. 8001,8002; not {ports!r}"
        )
    return numbers
