"""The form definition file: a definition as JSON that one council exports and another imports.

docs/form-definition-format.md describes the format for people; this module is its one implementation. It reads and
writes; it saves nothing (services/definition_files.py does, in one transaction).

Writing walks the blocks of advice_forms/blocks.py, so every question kind and every setting of a kind is written
(a question's `kind` first, then its settings in alphabetical order, so reordering a block's settings changes no
file). Block ids are left out: they only tie a definition to its own revisions, and an imported definition gets
fresh ones. A dropdown list is written by its name (with its options, once, at the top of the file), a picture by
its title, and the Team and Type terms the record-backed kinds use by their codes. The output is deterministic
(fixed key order, two-space indent, UTF-8, a final newline), so export -> import -> export gives the same bytes.

Reading (`document_read`) checks the file's shape against the same blocks and names the place of each problem
('Section 3 “About you”, question “Language” (p2_language): unknown dropdown list “Languages”'), and `FileRefused`
lists the problems in the order of their places in the file; it returns the StreamField JSON to save.
"""

import datetime
import json
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

from django.core.exceptions import ValidationError
from django.core.validators import ProhibitNullCharactersValidator
from wagtail import blocks
from wagtail.admin.rich_text.converters.contentstate import ContentstateConverter
from wagtail.documents import get_document_model
from wagtail.images.blocks import ImageChooserBlock
from wagtail.models import Page
from wagtail.rich_text import features as rich_text_features
from wagtail.snippets.blocks import SnippetChooserBlock

from advice_forms.blocks import LARGEST_NUMBER
from advice_forms.models import FormDefinition, FormKind, NeedType, Team
from advice_forms.models.taxonomies import option_value_from_label
from cms.form_fields import NOT_ONE_LINE, no_direction_override, one_line, one_line_folded
from cms.formats import file_size

SCHEMA_VERSION = 1
FORMAT_NAME = "send-portal-form-definition"
MAX_FILE_BYTES = 2 * 1024 * 1024
# How deeply a file's lists and objects may nest: a real form goes sections > questions > columns > options, nine
# levels with the file's own object; a file nested deeper is no form definition, and is refused before it is walked.
MAX_DEPTH = 32
# How much a file may hold. A real council's form fits well inside (the ERSA has about 250 questions in some 15
# sections, three dropdown lists and a few hundred options, and links to no page of the portal), and a file within
# these is checked in seconds: without them 10,000 questions took 46 s to check and 100,000 tags of rich text 246 s,
# and the confirmation checks again. Each is counted in one pass over the parsed file, before any check that costs
# more: what is counted (the items of every list held by an entry of that name; in rich text, its tags and its links
# to this site's pages and documents, each of which the editor's converter looks up) -> the most the file may have,
# and what they are called.
LIMITS = {
    "sections": (100, "sections"),
    "questions": (1_000, "questions"),
    "columns": (1_000, "table columns"),
    "options": (5_000, "options"),
    "rules": (1_000, "condition rules"),
    "dropdown_lists": (100, "dropdown lists"),
    "teams": (100, "Team terms"),
    "types": (100, "Type terms"),
    "tags": (5_000, "tags of rich text"),
    "links": (100, "links to pages and documents of the portal"),
}
# Rich text: the settings that hold it, and the most characters one may have (a long page of guidance is a few
# thousand): the parser reads a text again from each of some tags that do not end, and Wagtail's converter takes time
# growing with the square of the tags a text has (10,000 took 2.5 s, 20,000 9 s), so neither may grow with the file.
RICH_TEXT_KEYS = ("guidance", "body")
MAX_RICH_TEXT_CHARACTERS = 20_000
START_TAG = re.compile(r"<[a-zA-Z]")  # as the parser finds a start tag
LINK_TYPE = re.compile("linktype", re.IGNORECASE)  # every internal link has one, and the count no more than it finds
# A number: its most digits. No setting takes one larger than LARGEST_NUMBER; Python refuses to read one of more than
# 4,300 digits at all (a ValueError: a server error, not a refusal).
MAX_NUMBER_DIGITS = len(str(LARGEST_NUMBER))
# Half of a UTF-16 surrogate pair on its own: JSON reads "\ud800" as one, but it is no character. UTF-8 cannot hold it,
# so it cannot be saved, shown or downloaded.
LONE_SURROGATE = re.compile("[\ud800-\udfff]")
BROKEN_CHARACTER = (
    "Type the text again: it has a broken character in it (half of an emoji or other character, written \\ud800 to "
    "\\udfff in the file)"
)
# Kinds whose rows are tagged with Team (and Type) terms: a file carries those terms by code.
TEAM_KINDS = {"record_outcomes", "record_contacts", "outcomes", "professional_contacts"}
TYPE_KINDS = {"record_outcomes", "outcomes"}
TOP_KEYS = (
    "schema_version",
    "format",
    "title",
    "kind",
    "version_label",
    "description",
    "dropdown_lists",
    "teams",
    "types",
    "sections",
)
LIST_KEYS = ("name", "description", "options")
OPTION_KEYS = ("label", "value", "retired")
TERM_KEYS = ("code", "name", "active", "sort_order")
# A term's place in lists: a positive integer column, as large as PostgreSQL's integer holds.
MAX_SORT_ORDER = 2_147_483_647
BLOCK_KEY = re.compile(r' data-block-key="[^"]*"')
# Settings that only serve the editor, never written: a section's quick-add box is emptied on every save.
EDITOR_ONLY = {"quick_add"}


