from django.apps import AppConfig


class BenchConfig(AppConfig):
    """Benchmark and topology tooling: `manage.py bench`, `bench_seed`, `bench_advice`, `serve_prod`, and the
    views `make bench` measures against. Kept apart from the site core; the only code that may import every app,
    and no app imports it."""

    name = "bench"
    verbose_name = "Benchmarks and the local production shape"

    def ready(self):
        from bench import views  # noqa: F401 - registers the deploy check that warns when the bench views are on
