"""The command line as a user meets it: exit statuses, one-line errors, no tracebacks.

Most tests run ``python -m cmkguard`` in a subprocess on small Terraform trees written here. The
tests of ``main``'s catch-all replace the scan entry point with one that raises: that is the
only way to reach an "impossible" failure, and it exercises the CLI boundary, not the scanner.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from cmkguard import __version__, cli
from cmkguard.catalogue.codes import Reason
from cmkguard.catalogue.entries import CATALOGUE
from cmkguard.catalogue.mappings import FRAMEWORK_LABEL, STRICTER_THAN_INCUMBENTS
from cmkguard.errors import UsageError

SCAN_PATHS = "cmkguard.scan.scan_paths"
CUSTOMER_KEY = "aws_kms_key.k.arn"
AWS_MANAGED = '"alias/aws/sagemaker"'


def run_cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """``python -m cmkguard ARGS`` with stdout/stderr captured (not a terminal)."""
    environ = {k: v for k, v in os.environ.items() if not k.startswith("TF_VAR_")}
    environ.pop("NO_COLOR", None)
    environ.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "cmkguard", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=environ,
        timeout=300,
        check=False,
    )


def write_tree(root: Path, kms_key_id: str, *, extra: str = "") -> Path:
    """A root module with one notebook whose ``kms_key_id`` is the HCL expression given."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "main.tf").write_text(
        f"""provider "aws" {{
  region = "eu-west-1"
}}

resource "aws_iam_role" "nb" {{
  name               = "notebook"
  assume_role_policy = "{{}}"
}}

resource "aws_kms_key" "k" {{
  description         = "notebook volumes"
  enable_key_rotation = true
}}
{extra}
resource "aws_sagemaker_notebook_instance" "nb" {{
  name          = "nb"
  role_arn      = aws_iam_role.nb.arn
  instance_type = "ml.t3.medium"
  kms_key_id    = {kms_key_id}
}}
""",
        encoding="utf-8",
    )
    return root


def report(completed: subprocess.CompletedProcess[str]) -> Any:
    """The JSON report on stdout."""
    return json.loads(completed.stdout)


def statuses(completed: subprocess.CompletedProcess[str]) -> list[str]:
    """The status of each finding in a JSON report."""
    return [finding["status"] for finding in report(completed)["findings"]]


def assert_no_traceback(completed: subprocess.CompletedProcess[str]) -> None:
    """No Python traceback reached the user."""
    assert "Traceback" not in completed.stderr
    assert "Traceback" not in completed.stdout


# --- usage -----------------------------------------------------------------------------------


def test_version() -> None:
    completed = run_cli("--version")
    assert completed.returncode == 0
    assert completed.stdout.strip() == f"cmkguard {__version__}"


def test_help_lists_commands_and_exit_statuses() -> None:
    completed = run_cli("--help")
    assert completed.returncode == 0
    for word in ("scan", "explain", "exit status:", "FAIL or UNKNOWN"):
        assert word in completed.stdout


@pytest.mark.parametrize(
    "args",
    [
        (),
        ("scan",),
        ("scan", ".", "--var", "no_equals_sign"),
        ("scan", ".", "--var", "=value"),
        ("scan", ".", "--format", "xml"),
        ("scan", ".", "--allowed-key-arn", "alias/mine"),
        ("scan", ".", "--no-such-option"),
        ("frobnicate",),
    ],
    ids=[
        "no-command",
        "no-path",
        "var-no-equals",
        "var-no-name",
        "bad-format",
        "bad-arn",
        "bad-option",
        "bad-command",
    ],
)
def test_usage_errors_exit_2_without_traceback(args: tuple[str, ...]) -> None:
    completed = run_cli(*args)
    assert completed.returncode == 2
    assert "usage: cmkguard" in completed.stderr
    assert "error:" in completed.stderr
    assert completed.stdout == ""
    assert_no_traceback(completed)