class FileRefused(Exception):
    """The file cannot be imported; `messages` name each problem and its place, each on one line (a control character
    a message quotes from the file, a line break in a title, is shown escaped: "Pentest\\r\\nBcc"). ``whole_file``: the
    file cannot be read at all (too large, not JSON, not a form definition, over a limit of LIMITS), a problem of the
    file itself rather than of a place in it. ``only_missing_lookups``: every problem is a dropdown list or a Team or
    Type term that the file describes and this portal lacks, which importing with lookups "create" creates instead.
    ``at_publish``: what would stop only the publishing of a draft imported from the file, once its ``messages`` are
    mended, said in the same round (none when the reading left values out)."""

    def __init__(self, messages, *, whole_file=False, only_missing_lookups=False, at_publish=()):
        self.messages = [_printable(message) for message in messages]
        self.whole_file = whole_file
        self.only_missing_lookups = only_missing_lookups
        self.at_publish = [_printable(message) for message in at_publish]
        super().__init__("; ".join(self.messages))


def too_large(size):
    """The refusal of a file of ``size`` bytes, over MAX_FILE_BYTES."""
    return f"The file is {file_size(size)}; a form definition file can be at most {file_size(MAX_FILE_BYTES)}"


def _printable(text):
    return NOT_ONE_LINE.sub(lambda match: match.group().encode("unicode_escape").decode("ascii"), text)


def sections_block():
    return FormDefinition._meta.get_field("sections").stream_block


# --- writing ---------------------------------------------------------------------------------------------------------


def _write_value(block, value, used):
    if isinstance(block, blocks.StructBlock):
        # Settings in alphabetical order: the file does not change when a block's settings are reordered.
        value = value or {}
        return {
            name: _write_value(block.child_blocks[name], value.get(name), used)
            for name in sorted(block.child_blocks)
            if name not in EDITOR_ONLY
        }
    if isinstance(block, blocks.ListBlock):
        return [_write_value(block.child_block, item, used) for item in (value or [])]
    if isinstance(block, blocks.StreamBlock):
        out = []
        for child in value or []:
            used["kinds"].add(child.block_type)
            out.append({"kind": child.block_type, **_write_value(child.block, child.value, used)})
        return out
    if isinstance(block, SnippetChooserBlock):
        if value is None:
            return None
        used["lists"][value.name] = value
        return value.name
    if isinstance(block, ImageChooserBlock):
        return value.title if value is not None else None
    if isinstance(block, blocks.DateBlock):
        # A date setting as its block stores it, YYYY-MM-DD: Wagtail leaves the date to the StreamField's own JSON
        # encoder, and json.dumps refused it (a definition with an earliest date set could not be exported).
        return value.isoformat() if value is not None else None
    return block.get_prep_value(value)


def _terms(model):
    return [
        {"code": term.code, "name": term.name, "active": term.active, "sort_order": term.sort_order}
        for term in model.objects.order_by("sort_order", "code")
    ]


def definition_document(definition) -> dict:
    """A definition (as the editor holds it: the latest revision) as the file's JSON-able dict."""
    used = {"kinds": set(), "lists": {}}
    sections = []
    for child in definition.sections:
        section = _write_value(child.block, child.value, used)
        section["questions"] = section.pop("fields")
        sections.append(section)
    return {
        "schema_version": SCHEMA_VERSION,
        "format": FORMAT_NAME,
        "title": definition.title,
        "kind": definition.kind,
        "version_label": definition.version_label,
        "description": definition.description,
        "dropdown_lists": [
            {
                "name": name,
                "description": used["lists"][name].description,
                "options": [
                    {"label": option.label, "value": option.value, "retired": option.retired}
                    for option in used["lists"][name].options.all()
                ],
            }
            for name in sorted(used["lists"])
        ],
        "teams": _terms(Team) if used["kinds"] & TEAM_KINDS else [],
        "types": _terms(NeedType) if used["kinds"] & TYPE_KINDS else [],
        "sections": sections,
    }


