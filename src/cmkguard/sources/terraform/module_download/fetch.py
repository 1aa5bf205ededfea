"""The downloader: a module source (and version constraint) to a directory in the cache.

Each package is kept in ``CACHE/<hash>`` where the hash names what was fetched: a registry
module's resolved location, a git commit, an archive's content. A package is unpacked into a
scratch directory first and renamed into place, so a directory there is always complete; what
is there is reused. Registry version lists and git refs are asked every run (a newer version may
match, a branch may move), as ``terraform init`` does.
"""

from __future__ import annotations

import hashlib
import posixpath
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from cmkguard.sources.terraform.module_download import git, registry
from cmkguard.sources.terraform.module_download.archives import MAX_UNPACKED_BYTES, unpack
from cmkguard.sources.terraform.module_download.http import DownloadError, get
from cmkguard.sources.terraform.module_download.sources import (
    ArchiveSource,
    GitSource,
    RegistrySource,
    parse_source,
)
from cmkguard.tfinputs import ModuleDownloads


@dataclass(frozen=True, slots=True)
class Downloaded:
    """A fetched module."""

    package: Path
    """The unpacked package (resolved): local sources inside the module may climb to here."""
    module: Path
    """The module's directory: the package, or its ``//subdirectory``."""


class ModuleDownloader:
    """Fetches module sources for one run, each (source, version) once."""

    def __init__(self, settings: ModuleDownloads) -> None:
        self._settings = settings
        self._done: dict[tuple[str, str | None], Downloaded | str] = {}

    def fetch(self, source: str, version: str | None) -> Downloaded | str:
        """The module ``source`` (at the newest version ``version`` allows, for a registry
        module), or why it cannot be fetched."""
        key = (source, version)
        if key not in self._done:
            try:
                self._done[key] = self._fetch(source, version)
            except DownloadError as error:
                self._done[key] = str(error)
        return self._done[key]

    def _fetch(self, text: str, version: str | None) -> Downloaded:
        parsed = parse_source(text)
        if isinstance(parsed, str):
            raise DownloadError(parsed)
        if isinstance(parsed, RegistrySource):
            target, subdir = self._registry_target(parsed, version)
        else:
            target, subdir = parsed, parsed.subdir
        package = self._package(target)
        return Downloaded(package, _subdirectory(package, subdir))

    def _registry_target(
        self, module: RegistrySource, version: str | None
    ) -> tuple[GitSource | ArchiveSource, str]:
        base = registry.modules_base(module.host, self._settings.registries)
        chosen = registry.pick_version(registry.versions(base, module), version, module)
        location = registry.download_location(base, module, chosen)
        target = parse_source(location)
        if isinstance(target, (str, RegistrySource)):
            why = target if isinstance(target, str) else "another registry address"
            raise DownloadError(f"{module} {chosen} is at {location}: {why}")
        # A subdirectory in the registry's location and one in the module source both apply.
        return target, posixpath.join(target.subdir, module.subdir).strip("/")

    def _package(self, source: GitSource | ArchiveSource) -> Path:
        if isinstance(source, GitSource):
            commit = git.resolve(source)
            return self._stored(
                f"git {source.url} {commit}", lambda d: git.checkout(source, commit, d)
            )
        data = get(source.url, MAX_UNPACKED_BYTES).body
        digest = hashlib.sha256(data).hexdigest()
        return self._stored(
            f"archive {source.kind} {digest}", lambda d: unpack(data, source.kind, d, source.url)
        )

    def _stored(self, identity: str, write: Callable[[Path], None]) -> Path:
        """The cache directory of ``identity``, written by ``write`` if it is not there yet."""
        cache = self._settings.cache
        final = cache / hashlib.sha256(identity.encode()).hexdigest()[:40]
        if final.is_dir():
            return final.resolve()
        try:
            cache.mkdir(parents=True, exist_ok=True)
            scratch = Path(tempfile.mkdtemp(prefix=".partial-", dir=cache))
        except OSError as error:
            raise DownloadError(f"cannot write the module cache {cache}: {error}") from None
        try:
            package = scratch / "package"
            package.mkdir()
            write(package)
            package.rename(final)
        except OSError as error:
            if not final.is_dir():
                raise DownloadError(f"cannot write the module cache {cache}: {error}") from None
        finally:
            shutil.rmtree(scratch, ignore_errors=True)
        return final.resolve()


def _subdirectory(package: Path, subdir: str) -> Path:
    """The module's directory in the package. A subdirectory may be a pattern (``//*``: the one
    top-level directory of a GitHub tarball), which must match exactly one directory."""
    if not subdir:
        return package
    if not any(c in subdir for c in "*?["):
        if not (package / subdir).is_dir():
            raise DownloadError(f"the package has no directory {subdir}")
        return package / subdir
    matches = [p for p in sorted(package.glob(subdir)) if p.is_dir()]
    if len(matches) != 1:
        raise DownloadError(
            f"//{subdir} matches {len(matches)} directories of the package, not one"
        )
    return matches[0]
