"""Flags and the configuration file made into one run's settings, and the subcommands that show
or record them: ``cmkguard config show`` and ``cmkguard baseline write``.

Every setting of ``cmkguard.toml`` has a flag, and a flag given on the command line wins (a list
given by flags replaces the file's list). ``config show`` prints where each effective value came
from: ``default``, ``FILE:LINE`` or ``--flag``.
"""

from __future__ import annotations

import argparse
import fnmatch
import os
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from cmkguard import baseline
from cmkguard.acceptance import Acceptance
from cmkguard.cli.options import HelpFormatter, Subparsers, common_options
from cmkguard.cli.outputs import OutputTarget, output_target
from cmkguard.config import (
    ConfigError,
    FileConfig,
    allowed_key_problem,
    find_config,
    load_config,
    registry_url_problem,
)
from cmkguard.errors import UsageError
from cmkguard.findings import BaselineEntry, ScanResult
from cmkguard.report.sanitize import clean_line
from cmkguard.settings import Settings
from cmkguard.sources.inputs import read_bytes
from cmkguard.tfinputs import ModuleDownloads

DEFAULT = "default"


def allowed_key(text: str) -> str:
    """``--allowed-key``: a key ARN, key ID or alias ARN."""
    problem = allowed_key_problem(text)
    if problem is not None:
        raise argparse.ArgumentTypeError(clean_line(problem))
    return text


def registry_url(text: str) -> str:
    """``--registry-url HOST=URL``."""
    problem = registry_url_problem(text)
    if problem is not None:
        raise argparse.ArgumentTypeError(clean_line(problem))
    return text


def default_module_cache(environ: Mapping[str, str]) -> Path:
    """``$XDG_CACHE_HOME/cmkguard/modules``, else ``~/.cache/cmkguard/modules``."""
    base = environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "cmkguard" / "modules"


def add_config_options(parser: argparse.ArgumentParser) -> None:
    """``--config``, ``--baseline``, ``--fail-on-unused-suppressions``, ``--exclude``: read by
    ``effective``."""
    parser.add_argument(
        "--config",
        type=Path,
        metavar="FILE",
        help="a cmkguard.toml (or pyproject.toml with [tool.cmkguard]) to use instead of the one "
        "found by walking up from the first PATH to the repository root",
    )
    parser.add_argument(
        "--baseline",
        type=Path,
        metavar="FILE",
        help="a file from `cmkguard baseline write`: the findings it lists are reported as "
        "baselined and do not fail the run; entries no finding matches are listed as fixed",
    )
    parser.add_argument(
        "--fail-on-unused-suppressions",
        action="store_true",
        default=None,
        help="make a suppression that matches no FAIL/UNKNOWN finding an error (exit status 2)",
    )
    parser.add_argument(
        "--exclude",
        action="append",
        default=None,
        metavar="GLOB",
        help="drop findings and errors in files matching GLOB (relative to the scanned "
        "directory); repeatable, replaces the configuration's list",
    )


@dataclass(frozen=True, slots=True)
class Setting:
    """One effective setting and where it came from."""

    name: str
    value: object
    origin: str


@dataclass(frozen=True, slots=True)
class Effective:
    """What one run uses, flags over the configuration file over defaults."""

    settings: Settings
    acceptance: Acceptance
    exclude: tuple[str, ...]
    workspace: str | None
    """``terraform.workspace`` when the environment selects none."""
    region: str | None
    """The region of provider configurations that set none (else the environment's)."""
    resolve_keys: bool
    """Look keys named only by text up online (``--resolve-keys``)."""
    modules: ModuleDownloads | None
    """``--download-modules``: where and how remote modules are fetched, or ``None``."""
    shown: tuple[Setting, ...]
    """Every setting with its origin, for ``config show``."""


def configuration(args: argparse.Namespace, start: Path) -> FileConfig:
    """The configuration file named by ``--config``, or found from ``start``; none is fine."""
    path: Path | None = args.config
    if path is None:
        path = find_config(start)
    elif not path.is_file():
        raise ConfigError(f"{path}: no such configuration file")
    return load_config(path) if path is not None else FileConfig()