def document_dumps(document: dict) -> str:
    text = json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    # A lone surrogate (imported before a file's were refused) cannot be written in UTF-8: it is written as its JSON
    # escape, "\ud800", which reads back as the same text, so the definition still downloads (a server error did) and
    # an import of the file names where it is.
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


# --- reading ---------------------------------------------------------------------------------------------------------


# The file's entries in their order, for listing problems in the order of their places in the file.
TOP_RANK = {name: rank for rank, name in enumerate(TOP_KEYS, start=1)}


@dataclass
class Place:
    """Where a problem is, in the words the form builder uses: 'Section 3 “Family”, question “Which language do they
    speak” (p2_language), options, 2'. ``order``: where that is in the file, to list problems in the file's order
    (the rank of its entry at the top, then list indexes: a section's, a question's, ...)."""

    parts: tuple = ()
    order: tuple = ()

    def __truediv__(self, part):
        return Place((*self.parts, part), self.order)

    def item(self, part, index):
        """The place of the item at ``index`` of a list here, named ``part``."""
        return Place((*self.parts, part), (*self.order, index))

    def __str__(self):
        return ", ".join(str(part) for part in self.parts) or "the file"


def top_place(name, part=None, index=None):
    """The place of the file's entry ``name`` (an item of it, named ``part``, at ``index``)."""
    place = Place((name,), (TOP_RANK.get(name, 0),))
    return place if part is None else Place((part,), (*place.order, index))


def path_order(path):
    """The order (see Place) of a place given by ``path``: entries' names and list indexes from the top."""
    return (TOP_RANK.get(path[0], 0), *(step for step in path[1:] if isinstance(step, int))) if path else ()


NAME_MOST = 60  # characters of a label a message quotes; a long question is known by its start


def _quoted(text):
    text = one_line_folded(text) if isinstance(text, str) else ""
    # A text refused in its own message (a control character, a NUL, a broken character) is not quoted: the section or
    # question is named by its number.
    if not text or NOT_ONE_LINE.search(text) or "\x00" in text or "\ufffd" in text:
        return ""
    return f"“{text[:NAME_MOST].rstrip()}…”" if len(text) > NAME_MOST else f"“{text}”"


def question_name(number, data):
    """A question as a message names it: by its label, as the builder shows it, and its key ('question “Which language
    do they speak” (p2_language)'), or its number in the section where it has neither."""
    data = data if isinstance(data, dict) else {}
    key = data.get("key") if isinstance(data.get("key"), str) else ""
    key, label = key.strip(), _quoted(data.get("label") or data.get("heading"))
    if label:
        return f"question {label} ({key})" if key else f"question {label}"
    return f"question {number} ({key})" if key else f"question {number}"


def section_name(number, data):
    """'Section 3 “Family”', or 'Section 3' for a section without a title."""
    title = _quoted(data.get("title")) if isinstance(data, dict) else ""
    return f"Section {number} {title}" if title else f"Section {number}"


@dataclass
class Reading:
    """What a file holds, checked: the StreamField JSON to save and the lists and terms to match or create."""

    title: str = ""
    kind: str = ""
    version_label: str = ""
    description: str = ""
    dropdown_lists: dict = field(default_factory=dict)  # name -> {"description", "options": [...]}
    teams: list = field(default_factory=list)
    types: list = field(default_factory=list)
    sections: list = field(default_factory=list)  # StreamField JSON; lists and pictures still by name and title
    list_uses: dict = field(default_factory=dict)  # list name -> [Place] of the questions naming it
    images: dict = field(default_factory=dict)  # title -> [Place]
    problems: list = field(default_factory=list)  # [(order, message)]: see Place
    # The places whose value the reading left out or emptied for the problem it named there.
    voided: set = field(default_factory=set)

    def problem(self, place, message, *, voids=False):
        self.problems.append((place.order, f"{place}: {message}" if place.parts else message[:1].upper() + message[1:]))
        if voids:
            self.voided.add(str(place))

    def news(self, problems, *, also=()):
        """The problems ((order, "<place>: ...")) of a later check (a block's, the form's, the definition's) less those
        at or under a voided place or one of ``also``: "This field is required" there says a named problem again."""
        covered = tuple(f"{place}{end}" for place in (*self.voided, *also) for end in (":", ","))
        return [(order, message) for order, message in problems if not message.startswith(covered)]


def _type_name(block):
    if isinstance(block, blocks.BooleanBlock):
        return "true or false", bool
    if isinstance(block, blocks.IntegerBlock):
        return "a whole number", int
    if isinstance(block, blocks.MultipleChoiceBlock):
        return "a list of choices", list
    if isinstance(block, (blocks.CharBlock, blocks.TextBlock, blocks.ChoiceBlock, blocks.RichTextBlock)):
        return "text", str
    if isinstance(block, blocks.DateBlock):
        return "a date (YYYY-MM-DD)", str
    return None, None


