"""Accepted exceptions: inline ``cmkguard:ignore`` comments, Checkov skips, config entries.

Applied AFTER judging, by pure functions: a suppression never changes a verdict, it marks a
FAIL/UNKNOWN finding as accepted (``Finding.suppressed``), which keeps it in every report but
out of the exit status.

The inline grammar is strict (after zizmor's ignore comments)::

    # cmkguard:ignore[CODE,...] reason="why" until=YYYY-MM-DD

in a ``#``, ``//`` or one-line ``/* */`` comment, or a ``"//"`` member in ``.tf.json``. CODE is
a reason code (``cmkguard explain``); the reason is required; ``until`` is optional and the last
day the suppression holds. A comment that starts like a cmkguard directive but does not follow
the grammar is an input error, never silently ignored. ``#checkov:skip=CKV_AWS_22:reason`` and
``CKV_AWS_187`` are honoured so that teams can migrate; a skip without a reason is accepted and
flagged.

Where: the notebook block's opening line, the comment lines directly above it, and the comment
lines directly below its opening line (Checkov's usual place). A suppression that matches no
FAIL/UNKNOWN finding is reported as unused.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date

from cmkguard.catalogue.codes import Reason
from cmkguard.errors import InputError
from cmkguard.findings import Finding, Status, Suppression, SuppressionKind
from cmkguard.inventory import SourceLocation

CHECKOV_IDS = frozenset({"CKV_AWS_22", "CKV_AWS_187"})
"""Checkov checks of this control (``shared/control.md``); skips of other checks are theirs."""

GRAMMAR = 'cmkguard:ignore[CODE,...] reason="..." until=YYYY-MM-DD (until optional)'

_ATTEMPT = re.compile(r"cmkguard\s*:|cmkguard[\s_-]*(ignore|skip|disable|suppress)", re.I)
_DIRECTIVE = re.compile(r"cmkguard:ignore\[(?P<codes>[^\]]*)\](?P<rest>.*)", re.S)
_ARGUMENTS = re.compile(
    r'\s+reason="(?P<reason>(?:[^"\\]|\\.)*)"(?:\s+until=(?P<until>\S*))?\s*', re.S
)
_CODE = re.compile(r"[a-z][a-z0-9-]*")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_CHECKOV = re.compile(
    r"(?:checkov|bridgecrew):skip=\s*(?P<id>[A-Za-z_\d]+)(?::(?P<reason>.*))?", re.I | re.S
)
_JSON_COMMENT = re.compile(r'^\s*"//"\s*:\s*(?P<text>"(?:[^"\\]|\\.)*")\s*,?\s*$')
_VALID_CODES = frozenset(r.value for r in Reason)


def valid_codes() -> frozenset[str]:
    """The codes a suppression may name: every reason code (``unresolved`` included)."""
    return _VALID_CODES


@dataclass(frozen=True, slots=True)
class Directive:
    """A well-formed suppression comment before it is placed in a file."""

    kind: SuppressionKind
    codes: tuple[str, ...]
    reason: str | None
    until: date | None

    def at(self, file: str, line: int) -> Suppression:
        """The suppression this directive makes at ``file:line``."""
        return Suppression(self.kind, self.codes, self.reason, self.until, file, line)


def parse_comment(body: str) -> Directive | str | None:
    """The directive in one comment's text (without its ``#``/``//``/``/* */`` marker).

    Returns ``None`` for an ordinary comment, a ``Directive``, or a one-line message saying why
    a comment that starts like a cmkguard directive is malformed.
    """
    text = body.strip()
    if _ATTEMPT.match(text):
        return _parse_cmkguard(text)
    checkov = _CHECKOV.search(text)
    if checkov is not None and checkov["id"] in CHECKOV_IDS:
        reason = (checkov["reason"] or "").strip() or None
        return Directive(SuppressionKind.CHECKOV, (checkov["id"],), reason, None)
    return None


def _parse_cmkguard(text: str) -> Directive | str:
    directive = _DIRECTIVE.fullmatch(text)
    if directive is None:
        return f"malformed suppression: expected {GRAMMAR}"
    codes = tuple(c.strip() for c in directive["codes"].split(","))
    for code in codes:
        if not code:
            return "malformed suppression: empty code in [...]"
        if not _CODE.fullmatch(code) or code not in valid_codes():
            return (
                f"malformed suppression: unknown reason code {code!r} "
                "(see `cmkguard explain`; warnings never need suppressing)"
            )
    if len(set(codes)) != len(codes):
        return "malformed suppression: a code is listed twice"
    arguments = _ARGUMENTS.fullmatch(directive["rest"])
    if arguments is None:
        return f'malformed suppression: expected reason="..." after the codes: {GRAMMAR}'
    reason = re.sub(r"\\(.)", r"\1", arguments["reason"]).strip()
    if not reason:
        return "malformed suppression: the reason is empty"
    until = arguments["until"]
    if until is None:
        return Directive(SuppressionKind.INLINE, codes, reason, None)
    expiry = parse_date(until)
    if expiry is None:
        return f"malformed suppression: until={until!r} is not a date YYYY-MM-DD"
    return Directive(SuppressionKind.INLINE, codes, reason, expiry)


def parse_date(text: str) -> date | None:
    """``YYYY-MM-DD`` as a date, or ``None``."""
    if not _DATE.fullmatch(text):
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def comments(line: str) -> Iterator[str]:
    """The comment texts on one line of HCL: ``#`` and ``//`` to the end of the line,
    ``/* ... */`` within it. Quoted strings are skipped, so ``"a#b"`` holds no comment."""
    i, n = 0, len(line)
    while i < n:
        char = line[i]
        if char == '"':
            i = _string_end(line, i)
        elif char == "#" or line.startswith("//", i):
            yield line[i + (1 if char == "#" else 2) :]
            return
        elif line.startswith("/*", i):
            end = line.find("*/", i + 2)
            yield line[i + 2 : end if end >= 0 else n]
            if end < 0:
                return
            i = end + 2
        else:
            i += 1


def _string_end(line: str, start: int) -> int:
    i = start + 1
    while i < len(line):
        if line[i] == "\\":
            i += 2
        elif line[i] == '"':
            return i + 1
        else:
            i += 1
    return i


def _line_comments(line: str, json_file: bool) -> list[str]:
    if json_file:
        member = _JSON_COMMENT.match(line)
        if member is None:
            return []
        text = json.loads(member["text"])
        return [text] if isinstance(text, str) else []
    return list(comments(line))


def _is_comment_only(line: str, json_file: bool) -> bool:
    if json_file:
        return _JSON_COMMENT.match(line) is not None
    return line.lstrip().startswith(("#", "//", "/*"))


@dataclass(frozen=True, slots=True)
class FileSuppressions:
    """The suppression comments of one source file, placed at the notebook blocks they touch."""

    by_block: Mapping[int, tuple[Suppression, ...]]
    """Block line -> the suppressions written at that block."""
    stray: tuple[Suppression, ...]
    """Well-formed suppressions at no notebook block (reported as unused)."""
    errors: tuple[InputError, ...]
    """Malformed ``cmkguard`` comments, one per line."""


def read_file_suppressions(file: str, text: str, blocks: Iterable[int]) -> FileSuppressions:
    """Find every suppression comment in ``text`` (the file ``file``, relative to the scanned
    root) and place it at the notebook blocks (1-based opening lines) whose window holds it."""
    json_file = file.endswith(".json")
    lines = text.splitlines()
    found: dict[int, list[Suppression]] = {}
    errors: list[InputError] = []
    for number, line in enumerate(lines, start=1):
        lowered = line.lower()
        if "cmkguard" not in lowered and "skip" not in lowered:
            continue
        for body in _line_comments(line, json_file):
            parsed = parse_comment(body)
            if isinstance(parsed, str):
                errors.append(InputError(file, number, parsed))
            elif parsed is not None:
                found.setdefault(number, []).append(parsed.at(file, number))
    by_block: dict[int, tuple[Suppression, ...]] = {}
    placed: set[int] = set()
    for block in sorted(set(blocks)):
        window = _window(lines, block, json_file)
        placed.update(window)
        by_block[block] = tuple(s for n in window for s in found.get(n, ()))
    stray = tuple(s for n, sups in sorted(found.items()) if n not in placed for s in sups)
    return FileSuppressions(by_block, stray, tuple(errors))


def _window(lines: Sequence[str], block: int, json_file: bool) -> list[int]:
    """The block's opening line and the comment-only lines directly above and below it."""
    window = [block]
    above = block - 1
    while above >= 1 and _is_comment_only(lines[above - 1], json_file):
        window.append(above)
        above -= 1
    below = block + 1
    while below <= len(lines) and _is_comment_only(lines[below - 1], json_file):
        window.append(below)
        below += 1
    return sorted(window)


