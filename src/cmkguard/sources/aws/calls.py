"""Every AWS call goes through ``call``: it is made, recorded as an ``ApiRecord`` and its error,
if any, becomes a value (``CallError``) for the caller to turn into ``Unknown`` or an error.

Pagination is followed by hand (``pages``) rather than with botocore paginators, so that each
page is one recorded call with the exact ``NextToken`` it was asked with.
"""

from __future__ import annotations

import base64
import datetime as dt
import threading
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from botocore import xform_name
from botocore.client import BaseClient
from botocore.exceptions import BotoCoreError, ClientError

from cmkguard.records import ApiRecord, Json

UNKNOWN_ACCOUNT = "unknown"
"""``ApiRecord.account`` of the calls made before the caller's account is known."""

_DENIED_CODES = frozenset(
    {
        "AccessDenied",
        "AccessDeniedException",
        "UnauthorizedOperation",
        "UnauthorizedAccess",
        "AuthorizationError",
        "AuthFailure",
        "UnrecognizedClientException",
        "InvalidClientTokenId",
        "ExpiredToken",
        "ExpiredTokenException",
    }
)

MAX_PAGES = 10_000
"""Pages followed in one listing (a million notebooks at 100 a page): a server that keeps
handing out new tokens cannot keep the scan going for ever."""

TIMEOUT_CODE = "ScanTimeout"
"""``CallError.code`` of a call not made because the scan's ``--timeout`` had passed."""

# STS AssumeRole answers with live credentials; only their expiry is worth keeping.
_CREDENTIAL_FIELDS = ("SecretAccessKey", "SessionToken", "AccessKeyId")


@dataclass(frozen=True, slots=True)
class CallError:
    """A call that did not succeed: AWS's error code and message, or a client-side failure."""

    operation: str
    """The API operation, e.g. ``DescribeKey``."""
    code: str
    """AWS error code (``AccessDeniedException``) or the botocore exception name."""
    message: str
    """AWS's or botocore's message."""

    @property
    def denied(self) -> bool:
        """True when AWS refused the caller (as opposed to a missing resource or an outage)."""
        return self.code in _DENIED_CODES or "AccessDenied" in self.code

    @property
    def not_found(self) -> bool:
        """True for ``NotFoundException`` and its kin."""
        return self.code.startswith("NotFound") or self.code.endswith("NotFoundException")

    @property
    def detail(self) -> str:
        """``Code: message``, as ``ApiRecord.error`` carries it."""
        return f"{self.code}: {self.message}" if self.message else self.code

    def __str__(self) -> str:
        """``Operation denied: Code: message`` (or ``failed``), for ``Unknown.why``."""
        verb = "denied" if self.denied else "failed"
        return f"{self.operation} {verb}: {self.detail}"


class Recorder:
    """Collects the ``ApiRecord`` of every call, from any thread, in the order they finished,
    and holds the scan's deadline, which every call checks before it is made."""

    def __init__(self, timeout: float | None = None, *, until: float | None = None) -> None:
        self._lock = threading.Lock()
        self._records: list[ApiRecord] = []
        self.timeout = timeout
        """The whole scan's time limit in seconds (``--timeout``); ``None`` for none."""
        # ``until``: a deadline that started counting earlier (a static scan's, shared with the
        # lookups of --resolve-keys), as ``time.monotonic()``.
        self._deadline = until
        if until is None and timeout is not None:
            self._deadline = time.monotonic() + timeout

    @property
    def expired(self) -> bool:
        """True once the scan's ``--timeout`` has passed: no further call is made."""
        return self._deadline is not None and time.monotonic() >= self._deadline

    def add(self, record: ApiRecord) -> None:
        """Keep one record."""
        with self._lock:
            self._records.append(record)

    @property
    def records(self) -> tuple[ApiRecord, ...]:
        """Every record so far."""
        with self._lock:
            return tuple(self._records)

    def __len__(self) -> int:
        with self._lock:
            return len(self._records)