def effective(
    args: argparse.Namespace, config: FileConfig, environ: Mapping[str, str] | None = None
) -> Effective:
    """Flags (``add_judging_options``, ``add_config_options``) over ``config``; ``environ``
    (the process's by default) gives the module cache's default place."""
    shown: list[Setting] = []

    def pick(name: str, flag: str, given: object, from_file: object, default: object) -> object:
        if given is not None:
            value, origin = given, flag
        elif from_file is not None:
            value, origin = from_file, config.origin(name)
        else:
            value, origin = default, DEFAULT
        shown.append(Setting(name, value, origin))
        return value

    allowed = pick(
        "allowed_keys", "--allowed-key", _list(args.allowed_key), config.allowed_keys, ()
    )
    deployers = pick(
        "deployer_principals",
        "--deployer-principal",
        _list(args.deployer_principal),
        config.deployer_principals,
        (),
    )
    strict = pick("strict", "--strict/--no-strict", args.strict, config.strict, False)
    exclude = pick("exclude", "--exclude", _list(args.exclude), config.exclude, ())
    fail_unused = pick(
        "fail_on_unused_suppressions",
        "--fail-on-unused-suppressions",
        args.fail_on_unused_suppressions,
        None,
        False,
    )
    suppressions = pick("suppressions", "(file only)", None, config.suppressions, ())
    base = pick("baseline", "--baseline", args.baseline, None, None)
    workspace = pick("workspace", "--workspace", args.workspace, config.workspace, None)
    region = pick("region", "--region", args.region, config.region, None)
    resolve_keys = pick(
        "resolve_keys",
        "--resolve-keys/--no-resolve-keys",
        getattr(args, "resolve_keys", None),
        config.resolve_keys,
        False,
    )
    modules = _module_downloads(args, config, pick, os.environ if environ is None else environ)
    given = tuple(_target_text(t) for t in getattr(args, "output", None) or ())
    pick("outputs", "--output", given or None, config.outputs, ())
    settings = Settings(
        strict=bool(strict),
        allowed_key_arns=frozenset(_strings(allowed)),
        deployer_principals=_strings(deployers),
    )
    acceptance = Acceptance(
        suppressions=tuple(suppressions) if isinstance(suppressions, tuple) else (),
        baseline=_read_baseline(base) if isinstance(base, Path) else None,
        fail_on_unused=bool(fail_unused),
    )
    return Effective(
        settings,
        acceptance,
        _strings(exclude),
        workspace if isinstance(workspace, str) else None,
        region if isinstance(region, str) else None,
        bool(resolve_keys),
        modules,
        tuple(shown),
    )


def configured_outputs(args: argparse.Namespace, config: FileConfig) -> None:
    """Use the file's ``outputs`` (``FORMAT=FILE`` each) when no ``--output`` is given (``scan``;
    ``baseline write`` writes no report)."""
    if not hasattr(args, "output") or args.output or not config.outputs:
        return
    targets = []
    for text in config.outputs:
        target = output_target(text)
        if target.fmt is None:
            raise ConfigError(
                f"{config.origin('outputs')}: outputs: {text!r} names no known format "
                "(FORMAT=FILE, FORMAT one of `cmkguard scan --help`'s)"
            )
        targets.append(target)
    args.output = targets


def _module_downloads(
    args: argparse.Namespace,
    config: FileConfig,
    pick: Callable[[str, str, object, object, object], object],
    environ: Mapping[str, str],
) -> ModuleDownloads | None:
    """``--download-modules``, ``--module-cache`` and ``--registry-url`` over the file's
    ``download_modules``, ``module_cache`` and ``registry_urls``."""
    download = pick(
        "download_modules",
        "--download-modules/--no-download-modules",
        getattr(args, "download_modules", None),
        config.download_modules,
        False,
    )
    # The file's relative cache path is relative to the file, as its other paths read.
    from_file = config.module_cache
    if from_file is not None and config.path is not None:
        from_file = str(config.path.parent / Path(from_file).expanduser())
    cache = pick(
        "module_cache",
        "--module-cache",
        getattr(args, "module_cache", None),
        from_file,
        default_module_cache(environ),
    )
    urls = pick(
        "registry_urls",
        "--registry-url",
        _list(getattr(args, "registry_url", None)),
        config.registry_urls,
        (),
    )
    if not download:
        return None
    registries = dict(entry.split("=", 1) for entry in _strings(urls))
    return ModuleDownloads(Path(str(cache)).expanduser(), registries)


