"""The rule that tells a duplicated block from its original (advice_forms.blocks.rekey_copies), on plain sections."""

from advice_forms.blocks import SectionsBlock, condition_rules, rekey_copies


def parent_section(section_id, ids):
    name, answer, details = ids
    return {
        "type": "section",
        "id": section_id,
        "value": {
            "title": "Parent or carer",
            "key": "parent",
            "fields": [
                {"type": "short_text", "id": name, "value": {"label": "Full name", "key": "p_name"}},
                {"type": "yes_no", "id": answer, "value": {"label": "Do they need help?", "key": "p_help"}},
                {
                    "type": "long_text",
                    "id": details,
                    "value": {
                        "label": "What help",
                        "key": "p_help_details",
                        "condition": {
                            "match": "all",
                            "rules": [{"field_key": "p_help", "operator": "is", "value": "yes"}],
                        },
                    },
                },
            ],
        },
    }


def keys(sections):
    return [(s.value["key"], [f.value["key"] for f in s.value["fields"]]) for s in sections]


def test_a_copy_moved_above_its_saved_original_is_still_the_copy():
    original = parent_section("s1", ("f1", "f2", "f3"))
    copy = parent_section("s2", ("f4", "f5", "f6"))
    sections = SectionsBlock().to_python([copy, original])
    known = {"s1": "parent", "f1": "p_name", "f2": "p_help", "f3": "p_help_details"}

    changed = rekey_copies(sections, known_keys=known)

    assert keys(sections) == [
        ("parent_or_carer", ["full_name", "do_they_need_help", "what_help"]),
        ("parent", ["p_name", "p_help", "p_help_details"]),
    ]
    assert condition_rules(sections[0].value["fields"][2].value["condition"])[0]["field_key"] == "do_they_need_help"
    assert condition_rules(sections[1].value["fields"][2].value["condition"])[0]["field_key"] == "p_help"
    assert len(changed) == 4


def test_before_the_first_save_the_later_block_is_the_copy():
    sections = SectionsBlock().to_python(
        [parent_section("s1", ("f1", "f2", "f3")), parent_section("s2", ("f4", "f5", "f6"))]
    )

    rekey_copies(sections, known_keys={})

    assert keys(sections)[0] == ("parent", ["p_name", "p_help", "p_help_details"])
    assert keys(sections)[1] == ("parent_or_carer", ["full_name", "do_they_need_help", "what_help"])


def test_a_fresh_key_never_takes_a_key_a_published_version_used():
    sections = SectionsBlock().to_python(
        [parent_section("s1", ("f1", "f2", "f3")), parent_section("s2", ("f4", "f5", "f6"))]
    )
    known = {"s1": "parent", "f1": "p_name", "f2": "p_help", "f3": "p_help_details", "gone": "full_name"}

    rekey_copies(sections, known_keys=known)

    assert keys(sections)[1][1][0] == "full_name_2"


def test_blocks_with_known_ids_are_never_rekeyed_even_when_their_keys_clash():
    sections = SectionsBlock().to_python(
        [parent_section("s1", ("f1", "f2", "f3")), parent_section("s2", ("f4", "f5", "f6"))]
    )
    known = {"s1": "parent", "s2": "parent", "f1": "p_name", "f4": "p_name"}

    rekey_copies(sections, known_keys=known)

    assert keys(sections)[1][0] == "parent"
    assert keys(sections)[1][1][0] == "p_name"
