"""An open-loop load of autosaves: saves leave on a fixed schedule, whatever the server is doing.

A closed loop (a client that sends its next request when the last one answers) slows down with the server and
hides the waiting it causes. Here every save has a scheduled send time, set before the run, at a fixed rate;
saves are sent at that time on connections of their own without waiting for earlier answers, and a save's
latency runs from its scheduled time to the end of its answer, so a driver that falls behind adds to the
latency instead of hiding it (no coordinated omission).

The rate goes up in levels (``rates``, each for ``seconds``), and the ramp stops after the first level with a
p95 of 300 ms or more or an error; then the database is asked which saves it holds. A level passes with a p95
under 300 ms, no error and every one of its saves in the database. Each save POSTs one step
of the bench form to the wizard's autosave URL, as autosave.js does: save ``i`` of a run belongs to person
``i % people`` and fills their section ``i // people``, so no save overwrites another and each can be found
in the database afterwards (``bench_seed verify-open``).

Plain asyncio streams, HTTP/1.1 with ``Connection: close`` (gunicorn's sync workers close every connection),
on 127.0.0.1 only.
"""

import asyncio
import os
import re
import time
from dataclasses import dataclass, field
from urllib.parse import urlencode

from bench import topology as topology_module
from bench.management.commands import bench_seed

P95_TARGET_MS = 300.0
TIMEOUT_SECONDS = 10.0
DRAIN_SECONDS = 3.0
WARM_UP_SAVES = 24
_CPU_RE = re.compile(rb"cpu;dur=([0-9.]+)")
_APP_RE = re.compile(rb"app;dur=([0-9.]+)")


@dataclass
class Level:
    rate: int
    scheduled: int
    first_index: int
    latencies: list = field(default_factory=list)
    cpu: list = field(default_factory=list)
    app: list = field(default_factory=list)
    errors: list = field(default_factory=list)
    behind_ms: float = 0.0
    load: float = 0.0
    saved: int | None = None

    @property
    def lost(self):
        return None if self.saved is None else self.scheduled - self.saved

    def percentile(self, fraction, values=None):
        values = sorted(self.latencies if values is None else values)
        if not values:
            return float("nan")
        return values[min(len(values) - 1, int(round(fraction * (len(values) - 1))))]

    @property
    def answered_in_time(self):
        return not self.errors and self.percentile(0.95) < P95_TARGET_MS

    @property
    def passed(self):
        return self.answered_in_time and self.lost == 0


def _raw_post(port, path, cookies, body):
    head = (
        f"POST {path} HTTP/1.1\r\nHost: {topology_module.HOST}:{port}\r\n"
        f"Origin: http://{topology_module.HOST}:{port}\r\nAccept: application/json\r\n"
        f"Cookie: {cookies}\r\nContent-Type: application/x-www-form-urlencoded\r\n"
        f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n"
    )
    return head.encode() + body


def build_saves(seeded, run, first_index, count, ports):
    """The raw HTTP of saves ``first_index`` … ``first_index + count - 1``, made before their level starts."""
    people = seeded["people"]
    csrf = seeded["csrf"]
    saves = []
    for index in range(first_index, first_index + count):
        person, section = bench_seed.open_slot(index, len(people))
        who = people[person]
        form = {**bench_seed.step_post(section, bench_seed.open_save_tag(run, index)), "csrfmiddlewaretoken": csrf}
        path = f"/portal/requests/{who['request']}/steps/{bench_seed.section_key(section)}/autosave/"
        cookies = f"{seeded['cookie']}={who['session']}; {seeded['csrf_cookie']}={csrf}"
        port = ports[index % len(ports)]
        saves.append((port, _raw_post(port, path, cookies, urlencode(form).encode())))
    return saves


async def _send(port, payload):
    reader, writer = await asyncio.open_connection(topology_module.HOST, port)
    try:
        writer.write(payload)
        await writer.drain()
        return await reader.read()
    finally:
        writer.close()


async def _one(level, port, payload, scheduled_at):
    loop = asyncio.get_running_loop()
    try:
        answer = await asyncio.wait_for(_send(port, payload), TIMEOUT_SECONDS)
    except (OSError, TimeoutError) as error:
        level.errors.append(f"{type(error).__name__} {error}".strip())
        level.latencies.append((loop.time() - scheduled_at) * 1000)
        return
    level.latencies.append((loop.time() - scheduled_at) * 1000)
    head, _, body = answer.partition(b"\r\n\r\n")
    status = head.split(b" ", 2)[1] if head.startswith(b"HTTP/") else b"?"
    if status != b"200" or b'"saved": true' not in body:
        level.errors.append(f"{status.decode()} {body[:80]!r}")
    if match := _CPU_RE.search(head):
        level.cpu.append(float(match.group(1)))
    if match := _APP_RE.search(head):
        level.app.append(float(match.group(1)))