def _read_value(block, data, place, reading):
    """The file's value for `block` as StreamField JSON (ids left out); problems go to `reading`."""
    if isinstance(block, blocks.StructBlock):
        if not isinstance(data, dict):
            reading.problem(place, "expected an object with named entries", voids=True)
            return {}
        out = {}
        for name, value in data.items():
            if name not in block.child_blocks or name in EDITOR_ONLY:
                # Named as the file names them: a section's "fields" are its "questions" there.
                known = ", ".join(
                    "questions" if name == "fields" else name for name in block.child_blocks if name not in EDITOR_ONLY
                )
                reading.problem(place, f"unknown entry “{name}”; expected one of: {known}")
                continue
            # A section's questions are named by their own place ('Section 2, question “X” (x)'), not "fields".
            here = place if name == "fields" else place / name
            out[name] = _read_value(block.child_blocks[name], value, here, reading)
        return out
    if isinstance(block, blocks.ListBlock):
        if not isinstance(data, list):
            reading.problem(place, "expected a list", voids=True)
            return []
        # Plain values: Wagtail reads this older list shape and gives each item a fresh id when saved.
        return [
            _read_value(block.child_block, item, place.item(str(number), number - 1), reading)
            for number, item in enumerate(data, start=1)
        ]
    if isinstance(block, blocks.StreamBlock):
        return _read_questions(block, data, place, reading)
    if isinstance(block, SnippetChooserBlock):
        # The list's name, replaced by its id once matched or created.
        return _read_name(
            data,
            place,
            reading,
            expected="the name of a dropdown list",
            uses=reading.list_uses,
            use=Place(place.parts[:2], place.order[:3]),  # the question's
        )
    if isinstance(block, ImageChooserBlock):
        return _read_name(data, place, reading, expected="the title of a picture", uses=reading.images, use=place)
    expected, python_type = _type_name(block)
    if data is None or python_type is None:
        return data
    if not isinstance(data, python_type) or (python_type is int and isinstance(data, bool)):
        reading.problem(place, f"expected {expected}", voids=True)
        return None
    if isinstance(block, blocks.CharBlock):
        return _read_line(data, place, reading)
    if isinstance(block, blocks.DateBlock):
        try:
            datetime.date.fromisoformat(data)
        except ValueError:
            reading.problem(place, f"“{data}” is not a date written as YYYY-MM-DD", voids=True)
            return None
    if isinstance(block, blocks.RichTextBlock):
        try:
            scan = _RichTextScan(data)
            if scan.deepest > MAX_DEPTH:
                reading.problem(
                    place,
                    f"rich text whose tags nest more than {MAX_DEPTH} levels deep; the editor's nest fewer than ten",
                    voids=True,
                )
                return None
            if not _check_links(scan.links, place, reading):
                return data  # refused: the editor's converter would stumble on the link's id
            return _as_the_editor_saves(block, data)
        except AssertionError:  # Wagtail's converter asserts that every tag it opened is closed
            reading.problem(
                place, "rich text whose tags do not close in order (as <p><b>text</b></p> does)", voids=True
            )
            return None
    return data


def _read_line(text, place, reading):
    """A one-line text of the file (a title, a label, a name), folded as the admin folds it (a tab or a line break is
    a space); any other control character (NUL, BEL, an override) is a problem at its place, as the admin refuses it
    beside the field."""
    text = one_line_folded(text)
    try:
        one_line(text)
    except ValidationError as error:
        reading.problem(place, error.messages[0], voids=True)
    return _nul_out(text)


# PostgreSQL stores no NUL in text or jsonb, and refuses a query naming one: a file's NUL failed the import with a
# server error there (a description, or a list's name then looked up). It is refused at its place, as the blocks'
# texts are (Django's words), and the reading goes on without it, so no later look-up sends it to the database.
NUL_ERROR = ProhibitNullCharactersValidator.message


def _nul_out(text):
    return text.replace("\x00", "")


def _read_text(text, place, reading):
    """A multi-line text of the file (a description), its line breaks kept; a NUL or a text direction override in it
    is a problem at its place."""
    if "\x00" in text:
        reading.problem(place, NUL_ERROR, voids=True)
    try:
        no_direction_override(text)
    except ValidationError as error:
        reading.problem(place, error.messages[0], voids=True)
    return _nul_out(text)


def _depth(data) -> int:
    """How deeply ``data``'s lists and objects nest (the file's own object is 1), found without recursion."""
    deepest, todo = 0, [(data, 1)]
    while todo:
        value, depth = todo.pop()
        if isinstance(value, dict):
            value = list(value.values())
        if isinstance(value, list):
            deepest = max(deepest, depth)
            if depth > MAX_DEPTH:
                break
            todo.extend((item, depth + 1) for item in value)
    return deepest


