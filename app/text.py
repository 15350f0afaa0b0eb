"""Text helpers for Vietnamese names."""
import re
import unicodedata

_SPACES = re.compile(r"\s+")


def fold(text: str | None) -> str:
    """Lower case without diacritics, single-spaced: `Nguyễn  Văn Ân` -> `nguyen van an`.

    Searching compares folded text, so that people may type without Vietnamese accents.
    """
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    return _SPACES.sub(" ", bare).strip().lower()


def word_starts(folded: str | None) -> set[str]:
    """A folded name from each of its words on: `nguyen van an` -> {`nguyen van an`, `van an`, `an`}."""
    words = (folded or "").split()
    return {" ".join(words[index:]) for index in range(len(words))}


def initials(name: str) -> str:
    """`Hải Dương` -> `HD`, `Hồ Chí Minh` -> `HCM`."""
    return "".join(word[0] for word in fold(name).split()).upper()


def printable(text: str) -> str:
    """`text` without control and format characters (a typed name kept in the trail: no line breaks, no
    direction overrides that would make it read as something else)."""
    return "".join(char for char in text if unicodedata.category(char) not in ("Cc", "Cf", "Zl", "Zp"))
