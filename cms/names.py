"""The one rule by which a name is matched: a child's in a search ("Zoe" finds Zoë, "Ni Bhriain" finds Ní Bhriain,
"D'Arcy" finds D’Arcy pasted from an email, and so does "Darcy") and the warning of a record that may already exist
for the child; an organisation's, against those already listed, on a request to join. Plain Python, so a migration
may fill the folded names of the rows it finds with it.

A change to the rule (a letter added to LETTERS, say) needs a migration that fills ChildRecord.search_name again, as
0039_child_search_name did: the rows keep the names folded by the old rule, so a search or the warning of a record that
may already exist would miss them."""

import re
import unicodedata

# Letters that carry their mark in themselves, so decomposing leaves them whole (after casefolding).
LETTERS = str.maketrans({"ø": "o", "đ": "d", "ð": "d", "ł": "l", "ħ": "h", "ı": "i", "æ": "ae", "œ": "oe", "þ": "th"})
# Apostrophes (curly, modifier letter, prime, accents used as one, and the keyboard's own), left out: what an email or a
# word processor writes for what a keyboard types, and often not typed at all ("Darcy" for D'Arcy). Hyphens and
# dashes, each as one.
APOSTROPHES = re.compile("['\u2018\u2019\u201b\u02bc\u02b9\u2032\u0060\u00b4\uff07]")
HYPHENS = re.compile("[\u2010\u2011\u2012\u2013\u2014\u2212]")


def name_folded(text: str) -> str:
    """``text`` without its accents and apostrophes, in one case, with one hyphen and single spaces: "Zoë
    Ní Bhriain-D’Arcy" is "zoe ni bhriain-darcy"."""
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    folded = bare.casefold().translate(LETTERS)
    return " ".join(HYPHENS.sub("-", APOSTROPHES.sub("", folded)).split())
