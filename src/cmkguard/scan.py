"""The static library entry points: load Terraform source trees, plan/state files and
CloudFormation templates, judge,
accept (suppressions, baseline), return the result. Which source reads a path is decided in
``sources.registry``."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from cmkguard.acceptance import Acceptance, accept, accept_inline
from cmkguard.cfninputs import ParameterArg, ParametersFile, StackInput
from cmkguard.control.notebook_cmk import judge
from cmkguard.deadline import Deadline
from cmkguard.errors import InputError
from cmkguard.findings import ScanResult
from cmkguard.settings import Settings
from cmkguard.sources.interface import FileRequest, Loaded
from cmkguard.sources.plan.source import PlanSource, SourceContext
from cmkguard.sources.registry import load_files
from cmkguard.sources.terraform.source import TerraformSource
from cmkguard.tfinputs import ModuleDownloads, VarArg, VarFile

__all__ = [
    "ParameterArg",
    "ParametersFile",
    "ScanOptions",
    "SourceContext",
    "VarArg",
    "VarFile",
    "judged",
    "scan_paths",
    "scan_plan",
    "scan_terraform",
]


@dataclass(frozen=True, slots=True)
class ScanOptions:
    """Inputs to a static scan besides the paths."""

    command_line: tuple[VarFile | VarArg, ...] = ()
    """``--var-file`` and ``--var`` in the order given (a later one wins, as in Terraform)."""
    env: Mapping[str, str] = field(default_factory=dict)
    """The environment, for ``TF_VAR_name``, ``TF_WORKSPACE``, ``AWS_REGION`` and
    ``AWS_DEFAULT_REGION``."""
    settings: Settings = field(default_factory=Settings)
    """How strictly to judge."""
    acceptance: Acceptance = field(default_factory=Acceptance)
    """Suppressions and the baseline, applied after judging."""
    parameters: tuple[StackInput, ...] = ()
    """``--parameters-file`` and ``--parameter`` in the order given (a later one wins)."""
    workspace: str | None = None
    """``--workspace``: the Terraform workspace when the environment selects none."""
    region: str | None = None
    """``--region``: the region of provider configurations (and stacks) that set none."""
    resolve_keys: bool = False
    """``--resolve-keys``: look the keys the inputs name only by text (literal identifiers,
    KMS data sources) up online with ``DescribeKey``/``GetKeyPolicy``."""
    profile: str | None = None
    """``--profile``: the AWS profile ``--resolve-keys`` uses (default: the default credentials)."""
    timeout: float | None = None
    """``--timeout``: seconds the scan may take, counted from ``request()``. Inputs and root
    modules not started by then are not judged and named in an error; values still being
    evaluated become unknown. ``None`` for no limit."""
    modules: ModuleDownloads | None = None
    """``--download-modules``: fetch remote Terraform modules ``terraform init`` has not."""

    def request(self) -> FileRequest:
        """What the file sources are given; the ``timeout`` starts counting here."""
        return FileRequest(
            self.command_line,
            self.env,
            self.parameters,
            workspace=self.workspace,
            region=self.region,
            deadline=Deadline.after(self.timeout),
            modules=self.modules,
        )


def scan_paths(paths: Sequence[Path], options: ScanOptions) -> ScanResult:
    """Scan directories and files: Terraform source trees, ``.tf``/``.tf.json`` files,
    ``terraform show -json`` plan/state files and CloudFormation templates (recognised by
    content; a directory is searched for Terraform and for templates).

    Source trees are loaded first, so that findings from a plan scanned with its tree point at
    the source ``file:line``, and a key policy the plan knows only after apply is read from the
    source. A path that cannot be read is an error; the others still run. With
    ``resolve_keys``, the keys named only by text are looked up online before judging.
    """
    request = options.request()
    loaded, errors = load_files(paths, request)
    if options.resolve_keys:
        loaded, resolve_errors = _resolve_keys(loaded, options.profile, request.deadline)
        errors = (*errors, *resolve_errors)
    result = ScanResult()
    for each in loaded:
        result = result.merged(_accepted_inline(each, options))
    result = result.merged(ScanResult(errors=errors))
    # A directory scanned by two sources is one input.
    result = replace(result, inputs=tuple(dict.fromkeys(result.inputs)))
    return accept(result, options.acceptance)


def _resolve_keys(
    loaded: Sequence[Loaded], profile: str | None, deadline: Deadline
) -> tuple[tuple[Loaded, ...], tuple[InputError, ...]]:
    """Every input with its text-only keys looked up online, and why none could be. The
    lookups share what is left of the scan's ``--timeout``."""
    # Imported here: boto3 is loaded only by scans that go online.
    from cmkguard.sources.aws.calls import Recorder
    from cmkguard.sources.aws.key_resolution import KeyResolver

    resolver = KeyResolver(profile=profile, recorder=Recorder(deadline.seconds, until=deadline.at))
    resolved = tuple(resolver.resolve(each) for each in loaded)
    return resolved, resolver.problems


def scan_terraform(path: Path, options: ScanOptions) -> ScanResult:
    """Scan one Terraform source tree (or one ``.tf``/``.tf.json`` file)."""
    loaded = TerraformSource(path, options.request()).load()
    return accept(_accepted_inline(loaded, options), options.acceptance)


def scan_plan(path: Path, settings: Settings | None = None) -> ScanResult:
    """Scan one ``terraform show -json`` plan or state file on its own."""
    return judged(PlanSource(path).load(), settings or Settings())


def judged(loaded: Loaded, settings: Settings) -> ScanResult:
    """The verdicts on what one source loaded, with its errors and inputs."""
    return ScanResult(
        judge(loaded.inventory, settings, loaded.kind),
        loaded.errors,
        loaded.inputs,
        notices=loaded.notices,
    )


def _accepted_inline(loaded: Loaded, options: ScanOptions) -> ScanResult:
    # Suppression comments sit in the files the findings point at, relative to the source's
    # root; inputs without one (plans, which point at themselves or at a tree) have none.
    result = judged(loaded, options.settings)
    if loaded.root is None:
        return result
    return accept_inline(result, loaded.root, options.acceptance.today)
