"""A small reverse proxy in front of moto that injects what moto cannot do.

Per service, region and operation it answers with throttling, AccessDenied, or canned responses
shaped like AWS's, for the first N matching calls or for all of them; everything else goes to
moto unchanged. The region and service come from the SigV4 credential scope of the
``Authorization`` header; the operation from ``X-Amz-Target`` (JSON protocols), ``Action=``
(query protocols) or the request path (REST protocols, e.g. ``/listRegions``).

Stdlib only: ``http.server.ThreadingHTTPServer`` in a thread and ``http.client`` upstream.
"""

from __future__ import annotations

import http.client
import http.server
import json
import re
import threading
import time
import urllib.parse
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

_SCOPE = re.compile(r"Credential=(?P<key>[^/]+)/\d{8}/(?P<region>[^/]+)/(?P<service>[^/]+)/")
_QUERY_SERVICES = frozenset({"sts", "ec2", "iam", "sqs", "sns", "rds", "cloudformation"})
# Headers that describe one hop, not the message (RFC 9110 section 7.6.1).
_HOP_HEADERS = frozenset(
    {"connection", "keep-alive", "transfer-encoding", "te", "trailer", "upgrade", "content-length"}
)
# Set by the proxy's own HTTP server for every reply.
_OWN_HEADERS = frozenset({"server", "date"})


@dataclass(frozen=True, slots=True)
class Request:
    """One request as the proxy saw it."""

    service: str
    """SigV4 signing name (``sagemaker``, ``kms``, ``sts``, ``config`` ...)."""
    region: str
    """SigV4 region."""
    operation: str
    """API operation name (``DescribeKey``)."""
    access_key: str
    """The caller's access key ID (moto maps it to an account)."""
    body: bytes
    """The request body."""

    def json(self) -> dict[str, Any]:
        """The body of a JSON-protocol request."""
        try:
            loaded = json.loads(self.body or b"{}")
        except ValueError:
            return {}
        return loaded if isinstance(loaded, dict) else {}


@dataclass(frozen=True, slots=True)
class Reply:
    """A response the proxy sends instead of moto's."""

    status: int
    body: bytes
    headers: Mapping[str, str] = field(default_factory=dict)


Responder = Callable[[Request], Reply]


@dataclass
class Rule:
    """Answer matching requests with ``respond`` instead of forwarding them."""

    operation: str
    """Operation name to match."""
    respond: Responder
    """Builds the reply."""
    service: str | None = None
    """Signing name to match; ``None`` = any."""
    region: str | None = None
    """Region to match; ``None`` = any."""
    body_contains: str | None = None
    """A substring the request body must contain (e.g. a role ARN); ``None`` = any."""
    times: int | None = None
    """Apply to the first ``times`` matching calls only; ``None`` = always."""
    hits: int = 0
    """How many calls this rule has answered."""

    def matches(self, request: Request) -> bool:
        """Whether the rule applies to ``request`` (ignoring ``times``)."""
        return (
            request.operation == self.operation
            and self.service in (None, request.service)
            and self.region in (None, request.region)
            and (self.body_contains is None or self.body_contains.encode() in request.body)
        )


def _protocol(service: str, headers: Mapping[str, str]) -> str:
    if "x-amz-target" in headers:
        return "json"
    if service in _QUERY_SERVICES:
        return "query"
    return "rest-json"


def aws_error(code: str, message: str, status: int = 400) -> Responder:
    """An AWS error in the request's own protocol (JSON ``__type``, query XML, REST header)."""

    def respond(request: Request) -> Reply:
        if request.service in _QUERY_SERVICES:
            xml = (
                '<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error>'
                f"<Type>Sender</Type><Code>{code}</Code><Message>{message}</Message></Error>"
                f"<RequestId>{uuid.uuid4()}</RequestId></ErrorResponse>"
            )
            return Reply(status, xml.encode(), {"Content-Type": "text/xml"})
        body = json.dumps({"__type": code, "message": message, "Message": message}).encode()
        return Reply(
            status,
            body,
            {"Content-Type": "application/x-amz-json-1.1", "x-amzn-ErrorType": code},
        )

    return respond


def throttle() -> Responder:
    """``ThrottlingException`` (HTTP 400), as KMS, SageMaker and STS send it."""
    return aws_error("ThrottlingException", "Rate exceeded")


def deny(operation: str, service: str) -> Responder:
    """``AccessDeniedException`` worded like AWS's."""
    code = "AccessDenied" if service in _QUERY_SERVICES else "AccessDeniedException"
    message = (
        "User: arn:aws:sts::123456789012:assumed-role/auditor/cmkguard is not authorized to "
        f"perform: {service}:{operation} because no identity-based policy allows the "
        f"{service}:{operation} action"
    )
    return aws_error(code, message)


def canned(answer: Mapping[str, Any] | Callable[[Request], Mapping[str, Any]]) -> Responder:
    """A successful JSON answer (static, or built from the request, e.g. for pagination)."""

    def respond(request: Request) -> Reply:
        body = answer(request) if callable(answer) else answer
        content = (
            "application/json" if request.service == "account" else "application/x-amz-json-1.1"
        )
        return Reply(200, json.dumps(body).encode(), {"Content-Type": content})

    return respond


