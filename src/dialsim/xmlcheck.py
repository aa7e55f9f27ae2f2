"""Checks a reply body the way Plivo reads it: as a Plivo XML document.

Each problem names the element (as a path such as ``Response/Dial[1]``) and,
where it applies, the attribute at fault.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from . import plivo_data as pd

#: Plivo rejects XML documents larger than this (Plivo's XML response page).
MAX_XML_BYTES = 100 * 1024


@dataclass(frozen=True)
class Problem:
    where: str  # element path, with "@attribute" when an attribute is at fault
    message: str
    #: In a simulated call, the index in ``CallReport.exchanges`` of the
    #: request whose reply this is about; None for the call as a whole.
    exchange: int | None = field(default=None, compare=False)

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


@dataclass(frozen=True)
class DialInstruction:
    """What the simulator needs from a ``<Dial>`` to play it."""

    action: str | None
    method: str
    redirect: bool
    targets: tuple[str, ...]
    callback_url: str | None = None
    callback_method: str = "POST"

    @classmethod
    def of(cls, dial: ET.Element) -> DialInstruction:
        return cls(
            action=dial.get("action"),
            method=(dial.get("method") or "POST").upper(),
            redirect=(dial.get("redirect") or "true").lower() == "true",
            targets=tuple((child.text or "").strip() for child in dial),
            callback_url=dial.get("callbackUrl"),
            callback_method=(dial.get("callbackMethod") or "POST").upper(),
        )


@dataclass
class XmlReport:
    root: ET.Element | None
    problems: list[Problem]

    @property
    def ok(self) -> bool:
        return not self.problems

    def dials(self) -> list[DialInstruction]:
        if self.root is None:
            return []
        return [DialInstruction.of(dial) for dial in self.root.findall("Dial")]


_INTEGER = re.compile(r"[0-9]+")


def _check_value(kind: str, value: str) -> str | None:
    """A message when ``value`` is not valid for an attribute of ``kind``."""
    if kind == pd.BOOLEAN and value not in ("true", "false"):
        return f"must be 'true' or 'false', got {value!r}"
    if kind == pd.HTTP_METHOD and value not in ("GET", "POST"):
        return f"must be 'GET' or 'POST', got {value!r}"
    if kind == pd.POSITIVE_INT and (not _INTEGER.fullmatch(value) or int(value) == 0):
        return f"must be a positive integer, got {value!r}"
    if kind == pd.KEY and (len(value) != 1 or value not in "0123456789#*"):
        return f"must be one key (0-9, # or *), got {value!r}"
    if kind == pd.URL:
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            return f"must be an absolute http(s) URL, got {value!r}"
    return None


def _check_element(element: ET.Element, path: str, problems: list[Problem]) -> None:
    spec = pd.ELEMENTS.get(element.tag)
    if spec is None:
        problems.append(Problem(path, f"<{element.tag}> is not a Plivo XML element"))
        return
    if spec.attributes is not None:
        known = {a.name: a for a in spec.attributes}
        for name, value in element.attrib.items():
            attribute = known.get(name)
            if attribute is None:
                hint = ""
                close = [k for k in known if k.lower() == name.lower()]
                if close:
                    hint = f" (did you mean {close[0]!r}?)"
                problems.append(Problem(f"{path}@{name}", f"<{element.tag}> has no attribute {name!r}{hint}"))
                continue
            message = _check_value(attribute.kind, value)
            if message:
                problems.append(Problem(f"{path}@{name}", message))
    text = (element.text or "").strip()
    if spec.text == "required" and not text:
        problems.append(Problem(path, f"<{element.tag}> must have text content"))
    if spec.text == "none" and text:
        problems.append(Problem(path, f"<{element.tag}> takes no text, got {text!r}"))
    counts: dict[str, int] = {}
    for child in element:
        counts[child.tag] = counts.get(child.tag, 0) + 1
        child_path = f"{path}/{child.tag}[{counts[child.tag]}]"
        if "*" not in spec.children and child.tag not in spec.children:
            allowed = ", ".join(f"<{c}>" for c in spec.children) or "no child elements"
            problems.append(
                Problem(child_path, f"<{child.tag}> is not allowed in <{element.tag}> (allowed: {allowed})")
            )
            continue
        if (child.tail or "").strip():
            problems.append(Problem(child_path, f"stray text after <{child.tag}>: {child.tail.strip()!r}"))
        _check_element(child, child_path, problems)
    if element.tag == "Dial" and not any(c.tag in ("Number", "User") for c in element):
        problems.append(Problem(path, "<Dial> must contain at least one <Number> or <User>"))


def check_xml(body: bytes | str) -> XmlReport:
    """Parse and check a Plivo XML document; never raises on bad input."""
    raw = body.encode("utf-8") if isinstance(body, str) else body
    if len(raw) > MAX_XML_BYTES:
        return XmlReport(None, [Problem("document", f"{len(raw)} bytes; Plivo accepts at most {MAX_XML_BYTES}")])
    if not raw.strip():
        return XmlReport(None, [Problem("document", "empty body: Plivo needs a <Response> document")])
    try:
        root = ET.fromstring(raw)
    except ET.ParseError as error:
        return XmlReport(None, [Problem("document", f"not well-formed XML: {error}")])
    problems: list[Problem] = []
    if root.tag != "Response":
        problems.append(Problem(root.tag, f"the root element must be <Response>, got <{root.tag}>"))
        return XmlReport(root, problems)
    _check_element(root, "Response", problems)
    return XmlReport(root, problems)


def content_type_problem(content_type: str | None) -> Problem | None:
    """A problem when a reply's Content-Type is not one Plivo takes for XML."""
    media_type = (content_type or "").split(";")[0].strip().lower()
    if media_type in pd.XML_CONTENT_TYPES:
        return None
    wanted = " or ".join(pd.XML_CONTENT_TYPES)
    return Problem("Content-Type", f"must be {wanted}, got {content_type or 'nothing'!r}")


def element_tree(element: ET.Element) -> tuple:
    """A comparable form of an element: tag, attributes, stripped text, children.

    Whitespace between elements, attribute order and quoting are ignored, so
    the same document from every SDK compares equal.
    """
    return (
        element.tag,
        tuple(sorted(element.attrib.items())),
        (element.text or "").strip(),
        tuple(element_tree(child) for child in element),
    )
