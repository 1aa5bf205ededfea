"""A module registry for tests: ``http.server`` on 127.0.0.1 at a free port, serving service
discovery, version lists and downloads (``X-Terraform-Get``) of archives the test builds. Never
the internet."""

from __future__ import annotations

import io
import tarfile
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Registry:
    """What the server answers: ``routes`` maps a path to (status, headers, body)."""

    url: str = ""
    routes: dict[str, tuple[int, dict[str, str], bytes]] = field(default_factory=dict)

    def module(self, address: str, versions: Mapping[str, bytes]) -> None:
        """Serve ``NAMESPACE/NAME/SYSTEM`` at each version with its archive (a tar.gz)."""
        listed = ",".join(f'{{"version": "{v}"}}' for v in versions)
        self.routes["/.well-known/terraform.json"] = (
            200,
            {"Content-Type": "application/json"},
            b'{"modules.v1": "/v1/modules/"}',
        )
        self.routes[f"/v1/modules/{address}/versions"] = (
            200,
            {},
            f'{{"modules": [{{"versions": [{listed}]}}]}}'.encode(),
        )
        for version, archive in versions.items():
            tarball = f"/archives/{address.replace('/', '-')}-{version}.tar.gz"
            self.routes[f"/v1/modules/{address}/{version}/download"] = (
                204,
                {"X-Terraform-Get": tarball},
                b"",
            )
            self.routes[tarball] = (200, {"Content-Type": "application/gzip"}, archive)


def tar_gz(files: Mapping[str, str], links: Mapping[str, str] | None = None) -> bytes:
    """A .tar.gz of ``files`` (name to text) and symbolic ``links`` (name to target), names
    written as given (``../x`` too)."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        for name, text in files.items():
            data = text.encode()
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
        for name, target in (links or {}).items():
            info = tarfile.TarInfo(name)
            info.type = tarfile.SYMTYPE
            info.linkname = target
            archive.addfile(info)
    return buffer.getvalue()


@contextmanager
def serving() -> Iterator[Registry]:
    """A registry running for the block."""
    registry = Registry()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            status, headers, body = registry.routes.get(self.path, (404, {}, b"not found"))
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    registry.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield registry
    finally:
        server.shutdown()
        server.server_close()