def _target_text(target: OutputTarget) -> str:
    return f"{target.fmt.value}={target.path}" if target.fmt is not None else str(target.path)


def _list(values: list[str] | None) -> tuple[str, ...] | None:
    return tuple(values) if values else None


def _strings(value: object) -> tuple[str, ...]:
    return tuple(str(v) for v in value) if isinstance(value, tuple) else ()


def _read_baseline(path: Path) -> tuple[BaselineEntry, ...]:
    data = read_bytes(path, str(path))
    if not isinstance(data, bytes):
        raise UsageError(f"--baseline {data}")
    parsed = baseline.parse(data, str(path))
    if not isinstance(parsed, tuple):
        raise UsageError(str(parsed))
    return parsed


def excluded(result: ScanResult, patterns: Sequence[str]) -> ScanResult:
    """``result`` without the findings and errors in files matching one of ``patterns``."""
    if not patterns:
        return result

    def hit(file: str | None) -> bool:
        return file is not None and any(fnmatch.fnmatchcase(file, p) for p in patterns)

    return replace(
        result,
        findings=tuple(f for f in result.findings if not hit(f.file)),
        errors=tuple(e for e in result.errors if not hit(e.path)),
    )


# --- cmkguard config show --------------------------------------------------------------------


def action_parser(
    subparsers: Subparsers, command: tuple[str, str], action: tuple[str, str], description: str
) -> argparse.ArgumentParser:
    """The parser of ``cmkguard COMMAND ACTION`` (``config show``, ``baseline write``): each
    pair is a name and its one-line help."""
    parent = subparsers.add_parser(
        command[0], parents=[common_options()], help=command[1], formatter_class=HelpFormatter
    )
    actions = parent.add_subparsers(title="actions", metavar="ACTION", required=True)
    return actions.add_parser(
        action[0],
        parents=[common_options()],
        help=action[1],
        description=description,
        formatter_class=HelpFormatter,
    )


def register(subparsers: Subparsers) -> None:
    """Add ``config show``."""
    # Imported here: cli.options imports this module for ``allowed_key``.
    from cmkguard.cli.options import add_environment_options, add_judging_options

    show = action_parser(
        subparsers,
        ("config", "show the effective settings"),
        ("show", "print every effective setting and its origin"),
        "Show the settings a scan of PATH would use and where each came from: a flag, the "
        "configuration file (file:line) or the default.",
    )
    show.add_argument("path", nargs="?", type=Path, default=Path(), metavar="PATH")
    add_environment_options(show)
    add_judging_options(show)
    add_config_options(show)
    show.set_defaults(func=config_show)


def config_show(args: argparse.Namespace) -> int:
    """Run ``cmkguard config show``."""
    config = configuration(args, args.path)
    where = str(config.path) if config.path is not None else "none found"
    lines = [f"# configuration file: {clean_line(where)}"]
    lines += [
        f"{setting.name} = {_show(setting.value)}  # {clean_line(setting.origin)}"
        for setting in effective(args, config).shown
    ]
    sys.stdout.write("\n".join(lines) + "\n")
    return 0


def _show(value: object) -> str:
    if isinstance(value, tuple) and value and not isinstance(value[0], str):
        return "[" + ", ".join(clean_line(getattr(v, "label", str(v))) for v in value) + "]"
    if isinstance(value, tuple):
        return "[" + ", ".join(repr(clean_line(v)) for v in value) + "]"
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "(none)"
    return repr(clean_line(str(value)))
