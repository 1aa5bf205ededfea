"""What a fixer is given and what it gives back.

A fixer sees one failing finding in its ``FixContext`` (the scanned configuration, the whole
scan result, the user's key choice) and returns a ``Proposal`` of text edits or an ``Advice``
when no safe edit exists. It never writes: ``fix.run`` re-scans every proposal in memory and
offers only those that make the notebook PASS.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field
from pathlib import Path

from cmkguard.address import Address, parse
from cmkguard.catalogue.codes import Reason
from cmkguard.findings import Finding, ScanResult, Status
from cmkguard.fix.edits import TextEdit
from cmkguard.scan import ScanOptions
from cmkguard.sources.terraform.positions import BlockSpan, FileLayout, layout
from cmkguard.subject import NOTEBOOK_TYPE

KEY_REPLACING = frozenset({Reason.MISSING, Reason.EMPTY, Reason.AWS_MANAGED_KEY, Reason.MALFORMED})
"""Reasons whose fix points ``kms_key_id`` at another key: a notebook with one of them gets only
that fix, since the fixers of the old key's properties would change a key no longer used."""

SKIPPED_DIRS = (".terraform", ".git")
"""Directories whose files are never edited: ``terraform init``'s downloads and git internals."""


@dataclass(frozen=True, slots=True)
class KeyChoice:
    """The key the user asked for: ``--key EXPR`` or ``--create-key`` (or neither)."""

    expression: str | None = None
    """HCL expression text for ``kms_key_id`` (a literal key identifier is already quoted)."""
    create: bool = False
    """``--create-key``: a new ``aws_kms_key`` per module and provider."""


@dataclass(frozen=True, slots=True)
class Proposal:
    """Edits that should make one notebook PASS, and what they change, in one line."""

    edits: tuple[TextEdit, ...]
    """Every edit, in any order; identical edits from several proposals are made once."""
    summary: str
    """``main.tf:12 aws_sagemaker_notebook_instance.nb: kms_key_id set to var.kms``."""
    sets_key: bool = False
    """True when the notebook's ``kms_key_id`` is added or changed: applying replaces an
    existing notebook (its volume is lost), so the backup warning is printed."""


@dataclass(frozen=True, slots=True)
class Advice:
    """No safe edit: what the user should do by hand, and whether it is a refusal."""

    text: str
    """One or more sentences naming the file and the exact change."""
    refusal: bool = False
    """True when the input itself stops the fix (a file that does not parse, ``.tf.json``,
    outside the scanned tree): exit status 2."""


Outcome = Proposal | Advice


class SourceFiles:
    """The files of the scanned tree that fixers read, each read and parsed once.

    Remembers the text every edit is computed on, so that ``--write`` can refuse a file that
    changed on disk meanwhile."""

    def __init__(self, root: Path) -> None:
        self.root = root
        """The scanned directory (a scanned file's directory); finding paths are relative to
        it."""
        self.read_texts: dict[Path, str | None] = {}
        """Absolute path → the text read (``None``: the file did not exist)."""
        self._layouts: dict[Path, FileLayout | None] = {}

    def path(self, rel: str) -> Path:
        """The absolute path of a root-relative path."""
        return (self.root / rel).absolute()

    def rel(self, path: Path) -> str:
        """``path`` relative to the root, ``/``-separated (as findings name files)."""
        return path.relative_to(self.root.absolute()).as_posix()

    def editable(self, rel: str) -> str | None:
        """Why the file ``rel`` must not be edited, or ``None`` when it may be."""
        parts = posixpath.normpath(rel).split("/")
        if parts[0] == ".." or posixpath.isabs(rel):
            return f"{rel} is outside the scanned directory"
        if any(part in SKIPPED_DIRS for part in parts):
            return f"{rel} is a downloaded module (under .terraform/): edit its source instead"
        path = self.path(rel)
        try:
            path.resolve().relative_to(self.root.resolve())
        except ValueError:
            return f"{rel} leads outside the scanned directory"
        return None

    def text(self, rel: str) -> str | None:
        """The file's text; ``None`` when it does not exist (or is not UTF-8)."""
        path = self.path(rel)
        if path not in self.read_texts:
            try:
                self.read_texts[path] = path.read_bytes().decode("utf-8")
            except (OSError, UnicodeDecodeError):
                self.read_texts[path] = None
        return self.read_texts[path]

    def layout(self, rel: str) -> FileLayout | None:
        """The blocks and attributes of a native HCL file; ``None`` when it does not parse."""
        path = self.path(rel)
        if path not in self._layouts:
            text = self.text(rel)
            self._layouts[path] = None if text is None else layout(text.encode("utf-8"))
        return self._layouts[path]

    def new_file(self, rel: str) -> None:
        """Record that ``rel`` is created by a fix (it must still not exist at ``--write``)."""
        self.read_texts.setdefault(self.path(rel), None)