class _LongNumber:
    """A whole number of the file with more digits than any setting takes, read as this rather than as an int."""

    def __init__(self, text):
        self.digits = len(text.lstrip("-"))


def _whole_number(text):
    return int(text) if len(text.lstrip("-")) <= MAX_NUMBER_DIGITS else _LongNumber(text)


@dataclass
class _Sweep:
    """What one pass over a parsed file found: the places (keys and list indexes) of its broken characters and too
    long numbers, each with its message; how many of each thing LIMITS bounds it has; and the places of its rich texts
    longer than one may be, with their lengths."""

    found: list = field(default_factory=list)
    counts: dict = field(default_factory=dict)
    long_texts: list = field(default_factory=list)

    def count(self, name, number):
        self.counts[name] = self.counts.get(name, 0) + number


def _swept(value, path, sweep):
    """``value`` with each lone surrogate of its texts (and of its entries' names) replaced by U+FFFD and each too
    long number by null, each noted in ``sweep`` with its place, so that nothing later stumbles on them (a message
    quoting one, a look-up, the save); and what LIMITS bounds counted. Recursive: the file nests at most MAX_DEPTH."""
    if isinstance(value, str):
        if path and path[-1] in RICH_TEXT_KEYS:
            sweep.count("tags", len(START_TAG.findall(value)))
            sweep.count("links", len(LINK_TYPE.findall(value)))
            if len(value) > MAX_RICH_TEXT_CHARACTERS:
                sweep.long_texts.append((path, len(value)))
        if LONE_SURROGATE.search(value):
            sweep.found.append((path, BROKEN_CHARACTER))
            return LONE_SURROGATE.sub("\ufffd", value)
        return value
    if isinstance(value, _LongNumber):
        sweep.found.append(
            (path, f"a number of {value.digits:,} digits; no setting takes one of more than {MAX_NUMBER_DIGITS} digits")
        )
        return None
    if isinstance(value, list):
        if path and path[-1] in LIMITS:
            sweep.count(path[-1], len(value))
        return [_swept(item, (*path, index), sweep) for index, item in enumerate(value)]
    if isinstance(value, dict):
        out = {}
        for name, item in value.items():
            if LONE_SURROGATE.search(name):
                name = LONE_SURROGATE.sub("\ufffd", name)
                sweep.found.append(((*path, name), BROKEN_CHARACTER))
            out[name] = _swept(item, (*path, name), sweep)
        return out
    return value


def _over_limits(data, sweep):
    """The messages of a file holding more than LIMITS allow, or a rich text longer than MAX_RICH_TEXT_CHARACTERS."""
    return [
        f"The file has {sweep.counts[name]:,} {what}; a form definition file can have at most {most:,}"
        for name, (most, what) in LIMITS.items()
        if sweep.counts.get(name, 0) > most
    ] + [
        f"{_file_place(data, path)}: rich text of {length:,} characters; one can have at most "
        f"{MAX_RICH_TEXT_CHARACTERS:,}"
        for path, length in sweep.long_texts
    ]


# The lists whose items the reading names by what they are ("section 2", "Team 1"), not by their number alone.
ITEM_NAMES = {"sections": "section", "dropdown_lists": "dropdown list", "teams": "Team", "types": "Type"}


def _file_place(data, path):
    """The place of ``path`` (entries' names and list indexes from the top of the file) in the reading's words:
    ("sections", 0, "questions", 2, "label") -> 'Section 1 “About you”, question “Name” (name), label'."""
    parts, here = [], data
    for index, step in enumerate(path):
        parent, here = (path[index - 1] if index else None), here[step]
        if not isinstance(step, int):
            parts.append(step)
        elif index == 1 and parent == "sections":
            parts[-1] = section_name(step + 1, here)
        elif index == 1 and parent in ITEM_NAMES:
            parts[-1] = f"{ITEM_NAMES[parent]} {step + 1}"
        elif index == 3 and path[0] == "sections" and parent == "questions":
            parts[-1] = question_name(step + 1, here)
        elif index == 3 and path[0] == "dropdown_lists" and parent == "options":
            parts[-1] = f"option {step + 1}"
        else:
            parts.append(str(step + 1))
    return Place(tuple(parts), path_order(path))


class _RichTextScan(HTMLParser):
    """Rich text read once, as Wagtail's converter reads it (with the same parser), before the converter runs: how
    deeply its tags nest (the converter recurses once a level: 5,000 nested <b> raised a RecursionError) and the
    attributes of its internal links (<a linktype="page" id="3">: the converter looks each id up). An end tag closes
    the tag opened last only when it names it, as the converter requires (it refuses the text otherwise), so no trick
    of the markup makes the nesting seem shallower, or a link's id other, than the converter finds."""

    def __init__(self, html):
        super().__init__(convert_charrefs=True)
        self.opened, self.deepest, self.links = [], 0, []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)  # the last of a repeated attribute, as the converter takes it
        if tag in ("a", "embed") and "linktype" in attrs:
            self.links.append(attrs)
        self.opened.append(tag)
        self.deepest = max(self.deepest, len(self.opened))

    def handle_endtag(self, tag):
        if self.opened and self.opened[-1] == tag:
            self.opened.pop()