def block_lines(findings: Iterable[Finding]) -> dict[str, set[int]]:
    """File -> the block lines of the source findings in it (files to read for comments)."""
    blocks: dict[str, set[int]] = {}
    for finding in findings:
        if isinstance(finding.location, SourceLocation):
            blocks.setdefault(finding.location.file, set()).add(finding.location.line)
    return blocks


def apply_inline(
    findings: Sequence[Finding], files: Mapping[str, FileSuppressions], today: date
) -> tuple[tuple[Finding, ...], tuple[Suppression, ...]]:
    """Mark the findings the comments at their blocks accept; also return the unused comments
    (those at no block, and those whose block had no FAIL/UNKNOWN they cover)."""

    def at_block(finding: Finding) -> Sequence[Suppression]:
        location = finding.location
        if not isinstance(location, SourceLocation) or location.file not in files:
            return ()
        return files[location.file].by_block.get(location.line, ())

    marked, used = _apply(findings, at_block, today)
    every = [s for f in files.values() for sups in f.by_block.values() for s in sups]
    stray = [s for f in files.values() for s in f.stray]
    unused = _dedupe(s for s in [*every, *stray] if s not in used)
    return marked, unused


def apply_config(
    findings: Sequence[Finding], entries: Sequence[Suppression], today: date
) -> tuple[tuple[Finding, ...], tuple[Suppression, ...]]:
    """Mark the findings whose address matches a configuration entry's glob; also return the
    entries that matched nothing."""

    def matching(finding: Finding) -> Sequence[Suppression]:
        return [e for e in entries if e.address is not None and glob_match(e.address, finding)]

    marked, used = _apply(findings, matching, today)
    return marked, tuple(e for e in entries if e not in used)