async def _run_level(level, saves):
    loop = asyncio.get_running_loop()
    start = loop.time() + 0.05
    tasks = []
    for n, (port, payload) in enumerate(saves):
        scheduled_at = start + n / level.rate
        delay = scheduled_at - loop.time()
        if delay > 0:
            await asyncio.sleep(delay)
        else:
            level.behind_ms = max(level.behind_ms, -delay * 1000)
        tasks.append(asyncio.create_task(_one(level, port, payload, scheduled_at)))
    await asyncio.gather(*tasks)


async def _warm_up(saves):
    for port, payload in saves:
        await asyncio.wait_for(_send(port, payload), TIMEOUT_SECONDS)


def run(seeded, run_tag, *, rates, seconds, ports, verify, say=print):
    """Each rate in turn for ``seconds``, until a level answers late or with errors; then ``verify(levels)``
    fills every level's ``saved`` from the database."""
    levels, index = [], 0
    # Warm every worker (imports, the form's parse) with saves that the measured ones then overwrite.
    asyncio.run(_warm_up(build_saves(seeded, f"{run_tag}-warm", 0, WARM_UP_SAVES, ports)))
    for rate in rates:
        level = Level(rate=rate, scheduled=round(rate * seconds), first_index=index)
        saves = build_saves(seeded, run_tag, index, level.scheduled, ports)
        say(f"  {rate} saves/s for {seconds:.0f} s ({level.scheduled} saves)...")
        asyncio.run(_run_level(level, saves))
        level.load = os.getloadavg()[0]
        index += level.scheduled
        levels.append(level)
        say(
            f"    p50 {level.percentile(0.5):.0f} ms, p95 {level.percentile(0.95):.0f} ms, {len(level.errors)} errors; "
            f"in Django p50 {level.percentile(0.5, level.app):.0f} ms, CPU p50 {level.percentile(0.5, level.cpu):.1f} "
            f"ms; the driver was at most {level.behind_ms:.0f} ms behind its schedule"
        )
        if not level.answered_in_time:
            break
        time.sleep(DRAIN_SECONDS)
    verify(levels)
    return levels


def highest_rate(levels):
    """The rate of the last level in the unbroken run of passing levels from the first (0 when the first fails)."""
    best = 0
    for level in levels:
        if not level.passed:
            break
        best = level.rate
    return best


def people_needed(rates, seconds):
    """Enough people that every save of the whole ramp fills a section of its own."""
    total = sum(round(rate * seconds) for rate in rates)
    return max(1, -(-total // bench_seed.STEPS))


def table(levels, *, people, seconds, interval, target_rate):
    """The open loop's Markdown: one row per level, then the target with met or not met."""
    lines = [
        "Autosaves arriving at a fixed rate (open loop: each save leaves at its scheduled time, and its latency is "
        "counted from then): the wizard's autosave POST of a signed-in professional, one step of the bench form "
        f"(the 40-question section for one save in ten, a 4-question section for the others), {people:,} "
        f"professionals with a session each, {seconds:.0f} s per level, rising until a level fails. Professionals "
        f'typing at once = saves a second x the {interval}-second autosave interval. "In Django" is a save\'s wall '
        "time from the first middleware to the last (its CPU time in brackets); the rest of its latency is waiting "
        'for a free worker. "Saved" counts the saves whose every value the database holds afterwards.',
        "",
        "| saves/s | professionals typing at once | saves | p50 ms | p95 ms | p99 ms | in Django p50 ms (CPU) "
        "| errors | saved | lost | load average after | result |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for level in levels:
        lines.append(
            f"| {level.rate} | {level.rate * interval:,} | {level.scheduled:,} | {level.percentile(0.5):.0f} "
            f"| {level.percentile(0.95):.0f} | {level.percentile(0.99):.0f} | {level.percentile(0.5, level.app):.0f} "
            f"({level.percentile(0.5, level.cpu):.1f}) | {len(level.errors)} | {level.saved:,} | {level.lost} "
            f"| {level.load:.2f} | {'passed' if level.passed else 'failed'} |"
        )
    best = highest_rate(levels)
    measured = f"{best} saves/s = {best * interval:,} professionals" if best else "no level passed"
    lines += [
        "",
        "| target | measured | result |",
        "| --- | --- | --- |",
        f"| Autosaves: at least {target_rate} a second ({target_rate * interval:,} professionals typing at once) with "
        f"p95 under {P95_TARGET_MS:.0f} ms and 0 lost | {measured} | {'met' if best >= target_rate else 'not met'} |",
    ]
    first_errors = [error for level in levels for error in level.errors][:3]
    if first_errors:
        lines += ["", "First errors: " + "; ".join(first_errors)]
    return "\n".join(lines)
