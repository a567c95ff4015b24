"""Docs that cannot drift: the README's commands, CLI and settings are checked here."""

from __future__ import annotations

import re

import typer

from claimtrace.cli import app
from claimtrace.config import Settings
from tests.conftest import ROOT

README = (ROOT / "README.md").read_text("utf-8")


def test_readme_starts_with_the_two_commands() -> None:
    head = README[: README.index("## Status")]
    assert re.findall(r"^make \w+$", head, re.M) == ["make demo", "make test"]


def test_ci_runs_the_readme_test_command() -> None:
    ci = (ROOT / ".ci" / "run").read_text("utf-8")
    assert re.search(r"^make test$", ci, re.M)
    makefile = (ROOT / "Makefile").read_text("utf-8")
    assert re.search(r"^test: lint typecheck pytest$", makefile, re.M)


def test_every_command_is_documented() -> None:
    commands = typer.main.get_command(app).commands  # type: ignore[attr-defined]
    for name in commands:
        assert f"claimtrace {name}" in README, name


def test_every_extract_option_is_documented() -> None:
    extract = typer.main.get_command(app).commands["extract"]  # type: ignore[attr-defined]
    for param in extract.params:
        for option in param.opts:
            if option.startswith("--"):
                assert f"`{option}" in README, option


def test_every_setting_is_documented() -> None:
    for name in Settings.model_fields:
        assert f"`{name}`" in README, name
        assert f"`CLAIMTRACE_{name.upper()}" in README, name