@dataclass(frozen=True, slots=True)
class FixContext:
    """One failing finding and everything a fixer may consult."""

    finding: Finding
    """The FAIL finding to fix (its file is relative to ``files.root``)."""
    result: ScanResult
    """The whole scan: other notebooks declared by the same block, PASS or not."""
    files: SourceFiles
    """The scanned tree's files, for reading and positions."""
    choice: KeyChoice = field(default_factory=KeyChoice)
    """``--key`` / ``--create-key``."""
    shared: dict[str, object] = field(default_factory=dict)
    """Scratch space fixers share across the findings of one run (``new_key`` keeps the keys
    it plans here, so that notebooks of one module and provider share one)."""
    options: ScanOptions = field(default_factory=ScanOptions)
    """The scan's options (variables, environment, settings), for fixers that load the
    configuration again to read a key property's trail (``fix/key_facts.py``)."""

    @property
    def address(self) -> Address | None:
        """The notebook's parsed address."""
        return parse(self.finding.address)

    @property
    def file(self) -> str:
        """The notebook's file, relative to the scanned root."""
        file = self.finding.file
        if file is None:  # fix only ever gets Terraform source findings
            raise ValueError(f"{self.finding.address}: not a source finding")
        return file

    def notebook_block(self) -> BlockSpan | Advice:
        """The notebook's ``resource`` block in its file, or why it cannot be edited."""
        address = self.address
        if address is None or address.type != NOTEBOOK_TYPE:
            return Advice(f"{self.finding.address}: not a notebook address", refusal=True)
        why = self.files.editable(self.file)
        if why is not None:
            return Advice(why, refusal=True)
        if self.file.endswith(".json"):
            return Advice(
                f"{self.file} is JSON syntax, which cmkguard fix does not rewrite", refusal=True
            )
        found = self.files.layout(self.file)
        if found is None:
            return Advice(f"{self.file} does not parse: fix its syntax first", refusal=True)
        block = found.find("resource", NOTEBOOK_TYPE, address.name)
        if block is None:
            return Advice(
                f"{self.file}: resource {NOTEBOOK_TYPE}.{address.name} not found "
                "(the file changed since the scan?)",
                refusal=True,
            )
        return block

    def block_is_shared(self) -> bool:
        """True when the notebook's block is evaluated through more than one module call or
        root module (a shared module: editing it changes every caller)."""
        address = self.address
        if address is None:
            return True
        here = address.config_path
        for other in self.result.findings:
            other_address = parse(other.address)
            if other.file != self.file or other_address is None:
                continue
            if other_address.name != address.name or other_address.type != address.type:
                continue
            if other_address.config_path != here:
                return True
            if other.root_module != self.finding.root_module:
                return True
        return False

    def others_in_block(self) -> tuple[Finding, ...]:
        """The findings of the other instances of the notebook's block (``count``/
        ``for_each``), which an edit of the block changes too."""
        address = self.address
        return tuple(
            f
            for f in self.result.findings
            if f is not self.finding
            and f.file == self.file
            and address is not None
            and (other := parse(f.address)) is not None
            and (other.type, other.name) == (address.type, address.name)
        )

    def label(self) -> str:
        """``main.tf:12 aws_sagemaker_notebook_instance.nb`` for summaries."""
        address = self.address
        local = address.local if address is not None else self.finding.address
        return f"{self.file}:{self.finding.line} {local}"


def failing(result: ScanResult) -> tuple[Finding, ...]:
    """The FAIL findings a fix should address: not accepted by a suppression or baseline."""
    return tuple(f for f in result.findings if f.status is Status.FAIL and f.live)
