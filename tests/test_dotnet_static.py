"""Static checks of the ASP.NET Core example in examples/dotnet/.

These read the files only. The C# is not compiled or run by this module (the
machine it was written on has no .NET SDK and cannot reach NuGet); compiling and
running it is tests/test_examples.py's job wherever `dotnet` is on PATH. They
keep to what a .NET reviewer would also ask for: the files are there, the
project targets net8.0 and references Plivo 5.53.0, both webhook routes exist
behind the signature filter, nothing binds beyond loopback, no secret or
placeholder is in the code, the guide's snippet sections are whole, and a lock
file, if there is one, came from a real restore. None of them asserts how the
code is written beyond that, so that a sensible refactor stays free.
"""

from __future__ import annotations

import json
import re
import tomllib
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "dotnet"
PROGRAM = EXAMPLE / "Program.cs"
PROJECT = EXAMPLE / "DialStatus.csproj"
README = EXAMPLE / "README.md"

ENVIRONMENT_VARIABLES = ("PLIVO_AUTH_TOKEN", "PUBLIC_URL", "DIAL_NUMBER", "HOST", "PORT")


def shipped_files() -> list[Path]:
    """Every file of the example a reader would copy (build output excluded)."""
    return sorted(
        path
        for path in EXAMPLE.rglob("*")
        if path.is_file() and not {"bin", "obj"} & set(path.relative_to(EXAMPLE).parts)
    )


def csharp_files() -> list[Path]:
    return [path for path in shipped_files() if path.suffix == ".cs"]


def code_only(source: str) -> str:
    """``source`` with comments and the insides of string and char literals blanked.

    Newlines and the length of every line are kept, so positions still match.
    Interpolation holes count as string contents, which is right as long as a
    hole holds no string literal of its own: the example keeps them simple, and
    a hole with quotes in it shows up here as unbalanced code.
    """
    out: list[str] = []
    i, n = 0, len(source)

    def blank(text: str) -> str:
        return re.sub(r"[^\n]", " ", text)

    while i < n:
        if source.startswith("//", i):
            end = source.find("\n", i)
            end = n if end < 0 else end
            out.append(blank(source[i:end]))
            i = end
            continue
        if source.startswith("/*", i):
            end = source.find("*/", i + 2)
            if end < 0:
                raise ValueError("unterminated /* comment")
            out.append(blank(source[i : end + 2]))
            i = end + 2
            continue
        if source.startswith('"""', i):
            raise ValueError("raw string literals are not handled by this checker")
        opening = re.match(r'(\$@|@\$|@|\$)?"', source[i:])
        if opening:
            verbatim = "@" in opening.group(0)
            j = i + len(opening.group(0))
            while True:
                if j >= n or (not verbatim and source[j] == "\n"):
                    raise ValueError(f"unterminated string literal at offset {i}")
                if verbatim and source.startswith('""', j) or not verbatim and source[j] == "\\":
                    j += 2
                elif source[j] == '"':
                    j += 1
                    break
                else:
                    j += 1
            out.append('"' + blank(source[i + 1 : j - 1]) + '"')
            i = j
            continue
        if source[i] == "'":
            j = i + 1
            while j < n and source[j] != "'":
                j += 2 if source[j] == "\\" else 1
            if j >= n:
                raise ValueError(f"unterminated char literal at offset {i}")
            out.append("'" + blank(source[i + 1 : j]) + "'")
            i = j + 1
            continue
        out.append(source[i])
        i += 1
    return "".join(out)


def marked_region(text: str, name: str, comment: str) -> str:
    """The text between a file's ``[start:name]`` and ``[end:name]`` markers."""
    start = f"{comment} --8<-- [start:{name}]"
    end = f"{comment} --8<-- [end:{name}]"
    starts = [m.start() for m in re.finditer(re.escape(start), text)]
    ends = [m.start() for m in re.finditer(re.escape(end), text)]
    assert len(starts) == 1, f"expected exactly one {start!r}, found {len(starts)}"
    assert len(ends) == 1, f"expected exactly one {end!r}, found {len(ends)}"
    assert starts[0] < ends[0], f"{end!r} comes before {start!r}"
    return text[starts[0] : ends[0]]


# --- the files the contract names ------------------------------------------------


@pytest.mark.parametrize(
    "relative",
    [
        "DialStatus.csproj",
        "Program.cs",
        "README.md",
    ],
)
def test_file_exists(relative):
    assert (EXAMPLE / relative).is_file(), f"examples/dotnet/{relative} is missing"


def test_project_targets_net8_and_references_plivo():
    root = ET.parse(PROJECT).getroot()
    assert root.tag == "Project" and root.get("Sdk") == "Microsoft.NET.Sdk.Web", "not an ASP.NET Core project"
    assert [e.text for e in root.iter("TargetFramework")] == ["net8.0"]
    references = {e.get("Include"): e.get("Version") for e in root.iter("PackageReference")}
    assert references.get("Plivo") == "5.53.0", f"expected PackageReference Plivo 5.53.0, got {references}"


def test_lock_file_is_real_if_present():
    """packages.lock.json can only come from a real restore; a hand-made one is worse than none."""
    lock = EXAMPLE / "packages.lock.json"
    root = ET.parse(PROJECT).getroot()
    assert [e.text for e in root.iter("RestorePackagesWithLockFile")] == ["true"]
    if not lock.exists():
        pytest.skip("packages.lock.json not generated yet: it needs a restore from NuGet")
    data = json.loads(lock.read_text())
    plivo = data["dependencies"]["net8.0"]["Plivo"]
    assert plivo["type"] == "Direct" and plivo["resolved"] == "5.53.0"
    assert plivo.get("contentHash"), "a restored lock file records each package's content hash"


