import datetime
from types import SimpleNamespace

from cms.pdf import render_pdf
from tests.pdfs import font_sizes, pdf_ua_problems, structure_blocks, structure_types, word_boxes

LABELS = ("Outcome", "Provision", "Timescale", "Written")


def _report_pdf(outcomes):
    """The outcomes report of a child with these outcomes (outcome, provision, timescale), under one Type and Team."""
    rows = [{"author": "Kestrel Vale Academy SENCO", "created_at": datetime.date(2026, 11, 2), **o} for o in outcomes]
    groups = [({"display_name": "Communication"}, [({"display_name": "Schools"}, rows)])]
    child = SimpleNamespace(pk=7, full_name="Rowan Ashdown", date_of_birth=datetime.date(2012, 8, 30))
    context = {"child": child, "outcome_groups": groups, "now": datetime.datetime(2026, 12, 6, 9), "made_by": "Sam"}
    return render_pdf("advice_forms/pdf/outcomes_report.html", context)


def _report(outcomes):
    return word_boxes(_report_pdf(outcomes))


def _label_pages(words):
    """The page of each label, outcome by outcome: [{"Outcome": 1, "Provision": 1, ...}, ...]."""
    found = []
    for word in words:
        if word["word"] == "Outcome" and word["x_min"] < 60:  # a label at the left margin, not a word of an answer
            found.append({})
        if found and word["word"] in LABELS and word["x_min"] < 60:
            found[-1].setdefault(word["word"], word["page"])
    return found


def test_the_outcomes_report_keeps_each_outcome_on_one_page(db):
    """An outcome's Timescale and Written by ran over onto the next page, away from the outcome they belong to."""
    provision = "Visual task plans in every lesson, and a weekly check-in with the SENCO to go over them. " * 3
    outcomes = [
        {"outcome": f"Number {n}: Rowan will follow a three-step plan", "provision": provision, "timescale": "By July"}
        for n in range(1, 13)
    ]

    pages = _label_pages(_report(outcomes))

    assert len(pages) == 12 and max(max(p.values()) for p in pages) > 1  # long enough to need a second page
    for labels in pages:
        assert set(labels) == set(LABELS) and len(set(labels.values())) == 1


def test_an_outcome_longer_than_a_page_still_breaks_across_pages(db):
    """Kept whole where it fits, an outcome longer than a page starts on a page of its own and breaks there: nothing
    of it is lost. (Straight under its Team's heading, WeasyPrint moves it on a page more: an outcome of a page and
    more is rare.)"""
    provision = "A language group twice a week, run by staff the therapist has trained. " * 120 + "Last words."
    outcomes = [
        {"outcome": "Rowan will ask for help", "provision": "A card on his desk", "timescale": "By May"},
        {"outcome": "Rowan will follow a spoken instruction", "provision": provision, "timescale": "By July"},
    ]

    words = _report(outcomes)

    short, long = _label_pages(words)
    assert set(short.values()) == {1}
    assert long["Outcome"] == 2 and long["Timescale"] > 2
    assert " ".join(word["word"] for word in words).count("Last words.") == 1


def test_the_outcomes_reports_team_headings_print_larger_than_the_labels_under_them(db):
    """A Team's heading (h4) printed as a label does, 11pt bold, so "Schools" read as one more row of the outcome.
    The headings step down from the Type's to the Team's and stay above the labels, in order h1 to h4."""
    data = _report_pdf([{"outcome": "Rowan will ask for help", "provision": "A card", "timescale": "By May"}])

    sizes = font_sizes(data)
    assert sizes["Communication"] > sizes["Schools"] > sizes["Outcome"] == sizes["Provision"]
    assert [kind for kind in structure_types(data) if kind.startswith("H")] == ["H1", "H2", "H3", "H4"]
    assert pdf_ua_problems(data) == []


def test_an_outcomes_labels_and_answers_read_in_pairs_not_as_items_of_a_list(db):
    """Each outcome was a <dl>, tagged as a list of eight items, labels and answers alike. Its labels and answers are
    paragraphs under the Team's heading, read in order, each label before its answer."""
    data = _report_pdf([{"outcome": "Rowan will ask for help", "provision": "", "timescale": "By May"}])

    assert [block for block in structure_blocks(data, depth=2) if block[0] == "P"] == [
        ("P", "Outcome"),
        ("P", "Rowan will ask for help"),
        ("P", "Provision"),
        ("P", "Not answered"),
        ("P", "Timescale"),
        ("P", "By May"),
        ("P", "Written by"),
        ("P", "Kestrel Vale Academy SENCO, 2 November 2026"),
    ]
    assert "L" not in structure_types(data)