def _as_the_editor_saves(block, html: str) -> str:
    """A file's rich text as the admin's editor would save it: only the elements of the block's features (its headings,
    lists, links), no other attribute, no link the editor refuses (javascript:). Rich text is shown as stored (the
    wizard, the admin's preview, the PDF), and the editor's save is what keeps a script, an event handler or a
    javascript: link out of it; a file bypasses the editor. Text the editor would save alike (block keys aside) is kept
    as written, so export -> import -> export still gives the same bytes."""
    if not html.strip():
        return html
    converter = ContentstateConverter(
        block.features if block.features is not None else rich_text_features.get_default_features()
    )
    saved = converter.to_database_format(converter.from_database_format(html))
    return html if BLOCK_KEY.sub("", saved) == BLOCK_KEY.sub("", html) else saved


def _read_name(data, place, reading, *, expected, uses, use):
    """A chooser's value as the file writes it, by name or title (null: none chosen). Each name is noted with
    ``use`` in ``uses``, to be matched once the whole file is read."""
    if data is None:
        return None
    if not isinstance(data, str):
        reading.problem(place, f"expected {expected}", voids=True)
        return None
    if "\x00" in data:
        reading.problem(place, NUL_ERROR, voids=True)
        return None
    uses.setdefault(data, []).append(use)
    return data


def _check_links(links, place, reading) -> bool:
    """Rich text may link to this site's pages and documents by id; those ids mean nothing on another site. Whether
    every such link (``links``: the attributes of each, from _RichTextScan) is sound; each that is not is a problem of
    ``reading``."""
    models = {"page": Page, "document": get_document_model()}
    sound = True
    for attrs in links:
        linktype, pk = attrs["linktype"], attrs.get("id")
        model = models.get(linktype)
        digits = (pk or "").isascii() and (pk or "").isdigit()
        if model is None or not digits or not model.objects.filter(pk=int(pk)).exists():
            reading.problem(
                place,
                f"a link to a {linktype} (id {pk}) that this site does not have; use a full web address instead",
            )
            sound = False
    return sound


def _read_questions(block, data, place, reading):
    if not isinstance(data, list):
        reading.problem(place, "expected a list of questions", voids=True)
        return []
    out = []
    kinds = block.child_blocks
    for number, item in enumerate(data, start=1):
        here = place.item(question_name(number, item), number - 1)
        kind = item.get("kind") if isinstance(item, dict) else None
        if not isinstance(kind, str) or kind not in kinds:
            if isinstance(item, dict):
                unknown = f"unknown kind “{kind}”" if isinstance(kind, str) else "no kind"
                reading.problem(here, f"{unknown}; use one of: {', '.join(kinds)}", voids=True)
            else:
                reading.problem(here, "expected an object with a “kind”", voids=True)
            # A question that asks nothing holds its place, so the later checks name the questions after it rightly.
            out.append({"type": "guidance", "value": {"key": item.get("key")} if isinstance(item, dict) else {}})
            continue
        value = {name: v for name, v in item.items() if name != "kind"}
        out.append({"type": kind, "value": _read_value(kinds[kind], value, here, reading)})
    return out


def _expect(reading, data, name, python_type, expected, *, required=False, place=None):
    place = place or top_place(name)
    value = data.get(name)
    if value is None:
        if required:
            reading.problem(place, "this is missing", voids=True)
        return None
    if not isinstance(value, python_type) or (python_type is int and isinstance(value, bool)):
        reading.problem(place, f"expected {expected}", voids=True)
        return None
    return value


