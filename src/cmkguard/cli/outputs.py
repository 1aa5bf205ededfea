"""Where reports go: ``--format`` for standard output, ``--output FORMAT=FILE`` for files.

``--output`` is repeatable. A value whose part before the first ``=`` names a format
(``sarif=out.sarif``) writes that format to that file. Any other value is a file for the
``--format`` report instead of standard output, as ``--output FILE`` always meant (so
``--output report.txt`` still works; a file whose name starts with ``sarif=`` must be written
``./sarif=...``). At most one such bare file; no file twice.

Every report is rendered from the one result before any is written, so a report that cannot be
made (ASFF without an account) leaves no half-written set; the exit status never depends on the
formats. What renderers may not read themselves (clock, environment, file system) is gathered
here into ``RenderOptions``.
"""

from __future__ import annotations

import argparse
import io
import os
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from cmkguard.errors import UsageError
from cmkguard.findings import ScanResult
from cmkguard.report import OutputFormat, RenderOptions, render
from cmkguard.report.sanitize import clean_line


@dataclass(frozen=True, slots=True)
class OutputTarget:
    """One ``--output`` value."""

    fmt: OutputFormat | None
    """The format named by ``FORMAT=``; ``None`` for a bare ``FILE`` (the ``--format`` one)."""
    path: Path
    """The file to write."""


def output_target(text: str) -> OutputTarget:
    """``--output FORMAT=FILE`` or ``--output FILE``."""
    name, sep, rest = text.partition("=")
    if sep and name in OutputFormat.__members__.values():
        if not rest:
            raise argparse.ArgumentTypeError(f"expected {name}=FILE, got {clean_line(text)!r}")
        return OutputTarget(OutputFormat(name), Path(rest))
    if not text:
        raise argparse.ArgumentTypeError("expected FORMAT=FILE or FILE")
    return OutputTarget(None, Path(text))


def destinations(
    fmt: OutputFormat, targets: Sequence[OutputTarget]
) -> list[tuple[OutputFormat, Path | None]]:
    """Each report to write and where (``None`` is standard output), files first."""
    bare = [t for t in targets if t.fmt is None]
    if len(bare) > 1:
        raise UsageError(
            "--output FILE without FORMAT= may be given once (it takes the --format report); "
            "name the format of the others: --output FORMAT=FILE"
        )
    seen: set[Path] = set()
    for target in targets:
        if target.path in seen:
            raise UsageError(f"--output names {clean_line(str(target.path))} twice")
        seen.add(target.path)
    files: list[tuple[OutputFormat, Path | None]] = [
        (t.fmt or fmt, t.path) for t in targets if t.fmt is not None
    ]
    if bare:
        return [*files, (fmt, bare[0].path)]
    return [*files, (fmt, None)]


def render_options(
    args: argparse.Namespace,
    environ: Mapping[str, str],
    *,
    color: bool,
    evidence_digest: str | None = None,
) -> RenderOptions:
    """The facts of this run every renderer may need."""
    root = _single_directory(getattr(args, "paths", ()))
    return RenderOptions(
        color=color,
        include_pass=args.sarif_include_pass,
        source_root=None if root is None else root.as_uri() + "/",
        link_base=_link_base(root, environ),
        aws_account=args.asff_account,
        aws_region=args.asff_region
        or environ.get("AWS_REGION")
        or environ.get("AWS_DEFAULT_REGION"),
        evidence_digest=evidence_digest,
    )


def _single_directory(paths: Sequence[Path]) -> Path | None:
    """The scanned directory when exactly one was scanned: finding paths are relative to it."""
    if len(paths) != 1 or not paths[0].is_dir():
        return None
    return paths[0].resolve()


def _link_base(root: Path | None, environ: Mapping[str, str]) -> str | None:
    """In GitHub Actions, the blob URL of the scanned directory at the commit being checked."""
    server = environ.get("GITHUB_SERVER_URL")
    repository = environ.get("GITHUB_REPOSITORY")
    sha = environ.get("GITHUB_SHA")
    if root is None or not (server and repository and sha):
        return None
    workspace = Path(environ.get("GITHUB_WORKSPACE") or os.getcwd()).resolve()
    if not root.is_relative_to(workspace):
        return None
    inside = root.relative_to(workspace).as_posix()
    prefix = "" if inside == "." else inside + "/"
    return f"{server}/{repository}/blob/{sha}/{prefix}"


def write_outputs(
    result: ScanResult,
    args: argparse.Namespace,
    *,
    color_on_stdout: bool,
    evidence_digest: str | None = None,
) -> bool:
    """Render every requested report, then write them. Returns whether the text report went to
    standard output (then input errors need not be repeated on standard error)."""
    plan = destinations(args.format, args.output)
    texts: list[tuple[Path | None, str]] = []
    for fmt, path in plan:
        options = render_options(
            args,
            os.environ,
            color=color_on_stdout and path is None,
            evidence_digest=evidence_digest,
        )
        out = io.StringIO()
        render(result, fmt, out, options=options)
        texts.append((path, out.getvalue()))
    for path, text in texts:
        if path is None:
            sys.stdout.write(text)
            continue
        try:
            path.write_text(text, encoding="utf-8")
        except OSError as error:
            raise UsageError(f"cannot write {path}: {error.strerror}") from error
    return any(path is None and fmt is OutputFormat.TEXT for fmt, path in plan)
