"""The index tests/examples.toml is the one list of the examples, and it matches what is there."""

from __future__ import annotations

import re
import subprocess
from collections import Counter

from harness.examples import EXAMPLES_DIR, INDEX, ROOT, load_examples

EXAMPLES = load_examples()
TABLE = re.compile(r"<!-- --8<-- \[start:table\] -->\n(.*?)<!-- --8<-- \[end:table\] -->", re.S)


def test_each_folder_has_exactly_one_entry_and_each_entry_a_folder():
    folders = sorted(path.name for path in EXAMPLES_DIR.iterdir() if path.is_dir() and not path.name.startswith("."))
    keys = [example.key for example in EXAMPLES]
    duplicated = [key for key, count in Counter(keys).items() if count > 1]
    assert not duplicated, f"{INDEX.name}: more than one entry for {duplicated}"
    assert sorted(keys) == folders, (
        f"examples/ holds {folders}, the index lists {sorted(keys)}: "
        f"no entry for {sorted(set(folders) - set(keys))}, no folder for {sorted(set(keys) - set(folders))}"
    )


def test_files_named_by_each_entry_exist():
    missing = [
        f"{example.key}: {role} = {name!r}"
        for example in EXAMPLES
        for role, name in (("main", example.main), ("verify", example.verify))
        if not (example.directory / name).is_file()
    ]
    assert not missing, f"files named in {INDEX.name} that do not exist: {missing}"


def test_labels_and_ports_are_unique():
    for what in ("label", "port"):
        values = Counter(getattr(example, what) for example in EXAMPLES)
        shared = {value: count for value, count in values.items() if count > 1}
        assert not shared, f"{INDEX.name}: {what} used by more than one example: {shared}"


def test_readme_table_matches_the_index():
    readme = EXAMPLES_DIR / "README.md"
    found = TABLE.search(readme.read_text())
    assert found, f"{readme}: no table between the `table` snippet markers"
    rows = [line for line in found.group(1).splitlines() if line.startswith("| `")]
    expected = [
        f"| `{example.key}/` | {example.framework} | {example.server} | {example.port} | {example.runs} |"
        for example in EXAMPLES
    ]
    assert rows == expected, (
        "examples/README.md's table differs from the index:\n"
        + "\n".join(
            f"  README: {got!r}\n  index:  {want!r}" for got, want in zip(rows, expected, strict=False) if got != want
        )
        + (f"\n  {len(rows)} rows, {len(expected)} entries" if len(rows) != len(expected) else "")
    )


def _names_of_keys(line: str, keys: list[str]) -> set[str]:
    """Example keys that ``line`` names as a folder (examples/go) or as a quoted word ("go")."""
    return {key for key in keys if re.search(rf"""examples/{key}\b|["']{key}["']""", line)}


def test_adding_a_language_touches_only_its_folder_and_one_entry():
    """Counting: no tracked file outside examples/ and the index names several examples
    together (a list of languages); such a file is one more place to edit for a new language."""
    keys = [example.key for example in EXAMPLES]
    tracked = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout.split()
    lists = []
    for name in tracked:
        path = ROOT / name
        if name.startswith("examples/") or path == INDEX or not path.is_file():
            continue
        if name.endswith(".min.js") or "/_generated/" in name:  # vendored, or rebuilt from the index by a generator
            continue
        try:
            lines = path.read_text().splitlines()
        except (UnicodeDecodeError, OSError):
            continue
        window = 6  # a list written one item a line, or a few on one line
        for start in range(max(1, len(lines) - window + 1)):
            named = set().union(*(_names_of_keys(line, keys) for line in lines[start : start + window]))
            if len(named) >= 3:
                lists.append(f"{name}:{start + 1}: names {sorted(named)}")
                break
    assert not lists, (
        "files outside examples/ and tests/examples.toml that list languages "
        "(read the list from the index instead):\n" + "\n".join(lists)
    )


def test_each_readme_gives_the_commands_the_harness_runs():
    """The harness runs the index's `run` exactly; a reader runs the README's: they are one command."""
    differ = []
    for example in EXAMPLES:
        readme = (example.directory / "README.md").read_text()
        for role, command in [("run", example.run), *(("install", step) for step in example.install)]:
            if " ".join(command) not in readme:
                differ.append(f"{example.key}/README.md lacks the {role} command `{' '.join(command)}`")
    assert not differ, "\n".join(differ)
