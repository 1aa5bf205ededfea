"""The floor of the live benchmark: the API calls the control needs, made straight with boto3.

    python benchmarks/live_floor.py --regions us-east-1,us-west-2 --concurrency 8

Per region, paginated ``ListNotebookInstances``; per notebook ``DescribeNotebookInstance``,
started as each page arrives; per distinct key identifier (per region) ``DescribeKey``, and per
distinct customer managed key ``GetKeyPolicy`` (an AWS managed key fails whatever its policy
says) — plus one ``GetCallerIdentity`` for the account every finding names. No judging, no
report: what is left is the cost of the calls themselves, at the same concurrency and with the
same client settings (standard retries, a connection per worker) as ``cmkguard live``.

Runs in its own process (``live_scan.py`` starts it) with the standard AWS environment
(``AWS_ENDPOINT_URL``, credentials); prints one JSON line with the counts it saw.
"""

from __future__ import annotations

import argparse
import json
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

import boto3
from botocore.config import Config


class Floor:
    """One scan: clients per (service, region), the work pool and what was seen."""

    def __init__(self, concurrency: int) -> None:
        self.session = boto3.session.Session()
        self.config = Config(
            retries={"mode": "standard", "max_attempts": 10},
            max_pool_connections=max(10, concurrency),
        )
        self.pool = ThreadPoolExecutor(max_workers=concurrency)
        self.lock = threading.Lock()
        self.clients: dict[tuple[str, str], Any] = {}
        self.keys: dict[tuple[str, str], Future[None]] = {}
        self.policies: set[str] = set()
        self.futures: list[Future[None]] = []
        self.notebooks = 0

    def client(self, service: str, region: str) -> Any:
        """A shared client (boto3 clients are thread safe; making one is not cheap)."""
        with self.lock:
            if (service, region) not in self.clients:
                self.clients[service, region] = self.session.client(  # type: ignore[call-overload]  # service is a runtime name
                    service, region_name=region, config=self.config
                )
            return self.clients[service, region]

    def submit(self, fn: Any, *args: str) -> Future[None]:
        """Run ``fn(*args)`` in the pool, remembering the future."""
        future: Future[None] = self.pool.submit(fn, *args)
        with self.lock:
            self.futures.append(future)
        return future

    def region(self, region: str) -> None:
        """List the notebooks, describing each as its page arrives."""
        paginator = self.client("sagemaker", region).get_paginator("list_notebook_instances")
        for page in paginator.paginate(PaginationConfig={"PageSize": 100}):
            for item in page["NotebookInstances"]:
                self.submit(self.notebook, region, item["NotebookInstanceName"])

    def notebook(self, region: str, name: str) -> None:
        """Describe one notebook and look up its key the first time it is seen."""
        sagemaker = self.client("sagemaker", region)
        described = sagemaker.describe_notebook_instance(NotebookInstanceName=name)
        key = described.get("KmsKeyId")
        with self.lock:
            self.notebooks += 1
            if not key:
                return
            # A key ARN names its region; an ID or alias is resolved in the notebook's region.
            key_region = key.split(":")[3] if key.startswith("arn:") else region
            if (key_region, key) in self.keys:
                return
            self.keys[key_region, key] = self.pool.submit(self.key, key_region, key)
            self.futures.append(self.keys[key_region, key])

    def key(self, region: str, key: str) -> None:
        """Describe a key; read the policy of each customer managed key once."""
        kms = self.client("kms", region)
        try:
            metadata = kms.describe_key(KeyId=key)["KeyMetadata"]
        except kms.exceptions.NotFoundException:
            return
        with self.lock:
            if metadata["KeyManager"] == "AWS" or metadata["Arn"] in self.policies:
                return
            self.policies.add(metadata["Arn"])
        kms.get_key_policy(KeyId=metadata["Arn"], PolicyName="default")

    def run(self, regions: list[str]) -> dict[str, int]:
        """Scan ``regions``; wait for every call; return what was seen."""
        account = self.client("sts", regions[0]).get_caller_identity()["Account"]
        for region in regions:
            self.submit(self.region, region)
        done = 0
        while True:
            with self.lock:
                pending = self.futures[done:]
            if not pending:
                break
            for future in pending:
                future.result()
            done += len(pending)
        self.pool.shutdown()
        return {
            "account": int(account),
            "notebooks": self.notebooks,
            "key_identifiers": len(self.keys),
            "policies": len(self.policies),
        }


def main() -> int:
    """Parse ``--regions`` and ``--concurrency``, scan, print the counts as JSON."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--regions", required=True, help="comma-separated regions")
    parser.add_argument("--concurrency", type=int, default=8)
    args = parser.parse_args()
    print(json.dumps(Floor(args.concurrency).run(args.regions.split(","))))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
