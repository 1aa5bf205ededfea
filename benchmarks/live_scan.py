"""Time ``cmkguard live`` against Prowler and against the floor, on a moto server.

    .venv/bin/python benchmarks/live_scan.py [--scenario empty|A|B|all] [--repeat 3]
        [--concurrency 8 [32 ...]] [--latency-ms 0] [--prowler-repeat 1] [--skip-prowler]

Scenario A: 1,000 notebooks in one region; scenario B: 200 in each of three regions; scenario
``empty``: one region without notebooks, which shows each client's fixed cost (start-up). Keys are
mixed as in a real account: no key, ``alias/aws/sagemaker``, customer managed keys named by key
ID, key ARN, alias name and alias ARN, and disabled keys.

moto runs in its own process (``--serve-moto``, with the test harness's patch that makes
``alias/aws/*`` keys AWS managed, as real KMS does), so the server's CPU never shares a GIL
with anything timed. Every tool talks to it through a small counting reverse proxy (the test
harness's, run in this process) that counts each request by operation: moto's own request log
is not reliable. Three clients are timed in the same run, each in a fresh process, alternately:

- ``cmkguard live --regions ... --format json --concurrency C``;
- Prowler running only ``sagemaker_notebook_instance_encryption_enabled`` (installed on first
  use into ``benchmarks/.work/venv-prowler``, the only network access);
- the floor, ``live_floor.py``: the same calls made straight with boto3 at the same concurrency.

``--concurrency`` takes one or more values: cmkguard and the floor run at each, in the same run
(Prowler has no such setting). ``--latency-ms N`` makes the proxy hold every call N ms before
answering it, as the round trip to a real AWS endpoint would; calls overlap while held.

The script prints the median wall time of each, the ratios, and the API calls each one made.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import time
import urllib.request
import uuid
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import boto3
from benchtools import (
    ROOT,
    WORK,
    Run,
    cmkguard_argv,
    cmkguard_summary,
    ensure_venv,
    median,
    ratio,
    run_measured,
)
from benchtools import tool_version as version_of
from botocore.config import Config

sys.path.insert(0, str(ROOT / "tests"))
from awsharness.proxy import FaultProxy, Reply, Request, Rule, canned  # tests/ is on sys.path

PROWLER = ("prowler==5.46.0",)
"""The Prowler release these figures were measured with (see docs/benchmarks.md)."""
PROWLER_CHECK = "sagemaker_notebook_instance_encryption_enabled"
ACCOUNT = "123456789012"
"""moto's default account."""
FAKE_ENV = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_DEFAULT_REGION": "us-east-1",
    "AWS_REGION": "us-east-1",
    # Never real credentials or profiles, whatever the machine has.
    "AWS_CONFIG_FILE": os.devnull,
    "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
    "AWS_EC2_METADATA_DISABLED": "true",
}
SCENARIOS = {
    "empty": ("one region, no notebooks: each client's fixed cost", {"us-east-1": 0}),
    "A": ("1,000 notebooks in one region", {"us-east-1": 1000}),
    "B": ("3 regions x 200 notebooks", {"us-east-1": 200, "us-west-2": 200, "eu-west-1": 200}),
}
KEY_MIX = {"none": 30, "aws-managed": 15, "key-id": 14, "key-arn": 12, "alias": 8}
KEY_MIX |= {"alias-arn": 8, "disabled": 8, "missing-key": 5}
"""Relative weights of how a notebook's ``KmsKeyId`` is set."""
KEYS_PER_REGION = 12
DISABLED_KEYS_PER_REGION = 3
SEED = 20240601


# --- moto in its own process -----------------------------------------------------------------


def serve_moto() -> None:
    """Run moto on 127.0.0.1 (free port), print the port, serve until stdin closes."""
    import logging

    from awsharness import aws_managed
    from moto.server import ThreadedMotoServer

    aws_managed.install()
    logging.getLogger("werkzeug").setLevel(logging.CRITICAL)
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    print(server.get_host_and_port()[1], flush=True)
    sys.stdin.read()
    server.stop()


class Clock(Rule):
    """A proxy rule that answers nothing: it notes when the first and last requests arrived."""

    def __init__(self) -> None:
        super().__init__("", lambda request: Reply(500, b""))
        self.first = self.last = 0.0

    def matches(self, request: Request) -> bool:
        """Note the time (the proxy asks every rule, under its lock, until one matches)."""
        self.last = time.perf_counter()
        self.first = self.first or self.last
        return False


