"""Every message in the code and templates has a Vietnamese translation."""
import re
import subprocess
import sys
from pathlib import Path

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
