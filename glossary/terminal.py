"""Text from files, made safe to print on a terminal."""

from __future__ import annotations


def printable(text: str, *, lines: bool = True) -> str:
    """``text`` as a terminal shows it literally: control characters written as escapes.

    Text from a model file or a record (a layer's name, say) could otherwise move the cursor,
    recolour the terminal or reorder what it shows (bidirectional controls). Line breaks stay,
    unless ``lines`` is False: an error message is one line.
    """

    def shown(character: str) -> str:
        if character.isprintable() or (lines and character == "\n"):
            return character
        return character.encode("unicode_escape").decode()

    return "".join(shown(character) for character in text)
