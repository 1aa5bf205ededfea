"""Module source addresses ``--download-modules`` fetches: registry addresses
(``[HOST/]NAMESPACE/NAME/SYSTEM``), git URLs (``git::https://...?ref=v1``, ``git::file://...``,
the ``github.com/org/repo`` shorthand) and archive URLs (``https://.../m.tar.gz``,
``?archive=zip``), each with an optional ``//subdirectory``, as Terraform's installer reads them
(https://developer.hashicorp.com/terraform/language/modules/sources).

Other getters (``s3::``, ``gcs::``, ``hg::``, ssh git) are not fetched: a scan never runs a
program, and ssh would need one.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

DEFAULT_REGISTRY = "registry.terraform.io"
"""The host of a registry address that names none."""

_PART = r"[0-9A-Za-z](?:[0-9A-Za-z_-]{0,62}[0-9A-Za-z])?"
_REGISTRY = re.compile(
    rf"(?:(?P<host>[0-9A-Za-z.-]+\.[0-9A-Za-z-]+(?::\d+)?|[0-9A-Za-z.-]+:\d+)/)?"
    rf"(?P<namespace>{_PART})/(?P<name>{_PART})/(?P<system>[0-9a-z]{{1,64}})"
)
_ARCHIVES = (".tar.gz", ".tgz", ".tar", ".zip")


@dataclass(frozen=True, slots=True)
class RegistrySource:
    """A module in a module registry."""

    host: str
    namespace: str
    name: str
    system: str
    subdir: str

    def __str__(self) -> str:
        return f"{self.host}/{self.namespace}/{self.name}/{self.system}"


@dataclass(frozen=True, slots=True)
class GitSource:
    """A git repository over https, http or file, at a ref (tag, branch or commit)."""

    url: str
    ref: str | None
    subdir: str


@dataclass(frozen=True, slots=True)
class ArchiveSource:
    """A ``.tar.gz``, ``.tar`` or ``.zip`` archive over https or http."""

    url: str
    kind: str
    """``tar.gz``, ``tar`` or ``zip``."""
    subdir: str


Source = RegistrySource | GitSource | ArchiveSource


def _split_subdir(address: str) -> tuple[str, str]:
    """``address`` without its ``//subdirectory`` (the part after the scheme's ``://``), and
    the subdirectory, query kept on the address."""
    query = ""
    if "?" in address:
        address, query = address.split("?", 1)
        query = "?" + query
    start = address.find("://")
    start = start + 3 if start >= 0 else 0
    cut = address.find("//", start)
    if cut < 0:
        return address + query, ""
    return address[:cut] + query, address[cut + 2 :].strip("/")


def _safe_subdir(subdir: str) -> bool:
    return not subdir or (
        not subdir.startswith("/") and ".." not in posixpath.normpath(subdir).split("/")
    )


def parse_source(text: str) -> Source | str:
    """The source ``text`` names, or a sentence saying why it is not fetched."""
    forced, _, rest = text.partition("::") if "::" in text.split("/", 1)[0] else ("", "", text)
    address, subdir = _split_subdir(rest)
    if not _safe_subdir(subdir):
        return f"subdirectory {subdir!r} leads outside the module package"
    if forced == "git":
        return _git(address, subdir)
    if forced:
        return f"{forced}:: sources are not fetched by --download-modules"
    if address.startswith("github.com/"):
        path, mark, query = address.partition("?")
        return _git(f"https://{path.removesuffix('.git')}.git{mark}{query}", subdir)
    match = _REGISTRY.fullmatch(address) if "://" not in address else None
    if match is None:
        scheme = urlsplit(address).scheme if "://" in address else "ssh"
        if scheme in ("http", "https"):
            return _archive(address, subdir)
        if scheme != "ssh" or address.startswith("git@"):
            return f"{scheme} sources are not fetched by --download-modules"
        return "not a registry address (HOST/NAMESPACE/NAME/SYSTEM), git:: or archive URL"
    host = (match.group("host") or DEFAULT_REGISTRY).lower()
    return RegistrySource(
        host, match.group("namespace"), match.group("name"), match.group("system"), subdir
    )


def _git(address: str, subdir: str) -> GitSource | str:
    parts = urlsplit(address)
    if parts.scheme not in ("https", "http", "file"):
        return f"git over {parts.scheme or 'ssh'} is not fetched by --download-modules"
    query = parse_qsl(parts.query)
    ref = next((v for k, v in query if k == "ref"), None)
    others = [(k, v) for k, v in query if k != "ref"]
    if others:
        return f"git source options {', '.join(k for k, _ in others)} are not supported"
    return GitSource(urlunsplit(parts._replace(query="", fragment="")), ref or None, subdir)


def _archive(address: str, subdir: str) -> ArchiveSource | str:
    parts = urlsplit(address)
    query = parse_qsl(parts.query)
    kind = next((v for k, v in query if k == "archive"), None)
    rest = [(k, v) for k, v in query if k != "archive"]
    url = urlunsplit(parts._replace(query=urlencode(rest), fragment=""))
    if kind is None:
        kind = next((s.lstrip(".") for s in _ARCHIVES if parts.path.endswith(s)), None)
    if kind == "tgz":
        kind = "tar.gz"
    if kind not in ("tar.gz", "tar", "zip"):
        return "an http source must name an archive (.tar.gz, .tgz, .tar, .zip or ?archive=)"
    return ArchiveSource(url, kind, subdir)
