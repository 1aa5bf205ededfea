"""Live AWS: the only package that imports boto3. It finds the accounts and regions to scan,
makes and records every call, and builds the inventory; ``pipeline.AwsSource`` is its
``Source`` and ``cmkguard.live`` judges what it loads."""

from cmkguard.sources.aws.calls import CallError, Recorder
from cmkguard.sources.aws.regions import RegionChoice, resolve_regions
from cmkguard.sources.aws.session import (
    AccountSelection,
    SessionFactory,
    Target,
    default_session_factory,
    open_targets,
)

__all__ = [
    "AccountSelection",
    "CallError",
    "Recorder",
    "RegionChoice",
    "SessionFactory",
    "Target",
    "default_session_factory",
    "open_targets",
    "resolve_regions",
]