def test_var_without_equals_names_the_expected_form() -> None:
    completed = run_cli("scan", ".", "--var", "key")
    assert "expected NAME=VALUE" in completed.stderr


# --- explain ---------------------------------------------------------------------------------


def test_explain_prints_the_whole_entry_and_the_mappings() -> None:
    completed = run_cli("explain", "aws-managed-key")
    assert completed.returncode == 0
    entry = CATALOGUE[Reason.AWS_MANAGED_KEY]
    out = completed.stdout
    assert out.startswith(f"aws-managed-key (reason): {entry.title}\n")
    for heading in (
        "What it checks",
        "Why it matters",
        "How to fix",
        "Before",
        "After",
        "References",
    ):
        assert f"\n{heading}\n" in out
    assert 'kms_key_id    = "alias/aws/sagemaker"' in out
    assert "sagemaker_notebook_instance_encrypted_with_kms_cmk" in out
    for identifier in (
        "SageMaker.21",
        "CKV_AWS_22",
        "CKV_AWS_187",
        "SAGEMAKER_NOTEBOOK_INSTANCE_KMS_KEY_CONFIGURED",
        "f3674e0c-f6be-43fa-b71c-bf346d1aed99",
        "SC-28(1)",
        "164.312(a)(2)(iv)",
    ):
        assert identifier in out
    assert f"({FRAMEWORK_LABEL})" in out
    assert " ".join(STRICTER_THAN_INCUMBENTS.split()) in " ".join(out.split())


def test_explain_warning_code_case_insensitive() -> None:
    completed = run_cli("explain", "KEY-ROTATION-DISABLED")
    assert completed.returncode == 0
    assert completed.stdout.startswith("key-rotation-disabled (warning): ")


def test_explain_without_code_lists_every_code_with_its_title() -> None:
    completed = run_cli("explain")
    assert completed.returncode == 0
    lines = completed.stdout.splitlines()
    assert len(lines) == len(CATALOGUE)
    for line, (code, entry) in zip(lines, CATALOGUE.items(), strict=True):
        assert line.startswith(code.value)
        assert line.endswith(entry.title)


def test_explain_unknown_code_is_one_line_listing_valid_codes() -> None:
    completed = run_cli("explain", "no-such-code\x1b[2J")
    assert completed.returncode == 2
    assert completed.stdout == ""
    lines = completed.stderr.splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("cmkguard: error: unknown code 'no-such-code")
    assert "\x1b" not in lines[0]
    for code in CATALOGUE:
        assert code.value in lines[0]


# --- scan ------------------------------------------------------------------------------------


def test_all_pass_exits_0(tmp_path: Path) -> None:
    completed = run_cli("scan", str(write_tree(tmp_path / "ok", CUSTOMER_KEY)), "--format", "json")
    assert statuses(completed) == ["PASS"], completed.stderr
    assert completed.returncode == 0


def test_any_fail_exits_1(tmp_path: Path) -> None:
    completed = run_cli("scan", str(write_tree(tmp_path / "bad", AWS_MANAGED)), "--format", "json")
    assert statuses(completed) == ["FAIL"], completed.stderr
    assert report(completed)["findings"][0]["reasons"] == ["aws-managed-key"]
    assert completed.returncode == 1


def test_unknown_exits_1_and_tf_var_environment_settles_it(tmp_path: Path) -> None:
    tree = write_tree(tmp_path / "var", "var.key", extra='\nvariable "key" {}\n')
    unknown = run_cli("scan", str(tree), "--format", "json")
    assert statuses(unknown) == ["UNKNOWN"], unknown.stderr
    assert unknown.returncode == 1
    from_env = run_cli(
        "scan", str(tree), "--format", "json", env={"TF_VAR_key": "alias/aws/sagemaker"}
    )
    assert statuses(from_env) == ["FAIL"], from_env.stderr
    from_flag = run_cli("scan", str(tree), "--format", "json", "--var", "key=alias/aws/sagemaker")
    assert statuses(from_flag) == ["FAIL"], from_flag.stderr


