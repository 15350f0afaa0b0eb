"""Every message in the code and templates has a Vietnamese translation."""
import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
# As the Makefile's `make messages`: the lazy gettext, ngettext and pgettext.
KEYWORDS = ("-k", "_l", "-k", "_ln:1,2", "-k", "_lp:1c,2")
PLACEHOLDER = re.compile(r"%\(\w+\)[-#0 +]*\d*(?:\.\d+)?[sdifr]")


def extracted_messages(tmp_path):
    template = tmp_path / "messages.pot"
    pybabel = Path(sys.executable).parent / "pybabel"
    subprocess.run([str(pybabel), "extract", "-F", "babel.cfg", *KEYWORDS, "-o", str(template), "app"],
                   cwd=ROOT, check=True, capture_output=True)
    with template.open("rb") as stream:
        return [message for message in read_po(stream) if message.id]


def vietnamese_catalog():
    with (ROOT / "translations/vi/LC_MESSAGES/messages.po").open("rb") as stream:
        return read_po(stream)


def test_every_message_is_translated_into_vietnamese(tmp_path):
    catalog = vietnamese_catalog()
    def translated(message):
        found = catalog.get(message.id, context=message.context)
        forms = found.string if found is not None and isinstance(found.string, tuple) else (found and found.string,)
        return found is not None and all(forms) and not found.fuzzy

    missing = [(message.context, message.id) for message in extracted_messages(tmp_path) if not translated(message)]
    assert missing == [], "run `make messages` and translate translations/vi"


def test_translations_keep_every_placeholder():
    def forms(text):  # a plural message holds a tuple of forms
        return text if isinstance(text, tuple) else (text,)

    wrong = [message.id for message in vietnamese_catalog() if message.id and message.string
             for source in forms(message.id) for translation in forms(message.string)
             if sorted(PLACEHOLDER.findall(source)) != sorted(PLACEHOLDER.findall(translation))]
    assert wrong == []


# English words this interface uses with more than one meaning, each meaning under its own context, because
# Vietnamese says them differently: "The child" is a source of reports (trẻ em tự thông báo) and the heading of
# the intake's section on the child; "Kind" is the kind of a timeline entry and of a service provider; "School"
# is an institution and the school a child attends; "Action" is what someone did in the audit trail and an
# activity of the support plan; "Inspection" is a visit to a care facility and the inspector's home page; "Met" is a
# checklist item passed and a deadline kept. Found by reading every message used in more than one place (issue 13).
SEVERAL_MEANINGS = {
    "The child": {"report source", "intake section"},
    "Kind": {"timeline entry", "service provider"},
    "School": {"institution", "child's school"},
    "Action": {"audit", "support plan"},
    "Inspection": {"facility visit", "inspector home"},
    "Met": {"checklist", "deadline"},
    "Added by": {"register entry", "attached file"},
    "Report": {"periodic report", "case intake"},
}


def english_catalog():
    with (ROOT / "translations/en/LC_MESSAGES/messages.po").open("rb") as stream:
        return read_po(stream)


def test_a_word_with_several_meanings_always_says_which(tmp_path):
    used = {(message.context, message.id) for message in extracted_messages(tmp_path)
            if message.id in SEVERAL_MEANINGS}
    assert used == {(context, word) for word, contexts in SEVERAL_MEANINGS.items() for context in contexts}


def test_a_message_given_a_context_is_nowhere_used_without_one(tmp_path):
    """Once a text has meanings, a bare use of it would take whichever translation the catalog holds bare."""
    messages = extracted_messages(tmp_path)
    with_context = {message.id for message in messages if message.context}
    assert sorted(message.id for message in messages if not message.context and message.id in with_context) == []


@pytest.mark.parametrize("word", sorted(SEVERAL_MEANINGS))
def test_both_catalogs_hold_each_meaning_and_vietnamese_tells_them_apart(word):
    contexts = SEVERAL_MEANINGS[word]
    assert all(english_catalog().get(word, context=context) is not None for context in contexts)
    assert english_catalog().get(word) is None and vietnamese_catalog().get(word) is None
    translations = {vietnamese_catalog().get(word, context=context).string for context in contexts}
    assert len(translations) == len(contexts) and "" not in translations
