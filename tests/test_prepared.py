"""The tests' own cache of edits (tests/prepared.py): an edit remembered gives the file the edit gives it."""

from __future__ import annotations

from pathlib import Path

from prepared import remembered, remembered_reading

calls: list[tuple[bytes, tuple]] = []


def append(path: Path, *words) -> None:
    """An edit whose result depends on the file's bytes and the words, and which counts its calls."""
    calls.append((path.read_bytes(), words))
    path.write_bytes(path.read_bytes() + " ".join(map(str, words)).encode())


def test_the_same_edit_of_the_same_bytes_is_written_back_not_made_again(tmp_path):
    calls.clear()
    first, second, other = tmp_path / "first", tmp_path / "second", tmp_path / "other"
    first.write_bytes(b"book:")
    second.write_bytes(b"book:")
    other.write_bytes(b"another book:")
    remembered(first, append, "M1", "typed")
    remembered(second, append, "M1", "typed")
    assert first.read_bytes() == second.read_bytes() == b"book:M1 typed" and len(calls) == 1
    remembered(other, append, "M1", "typed")  # other bytes: edited afresh
    remembered(second, append, "M1", "again")  # other words: edited afresh
    assert other.read_bytes() == b"another book:M1 typed" and second.read_bytes() == b"book:M1 typedM1 again"
    assert len(calls) == 3


def test_an_edit_with_words_that_are_not_plain_data_is_made_every_time(tmp_path):
    calls.clear()

    class Rich(str):  # rich text, say: its repr need not say all it holds
        pass
    for name in ("one", "two"):
        path = tmp_path / name
        path.write_bytes(b"book:")
        remembered(path, append, Rich("bold"))
        assert path.read_bytes() == b"book:bold"
    assert len(calls) == 2


def test_a_reading_is_remembered_by_the_bytes_and_each_test_gets_its_own_copy(tmp_path):
    read = []

    def letters(path: Path) -> dict[str, list[str]]:
        read.append(path)
        return {"letters": list(path.read_text())}
    one, two = tmp_path / "one", tmp_path / "two"
    one.write_text("ab")
    two.write_text("ab")
    got = remembered_reading(one, letters)
    got["letters"].append("changed by a test")
    assert remembered_reading(two, letters) == {"letters": ["a", "b"]} and read == [one]
