"""moto in-process (``ThreadedMotoServer``) with the AWS-managed-key patch and the fault proxy
in front: the AWS the live tests and the benchmark talk to over HTTP."""

from __future__ import annotations

import http.client
import json
import logging
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import boto3
from botocore.config import Config
from moto.server import ThreadedMotoServer

from awsharness import aws_managed
from awsharness.canned import DEFAULT_ACCOUNT, regions
from awsharness.proxy import FaultProxy, Reply, Request, Rule, aws_error, canned, deny, throttle

FAKE_CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
}
NOTEBOOK_ROLE = "arn:aws:iam::{account}:role/notebook"
DEFAULT_ENABLED_REGIONS = ("us-east-1", "us-west-2", "eu-west-1")
"""What the stand-in ``account:ListRegions`` reports as enabled (moto has no Account regions)."""


def _stand_ins() -> list[Rule]:
    # moto answers these with HTTP 500 "not implemented", which botocore retries ten times.
    # AWS answers an account with no such events with an empty list.
    return [
        Rule("LookupEvents", canned({"Events": []}), service="cloudtrail"),
        Rule("ListRegions", canned(regions(DEFAULT_ENABLED_REGIONS)), service="account"),
    ]


class MotoStack:
    """Start with ``MotoStack.start()``; ``env()`` points boto3 (and ``cmkguard``) at the proxy."""

    def __init__(self) -> None:
        self._server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
        self.proxy: FaultProxy | None = None
        self._moto: tuple[str, int] | None = None
        self._credentials: dict[str, dict[str, str]] = {}

    @classmethod
    def start(cls) -> MotoStack:
        """A running stack."""
        stack = cls()
        aws_managed.install()
        # werkzeug logs every request (and moto's "not implemented" tracebacks) to stderr.
        logging.getLogger("werkzeug").setLevel(logging.CRITICAL)
        stack._server.start()
        host, port = stack._server.get_host_and_port()
        stack._moto = (host, port)
        stack.proxy = FaultProxy(host, port)
        stack.proxy.defaults.extend(_stand_ins())
        stack.proxy.start()
        return stack

    def stop(self) -> None:
        """Stop the proxy and moto."""
        if self.proxy is not None:
            self.proxy.stop()
        self._server.stop()

    @property
    def endpoint(self) -> str:
        """The proxy's URL: what the code under test talks to."""
        assert self.proxy is not None
        return self.proxy.endpoint

    @property
    def moto_endpoint(self) -> str:
        """moto's own URL: for seeding without going through (or being counted by) the proxy."""
        assert self._moto is not None
        return f"http://{self._moto[0]}:{self._moto[1]}"

    def env(self, region: str = "us-east-1") -> dict[str, str]:
        """Environment for boto3 and ``cmkguard`` subprocesses: the proxy and fake credentials,
        and no shared config or credential files (never real credentials)."""
        return {
            **FAKE_CREDENTIALS,
            "AWS_ENDPOINT_URL": self.endpoint,
            "AWS_DEFAULT_REGION": region,
            "AWS_REGION": region,
            "AWS_CONFIG_FILE": "/dev/null",
            "AWS_SHARED_CREDENTIALS_FILE": "/dev/null",
            "AWS_EC2_METADATA_DISABLED": "true",
        }

    def reset(self) -> None:
        """Empty moto (``POST /moto-api/reset``) and forget the proxy's rules and log."""
        assert self._moto is not None
        connection = http.client.HTTPConnection(*self._moto, timeout=30)
        try:
            connection.request("POST", "/moto-api/reset")
            connection.getresponse().read()
        finally:
            connection.close()
        self._credentials.clear()
        assert self.proxy is not None
        self.proxy.clear()

    # --- seeding (straight to moto) -----------------------------------------------------------

    def client(
        self, service: str, region: str = "us-east-1", account: str = DEFAULT_ACCOUNT
    ) -> Any:
        """A boto3 client talking to moto directly, acting in ``account``."""
        credentials = self._account_credentials(account)
        return boto3.client(  # type: ignore[call-overload]  # service is a runtime name
            service,
            region_name=region,
            endpoint_url=self.moto_endpoint,
            config=Config(retries={"mode": "standard", "max_attempts": 3}),
            **credentials,
        )

    def _account_credentials(self, account: str) -> dict[str, str]:
        # moto maps an assumed role's credentials to the role's account: that is how a test
        # acts in another account.
        if account == DEFAULT_ACCOUNT:
            return {
                "aws_access_key_id": FAKE_CREDENTIALS["AWS_ACCESS_KEY_ID"],
                "aws_secret_access_key": FAKE_CREDENTIALS["AWS_SECRET_ACCESS_KEY"],
            }
        if account not in self._credentials:
            sts = boto3.client(
                "sts",
                region_name="us-east-1",
                endpoint_url=self.moto_endpoint,
                aws_access_key_id="testing",
                aws_secret_access_key="testing",
            )
            creds = sts.assume_role(
                RoleArn=f"arn:aws:iam::{account}:role/seeder", RoleSessionName="seed"
            )["Credentials"]
            self._credentials[account] = {
                "aws_access_key_id": creds["AccessKeyId"],
                "aws_secret_access_key": creds["SecretAccessKey"],
                "aws_session_token": creds["SessionToken"],
            }
        return self._credentials[account]

    def create_key(
        self,
        region: str = "us-east-1",
        account: str = DEFAULT_ACCOUNT,
        *,
        spec: str = "SYMMETRIC_DEFAULT",
        usage: str = "ENCRYPT_DECRYPT",
        policy: Mapping[str, Any] | None = None,
        alias: str | None = None,
    ) -> dict[str, str]:
        """A customer managed key; returns ``KeyId`` and ``Arn``."""
        kms = self.client("kms", region, account)
        params: dict[str, Any] = {"KeySpec": spec, "KeyUsage": usage}
        if policy is not None:
            params["Policy"] = json.dumps(policy)
        metadata = kms.create_key(**params)["KeyMetadata"]
        if alias is not None:
            kms.create_alias(AliasName=alias, TargetKeyId=metadata["KeyId"])
        return {"KeyId": metadata["KeyId"], "Arn": metadata["Arn"]}

    def aws_managed_key_arn(
        self,
        region: str = "us-east-1",
        account: str = DEFAULT_ACCOUNT,
        alias: str = "alias/aws/sagemaker",
    ) -> str:
        """The ARN of the AWS managed key behind ``alias`` (made as KMS would)."""
        return aws_managed.aws_managed_key_arn(account, region, alias)

    def create_notebook(
        self,
        name: str,
        kms_key_id: str | None = None,
        region: str = "us-east-1",
        account: str = DEFAULT_ACCOUNT,
    ) -> str:
        """A notebook instance; returns its ARN."""
        params: dict[str, Any] = {
            "NotebookInstanceName": name,
            "InstanceType": "ml.t3.medium",
            "RoleArn": NOTEBOOK_ROLE.format(account=account),
        }
        if kms_key_id is not None:
            params["KmsKeyId"] = kms_key_id
        answer = self.client("sagemaker", region, account).create_notebook_instance(**params)
        return str(answer["NotebookInstanceArn"])

    # --- faults ----------------------------------------------------------------------------

    def add_rule(
        self,
        operation: str,
        respond: Callable[[Request], Reply],
        *,
        service: str | None = None,
        region: str | None = None,
        times: int | None = None,
        body_contains: str | None = None,
    ) -> Rule:
        """Answer matching calls with ``respond`` (see ``awsharness.proxy``)."""
        assert self.proxy is not None
        return self.proxy.add(Rule(operation, respond, service, region, body_contains, times))

    def throttle(self, operation: str, times: int, *, region: str | None = None) -> Rule:
        """``ThrottlingException`` for the first ``times`` calls."""
        return self.add_rule(operation, throttle(), region=region, times=times)

    def deny(
        self,
        operation: str,
        service: str,
        *,
        region: str | None = None,
        body_contains: str | None = None,
    ) -> Rule:
        """``AccessDenied(Exception)`` for every matching call."""
        return self.add_rule(
            operation,
            deny(operation, service),
            service=service,
            region=region,
            body_contains=body_contains,
        )

    def fail(self, operation: str, code: str, message: str, *, status: int = 400) -> Rule:
        """Any AWS error for every ``operation`` call."""
        return self.add_rule(operation, aws_error(code, message, status))

    def answer(
        self,
        operation: str,
        body: Mapping[str, Any] | Callable[[Request], Mapping[str, Any]],
        *,
        service: str | None = None,
        region: str | None = None,
    ) -> Rule:
        """A canned successful answer for every matching call."""
        return self.add_rule(operation, canned(body), service=service, region=region)

    def count(self, operation: str, region: str | None = None) -> int:
        """Calls of ``operation`` the proxy received (retries included)."""
        assert self.proxy is not None
        return self.proxy.count(operation, region)

    def operations(self) -> Sequence[str]:
        """Every operation received, in order."""
        assert self.proxy is not None
        return [r.operation for r in self.proxy.seen]
