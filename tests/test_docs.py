"""The README is tested against the code: every command, option and variable is documented."""

import re
from pathlib import Path

import click
import pytest

from extractor.cli import cli
from extractor.config import ENV_VARS

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def test_readme_leads_with_the_two_commands():
    first_block = README.split("```")[1]
    assert "make run" in first_block and "make test" in first_block


@pytest.mark.parametrize("command", sorted(cli.commands))
def test_every_command_is_in_the_readme(command):
    assert re.search(rf"extractor {command}\b", README), f"README never shows 'extractor {command}'"


@pytest.mark.parametrize("command", ["extract", "eval", "serve"])
def test_every_option_of_the_main_commands_is_in_the_readme(command):
    for param in cli.commands[command].params:
        if isinstance(param, click.Option) and param.name not in ("help",):
            longest = max(param.opts, key=len)
            assert f"`{longest}" in README or f"{longest}`" in README or f" {longest} " in \
                README, f"README does not document {command} {longest}"


@pytest.mark.parametrize("variable", sorted(ENV_VARS))
def test_every_environment_variable_is_in_the_readme(variable):
    assert f"`{variable}`" in README


def test_the_baseline_floor_in_the_readme_is_current():
    """The README's baseline scores are a fresh evaluation's, not remembered numbers."""
    import importlib.util
    from importlib.machinery import SourceFileLoader

    script = Path(__file__).resolve().parents[1] / "scripts" / "baseline-floor"
    loader = SourceFileLoader("baseline_floor", str(script))
    spec = importlib.util.spec_from_loader("baseline_floor", loader)
    floor = importlib.util.module_from_spec(spec)
    loader.exec_module(floor)
    expected = floor.table(floor.evaluate())
    assert expected in README, "README's baseline floor is stale: run `make floor`"


ARCHITECTURE = (Path(__file__).resolve().parents[1] / "docs" / "architecture.md")


def test_every_module_the_architecture_page_names_exists():
    root = ARCHITECTURE.parents[1]
    text = ARCHITECTURE.read_text(encoding="utf-8")
    named = set(re.findall(r"(?<![\w/])((?:extractor|schemas|evals|prompts)/[\w./]*)", text))
    assert len(named) > 30
    missing = [path for path in sorted(named) if not (root / path.rstrip("/.")).exists()]
    assert missing == []
    # In the table, a file named alone lives in its row's folder.
    for row in re.findall(r"^\| `(extractor/\w+/)` \|(.*)\|$", text, flags=re.MULTILINE):
        folder, cells = row
        for name in re.findall(r"`(\w+\.(?:py|csv|toml))`", cells):
            assert (root / folder / name).exists() or (root / "prompts" / name).exists(), \
                f"{folder}{name}"