def _read_lists(data, reading):
    lists = _expect(reading, data, "dropdown_lists", list, "a list of dropdown lists") or []
    for number, item in enumerate(lists, start=1):
        place = top_place("dropdown_lists", f"dropdown list {number}", number - 1)
        if not isinstance(item, dict):
            reading.problem(place, "expected an object with a name and options")
            continue
        for name in item:
            if name not in LIST_KEYS:
                reading.problem(place, f"unknown entry “{name}”; expected one of: {', '.join(LIST_KEYS)}")
        name = _expect(reading, item, "name", str, "text", required=True, place=place / "name")
        if not name:
            continue
        name = _read_line(name, place / "name", reading)
        place = top_place("dropdown_lists", f"dropdown list “{name}”", number - 1)
        if len(name) > 120:
            reading.problem(place, "a list's name is at most 120 characters")
            continue
        if name in reading.dropdown_lists:
            reading.problem(place, "this list is in the file twice")
            continue
        options, values = [], set()
        listed = _expect(reading, item, "options", list, "a list of options", place=place / "options") or []
        # The values in the file are reserved first, so a value made from an option's place never takes one of them.
        typed = {o.get("value") for o in listed if isinstance(o, dict) and isinstance(o.get("value"), str)}
        for onumber, option in enumerate(listed, start=1):
            oplace = place.item(f"option {onumber}", onumber - 1)
            if not _check_entry(option, "label", OPTION_KEYS, oplace, reading):
                continue
            label = _read_line(option["label"], oplace / "label", reading)
            value = option.get("value") or option_value_from_label(label, onumber, typed | values)
            if not isinstance(value, str) or len(value) > 100 or len(label) > 255:
                reading.problem(oplace, "a value is text of at most 100 characters, a label at most 255")
                continue
            value = _read_line(value, oplace / "value", reading)
            if value in values:
                reading.problem(oplace, f"another option of this list already has the value “{value}”")
            values.add(value)
            options.append({"label": label, "value": value, "retired": option.get("retired") is True})
        description = item.get("description") or ""
        if not isinstance(description, str):
            reading.problem(place / "description", "expected text")
            description = ""
        description = _read_text(description, place / "description", reading)
        reading.dropdown_lists[name] = {"description": description, "options": options}


def _check_entry(item, key, allowed, place, reading) -> bool:
    """Whether ``item`` is an object with text under ``key`` (an option's label, a term's code), so it can be read.
    Its first entry not among ``allowed`` is named as a problem, and the item is still read."""
    if not isinstance(item, dict) or not isinstance(item.get(key), str) or not item[key].strip():
        reading.problem(place, f"expected an object with a “{key}”")
        return False
    unknown = [name for name in item if name not in allowed]
    if unknown:
        reading.problem(place, f"unknown entry “{unknown[0]}”; expected one of: {', '.join(allowed)}")
    return True


def _read_terms(data, name, label, reading):
    terms, codes = [], set()
    for number, item in enumerate(_expect(reading, data, name, list, f"a list of {label} terms") or [], start=1):
        place = top_place(name, f"{label} {number}", number - 1)
        if not _check_entry(item, "code", TERM_KEYS, place, reading):
            continue
        code = _read_line(item["code"], place / "code", reading)
        if NOT_ONE_LINE.search(one_line_folded(item["code"])):
            continue  # named above; a code no term can have matches none
        if code in codes:
            reading.problem(place, f"the code “{code}” is in the file twice")
            continue
        codes.add(code)
        term_name = item.get("name") if isinstance(item.get("name"), str) and item.get("name").strip() else code
        term_name = _read_line(term_name, place / "name", reading)
        order = item.get("sort_order", 0)
        if len(code) > 20 or len(term_name) > 120:
            reading.problem(place, "a code is at most 20 characters and a name at most 120")
            continue
        if isinstance(order, bool) or not isinstance(order, int) or not 0 <= order <= MAX_SORT_ORDER:
            reading.problem(place, f"“sort_order” is a whole number from 0 to {MAX_SORT_ORDER}")
            continue
        terms.append({"code": code, "name": term_name, "active": item.get("active") is not False, "sort_order": order})
    return terms