def test_missing_path_exits_2_and_the_other_paths_are_still_scanned(tmp_path: Path) -> None:
    good = write_tree(tmp_path / "ok", CUSTOMER_KEY)
    missing = tmp_path / "does-not-exist"
    completed = run_cli("scan", str(missing), str(good), "--format", "json")
    assert completed.returncode == 2
    document = report(completed)
    assert [f["status"] for f in document["findings"]] == ["PASS"]
    assert len(document["errors"]) == 1
    assert "does-not-exist" in document["errors"][0]["file"]
    error_lines = [
        line for line in completed.stderr.splitlines() if line.startswith("cmkguard: error:")
    ]
    assert len(error_lines) == 1
    assert_no_traceback(completed)


def test_text_report_to_a_pipe_has_no_colour_and_ends_with_the_summary(tmp_path: Path) -> None:
    completed = run_cli("scan", str(write_tree(tmp_path / "bad", AWS_MANAGED)))
    assert completed.returncode == 1
    assert "\x1b" not in completed.stdout
    assert "FAIL" in completed.stdout
    assert "fix: " in completed.stdout
    assert completed.stdout.splitlines()[-1] == "1 notebook: 0 PASS, 1 FAIL, 0 UNKNOWN"


def test_a_terminal_that_cannot_encode_the_report_still_gets_it(tmp_path: Path) -> None:
    tree = write_tree(tmp_path / "bad", AWS_MANAGED)
    completed = run_cli("scan", str(tree), env={"PYTHONIOENCODING": "ascii"})
    assert completed.returncode == 1, completed.stderr
    assert "FAIL" in completed.stdout
    assert_no_traceback(completed)


def test_output_file_gets_the_report_and_stdout_stays_empty(tmp_path: Path) -> None:
    target = tmp_path / "report.json"
    tree = write_tree(tmp_path / "ok", CUSTOMER_KEY)
    completed = run_cli("scan", str(tree), "--format", "json", "--output", str(target))
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout == ""
    assert json.loads(target.read_text(encoding="utf-8"))["summary"]["passed"] == 1


def test_unwritable_output_is_one_error_line(tmp_path: Path) -> None:
    tree = write_tree(tmp_path / "ok", CUSTOMER_KEY)
    completed = run_cli(
        "scan", str(tree), "--output", str(tmp_path / "no" / "such" / "dir" / "r.txt")
    )
    assert completed.returncode == 2
    lines = completed.stderr.splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("cmkguard: error: cannot write ")
    assert_no_traceback(completed)


def test_hostile_value_in_the_scanned_tree_reaches_the_terminal_stripped(tmp_path: Path) -> None:
    # A raw ESC and BEL inside the HCL string: whatever the scanner makes of it (malformed key
    # or parse error), none of it may reach the terminal.
    tree = write_tree(tmp_path / "evil", '"\x1b[2J\x1b]0;pwned\x07alias/\x1b[32mPASS"')
    completed = run_cli("scan", str(tree))
    assert completed.returncode in (1, 2), completed.stderr
    for stream in (completed.stdout, completed.stderr):
        assert "\x1b" not in stream
        assert "\x07" not in stream
    assert_no_traceback(completed)


# --- main's single catch ---------------------------------------------------------------------


def _raise(error: BaseException) -> Any:
    def scan_paths(*_args: object) -> Any:
        raise error

    return scan_paths


