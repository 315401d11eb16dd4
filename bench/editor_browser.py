"""The form editor in a real browser: where Chromium spends the opening of a big definition's edit view.

`manage.py bench_editor` serves the site in its own process and drives Debian's Chromium (Playwright) at it; this
module holds the browser side. One opening is measured with the DevTools protocol: the navigation timing
(DOMContentLoaded, load), the main thread's CPU profile (sampled every 200 µs) added up by the script each sample
was in (ours: cms/ and advice_forms/ static files; Wagtail's; the rest) and what Chromium does outside scripts
(style and layout, garbage collection), `Performance.getMetrics`' totals, the long tasks until the page has been
quiet for `SETTLED_MS`, and how many elements and form controls the page holds. "Save draft" is timed from the
click to the redrawn editor's load event.
"""

import json
import statistics
from collections import defaultdict
from pathlib import Path
from urllib.parse import urlsplit

SAMPLING_INTERVAL_US = 200
SETTLED_MS = 3000  # the page counts as settled once no long task has run for this long
OURS = ("/static/cms/", "/static/advice_forms/")

# Collects the long tasks from the start (a buffered observer sees those before it was made) and says when the
# page has had none for `quiet` ms.
LONG_TASKS = """(quiet) => new Promise(resolve => {
    const tasks = [];
    let timer;
    const done = () => resolve({count: tasks.length, ms: tasks.reduce((sum, t) => sum + t.duration, 0),
                                last_end_ms: tasks.length ? Math.max(...tasks.map(t => t.startTime + t.duration)) : 0});
    new PerformanceObserver(list => {
        tasks.push(...list.getEntries());
        clearTimeout(timer);
        timer = setTimeout(done, quiet);
    }).observe({type: "longtask", buffered: true});
    timer = setTimeout(done, quiet);
})"""

NAVIGATION = """() => {
    const n = performance.getEntriesByType("navigation")[0];
    return {response_end_ms: n.responseEnd, dom_content_loaded_ms: n.domContentLoadedEventEnd,
            load_ms: n.loadEventEnd, html_bytes: n.transferSize || n.encodedBodySize,
            elements: document.getElementsByTagName("*").length,
            form_controls: document.querySelectorAll("input, select, textarea, button").length,
            posted_fields: Array.from(new FormData(document.querySelector("form[action*='/edit/']"))).length};
}"""


def _script_kind(url):
    path = urlsplit(url).path
    if any(part in path for part in OURS):
        return "ours"
    if "/static/wagtail" in path or "/static/wagtailadmin/" in path:
        return "wagtail"
    return "other" if url else None


def profile_by_script(profile):
    """ms of the main thread's CPU profile by where it ran: "ours", "wagtail", "other" scripts (a sample in a
    built-in function such as querySelectorAll counts for the script that called it), and Chromium's own
    "(program)" (style, layout, parsing) and "(garbage collector)"; and our files one by one."""
    nodes = {node["id"]: node for node in profile["nodes"]}
    parents = {child: node["id"] for node in profile["nodes"] for child in node.get("children", ())}

    def script_of(node_id):
        while node_id in nodes and not nodes[node_id]["callFrame"]["url"]:
            node_id = parents.get(node_id)
        return nodes[node_id]["callFrame"]["url"] if node_id in nodes else ""

    totals, files = defaultdict(float), defaultdict(float)
    for node_id, delta in zip(profile["samples"], profile["timeDeltas"], strict=True):
        name = nodes[node_id]["callFrame"]["functionName"]
        url = "" if name.startswith("(") else script_of(node_id)
        kind = _script_kind(url) or (name if name.startswith("(") else "other")
        totals[kind] += delta / 1000
        if kind == "ours":
            files[urlsplit(url).path.rsplit("/", 1)[-1]] += delta / 1000
    totals.pop("(idle)", None)
    return dict(totals), dict(files)


def open_editor(page, url, keep_profile=None):
    """Open the editor once and measure it; the CPU profile runs from the navigation until the page settles.
    ``keep_profile``, a path, receives the profile as a .cpuprofile file (DevTools' Performance panel opens it)."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("Performance.enable")
    cdp.send("Profiler.enable")
    cdp.send("Profiler.setSamplingInterval", {"interval": SAMPLING_INTERVAL_US})
    before = {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]}
    cdp.send("Profiler.start")
    page.goto(url, wait_until="load", timeout=300_000)
    long_tasks = page.evaluate(LONG_TASKS, SETTLED_MS)
    profile = cdp.send("Profiler.stop")["profile"]
    after = {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]}
    cdp.detach()
    if keep_profile:
        Path(keep_profile).write_text(json.dumps(profile))
    by_kind, ours = profile_by_script(profile)
    metrics = {
        name: (after.get(name, 0) - before.get(name, 0)) * 1000
        for name in ("ScriptDuration", "LayoutDuration", "RecalcStyleDuration", "TaskDuration")
    }
    return {**page.evaluate(NAVIGATION), "long_tasks": long_tasks, "profile_ms": by_kind, "ours_ms": ours, **metrics}


def save_draft(page):
    """ms from the click on "Save draft" to the load event of the editor the redirect draws again."""
    button = page.get_by_role("button", name="Save draft", exact=True)
    started = page.evaluate("performance.timeOrigin + performance.now()")
    with page.expect_navigation(wait_until="load", timeout=300_000):
        button.click()
    return page.evaluate("performance.timeOrigin + performance.now()") - started


def median_of(runs, *path):
    values = []
    for run in runs:
        value = run
        for key in path:
            value = value.get(key, 0) if isinstance(value, dict) else 0
        values.append(value)
    return statistics.median(values)