def document_read(raw: bytes | str) -> Reading:
    """Parse and check a file's shape; each problem found is in the reading's ``problems``, named with its place, for
    the import to refuse with those of its later checks (nothing is looked up yet but the pages and documents rich
    text links to). Raises FileRefused, with that one message, only for a file it cannot read at all: too large, not
    JSON in UTF-8, nested deeper than any form, not a form definition file, or of another schema version; or, with a
    message for each, for one holding more than LIMITS allow (counted before anything costlier is done)."""
    if isinstance(raw, str):
        raw = raw.encode("utf-8")
    if len(raw) > MAX_FILE_BYTES:
        raise FileRefused([too_large(len(raw))], whole_file=True)
    too_deep = (
        f"This is not a form definition file: its lists and objects nest more than {MAX_DEPTH} levels deep, "
        "and a form's nest fewer than ten"
    )
    try:
        data = json.loads(raw.decode("utf-8"), parse_int=_whole_number)
    except UnicodeDecodeError:
        raise FileRefused(["The file is not text in UTF-8: export it again from the portal"], whole_file=True) from None
    except json.JSONDecodeError as error:
        raise FileRefused(
            [f"The file is not valid JSON: {error.msg} at line {error.lineno}, column {error.colno}"], whole_file=True
        ) from None
    except RecursionError:  # the parser's own limit, some hundreds of levels: far past MAX_DEPTH
        raise FileRefused([too_deep], whole_file=True) from None
    if _depth(data) > MAX_DEPTH:
        raise FileRefused([too_deep], whole_file=True)
    sweep = _Sweep()
    data = _swept(data, (), sweep)
    if not isinstance(data, dict) or data.get("format") != FORMAT_NAME:
        raise FileRefused([f'This is not a form definition file: it has no "format": "{FORMAT_NAME}"'], whole_file=True)
    version = data.get("schema_version")
    if version != SCHEMA_VERSION or isinstance(version, bool):
        raise FileRefused(
            [f"The file uses schema version {version!r}; this portal reads schema version {SCHEMA_VERSION} only"],
            whole_file=True,
        )
    over = _over_limits(data, sweep)
    if over:
        raise FileRefused(over, whole_file=True)
    reading = Reading()
    for path, message in sweep.found:
        reading.problem(_file_place(data, path), message, voids=True)
    for name in data:
        if name not in TOP_KEYS:
            reading.problem(Place(), f"unknown entry “{name}” at the top of the file")
    reading.title = _read_line(
        (_expect(reading, data, "title", str, "text", required=True) or "").strip(), top_place("title"), reading
    )
    if isinstance(data.get("title"), str) and not reading.title:
        reading.problem(top_place("title"), "this is empty", voids=True)
    kinds = ", ".join(FormKind.values)
    if data.get("kind") is None or data.get("kind") == "":
        # A form's kind has no default: a file names it, as the designer chooses it on the add page.
        reading.problem(top_place("kind"), f"name the form's kind, one of: {kinds}", voids=True)
        reading.kind = ""
    else:
        reading.kind = _expect(reading, data, "kind", str, "text") or ""
    if reading.kind and reading.kind not in FormKind.values:
        reading.problem(top_place("kind"), f"unknown form kind “{reading.kind}”; use one of: {kinds}", voids=True)
    reading.version_label = _read_line(
        _expect(reading, data, "version_label", str, "text") or "", top_place("version_label"), reading
    )
    reading.description = _read_text(
        _expect(reading, data, "description", str, "text") or "", top_place("description"), reading
    )
    _read_lists(data, reading)
    reading.teams = _read_terms(data, "teams", "Team", reading)
    reading.types = _read_terms(data, "types", "Type", reading)
    sections = _expect(reading, data, "sections", list, "a list of sections", required=True) or []
    section_block = sections_block().child_blocks["section"]
    for number, item in enumerate(sections, start=1):
        place = top_place("sections", section_name(number, item), number - 1)
        if not isinstance(item, dict):
            reading.problem(place, "expected an object with a title and questions", voids=True)
            item = {}  # an empty section holds its place, as a question does
        value = dict(item)
        if "questions" in value:
            value["fields"] = value.pop("questions")
        elif "fields" in value:
            reading.problem(place, "unknown entry 'fields'; the questions are under 'questions'")
            value.pop("fields")
        reading.sections.append({"type": "section", "value": _read_value(section_block, value, place, reading)})
    return reading


# --- the places of Wagtail's validation errors -------------------------------------------------------------------


def error_messages(error, sections_json):
    """Wagtail's nested StreamBlockValidationError for the sections, as flat problems ((order, message), see Place)
    whose messages name their places."""
    out = []

    def walk(err, parts):
        if isinstance(err, list):
            for item in err:
                walk(item, parts)
            return
        block_errors = getattr(err, "block_errors", None)
        non_block = getattr(err, "non_block_errors", None)
        if block_errors is None and non_block is None:
            for message in err.messages if isinstance(err, ValidationError) else [str(err)]:
                order = path_order(["sections", *parts])
                out.append((order, f"{Place(tuple(parts))}: {message}" if parts else message))
            return
        for message in non_block.as_data() if non_block else []:
            walk(message, parts)
        for index, child in (block_errors or {}).items():
            walk(child, [*parts, index])

    walk(error, [])
    return [(order, _name_places(message, sections_json)) for order, message in out]


def _name_places(message, sections_json):
    """'0, fields, 4, label: ...' (indexes from Wagtail) -> 'Section 1 “About you”, question “Name” (p1_name), "
    "label: ...'."""
    head, sep, rest = message.partition(": ")
    if not sep:
        return message
    parts = [part.strip() for part in head.split(",")]
    if not parts or not parts[0].isdigit():
        return message
    si = int(parts[0])
    try:
        section = sections_json[si]["value"]
    except (IndexError, KeyError, TypeError):
        section = {}
    words = [section_name(si + 1, section)]
    tail = parts[1:]
    if len(tail) >= 2 and tail[0] == "fields" and tail[1].isdigit():
        fi = int(tail[1])
        try:
            question = sections_json[si]["value"]["fields"][fi]["value"]
        except (IndexError, KeyError, TypeError):
            question = {}
        words.append(question_name(fi + 1, question))
        tail = tail[2:]
    words += [str(int(part) + 1) if part.isdigit() else part for part in tail]
    return f"{', '.join(words)}: {rest}"
