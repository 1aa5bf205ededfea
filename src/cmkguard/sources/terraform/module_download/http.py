"""HTTP for module downloads: ``GET`` over http or https only (no ``file:``, ``ftp:`` or other
scheme, also not by a redirect), with a timeout and a size cap, every failure one sentence."""

from __future__ import annotations

import urllib.error
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass
from http.client import HTTPMessage
from typing import IO
from urllib.parse import urlsplit

TIMEOUT_SECONDS = 30.0
"""How long one connection may stay silent."""


class DownloadError(Exception):
    """A module that cannot be fetched; the message says why in one sentence."""


@dataclass(frozen=True, slots=True)
class Response:
    """A successful response."""

    status: int
    headers: Mapping[str, str]
    body: bytes


class _HttpOnlyRedirects(urllib.request.HTTPRedirectHandler):
    """Follows redirects to http and https only: a registry must not send us to ``file:``."""

    def redirect_request(
        self,
        req: urllib.request.Request,
        fp: IO[bytes],
        code: int,
        msg: str,
        headers: HTTPMessage,
        newurl: str,
    ) -> urllib.request.Request | None:
        if urlsplit(newurl).scheme not in ("http", "https"):
            raise DownloadError(f"{req.full_url} redirects to {newurl}, not http(s)")
        return super().redirect_request(req, fp, code, msg, headers, newurl)


_OPENER = urllib.request.build_opener(_HttpOnlyRedirects)


def get(url: str, limit: int) -> Response:
    """``GET url``: the response of at most ``limit`` bytes, or ``DownloadError``."""
    if urlsplit(url).scheme not in ("http", "https"):
        raise DownloadError(f"{url} is not an http(s) URL")
    request = urllib.request.Request(url, headers={"User-Agent": "cmkguard"})  # noqa: S310 (scheme checked above)
    try:
        with _OPENER.open(request, timeout=TIMEOUT_SECONDS) as response:
            body = response.read(limit + 1)
            if len(body) > limit:
                raise DownloadError(f"{url} is larger than {limit} bytes")
            headers = {k.lower(): v for k, v in response.headers.items()}
            return Response(response.status, headers, body)
    except urllib.error.HTTPError as error:
        raise DownloadError(f"{url}: HTTP {error.code} {error.reason}") from None
    except (urllib.error.URLError, OSError, ValueError) as error:
        reason = getattr(error, "reason", error)
        raise DownloadError(f"{url}: {reason}") from None