def now_iso() -> str:
    """The current UTC time, ISO 8601 with seconds."""
    return dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def to_json(value: object) -> Json:
    """A botocore response value as plain JSON: datetimes as ISO 8601, bytes as base64."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, bytes | bytearray):
        return base64.b64encode(bytes(value)).decode("ascii")
    if isinstance(value, Mapping):
        return {str(k): to_json(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [to_json(v) for v in value]
    # botocore returns Decimal/StreamingBody only for operations cmkguard never calls.
    return str(value)


def _response_json(response: Mapping[str, Any]) -> dict[str, Json]:
    body = {k: to_json(v) for k, v in response.items() if k != "ResponseMetadata"}
    credentials = body.get("Credentials")
    if isinstance(credentials, dict):
        body["Credentials"] = {k: v for k, v in credentials.items() if k not in _CREDENTIAL_FIELDS}
    return body


def call(
    recorder: Recorder, account: str, client: BaseClient, operation: str, **params: Any
) -> dict[str, Json] | CallError:
    """Make one call, record it, and return the response (JSON) or the error."""
    return invoke(recorder, account, client, operation, **params)[1]


def invoke(
    recorder: Recorder, account: str, client: BaseClient, operation: str, **params: Any
) -> tuple[Mapping[str, Any] | None, dict[str, Json] | CallError]:
    """``call`` that also hands back botocore's raw response: the recorded one drops
    credentials, which ``AssumeRole``'s caller still needs."""
    at = now_iso()
    if recorder.expired:
        # NOTE: recorded like a refused call, so the evidence shows what was never asked.
        error = CallError(operation, TIMEOUT_CODE, f"--timeout of {recorder.timeout:g} s reached")
        recorder.add(_record(account, client, operation, params, None, error.detail, at))
        return None, error
    method = getattr(client, xform_name(operation))
    try:
        response = method(**params)
    except ClientError as exc:
        info = exc.response.get("Error", {})
        code = str(info.get("Code") or "ClientError")
        error = CallError(operation, code, str(info.get("Message") or ""))
    except BotoCoreError as exc:
        error = CallError(operation, type(exc).__name__, str(exc))
    else:
        body = _response_json(response)
        recorder.add(_record(account, client, operation, params, body, None, at))
        return response, body
    recorder.add(_record(account, client, operation, params, None, error.detail, at))
    return None, error


def _record(
    account: str,
    client: BaseClient,
    operation: str,
    params: Mapping[str, Any],
    response: Json,
    error: str | None,
    at: str,
) -> ApiRecord:
    return ApiRecord(
        account=account,
        region=str(client.meta.region_name),
        service=client.meta.service_model.service_name,
        operation=operation,
        request={k: to_json(v) for k, v in params.items()},
        response=response,
        error=error,
        at=at,
    )


def pages(
    recorder: Recorder, account: str, client: BaseClient, operation: str, **params: Any
) -> Iterator[dict[str, Json] | CallError]:
    """Follow ``NextToken`` to the end, yielding each page; an error is yielded and ends it.

    A token the listing already handed out (a loop) or more than ``MAX_PAGES`` pages ends the
    listing with an error too: the pages so far stand, and the listing is reported incomplete.
    """
    token: str | None = None
    seen: set[str] = set()
    for _ in range(MAX_PAGES):
        page = call(
            recorder,
            account,
            client,
            operation,
            **params,
            **({"NextToken": token} if token else {}),
        )
        yield page
        if isinstance(page, CallError):
            return
        next_token = page.get("NextToken")
        if not isinstance(next_token, str) or not next_token:
            return
        if next_token in seen:
            yield CallError(operation, "RepeatedNextToken", "the listing repeated a NextToken")
            return
        seen.add(next_token)
        token = next_token
    yield CallError(operation, "TooManyPages", f"more than {MAX_PAGES} pages")
