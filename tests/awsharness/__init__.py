"""A local AWS for tests and benchmarks: moto in-process, patched where it differs from AWS, behind
a proxy that injects throttling, AccessDenied and canned AWS responses.

Import it as ``from awsharness import MotoStack`` (``tests/`` is on pytest's ``pythonpath``;
benchmarks put ``tests/`` on ``sys.path``)."""

from awsharness.canned import DEFAULT_ACCOUNT
from awsharness.proxy import FaultProxy, Reply, Request, Rule
from awsharness.stack import MotoStack

__all__ = ["DEFAULT_ACCOUNT", "FaultProxy", "MotoStack", "Reply", "Request", "Rule"]
