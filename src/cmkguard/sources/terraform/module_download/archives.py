"""Module archives (``.tar.gz``, ``.tar``, ``.zip``) unpacked safely: every member must stay
inside the destination (no absolute path, no ``..``), links must point inside it, only regular
files, directories and such links are written, and the unpacked size and member count are capped.
Any violation refuses the whole archive: a module half unpacked could hide the notebook the
scan must see."""

from __future__ import annotations

import io
import os
import posixpath
import stat
import tarfile
import zipfile
from pathlib import Path

from cmkguard.sources.terraform.module_download.http import DownloadError

MAX_UNPACKED_BYTES = 256 * 1024 * 1024
"""The most a module archive may unpack to."""
MAX_MEMBERS = 50_000
"""The most members a module archive may hold."""


def _check_name(name: str, what: str) -> str:
    """``name`` as a relative path inside the destination, or ``DownloadError``."""
    clean = name.replace("\\", "/")
    normal = posixpath.normpath(clean)
    if clean.startswith("/") or normal == ".." or normal.startswith("../"):
        raise DownloadError(f"{what}: member {name!r} leads outside the archive")
    return normal


def _check_link(name: str, target: str, what: str) -> None:
    """A symbolic link at ``name`` to ``target`` must stay inside the destination."""
    joined = posixpath.normpath(posixpath.join(posixpath.dirname(name), target))
    if target.startswith("/") or joined == ".." or joined.startswith("../"):
        raise DownloadError(f"{what}: symbolic link {name!r} points outside the archive")


def unpack(data: bytes, kind: str, destination: Path, what: str) -> None:
    """Unpack the archive ``data`` of ``kind`` (``tar.gz``, ``tar``, ``zip``) into the empty
    directory ``destination``; ``what`` names the archive in errors."""
    if kind == "zip":
        _unzip(data, destination, what)
    else:
        _untar(data, destination, what)


def _untar(data: bytes, destination: Path, what: str) -> None:
    try:
        with tarfile.open(fileobj=io.BytesIO(data), mode="r:*") as archive:
            members = archive.getmembers()
            _check_tar(members, what)
            # The "data" filter refuses again what the checks above refuse, and also
            # device files and permission bits that matter (setuid).
            archive.extractall(destination, filter="data")
    except (tarfile.TarError, EOFError, OSError, ValueError) as error:
        raise DownloadError(f"{what}: not a usable tar archive ({error})") from None


def _check_tar(members: list[tarfile.TarInfo], what: str) -> None:
    if len(members) > MAX_MEMBERS:
        raise DownloadError(f"{what}: more than {MAX_MEMBERS} members")
    total = 0
    for member in members:
        name = _check_name(member.name, what)
        if member.issym():
            _check_link(name, member.linkname, what)
        elif member.islnk():
            _check_name(member.linkname, what)
        elif not (member.isfile() or member.isdir()):
            raise DownloadError(f"{what}: member {member.name!r} is not a file or directory")
        total += member.size
        if total > MAX_UNPACKED_BYTES:
            raise DownloadError(f"{what}: unpacks to more than {MAX_UNPACKED_BYTES} bytes")


def _unzip(data: bytes, destination: Path, what: str) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
            if len(infos) > MAX_MEMBERS:
                raise DownloadError(f"{what}: more than {MAX_MEMBERS} members")
            if sum(i.file_size for i in infos) > MAX_UNPACKED_BYTES:
                raise DownloadError(f"{what}: unpacks to more than {MAX_UNPACKED_BYTES} bytes")
            for info in infos:
                _unzip_member(archive, info, destination, what)
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise DownloadError(f"{what}: not a usable zip archive ({error})") from None


def _unzip_member(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, destination: Path, what: str
) -> None:
    name = _check_name(info.filename, what)
    path = destination / name
    _check_not_through_link(destination, path, name, what)
    if info.is_dir():
        path.mkdir(parents=True, exist_ok=True)
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    # ZipFile reads no more than the member's declared size, which the total above capped.
    content = archive.read(info)
    if stat.S_ISLNK(info.external_attr >> 16):
        target = content.decode("utf-8", errors="replace")
        _check_link(name, target, what)
        os.symlink(target, path)
        return
    path.write_bytes(content)


def _check_not_through_link(destination: Path, path: Path, name: str, what: str) -> None:
    """Writing follows the links already unpacked (``x`` → ``.``, then ``x/y`` → ``..``): each
    member's place must still resolve inside the destination, and never replace a link."""
    if path.is_symlink() or not path.resolve().is_relative_to(destination.resolve()):
        raise DownloadError(f"{what}: member {name!r} leads outside the archive through a link")