@dataclass
class Moto:
    """The moto process and the counting proxy in front of it."""

    process: subprocess.Popen[str]
    port: int
    proxy: FaultProxy
    clock: Clock

    @classmethod
    def start(cls) -> Moto:
        """Start moto in a child process and the proxy in this one."""
        process = subprocess.Popen(
            [sys.executable, __file__, "--serve-moto"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert process.stdout is not None
        port = int(process.stdout.readline())
        proxy = FaultProxy("127.0.0.1", port)
        # moto answers this with HTTP 500 "not implemented", which Prowler's SageMaker service
        # retries with backoff; AWS answers an account without schedules with an empty list.
        empty = canned({"MonitoringScheduleSummaries": []})
        proxy.defaults.append(Rule("ListMonitoringSchedules", empty, service="sagemaker"))
        clock = Clock()
        proxy.defaults.insert(0, clock)
        proxy.start()
        return cls(process, port, proxy, clock)

    def stop(self) -> None:
        """Stop the proxy and moto."""
        self.proxy.stop()
        assert self.process.stdin is not None
        self.process.stdin.close()
        self.process.wait(timeout=30)

    def env(self) -> dict[str, str]:
        """The environment every timed client gets: the proxy and fake credentials."""
        return {**os.environ, **FAKE_ENV, "AWS_ENDPOINT_URL": self.proxy.endpoint}

    def client(self, service: str, region: str) -> Any:
        """A client talking to moto directly (seeding is neither timed nor counted)."""
        return boto3.client(  # type: ignore[call-overload]  # service is a runtime name
            service,
            region_name=region,
            endpoint_url=f"http://127.0.0.1:{self.port}",
            aws_access_key_id=FAKE_ENV["AWS_ACCESS_KEY_ID"],
            aws_secret_access_key=FAKE_ENV["AWS_SECRET_ACCESS_KEY"],
            config=Config(max_pool_connections=16),
        )

    def reset(self) -> None:
        """Empty moto (``POST /moto-api/reset``)."""
        request = urllib.request.Request(
            f"http://127.0.0.1:{self.port}/moto-api/reset", method="POST"
        )
        with urllib.request.urlopen(request, timeout=30):  # noqa: S310  # our own local moto
            pass


# --- seeding ---------------------------------------------------------------------------------


def key_policy(role: str) -> dict[str, Any]:
    """A key policy that lets the account administer the key and the notebook role use it."""
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:root"},
                "Action": "kms:*",
                "Resource": "*",
            },
            {
                "Effect": "Allow",
                "Principal": {"AWS": role},
                "Action": ["kms:CreateGrant", "kms:Decrypt", "kms:GenerateDataKey*"],
                "Resource": "*",
            },
        ],
    }


def seed(moto: Moto, notebooks_per_region: dict[str, int]) -> Counter[str]:
    """Create the scenario's keys and notebooks; return how many notebooks of each kind."""
    rng = random.Random(SEED)
    kinds: Counter[str] = Counter()
    for region, count in notebooks_per_region.items():
        kms = moto.client("kms", region)
        role = f"arn:aws:iam::{ACCOUNT}:role/notebook"
        sagemaker = moto.client("sagemaker", region)
        keys = []
        for i in range(KEYS_PER_REGION):
            # moto leaves KeyUsage out of DescribeKey unless it was given at creation.
            spec: dict[str, Any] = {"KeySpec": "SYMMETRIC_DEFAULT", "KeyUsage": "ENCRYPT_DECRYPT"}
            if i % 2:
                spec["Policy"] = json.dumps(key_policy(role))
            meta = kms.create_key(Description=f"notebook key {i}", **spec)["KeyMetadata"]
            kms.create_alias(AliasName=f"alias/notebooks-{i}", TargetKeyId=meta["KeyId"])
            keys.append(meta)
        disabled = []
        for _ in range(DISABLED_KEYS_PER_REGION):
            meta = kms.create_key(
                Description="retired", KeySpec="SYMMETRIC_DEFAULT", KeyUsage="ENCRYPT_DECRYPT"
            )["KeyMetadata"]
            kms.disable_key(KeyId=meta["KeyId"])  # moto needs the bare key ID here
            disabled.append(meta)
        for n in range(count):
            kind = rng.choices(list(KEY_MIX), list(KEY_MIX.values()))[0]
            kinds[kind] += 1
            i = rng.randrange(KEYS_PER_REGION)
            missing = uuid.UUID(int=rng.getrandbits(128))
            key = {
                "none": None,
                "aws-managed": "alias/aws/sagemaker",
                "key-id": keys[i]["KeyId"],
                "key-arn": keys[i]["Arn"],
                "alias": f"alias/notebooks-{i}",
                "alias-arn": f"arn:aws:kms:{region}:{ACCOUNT}:alias/notebooks-{i}",
                "disabled": rng.choice(disabled)["Arn"],
                "missing-key": f"arn:aws:kms:{region}:{ACCOUNT}:key/{missing}",
            }[kind]
            params: dict[str, Any] = {
                "NotebookInstanceName": f"nb-{region}-{n:04d}",
                "InstanceType": "ml.t3.medium",
                "RoleArn": role,
            }
            if key is not None:
                params["KmsKeyId"] = key
            sagemaker.create_notebook_instance(**params)
    return kinds


