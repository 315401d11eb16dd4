"""The open-loop driver of `make bench` (bench/open_loop.py): saves leave on schedule and latency counts from it.

Not a benchmark: a local server that answers one request at a time, slowly, shows what the driver measures.
"""

import asyncio
import socket
import threading

from bench import open_loop
from bench.management.commands import bench_seed

SERVER_SECONDS = 0.2
ANSWER = b'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n{"saved": true}'


def _slow_serial_server():
    """A server on 127.0.0.1 that answers one connection at a time, each after SERVER_SECONDS."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)
    stop = threading.Event()

    def serve():
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                connection, _ = listener.accept()
            except TimeoutError:
                continue
            with connection:
                connection.recv(65536)
                stop.wait(SERVER_SECONDS)
                connection.sendall(ANSWER)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()

    def close():
        stop.set()
        thread.join(timeout=5)
        listener.close()

    return listener.getsockname()[1], close


def test_latency_runs_from_the_scheduled_time_so_a_slow_server_cannot_hide_its_queue():
    port, close = _slow_serial_server()
    level = open_loop.Level(rate=20, scheduled=10, first_index=0)
    saves = [(port, b"POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\n\r\n")] * 10
    # A thread of its own: a browser test earlier in the run may leave an event loop set on this one.
    driver = threading.Thread(target=lambda: asyncio.run(open_loop._run_level(level, saves)))
    try:
        driver.start()
        driver.join(timeout=30)
    finally:
        close()

    assert level.errors == []
    assert len(level.latencies) == 10
    # Ten saves scheduled over half a second to a server that takes 0.2 s each, one at a time: the last, due at
    # 0.45 s, is answered after 2 s. A client that waited for each answer before sending the next would record
    # 0.2 s for every one.
    assert max(level.latencies) >= 7 * SERVER_SECONDS * 1000
    assert min(level.latencies) >= SERVER_SECONDS * 1000


def test_every_save_of_a_ramp_fills_a_step_of_its_own():
    rates, seconds = [25, 50, 75, 100], 10
    people = open_loop.people_needed(rates, seconds)
    total = sum(rate * seconds for rate in rates)

    slots = {bench_seed.open_slot(index, people) for index in range(total)}

    assert len(slots) == total
    assert all(0 <= section < bench_seed.STEPS for _, section in slots)


def test_the_highest_rate_is_the_last_of_the_unbroken_run_of_passing_levels():
    def level(rate, *, p95_ms=50.0, lost=0, errors=()):
        result = open_loop.Level(rate=rate, scheduled=10, first_index=0, latencies=[p95_ms] * 10)
        result.errors, result.saved = list(errors), 10 - lost
        return result

    assert open_loop.highest_rate([level(25), level(50), level(75, p95_ms=400.0), level(100)]) == 50
    assert open_loop.highest_rate([level(25), level(50, lost=1)]) == 25
    assert open_loop.highest_rate([level(25, errors=["502"])]) == 0