def glob_match(pattern: str, finding: Finding) -> bool:
    """``*`` matches any run of characters (dots and brackets included), ``?`` one; everything
    else is literal, so ``aws_x.y["k"]`` needs no escaping."""
    parts = (".".join(re.escape(p) for p in part.split("?")) for part in pattern.split("*"))
    regex = ".*".join(parts)
    return re.fullmatch(regex, finding.address, re.S) is not None


def _apply(
    findings: Sequence[Finding],
    candidates: Callable[[Finding], Sequence[Suppression]],
    today: date,
) -> tuple[tuple[Finding, ...], set[Suppression]]:
    used: set[Suppression] = set()
    marked: list[Finding] = []
    for finding in findings:
        if finding.status is Status.PASS or finding.suppressed is not None:
            marked.append(finding)
            continue
        notes: list[str] = []
        accepted: Suppression | None = None
        for suppression in candidates(finding):
            outcome = _judge(finding, suppression, today)
            if outcome is None:
                continue
            used.add(suppression)
            if isinstance(outcome, str):
                notes.append(outcome)
            elif accepted is None:
                accepted = suppression
        if accepted is not None and accepted.reason is None:
            notes.append(
                f"the Checkov skip at {accepted.where} gives no reason: write one "
                f"(#checkov:skip={accepted.codes[0]}:why) or use cmkguard:ignore[...]"
            )
        if notes or accepted is not None:
            finding = replace(finding, suppressed=accepted, notes=(*finding.notes, *notes))
        marked.append(finding)
    return tuple(marked), used


def _judge(finding: Finding, suppression: Suppression, today: date) -> Suppression | str | None:
    """``None`` when it is not about this finding's reasons, a note when it touches them but
    does not accept the finding (expired, or some reasons left), else the suppression."""
    reasons = {r.value for r in finding.reasons}
    covered = reasons if suppression.covers_everything else reasons & set(suppression.codes)
    if not covered:
        return None
    if suppression.until is not None and today > suppression.until:
        return (
            f"the suppression at {suppression.where} expired on {suppression.until.isoformat()} "
            f"(reason: {suppression.reason}); the finding is live again"
        )
    left = sorted(reasons - covered)
    if left:
        return (
            f"the suppression at {suppression.where} covers {', '.join(sorted(covered))} but "
            f"not {', '.join(left)}; the finding stays live"
        )
    return suppression


def _dedupe(suppressions: Iterable[Suppression]) -> tuple[Suppression, ...]:
    return tuple(dict.fromkeys(suppressions))
