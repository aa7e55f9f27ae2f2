"""Static checks of the ASP.NET Core example in examples/dotnet/.

These read the files only. The C# is not compiled or run by this module (the
machine it was written on has no .NET SDK and cannot reach NuGet); compiling and
running it is tests/test_examples.py's job wherever `dotnet` is on PATH. What
these checks can catch: a missing file, a wrong package or version, a route, an
environment variable or a snippet marker gone missing, a wildcard bind address,
a placeholder, an SDK pitfall the example is meant to avoid coming back, and C#
that is unbalanced or not laid out the way `dotnet format` lays it out.
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
CONTROLLER = EXAMPLE / "Controllers" / "DialStatusController.cs"
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
                if verbatim and source.startswith('""', j):
                    j += 2
                elif not verbatim and source[j] == "\\":
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
        "Controllers/DialStatusController.cs",
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
    (entry,) = [e for e in tomllib.loads((ROOT / "tests" / "examples.toml").read_text())["example"] if e["key"] == "dotnet"]
    assert entry["label"] == ".NET" and entry["port"] == 8085 and entry["requires"] == ["dotnet"]
    for command in [*entry["install"], entry["run"]]:
        assert command and all(isinstance(word, str) and word for word in command), command
    assert entry["run"] == ["dotnet", "bin/Release/net8.0/DialStatus.dll"], "run must start what install builds"
    assert ["dotnet", "build", "--no-restore", "-c", "Release"] in entry["install"]


# --- what the code says ------------------------------------------------------------


def test_routes():
    code = CONTROLLER.read_text()
    assert '[Route("dialstatus")]' in code, "the controller should be routed at /dialstatus"
    verbs = re.findall(r'\[AcceptVerbs\("GET", "POST"(?:, Route = "([^"]*)")?\)\]', code)
    assert sorted(verbs) == ["", "action"], (
        f"expected GET+POST actions at dialstatus and dialstatus/action, got {verbs}"
    )
    assert '"/dialstatus/action/"' in code, "the Dial action URL should be PUBLIC_URL + /dialstatus/action/"


@pytest.mark.parametrize("name", ENVIRONMENT_VARIABLES)
def test_environment_variable_is_read(name):
    code = PROGRAM.read_text()
    assert re.search(rf'(GetEnvironmentVariable|EnvironmentOrDefault)\("{name}"', code), f"{name} is not read"


def test_defaults():
    code = PROGRAM.read_text()
    assert 'EnvironmentOrDefault("HOST", "127.0.0.1")' in code
    assert 'EnvironmentOrDefault("PORT", "8085")' in code
    assert 'EnvironmentOrDefault("DIAL_NUMBER", "+15555550100")' in code
    assert 'EnvironmentOrDefault("PUBLIC_URL", $"http://127.0.0.1:{port}").TrimEnd(\'/\')' in code
    assert "return Refuse(" in code.split('GetEnvironmentVariable("PLIVO_AUTH_TOKEN")', 1)[1].split("\n\n", 1)[0]


@pytest.mark.parametrize("path", shipped_files(), ids=lambda p: str(p.relative_to(EXAMPLE)))
def test_no_wildcard_bind_address(path):
    text = path.read_text()
    for wildcard in ("0.0.0.0", "http://*", "http://+", "[::]"):
        assert wildcard not in text, f"{path.name} mentions {wildcard!r}"


@pytest.mark.parametrize("path", shipped_files(), ids=lambda p: str(p.relative_to(EXAMPLE)))
def test_no_placeholders(path):
    text = path.read_text()
    found = re.findall(r"<(?:your|my)[-_a-z]*>|<phone_number>|\bYOUR_[A-Z_]+|\bTODO\b|\bFIXME\b|\bXXX\b", text, re.I)
    assert not found, f"{path.name} holds placeholders: {found}"


def test_snippet_markers():
    code = CONTROLLER.read_text()
    answer = marked_region(code, "answer", "//")
    assert "[AcceptVerbs(" in answer and "new Plivo.XML.Dial(" in answer
    action = marked_region(code, "action", "//")
    assert 'Route = "action"' in action and "dial-status status=" in action
    verify = marked_region(code, "verify", "//")
    assert "XPlivoSignatureV3.VerifySignature(" in verify
    assert "X-Plivo-Signature-V3-Nonce" in verify
    for name in ("answer", "action", "verify"):
        region = code_only(marked_region(code, name, "//"))
        assert region.count("{") == region.count("}"), f"the {name} snippet does not hold whole blocks"


def test_readme():
    text = README.read_text()
    notes = marked_region(text, "notes", "<!--")
    assert "-->" in text.split("[start:notes]", 1)[1].splitlines()[0]
    assert len(notes.strip().splitlines()) > 5, "the notes section is nearly empty"
    assert "dotnet run" in text
    for name in ENVIRONMENT_VARIABLES:
        assert f"`{name}`" in text, f"README does not describe {name}"


def test_log_line_format():
    code = CONTROLLER.read_text()
    assert re.search(
        r'\$"dial-status status=\{ForLog\(status\)\} aleg=\{aLeg\} bleg=\{bLeg\} '
        r'hangup_cause=\{hangupCause\} rang=\{rang\}"',
        code,
    ), "the dial-status line does not have the contract's fields in the contract's order"
    assert "c <= ' ' || c is >= '\\u007f' and <= '\\u009f' ? '_' : c" in code, (
        "log values are not sanitised as the contract says"
    )


def test_sdk_pitfalls_stay_avoided():
    code = CONTROLLER.read_text()
    program = PROGRAM.read_text()
    assert not re.search(r"\.Add(Number|Speak)\([^;]*,\s*null\)", code), (
        "a null attribute dictionary makes the SDK throw"
    )
    assert 'value.Replace("&", "&amp;")' in code, "ToString() un-escapes &amp;, so & must be escaped once more first"
    assert "Console.SetOut(TextWriter.Null);" in program, "the SDK prints signatures to Console.Out"
    assert "LogToStandardErrorThreshold = LogLevel.Trace" in program, "framework logs belong on stderr"
    assert "MaxRequestBodySize = 64 * 1024" in program
    assert "Request.ReadFormAsync()" in code and "Request.Form[" not in code
    assert "FullUrlSignatureV3.IsValid(" in code, "the SDK drops the port, so URLs with one need the full-URL check"


# --- C# layout ---------------------------------------------------------------------


@pytest.mark.parametrize("path", csharp_files(), ids=lambda p: str(p.relative_to(EXAMPLE)))
def test_csharp_is_balanced_and_formatted(path):
    source = path.read_text()
    assert "\r" not in source and "\t" not in source, f"{path.name}: CR or tab characters"
    assert source.endswith("\n") and not source.endswith("\n\n"), f"{path.name}: should end with exactly one newline"
    code = code_only(source)
    closers = {")": "(", "]": "[", "}": "{"}
    stack: list[tuple[str, int]] = []
    problems = []
    for number, (line, code_line) in enumerate(zip(source.split("\n"), code.split("\n")), start=1):
        where = f"{path.name}:{number}"
        if line != line.rstrip():
            problems.append(f"{where}: trailing whitespace")
        indent = len(line) - len(line.lstrip(" "))
        if line.strip() and indent % 4:
            problems.append(f"{where}: indentation of {indent} is not a multiple of 4")
        stripped = code_line.strip()
        depth = sum(1 for opener, _ in stack if opener == "{")
        if stripped == "{" and indent != 4 * depth:
            problems.append(f"{where}: '{{' should be indented {4 * depth}, is {indent}")
        if stripped.startswith("}") and indent != 4 * (depth - 1):
            problems.append(f"{where}: '}}' should be indented {4 * (depth - 1)}, is {indent}")
        if stripped.endswith("{") and stripped != "{":
            problems.append(f"{where}: an opening brace goes on a line of its own (Allman style)")
        if re.match(r"}\s*(else|catch|finally)\b", stripped):
            problems.append(f"{where}: else/catch/finally go on the line after the closing brace")
        if re.search(r"\b(if|for|foreach|while|switch|catch|using|lock|return)\(", code_line):
            problems.append(f"{where}: a keyword needs a space before its parenthesis")
        if re.search(r",(?=\S)", code_line):
            problems.append(f"{where}: a comma needs a space after it")
        for char in code_line:
            if char in "([{":
                stack.append((char, number))
            elif char in closers:
                if not stack or stack[-1][0] != closers[char]:
                    problems.append(f"{where}: unmatched {char!r}")
                else:
                    stack.pop()
    problems += [f"{path.name}:{line}: {opener!r} is never closed" for opener, line in stack]
    if re.search(r"\n\n\n", source):
        problems.append(f"{path.name}: two blank lines in a row")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("path", csharp_files(), ids=lambda p: str(p.relative_to(EXAMPLE)))
def test_csharp_usings_are_sorted(path):
    usings = re.findall(r"^using ([\w.]+);$", path.read_text(), re.M)
    expected = sorted(usings, key=lambda name: (not (name == "System" or name.startswith("System.")), name))
    assert usings == expected, f"{path.name}: using directives should be System first, then in order"


def test_code_only_blanks_strings_and_comments():
    """The checker above is only as good as this helper."""
    sample = 'var s = $"a{b}c"; // {\nvar v = @"x""{"; char c = \'{\'; /* } */ f(\'\\\'\');\n'
    blanked = code_only(sample)
    assert len(blanked) == len(sample) and blanked.count("\n") == sample.count("\n")
    assert "{" not in blanked and "}" not in blanked
    assert "var s =" in blanked and "f(" in blanked
