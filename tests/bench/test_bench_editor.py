"""`manage.py bench_editor`'s reading of Chromium's CPU profile: a sample is counted for the script it ran in, a
built-in function (querySelectorAll, getBoundingClientRect) for the script that called it, our files one by one."""

from bench.editor_browser import profile_by_script

OURS = "http://127.0.0.1:8000/static/cms/admin/field-labels.js?v=1"
WAGTAIL = "http://127.0.0.1:8000/static/wagtailadmin/js/vendor/jquery-3.6.0.min.js?v=1"


def _frame(node_id, name, url="", children=()):
    return {"id": node_id, "callFrame": {"functionName": name, "url": url}, "children": list(children)}


def test_a_built_in_call_counts_for_the_script_that_made_it():
    profile = {
        "nodes": [
            _frame(1, "(root)", children=[2, 5, 7, 8, 9]),
            _frame(2, "labelFor", OURS, children=[3]),
            _frame(3, "querySelector", children=[4]),
            _frame(4, "matches"),
            _frame(5, "buildFragment", WAGTAIL, children=[6]),
            _frame(6, "appendChild"),
            _frame(7, "(program)"),
            _frame(8, "(garbage collector)"),
            _frame(9, "(idle)"),
        ],
        "samples": [2, 3, 4, 5, 6, 6, 7, 8, 9],
        "timeDeltas": [1000, 2000, 3000, 500, 1500, 1000, 4000, 250, 9000],
    }
    totals, ours = profile_by_script(profile)
    assert totals == {"ours": 6.0, "wagtail": 3.0, "(program)": 4.0, "(garbage collector)": 0.25}
    assert ours == {"field-labels.js": 6.0}
