"""The README gives one way to install, in the same words wherever it says how."""

import re
from pathlib import Path

README = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
DEMO = "python3 -m venv .venv && . .venv/bin/activate && pip install -e . && scorecard demo"
TESTS = "python3 -m venv .venv && . .venv/bin/activate && pip install -e '.[test]' && python -m pytest -q"


def section(heading: str) -> str:
    start = README.index(f"\n## {heading}\n")
    end = README.find("\n## ", start + 1)
    return README[start:end]


def install_commands(text: str) -> list[str]:
    return re.findall(r"pip install [^\s`]+(?: [^\s`&]+)?", text)


def test_the_first_two_commands_are_the_demo_and_the_tests():
    blocks = re.findall(r"```\n(.*?)\n```", README, re.S)
    assert blocks[:2] == [DEMO, TESTS]


def test_every_install_for_use_is_the_same_command():
    user_sections = section("Getting started") + section("Excel setup from zero (Windows and Mac)")
    assert set(install_commands(user_sections)) == {"pip install -e ."}


def test_getting_started_says_how_to_get_the_folder_and_makes_a_virtual_environment():
    text = section("Getting started")
    assert "Download ZIP" in text and "git clone" in text
    assert "python3 -m venv .venv" in text and ". .venv/bin/activate" in text
    assert "py -m venv .venv" in text and ".venv\\Scripts\\activate" in text


def test_the_excel_setup_uses_the_same_steps():
    text = section("Excel setup from zero (Windows and Mac)")
    assert "py -m venv .venv" in text and ".venv\\Scripts\\activate" in text
    assert "python3 -m venv .venv" in text and ". .venv/bin/activate" in text
    assert "Download ZIP" in text or "Getting started" in text