def test_internal_error_is_one_line_without_traceback(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    monkeypatch.setattr(SCAN_PATHS, _raise(RuntimeError("boom\x1b[2J")))
    assert cli.main(["scan", str(tmp_path)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == (
        "cmkguard: internal error: RuntimeError: boom (run with --debug for a traceback)\n"
    )


def test_debug_shows_the_traceback(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    monkeypatch.setattr(SCAN_PATHS, _raise(RuntimeError("boom")))
    assert cli.main(["scan", "--debug", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "Traceback (most recent call last)" in err
    assert err.endswith("cmkguard: internal error: RuntimeError: boom\n")


def test_cmkguard_error_is_one_error_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    monkeypatch.setattr(SCAN_PATHS, _raise(UsageError("bad settings")))
    assert cli.main(["scan", str(tmp_path)]) == 2
    assert capsys.readouterr().err == "cmkguard: error: bad settings\n"


@pytest.mark.parametrize(
    ("error", "status"),
    [(KeyboardInterrupt(), 130), (BrokenPipeError(), 141)],
    ids=["interrupt", "broken-pipe"],
)
def test_interrupt_and_broken_pipe_are_quiet(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    error: BaseException,
    status: int,
) -> None:
    monkeypatch.setattr(SCAN_PATHS, _raise(error))
    assert cli.main(["scan", str(tmp_path)]) == status
    assert capsys.readouterr().err == ""


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_a_reader_gone_before_the_report_exits_141_quietly(tmp_path: Path, fmt: str) -> None:
    # `cmkguard scan . | head -c 10`: once the reader has closed the pipe, writing the report
    # gets EPIPE. (A report small enough to fit in the pipe buffer before the reader leaves is
    # written in full, as with `cat`, and keeps its real status.)
    tree = write_tree(tmp_path / "repo", CUSTOMER_KEY)
    reader, writer = os.pipe()
    os.close(reader)
    try:
        completed = subprocess.run(
            [sys.executable, "-m", "cmkguard", "scan", str(tree), "--format", fmt],
            stdout=writer,
            stderr=subprocess.PIPE,
            text=True,
            timeout=300,
            check=False,
        )
    finally:
        os.close(writer)
    assert completed.returncode == 141
    assert completed.stderr == ""


def test_a_registered_subcommand_is_dispatched_and_its_status_returned(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def register(subparsers: cli.Subparsers) -> None:
        parser = subparsers.add_parser("extra", parents=[cli.common_options()])
        parser.add_argument("--count", type=int, required=True)
        parser.set_defaults(func=lambda args: args.count)

    monkeypatch.setattr(cli, "REGISTRARS", (*cli.REGISTRARS, register))
    assert cli.main(["extra", "--count", "7"]) == 7
    assert cli.main(["extra", "--debug", "--count", "3"]) == 3
    assert cli.main(["extra"]) == 2
    assert "usage: cmkguard extra" in capsys.readouterr().err


def test_main_returns_argparse_statuses_instead_of_exiting(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert cli.main(["--version"]) == 0
    assert cli.main(["scan"]) == 2
    capsys.readouterr()


# --- import cost -----------------------------------------------------------------------------

HEAVY = ("boto3", "botocore", "tree_sitter", "tree_sitter_hcl")


@pytest.mark.parametrize(
    "code",
    [
        "import cmkguard; cmkguard.__version__",
        "from cmkguard.cli import main; main(['--help'])",
        "from cmkguard.cli import main; main(['scan', '--help'])",
        "from cmkguard.cli import main; main(['live', '--help'])",
        "from cmkguard.cli import main; main(['explain', 'missing'])",
    ],
    ids=["import", "help", "scan-help", "live-help", "explain"],
)
def test_help_and_import_load_neither_boto3_nor_the_hcl_parser(code: str) -> None:
    loaded = f"sorted(m for m in sys.modules if m.split('.')[0] in {HEAVY!r})"
    check = f"{code}\nimport sys\nprint({loaded})"
    completed = subprocess.run(
        [sys.executable, "-c", check], capture_output=True, text=True, timeout=120, check=False
    )
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.splitlines()[-1] == "[]"


LOADED = (
    "boto3", "botocore", "rich", "cmkguard.sources.plan.build", "cmkguard.report.json",
    "cmkguard.report.sarif", "cmkguard.report.html",
)  # fmt: skip


def _loaded_by_scan(tree: Path, fmt: str) -> set[str]:
    """Of ``LOADED``, the modules (or top-level packages) a real ``cmkguard scan`` imported."""
    wanted = f"{LOADED!r}"
    code = (
        "import sys\nfrom cmkguard.cli import main\n"
        f"status = main(['scan', {str(tree)!r}, '--format', {fmt!r}])\n"
        f"print(sorted({{m if m in {wanted} else m.split('.')[0] for m in sys.modules}}"
        f" & set({wanted})))\n"
        "sys.exit(status)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    assert '"status": "PASS"' in done.stdout or "1 PASS" in done.stdout
    return set(json.loads(done.stdout.splitlines()[-1].replace("'", '"')))


def test_a_terraform_scan_loads_neither_boto3_nor_rich_nor_the_plan_reader(tmp_path: Path) -> None:
    # Start-up follows what is scanned (issue 13): a Terraform tree judged and written as JSON
    # needs no AWS SDK, no terminal library, no plan reader and no other renderer.
    tree = write_tree(tmp_path / "tf", CUSTOMER_KEY)
    assert _loaded_by_scan(tree, "json") == {"cmkguard.report.json"}


def test_a_text_report_loads_rich_and_still_no_boto3(tmp_path: Path) -> None:
    tree = write_tree(tmp_path / "tf", CUSTOMER_KEY)
    assert _loaded_by_scan(tree, "text") == {"rich"}


def test_the_library_api_is_lazy_and_complete() -> None:
    import cmkguard
    from cmkguard import findings, live, scan

    assert cmkguard.scan_paths is scan.scan_paths
    assert cmkguard.scan_plan is scan.scan_plan
    assert cmkguard.scan_live is live.scan_live
    assert cmkguard.ScanResult is findings.ScanResult
    for name in cmkguard.__all__:
        assert getattr(cmkguard, name) is not None
        assert name in dir(cmkguard)
    with pytest.raises(AttributeError, match="no_such_name"):
        _ = cmkguard.no_such_name


def test_an_internal_error_in_one_root_module_keeps_the_other_roots_findings(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    # No real input is known to reach a bug today, so one root's evaluation is made to raise.
    from cmkguard.sources.terraform.build import InventoryBuilder

    write_tree(tmp_path / "good", AWS_MANAGED)
    write_tree(tmp_path / "buggy", CUSTOMER_KEY)
    real = InventoryBuilder.notebooks

    def notebooks(self: InventoryBuilder) -> Any:
        if self.ev.root.root_dir == "buggy":
            raise KeyError("bug")
        return real(self)

    monkeypatch.setattr(InventoryBuilder, "notebooks", notebooks)
    status = cli.main(["scan", str(tmp_path), "--format", "json"])
    captured = capsys.readouterr()
    assert status == 2
    document = json.loads(captured.out)
    assert [f["status"] for f in document["findings"]] == ["FAIL"]
    assert "internal error evaluating root module buggy: KeyError: 'bug'; please report" in (
        captured.out
    )
    assert "Traceback" not in captured.out + captured.err


def test_a_var_no_root_module_declares_warns_once_and_keeps_the_status(tmp_path: Path) -> None:
    tree = write_tree(
        tmp_path / "repo", CUSTOMER_KEY, extra='variable "used" {\n  default = 1\n}\n'
    )
    plain = run_cli("scan", str(tree))
    completed = run_cli(
        "scan", str(tree), "--var", "undeclared=x", "--var", "undeclared=y", "--var", "used=2"
    )
    assert completed.returncode == plain.returncode
    assert completed.stdout == plain.stdout
    warnings = [line for line in completed.stderr.splitlines() if "warning" in line]
    assert warnings == [
        'cmkguard: warning: --var undeclared: no root module declares variable "undeclared"; '
        "the value is not used"
    ]