# --- the clients -----------------------------------------------------------------------------


@dataclass
class Timed:
    """Runs of one client and the calls it made (per run: they are the same each time)."""

    name: str
    runs: list[Run]
    calls: Counter[str]
    windows: list[float]
    """Per run, seconds from the first API request to the last."""

    @property
    def seconds(self) -> float:
        """Median wall time."""
        return median([r.seconds for r in self.runs])

    @property
    def window(self) -> float:
        """Median time from the first API request to the last."""
        return median(self.windows)


def timed(moto: Moto, name: str, argv: Sequence[str], out: Path, result: Timed | None) -> Timed:
    """Run ``argv`` once through the counting proxy; add the run to ``result``."""
    moto.proxy.clear()
    moto.clock.first = moto.clock.last = 0.0
    run = run_measured(argv, out, moto.env())
    calls = Counter(f"{r.service}:{r.operation}" for r in moto.proxy.seen)
    window = moto.clock.last - moto.clock.first
    status = "" if run.returncode in (0, 1, 3) else f" — exit {run.returncode}, see {run.stderr}"
    print(
        f"  {name:<12} {run.seconds:7.2f} s  {sum(calls.values()):5d} calls, "
        f"first to last call {window:5.2f} s{status}"
    )
    if result is None:
        return Timed(name, [run], calls, [window])
    result.runs.append(run)
    result.windows.append(window)
    return result


def prowler_summary(directory: Path) -> str:
    """The PASS/FAIL counts of Prowler's OCSF JSON output."""
    statuses: Counter[str] = Counter()
    for path in directory.glob("*.ocsf.json"):
        try:
            findings = json.loads(path.read_text() or "[]")
        except ValueError:
            return f"{path} is not JSON"
        statuses.update(str(f.get("status_code")) for f in findings)
    if not statuses:
        return "no findings file"
    return f"{sum(statuses.values())} findings: " + ", ".join(
        f"{n} {s}" for s, n in sorted(statuses.items())
    )


def show_calls(timed_client: Timed) -> str:
    """``total (op n, op n, ...)``."""
    detail = ", ".join(f"{op} {n}" for op, n in sorted(timed_client.calls.items()))
    return f"{sum(timed_client.calls.values())} ({detail})"


