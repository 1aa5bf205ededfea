"""Synthesise scripts/cdk-notebooks (a small AWS CDK app) into tests/cases/cfn-cdk-app/cdk.out.

Needs node and npm; installs the exact aws-cdk-lib and constructs versions of its package.json
into a temporary directory (the npm registry), runs the app with the context `cdk synth` sets by
default, and keeps the cloud assembly files a scan reads (templates and manifest.json). The
output is committed, so the tests need neither node nor the network.

python scripts/synth_cdk_case.py
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APP = ROOT / "scripts" / "cdk-notebooks"
CASE = ROOT / "tests" / "cases" / "cfn-cdk-app" / "cdk.out"
KEPT = ("manifest.json", ".template.json")


def main() -> int:
    """Install, synthesise, copy the templates and manifest into the case."""
    npm, node = shutil.which("npm"), shutil.which("node")
    if npm is None or node is None:
        print("synth_cdk_case: node and npm are needed", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        shutil.copy(APP / "package.json", work / "package.json")
        # Our own fixed argv (npm and node from PATH), no scanned input.
        subprocess.run([npm, "install", "--no-audit", "--no-fund"], cwd=work, check=True)  # noqa: S603
        out = work / "cdk.out"
        env = {**os.environ, "CDK_OUTDIR": str(out), "NODE_PATH": str(work / "node_modules")}
        subprocess.run([node, str(APP / "app.js")], cwd=work, env=env, check=True)  # noqa: S603
        if CASE.exists():
            shutil.rmtree(CASE)
        CASE.mkdir(parents=True)
        for file in sorted(out.iterdir()):
            if file.name.endswith(KEPT):
                # Re-indented only; the content is exactly what the CDK wrote.
                document = json.loads(file.read_text())
                (CASE / file.name).write_text(json.dumps(document, indent=1) + "\n")
    print(f"wrote {CASE.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
