"""``junit``: JUnit XML for CI test tabs (Jenkins, GitLab, Azure DevOps, CircleCI).

Schema: the Jenkins xUnit plugin's ``junit-10.xsd`` (the Ant/Surefire dialect that Jenkins'
JUnit plugin and GitLab's test reports read), vendored as ``tests/schemas/junit-10.xsd``; the
tests validate every report against it. That schema has no ``file`` or ``line`` attribute on
``testcase``, so the location is in the ``classname`` and the failure text.

Shape: ``<testsuites>`` with one ``<testsuite>`` per input kind (terraform, plan, state, live)
and one ``<testcase>`` per notebook. ``classname`` is the file (source, plans) or
``ACCOUNT.REGION`` (live), ``name`` the address. FAIL is a ``<failure>``, UNKNOWN an
``<error>`` (the check could not be done), each with the verdict and reasons as ``message``, the
reason codes as ``type`` and the message, evidence, warnings and notes as text. A suppressed
or baselined FAIL/UNKNOWN is ``<skipped>`` with the suppression (it does not fail the run).
Input errors are a suite of their own, one ``<error>`` test case each, so a CI tab never shows
green when an input could not be read.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from typing import TextIO

from cmkguard.catalogue.entries import CATALOGUE
from cmkguard.errors import InputError
from cmkguard.findings import Finding, InputKind, ScanResult, Status
from cmkguard.inventory import LiveLocation, SourceLocation
from cmkguard.report.fields import acceptance, chain_line
from cmkguard.report.options import RenderOptions

SUITES_NAME = "cmkguard"
# XML 1.0 cannot carry most C0 controls even as character references; a hostile name holding
# one would make the whole report unreadable, so they are replaced.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def render(result: ScanResult, out: TextIO, options: RenderOptions) -> None:
    """Write ``result`` as one JUnit XML document to ``out``."""
    del options  # nothing in this format depends on the run
    root = ET.Element("testsuites", _counts(SUITES_NAME, result.findings, result.errors))
    for kind in InputKind:
        findings = [f for f in result.findings if f.input is kind]
        if findings:
            root.append(_suite(kind, findings))
    if result.errors:
        root.append(_error_suite(result.errors))
    ET.indent(root)
    out.write('<?xml version="1.0" encoding="UTF-8"?>\n')
    out.write(ET.tostring(root, encoding="unicode"))
    out.write("\n")


def _counts(
    name: str, findings: Sequence[Finding], errors: Sequence[InputError] = ()
) -> dict[str, str]:
    failures = sum(f.status is Status.FAIL and f.live for f in findings)
    unknown = sum(f.status is Status.UNKNOWN and f.live for f in findings)
    return {
        "name": name,
        "tests": str(len(findings) + len(errors)),
        "failures": str(failures),
        "errors": str(unknown + len(errors)),
    }


def _suite(kind: InputKind, findings: Sequence[Finding]) -> ET.Element:
    skipped = sum(f.status is not Status.PASS and not f.live for f in findings)
    attributes = {**_counts(f"cmkguard {kind.value}", findings), "skipped": str(skipped)}
    suite = ET.Element("testsuite", attributes)
    for finding in findings:
        suite.append(_case(finding))
    return suite


def _case(finding: Finding) -> ET.Element:
    case = ET.Element(
        "testcase", {"classname": _text(_classname(finding)), "name": _text(finding.address)}
    )
    if finding.status is Status.PASS:
        if finding.warnings:
            ET.SubElement(case, "system-out").text = _text(_details(finding))
        return case
    accepted = acceptance(finding)
    if accepted:
        ET.SubElement(case, "skipped", {"message": _text(accepted)}).text = _text(_details(finding))
        return case
    tag = "failure" if finding.status is Status.FAIL else "error"
    codes = ", ".join(r.value for r in finding.reasons)
    titles = "; ".join(CATALOGUE[r].title for r in finding.reasons)
    element = ET.SubElement(
        case, tag, {"message": _text(f"{finding.status.value} {codes}: {titles}"), "type": codes}
    )
    element.text = _text(_details(finding))
    return case


def _classname(finding: Finding) -> str:
    match finding.location:
        case SourceLocation(file=file):
            return file
        case LiveLocation(account=account, region=region):
            return f"{account}.{region}"


def _details(finding: Finding) -> str:
    lines = []
    if isinstance(finding.location, SourceLocation):
        lines.append(f"at {finding.location.file}:{finding.location.line}")
    lines.append(finding.message)
    lines += [chain_line(chain) for chain in finding.evidence]
    lines += [f"warning {w.value}: {CATALOGUE[w].title}" for w in finding.warnings]
    lines += [f"note: {note}" for note in finding.notes]
    if finding.fix is not None:
        lines.append(f"fix: {finding.fix}")
    return "\n".join(lines)


def _error_suite(errors: Sequence[InputError]) -> ET.Element:
    suite = ET.Element(
        "testsuite", {**_counts("cmkguard input errors", (), errors), "skipped": "0"}
    )
    for error in errors:
        case = ET.SubElement(
            suite, "testcase", {"classname": _text(error.path), "name": _text(str(error))}
        )
        ET.SubElement(
            case, "error", {"message": _text(error.message), "type": "input-error"}
        ).text = _text(str(error))
    return suite


def _text(value: str) -> str:
    return _NOT_XML.sub("\ufffd", value)
