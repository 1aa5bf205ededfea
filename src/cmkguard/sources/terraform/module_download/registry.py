"""The Terraform module registry protocol
(https://developer.hashicorp.com/terraform/internals/module-registry-protocol): service
discovery (``/.well-known/terraform.json``, ``modules.v1``), the version list, and the download
location (``X-Terraform-Get``, or a JSON ``location``) of one version.

A registry is reached over https at its host, as Terraform does, unless the run maps the host
to another base URL (``--registry-url HOST=URL``: a private mirror, or a test server).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from urllib.parse import urljoin

from cmkguard.sources.terraform.module_download.constraints import (
    newest_matching,
    parse_constraints,
)
from cmkguard.sources.terraform.module_download.http import DownloadError, get
from cmkguard.sources.terraform.module_download.sources import RegistrySource

MAX_JSON_BYTES = 4 * 1024 * 1024
"""The largest discovery document or version list read."""


def _json(url: str) -> object:
    body = get(url, MAX_JSON_BYTES).body
    try:
        return json.loads(body)
    except (ValueError, UnicodeDecodeError):
        raise DownloadError(f"{url} did not answer JSON") from None


def modules_base(host: str, registries: Mapping[str, str]) -> str:
    """The ``modules.v1`` base URL of the registry at ``host`` (ending in ``/``)."""
    root = registries.get(host, f"https://{host}").rstrip("/") + "/"
    discovery = urljoin(root, ".well-known/terraform.json")
    document = _json(discovery)
    base = document.get("modules.v1") if isinstance(document, dict) else None
    if not isinstance(base, str):
        raise DownloadError(f"{host} is not a module registry ({discovery} has no modules.v1)")
    return urljoin(discovery, base).rstrip("/") + "/"


def versions(base: str, module: RegistrySource) -> list[str]:
    """The versions the registry lists for ``module``."""
    url = f"{base}{module.namespace}/{module.name}/{module.system}/versions"
    document = _json(url)
    modules = document.get("modules") if isinstance(document, dict) else None
    if not isinstance(modules, list) or not modules or not isinstance(modules[0], dict):
        raise DownloadError(f"{url} lists no module versions")
    listed = modules[0].get("versions")
    if not isinstance(listed, list):
        raise DownloadError(f"{url} lists no module versions")
    return [
        v["version"] for v in listed if isinstance(v, dict) and isinstance(v.get("version"), str)
    ]


def pick_version(available: list[str], constraint: str | None, module: RegistrySource) -> str:
    """The newest listed version ``constraint`` allows (the newest release without one)."""
    constraints = parse_constraints(constraint) if constraint is not None else ()
    if isinstance(constraints, str):
        raise DownloadError(constraints)
    chosen = newest_matching(available, constraints)
    if chosen is None:
        wanted = f"matches {constraint!r}" if constraint is not None else "is a release"
        raise DownloadError(
            f"no version of {module} {wanted} (the registry lists {len(available)})"
        )
    return chosen


def download_location(base: str, module: RegistrySource, version: str) -> str:
    """Where the registry says ``version`` of ``module`` is (a getter address, made absolute
    against the download URL when it is a relative URL)."""
    url = f"{base}{module.namespace}/{module.name}/{module.system}/{version}/download"
    response = get(url, MAX_JSON_BYTES)
    location = response.headers.get("x-terraform-get")
    if location is None and response.body:
        try:
            document = json.loads(response.body)
        except (ValueError, UnicodeDecodeError):
            document = None
        found = document.get("location") if isinstance(document, dict) else None
        location = found if isinstance(found, str) else None
    if not location:
        raise DownloadError(f"{url} gave no X-Terraform-Get location")
    # A relative URL is relative to the download URL; anything else is a getter address.
    if "://" not in location and "::" not in location and not location.startswith("github.com/"):
        return urljoin(url, location)
    return location