def test_index_entry():
    """Its entry in tests/examples.toml: run starts what install builds."""
    entry = index_entry()
    assert entry["label"] == ".NET" and entry["port"] == 8085 and entry["requires"] == ["dotnet"]
    for command in [*entry["install"], entry["run"]]:
        assert command and all(isinstance(word, str) and word for word in command), command
    assert entry["run"] == ["dotnet", "bin/Release/net8.0/DialStatus.dll"], "run must start what install builds"
    assert ["dotnet", "build", "--no-restore", "-c", "Release"] in entry["install"]
    assert (EXAMPLE / entry["main"]).is_file() and (EXAMPLE / entry.get("verify", entry["main"])).is_file()


def index_entry() -> dict:
    (entry,) = [
        e for e in tomllib.loads((ROOT / "tests" / "examples.toml").read_text())["example"] if e["key"] == "dotnet"
    ]
    return entry


# --- what the code says ------------------------------------------------------------


def test_routes():
    """GET and POST at both webhook paths, behind the signature filter; the Dial names the action URL."""
    code = "\n".join(path.read_text() for path in csharp_files())
    routes = re.findall(r'Map(?:Methods|Get|Post)\("(/dialstatus/(?:action/)?)"', code)
    assert sorted(set(routes)) == ["/dialstatus/", "/dialstatus/action/"], f"webhook routes found: {routes}"
    assert "IEndpointFilter" in code and "AddEndpointFilter" in code, "no endpoint filter checks the signature"
    assert '"/dialstatus/action/"' in code, "the Dial action URL should be PUBLIC_URL + /dialstatus/action/"


@pytest.mark.parametrize("path", csharp_files(), ids=lambda p: str(p.relative_to(EXAMPLE)))
def test_no_hard_coded_secret(path):
    """The auth token comes from configuration; no literal in the code looks like one."""
    literals = re.findall(r'"([^"\\]*)"', path.read_text())
    tokens = [text for text in literals if re.fullmatch(r"[A-Za-z0-9+/=]{20,}", text)]
    assert not tokens, f"{path.name} holds literals shaped like a token or key: {tokens}"


def test_auth_token_comes_from_configuration():
    assert '"PLIVO_AUTH_TOKEN"' in PROGRAM.read_text(), "Program.cs does not read PLIVO_AUTH_TOKEN"


@pytest.mark.parametrize("path", shipped_files(), ids=lambda p: str(p.relative_to(EXAMPLE)))
def test_no_wildcard_bind_address(path):
    text = path.read_text()
    for wildcard in ("0.0.0.0", "http://*", "http://+", "[::]"):
        assert wildcard not in text, f"{path.name} mentions {wildcard!r}"


@pytest.mark.parametrize("path", shipped_files(), ids=lambda p: str(p.relative_to(EXAMPLE)))
def test_no_placeholders(path):
    text = path.read_text()
    found = re.findall(
        r"<(?:your|my)[-_a-z]*>|<phone_number>|\bYOUR_[A-Z_]+|\bTODO\b|\bFIXME\b|\bXXX\b", text, re.IGNORECASE
    )
    assert not found, f"{path.name} holds placeholders: {found}"


def test_snippet_markers():
    """The sections the guide includes are there, each whole blocks of code."""
    entry = index_entry()
    sections = {"answer": entry["main"], "action": entry["main"], "verify": entry.get("verify", entry["main"])}
    for name, relative in sections.items():
        region = marked_region((EXAMPLE / relative).read_text(), name, "//")
        code = code_only(region)
        assert code.strip(), f"the {name} snippet in {relative} is empty"
        assert code.count("{") == code.count("}"), f"the {name} snippet in {relative} does not hold whole blocks"


def test_readme():
    text = README.read_text()
    notes = marked_region(text, "notes", "<!--")
    assert "-->" in text.split("[start:notes]", 1)[1].splitlines()[0]
    assert len(notes.strip().splitlines()) > 5, "the notes section is nearly empty"
    run = " ".join(index_entry()["run"])
    assert run in text, f"the README should start the app with the index's run command, {run!r}"
    for name in ENVIRONMENT_VARIABLES:
        assert f"`{name}`" in text, f"README does not describe {name}"


# --- C# that cannot be compiled here ------------------------------------------------


@pytest.mark.parametrize("path", csharp_files(), ids=lambda p: str(p.relative_to(EXAMPLE)))
def test_csharp_brackets_are_balanced(path):
    """Without a compiler here, at least every bracket closes the one it should."""
    closers = {")": "(", "]": "[", "}": "{"}
    stack: list[tuple[str, int]] = []
    problems = []
    for number, line in enumerate(code_only(path.read_text()).split("\n"), start=1):
        for char in line:
            if char in "([{":
                stack.append((char, number))
            elif char in closers:
                if not stack or stack[-1][0] != closers[char]:
                    problems.append(f"{path.name}:{number}: unmatched {char!r}")
                else:
                    stack.pop()
    problems += [f"{path.name}:{line}: {opener!r} is never closed" for opener, line in stack]
    assert not problems, "\n".join(problems)


def test_code_only_blanks_strings_and_comments():
    """The checker above is only as good as this helper."""
    sample = 'var s = $"a{b}c"; // {\nvar v = @"x""{"; char c = \'{\'; /* } */ f(\'\\\'\');\n'
    blanked = code_only(sample)
    assert len(blanked) == len(sample) and blanked.count("\n") == sample.count("\n")
    assert "{" not in blanked and "}" not in blanked
    assert "var s =" in blanked and "f(" in blanked
