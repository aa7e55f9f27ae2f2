"""JUnit XML for simulated calls: one test case per request, for CI systems.

A request whose reply was wrong is a ``<failure>``; one that found nothing
listening is an ``<error>``. Problems about a call as a whole (a loop, a URL
outside the server) are one more test case of that call.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Sequence
from urllib.parse import urlsplit

from .simulator import CallReport


def _case(suite: ET.Element, classname: str, name: str, seconds: float) -> ET.Element:
    return ET.SubElement(suite, "testcase", classname=classname, name=name, time=f"{seconds:.3f}")


def junit_xml(reports: Sequence[CallReport]) -> str:
    root = ET.Element("testsuites", name="dialsim")
    for number, report in enumerate(reports, 1):
        played = ",".join(report.outcomes or [report.outcome])
        classname = f"dialsim.call{number}[{played}]"
        suite = ET.SubElement(root, "testsuite", name=classname)
        for index, exchange in enumerate(report.exchanges):
            path = urlsplit(exchange.url).path or "/"
            case = _case(
                suite, classname, f"{index + 1:02d} {exchange.step} {exchange.method} {path}", exchange.seconds
            )
            problems = report.problems_of(index)
            if exchange.unreachable:
                ET.SubElement(case, "error", message=exchange.error or "unreachable").text = exchange.error
            elif problems:
                failure = ET.SubElement(case, "failure", message=str(problems[0]))
                failure.text = "\n".join(str(p) for p in problems)
            status = "no reply" if exchange.status is None else f"HTTP {exchange.status}"
            ET.SubElement(case, "system-out").text = f"{exchange.label}: {status}\n{exchange.text[:2000]}"
        call_problems = report.problems_of(None)
        if call_problems or not report.exchanges:
            case = _case(suite, classname, "call", 0.0)
            if call_problems:
                failure = ET.SubElement(case, "failure", message=str(call_problems[0]))
                failure.text = "\n".join(str(p) for p in call_problems)
        cases = suite.findall("testcase")
        suite.set("tests", str(len(cases)))
        suite.set("failures", str(sum(c.find("failure") is not None for c in cases)))
        suite.set("errors", str(sum(c.find("error") is not None for c in cases)))
    ET.indent(root)
    return ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n"
