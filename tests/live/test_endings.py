"""A live scan always ends and never double-counts, whatever the endpoint answers (issue 8,
item 6): looping tokens, notebooks on two pages, answers that are no listing, organizations
that list nothing, an endpoint that accepts and never answers, a scan past its ``--timeout``."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
from awsharness import DEFAULT_ACCOUNT, MotoStack
from awsharness.proxy import Reply, Request, canned

from cmkguard.cli import main
from cmkguard.sources.aws import calls as aws_calls
from live.conftest import calls, scan, verdicts

PROD = "111111111111"


def _listing(*names: str) -> list[dict[str, Any]]:
    return [
        {
            "NotebookInstanceName": name,
            "NotebookInstanceArn": f"arn:aws:sagemaker:us-east-1:{DEFAULT_ACCOUNT}:"
            f"notebook-instance/{name}",
        }
        for name in names
    ]


def test_repeated_next_token_ends_the_listing(aws: MotoStack) -> None:
    """A server that hands back the token it was asked with would loop for ever."""
    aws.create_notebook("nb")
    aws.answer(
        "ListNotebookInstances",
        {"NotebookInstances": _listing("nb"), "NextToken": "again"},
        service="sagemaker",
    )
    result = scan()
    assert verdicts(result) == {"nb": ("FAIL", ("missing",))}
    assert len(calls(result, "ListNotebookInstances")) == 2
    [error] = result.result.errors
    assert error.path == f"aws:{DEFAULT_ACCOUNT}:us-east-1"
    assert "live scan incomplete" in error.message
    assert "RepeatedNextToken" in error.message
    assert result.result.exit_code() == 2


def test_ever_new_tokens_end_at_the_page_cap(
    aws: MotoStack, monkeypatch: pytest.MonkeyPatch
) -> None:
    def endless(request: Request) -> dict[str, Any]:
        token = int(request.json().get("NextToken") or 0)
        return {"NotebookInstances": [], "NextToken": str(token + 1)}

    aws.answer("ListNotebookInstances", endless, service="sagemaker")
    monkeypatch.setattr(aws_calls, "MAX_PAGES", 3)  # the real cap is 10,000 pages
    result = scan()
    assert len(calls(result, "ListNotebookInstances")) == 3
    [error] = result.result.errors
    assert "TooManyPages" in error.message
    assert result.result.exit_code() == 2


def test_notebook_on_two_pages_is_judged_once(aws: MotoStack) -> None:
    """Listings shift while they are paged: a notebook seen twice is one finding."""
    aws.create_notebook("a")
    aws.create_notebook("b")

    def shifting(request: Request) -> dict[str, Any]:
        if request.json().get("NextToken"):
            return {"NotebookInstances": _listing("b", "a")}
        return {"NotebookInstances": _listing("a", "b"), "NextToken": "2"}

    aws.answer("ListNotebookInstances", shifting, service="sagemaker")
    result = scan()
    assert sorted(f.address.rsplit("/", 1)[1] for f in result.result.findings) == ["a", "b"]
    assert len(calls(result, "DescribeNotebookInstance")) == 2
    assert result.result.exit_code() == 1


def test_answer_without_notebook_instances_is_an_incomplete_scan(aws: MotoStack) -> None:
    """``{}`` is not "no notebooks": it is an answer we cannot read, so never a clean exit."""
    aws.create_notebook("hidden")
    aws.answer("ListNotebookInstances", {"Something": []}, service="sagemaker")
    result = scan()
    assert result.result.findings == ()
    [error] = result.result.errors
    assert "live scan incomplete" in error.message
    assert "answered no list" in error.message
    assert result.result.exit_code() == 2


def test_listed_entry_without_name_is_an_incomplete_scan(aws: MotoStack) -> None:
    aws.create_notebook("nb")
    aws.answer(
        "ListNotebookInstances",
        {"NotebookInstances": [*_listing("nb"), {"NotebookInstanceName": 7}]},
        service="sagemaker",
    )
    result = scan()
    assert set(verdicts(result)) == {"nb"}
    assert result.result.exit_code() == 2


def test_organization_listing_no_account_is_an_incomplete_scan(aws: MotoStack) -> None:
    aws.answer("ListAccounts", {"Accounts": []}, service="organizations")
    aws.create_notebook("mgmt-nb")
    result = scan(org_role="OrganizationAccountAccessRole")
    [error] = result.result.errors
    assert error.path == f"aws:{DEFAULT_ACCOUNT}"
    assert "named no ACTIVE account" in error.message
    assert result.result.exit_code() == 2
    assert set(verdicts(result)) == {"mgmt-nb"}, "the management account is still scanned"


def test_management_account_is_scanned_even_when_not_listed(aws: MotoStack) -> None:
    """docs/live.md: the management account is scanned with the default credentials."""
    accounts = [{"Id": PROD, "Status": "ACTIVE", "State": "ACTIVE", "Name": "prod"}]
    aws.answer("ListAccounts", {"Accounts": accounts}, service="organizations")
    aws.create_notebook("mgmt-nb")
    aws.create_notebook("prod-nb", account=PROD)
    result = scan(org_role="OrganizationAccountAccessRole")
    assert set(verdicts(result)) == {"mgmt-nb", "prod-nb"}
    assert [i["Account"] for i in result.identities] == [DEFAULT_ACCOUNT, PROD]
    assert not result.result.errors


@pytest.fixture
def black_hole() -> Iterator[str]:
    """A local TCP endpoint that accepts connections and never answers."""
    server = socket.create_server(("127.0.0.1", 0))
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(server.accept()[0])
            except TimeoutError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.getsockname()[1]}"
    stop.set()
    thread.join()
    for connection in held:
        connection.close()
    server.close()


def test_black_holed_endpoint_ends_within_the_call_budget(
    aws: MotoStack,
    black_hole: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """It took 689 s (ten attempts of 60 s) before an unanswering endpoint became an error."""
    monkeypatch.setenv("AWS_ENDPOINT_URL", black_hole)
    started = time.monotonic()
    status = main(["live", "--format", "json", "--quiet", "--call-timeout", "0.5"])
    elapsed = time.monotonic() - started
    assert status == 2
    report = json.loads(capsys.readouterr().out)
    [error] = report["errors"]
    assert "GetCallerIdentity" in error["message"]
    assert "timeout" in error["message"].lower()
    # Four attempts of 0.5 s and botocore's jittered backoff (at most 1 + 2 + 4 s), with room
    # for a busy machine: the point is seconds, not the 689 s of ten 60 s attempts.
    assert elapsed < 30


def test_scan_timeout_leaves_the_rest_unknown_and_the_scan_incomplete(aws: MotoStack) -> None:
    for name in ("a", "b"):
        aws.create_notebook(name)
    timeout = 6.0  # ample for the calls before the listing, even on a busy CI machine
    started = time.monotonic()

    def slow_listing(request: Request) -> Reply:
        # Answer only once the deadline has passed: the descriptions are then never made.
        time.sleep(max(0.0, started + timeout + 0.3 - time.monotonic()))
        return canned({"NotebookInstances": _listing("a", "b")})(request)

    aws.add_rule("ListNotebookInstances", slow_listing, service="sagemaker")
    result = scan(timeout=timeout)
    assert verdicts(result) == {
        "a": ("UNKNOWN", ("unresolved",)),
        "b": ("UNKNOWN", ("unresolved",)),
    }
    assert all("ScanTimeout" in f.message for f in result.result.findings)
    assert aws.count("DescribeNotebookInstance") == 0, "no call is made after the deadline"
    [error] = result.result.errors
    assert error.message == (
        "live scan incomplete: --timeout of 6 s reached; 2 calls were not made"
    )
    assert result.result.exit_code() == 2
