"""Git module sources fetched with dulwich, a git implementation in Python: nothing is run (no
``git`` program, so no hooks, filters or ssh), over https, http or file URLs only. The commit's
tree is written out file by file: no ``.git`` directory in the module, no path leaving it, no
symbolic link pointing outside it, and submodules (which a scan could not read) refused.
"""

from __future__ import annotations

import os
import posixpath
import stat
import tempfile
from collections.abc import Mapping
from pathlib import Path
from urllib.parse import urlsplit

from dulwich.client import GitClient, LocalGitClient, Urllib3HttpGitClient
from dulwich.errors import GitProtocolError, HangupException, NotGitRepository
from dulwich.objects import Commit, ObjectID, Tag
from dulwich.refs import Ref
from dulwich.repo import Repo

from cmkguard.sources.terraform.module_download.archives import MAX_UNPACKED_BYTES
from cmkguard.sources.terraform.module_download.http import TIMEOUT_SECONDS, DownloadError
from cmkguard.sources.terraform.module_download.sources import GitSource

_HEX = frozenset("0123456789abcdef")


def _client(url: str) -> tuple[GitClient, str]:
    parts = urlsplit(url)
    if parts.scheme == "file":
        return LocalGitClient(), parts.path
    return Urllib3HttpGitClient(f"{parts.scheme}://{parts.netloc}", timeout=TIMEOUT_SECONDS), (
        parts.path
    )


def resolve(source: GitSource) -> str:
    """The commit (hex) ``source.ref`` names in the remote repository: a tag, a branch, or a
    full commit hash; the default branch without a ref."""
    client, path = _client(source.url)
    try:
        refs = client.get_refs(path.encode()).refs
    except (GitProtocolError, HangupException, NotGitRepository, OSError, KeyError) as error:
        raise DownloadError(f"{source.url}: cannot list the repository's refs ({error})") from None
    ref = source.ref
    names = (
        [b"HEAD"]
        if ref is None
        else [
            f"refs/tags/{ref}^{{}}".encode(),
            f"refs/tags/{ref}".encode(),
            f"refs/heads/{ref}".encode(),
        ]
    )
    for name in names:
        sha = refs.get(Ref(name))
        if sha is not None:
            return bytes(sha).decode()
    if ref is not None and len(ref) == 40 and _HEX.issuperset(ref.lower()):
        return ref.lower()
    raise DownloadError(f"{source.url} has no tag or branch {ref!r}")


def checkout(source: GitSource, commit: str, destination: Path) -> None:
    """Fetch ``commit`` from ``source.url`` and write its tree into the empty ``destination``."""
    client, path = _client(source.url)
    with tempfile.TemporaryDirectory(prefix="cmkguard-git-") as scratch:
        repo = Repo.init_bare(scratch)
        try:
            wanted = ObjectID(commit.encode())

            def wants(refs: Mapping[Ref, ObjectID], depth: int | None = None) -> list[ObjectID]:
                return [wanted]

            client.fetch(path.encode(), repo, determine_wants=wants)
            obj = repo[commit.encode()]
            while isinstance(obj, Tag):
                obj = repo[obj.object[1]]
        except (GitProtocolError, HangupException, NotGitRepository, OSError, KeyError) as error:
            raise DownloadError(f"{source.url}: cannot fetch {commit} ({error})") from None
        if not isinstance(obj, Commit):
            raise DownloadError(f"{source.url}: {commit} is not a commit")
        _write_tree(repo, obj.tree, destination, source.url)
        repo.close()


def _write_tree(repo: Repo, tree: bytes, destination: Path, what: str) -> None:
    total = 0
    for entry in repo.object_store.iter_tree_contents(ObjectID(tree)):
        name = entry.path.decode("utf-8", errors="replace")
        parts = name.split("/")
        if name.startswith("/") or any(p in ("", ".", "..", ".git") for p in parts):
            raise DownloadError(f"{what}: path {name!r} is not safe to write")
        if stat.S_ISDIR(entry.mode) or entry.mode == 0o160000:
            raise DownloadError(f"{what}: {name} is a git submodule, which is not fetched")
        blob = repo[entry.sha].as_raw_string()
        total += len(blob)
        if total > MAX_UNPACKED_BYTES:
            raise DownloadError(f"{what}: more than {MAX_UNPACKED_BYTES} bytes")
        path = destination / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if stat.S_ISLNK(entry.mode):
            target = blob.decode("utf-8", errors="replace")
            joined = posixpath.normpath(posixpath.join(posixpath.dirname(name), target))
            if target.startswith("/") or joined == ".." or joined.startswith("../"):
                raise DownloadError(f"{what}: symbolic link {name} points outside the module")
            os.symlink(target, path)
        else:
            path.write_bytes(blob)
