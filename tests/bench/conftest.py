from tests.bench.test_scale_out import SKIP_REASON, _on_postgres_and_redis


def pytest_terminal_summary(terminalreporter):
    if not _on_postgres_and_redis:
        terminalreporter.write_line(SKIP_REASON)