class FaultProxy:
    """The proxy: ``start()``, point clients at ``endpoint``, add ``rules``, read ``seen``."""

    def __init__(self, upstream_host: str, upstream_port: int) -> None:
        self._upstream = (upstream_host, upstream_port)
        self._lock = threading.Lock()
        self.rules: list[Rule] = []
        self.defaults: list[Rule] = []
        """Rules consulted after ``rules`` and kept by ``clear()``: the stack's stand-ins for
        operations moto does not implement."""
        self.latency = 0.0
        """Seconds every request is held before it is answered (0: none). Models the round
        trip to a real AWS endpoint; requests are held in their own handler threads, so they
        overlap as they would on the network."""
        self._seen: list[Request] = []
        self._local = threading.local()
        self._server: http.server.ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def endpoint(self) -> str:
        """``http://127.0.0.1:PORT``."""
        assert self._server is not None, "start() first"
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def start(self) -> None:
        """Listen on 127.0.0.1, a free port, in a daemon thread."""
        proxy = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            # Headers and body go out in two sends: with Nagle's algorithm the body waits for
            # the client's delayed ACK, about 40 ms a call.
            disable_nagle_algorithm = True

            def do_GET(self) -> None:
                proxy._handle(self)

            do_POST = do_PUT = do_DELETE = do_HEAD = do_PATCH = do_GET

            def log_message(self, format: str, *args: Any) -> None:
                return

        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        server.daemon_threads = True
        self._server = server
        self._thread = threading.Thread(target=server.serve_forever, daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Stop listening."""
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    def add(self, rule: Rule) -> Rule:
        """Add a rule (first matching rule wins)."""
        with self._lock:
            self.rules.append(rule)
        return rule

    def clear(self) -> None:
        """Forget every rule and every request seen."""
        with self._lock:
            self.rules.clear()
            self._seen.clear()

    @property
    def seen(self) -> list[Request]:
        """Every request received, in order (answered by a rule or forwarded)."""
        with self._lock:
            return list(self._seen)

    def count(self, operation: str, region: str | None = None) -> int:
        """How many ``operation`` calls arrived (in ``region``, when given)."""
        return sum(1 for r in self.seen if r.operation == operation and region in (None, r.region))

    # --- handling -------------------------------------------------------------------------

    def _parse(self, handler: http.server.BaseHTTPRequestHandler, body: bytes) -> Request:
        headers = {k.lower(): v for k, v in handler.headers.items()}
        scope = _SCOPE.search(headers.get("authorization", ""))
        service = scope["service"] if scope else ""
        region = scope["region"] if scope else ""
        access_key = scope["key"] if scope else ""
        target = headers.get("x-amz-target")
        if target:
            operation = target.rsplit(".", 1)[-1]
        else:
            form = urllib.parse.parse_qs(body.decode("utf-8", "replace"))
            query = urllib.parse.parse_qs(urllib.parse.urlsplit(handler.path).query)
            action = (form.get("Action") or query.get("Action") or [""])[0]
            if action:
                operation = action
            else:
                last = urllib.parse.urlsplit(handler.path).path.rstrip("/").rsplit("/", 1)[-1]
                operation = last[:1].upper() + last[1:]
        return Request(service, region, operation, access_key, body)

    def _rule_for(self, request: Request) -> Rule | None:
        with self._lock:
            self._seen.append(request)
            for rule in [*self.rules, *self.defaults]:
                if rule.matches(request) and (rule.times is None or rule.hits < rule.times):
                    rule.hits += 1
                    return rule
        return None

    def _handle(self, handler: http.server.BaseHTTPRequestHandler) -> None:
        length = int(handler.headers.get("Content-Length") or 0)
        body = handler.rfile.read(length) if length else b""
        request = self._parse(handler, body)
        rule = self._rule_for(request)
        if self.latency > 0:
            time.sleep(self.latency)
        reply = rule.respond(request) if rule is not None else self._forward(handler, body)
        handler.send_response(reply.status)
        for name, value in reply.headers.items():
            if name.lower() not in _HOP_HEADERS | _OWN_HEADERS:
                handler.send_header(name, value)
        handler.send_header("Content-Length", str(len(reply.body)))
        if not any(name.lower() == "x-amzn-requestid" for name in reply.headers):
            handler.send_header("x-amzn-RequestId", str(uuid.uuid4()))
        handler.end_headers()
        if handler.command != "HEAD":
            handler.wfile.write(reply.body)

    def _connection(self) -> http.client.HTTPConnection:
        # One keep-alive connection to moto per proxy thread.
        connection: http.client.HTTPConnection | None = getattr(self._local, "connection", None)
        if connection is None:
            connection = http.client.HTTPConnection(*self._upstream, timeout=60)
            self._local.connection = connection
        return connection

    def _forward(self, handler: http.server.BaseHTTPRequestHandler, body: bytes) -> Reply:
        headers = {k: v for k, v in handler.headers.items() if k.lower() not in _HOP_HEADERS}
        for attempt in range(2):
            connection = self._connection()
            try:
                connection.request(handler.command, handler.path, body=body, headers=headers)
                response = connection.getresponse()
                data = response.read()
            except (http.client.HTTPException, OSError):
                connection.close()
                self._local.connection = None
                if attempt:
                    raise
                continue
            return Reply(response.status, data, dict(response.getheaders()))
        raise AssertionError("unreachable")