def scenario(moto: Moto, name: str, args: argparse.Namespace, prowler: Path | None) -> None:
    """Seed one scenario and time the clients on it."""
    title, layout = SCENARIOS[name]
    regions = list(layout)
    moto.reset()
    started = time.perf_counter()
    kinds = seed(moto, layout)
    print(f"\nscenario {name}: {title} (seeded in {time.perf_counter() - started:.0f} s)")
    print("  key settings: " + ", ".join(f"{k} {n}" for k, n in sorted(kinds.items())))

    out = WORK / "out"
    out.mkdir(parents=True, exist_ok=True)
    ours_argv = [*cmkguard_argv(), "live", "--regions", ",".join(regions), "--format", "json"]
    floor_argv = [sys.executable, str(Path(__file__).with_name("live_floor.py"))]
    floor_argv += ["--regions", ",".join(regions)]
    prowler_dir = out / f"prowler-{name}"
    prowler_argv = []
    if prowler is not None:
        prowler_argv = [str(prowler), "aws", "--checks", PROWLER_CHECK, "--region", *regions]
        prowler_argv += ["--output-formats", "json-ocsf", "--output-directory", str(prowler_dir)]
        prowler_argv += ["--output-filename", "prowler", "--no-banner", "--no-color"]

    ours: dict[int, Timed] = {}
    floor: dict[int, Timed] = {}
    theirs: Timed | None = None
    for i in range(max(args.repeat, args.prowler_repeat if prowler else 0)):
        if i < args.repeat:
            for c in args.concurrency:
                concurrency = ["--concurrency", str(c)]
                ours[c] = timed(
                    moto,
                    f"cmkguard c{c}",
                    [*ours_argv, *concurrency],
                    out / f"live-{name}-cmkguard-c{c}.json",
                    ours.get(c),
                )
                floor[c] = timed(
                    moto,
                    f"floor c{c}",
                    [*floor_argv, *concurrency],
                    out / f"live-{name}-floor-c{c}.json",
                    floor.get(c),
                )
        if prowler_argv and i < args.prowler_repeat:
            shutil.rmtree(prowler_dir, ignore_errors=True)  # Prowler appends to its old output
            theirs = timed(moto, "prowler", prowler_argv, out / f"live-{name}-prowler.out", theirs)

    for c in args.concurrency:
        print(f"  cmkguard c{c} findings: {cmkguard_summary(ours[c].runs[-1])}")
        print(f"  floor c{c} saw: {floor[c].runs[-1].stdout.read_text().strip()}")
    if theirs is not None:
        print(f"  prowler findings: {prowler_summary(prowler_dir)}")
    for c in args.concurrency:
        print(f"  API calls: cmkguard c{c} {show_calls(ours[c])}")
        print(f"             floor c{c}    {show_calls(floor[c])}")
    if theirs is not None:
        print(f"             prowler  {show_calls(theirs)}")
    for c in args.concurrency:
        print(
            f"  median, concurrency {c}: cmkguard {ours[c].seconds:.2f} s, floor "
            f"{floor[c].seconds:.2f} s -> cmkguard/floor {ours[c].seconds / floor[c].seconds:.2f}"
            " (target <= 1.5)"
        )
        if theirs is not None:
            print(
                f"          prowler {theirs.seconds:.2f} s -> cmkguard is "
                f"{ratio(theirs.seconds, ours[c].seconds)} faster than Prowler (target >= 10x)"
            )
        print(
            f"  first to last call, median: cmkguard {ours[c].window:.2f} s, "
            f"floor {floor[c].window:.2f} s"
            + (f", prowler {theirs.window:.2f} s" if theirs is not None else "")
        )


def main() -> int:
    """Start moto, run the scenarios, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenario", choices=[*SCENARIOS, "all"], default="all")
    parser.add_argument("--repeat", type=int, default=3, help="runs of cmkguard and floor (3)")
    parser.add_argument("--prowler-repeat", type=int, default=1, help="runs of Prowler (1)")
    parser.add_argument(
        "--concurrency",
        type=int,
        nargs="+",
        default=[8],
        help="for cmkguard and floor; several values: each in the same run (8)",
    )
    parser.add_argument(
        "--latency-ms",
        type=int,
        default=0,
        help="hold every AWS call this long in the proxy, as a real endpoint's round trip (0)",
    )
    parser.add_argument("--skip-prowler", action="store_true", help="time cmkguard and floor")
    parser.add_argument("--serve-moto", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve_moto:
        serve_moto()
        return 0
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    if min(args.concurrency) < 1 or args.latency_ms < 0:
        parser.error("--concurrency must be at least 1 and --latency-ms not negative")

    prowler = None if args.skip_prowler else ensure_venv("prowler", PROWLER, "prowler")
    print(f"cmkguard: {version_of([*cmkguard_argv(), '--version'])}")
    if prowler is not None:
        print(f"prowler: {version_of([str(prowler), '--version'])}")
    print(f"python: {sys.version.split()[0]}, cpus: {os.cpu_count()}, boto3: {boto3.__version__}")
    print(
        f"concurrency (cmkguard, floor): {', '.join(map(str, args.concurrency))}; "
        f"latency per AWS call: {args.latency_ms} ms"
    )
    moto = Moto.start()
    moto.proxy.latency = args.latency_ms / 1000
    try:
        for name in list(SCENARIOS) if args.scenario == "all" else [args.scenario]:
            scenario(moto, name, args, prowler)
    finally:
        moto.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
