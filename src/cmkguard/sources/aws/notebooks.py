"""SageMaker notebooks and their KMS keys, as the control needs them (``control.md``, "Live AWS
accounts"): ``ListNotebookInstances`` (paginated), ``DescribeNotebookInstance`` per notebook, and
per distinct key ``DescribeKey`` then ``GetKeyPolicy``.

Every refused or failed call becomes an ``Unknown`` naming the API error on the notebooks it
affects; nothing here decides a verdict.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass

from cmkguard.errors import InputError
from cmkguard.inventory import Key, KeyManager, KeyRef, KeyVia, LiveLocation, Notebook
from cmkguard.kms import KeyIdKind, parse_key_identifier
from cmkguard.records import Json
from cmkguard.sources.aws.calls import CallError, Recorder, call, pages
from cmkguard.sources.aws.session import Target
from cmkguard.subject import API_KEY_FIELD, API_ROLE_FIELD, DESCRIBE_NOTEBOOK, LIST_NOTEBOOKS
from cmkguard.values import Data, Known, Step, Unknown, Value

PAGE_SIZE = 100
"""``ListNotebookInstances`` ``MaxResults``: the largest page AWS serves."""

ROTATION_NOT_READ = Unknown("rotation status is not read in live mode (not needed for the verdict)")
POLICY_NOT_READ = Unknown(
    "the policy of an AWS managed key is not read (aws-managed-key fails whatever it says)"
)
KEY_NOT_FOUND = "NotFound"
"""``Key.state`` of a key that ``DescribeKey`` says does not exist: it cannot encrypt, so the
control reports ``key-disabled``."""


@dataclass(frozen=True, slots=True)
class Listed:
    """One notebook as ``ListNotebookInstances`` names it."""

    name: str
    """``NotebookInstanceName``."""
    arn: str
    """``NotebookInstanceArn``: the finding's address."""


def list_notebooks(
    target: Target, region: str, recorder: Recorder
) -> Iterator[list[Listed] | InputError]:
    """The notebooks of one region, page by page as they arrive, each notebook once (a notebook
    that pages shifting under us show twice is judged once).

    A failed page, or an answer that is not a listing (no ``NotebookInstances`` list), is
    yielded as an error for the region (``aws:ACCOUNT:REGION``) and ends the listing; the pages
    before it stand.
    """
    client = target.clients.get("sagemaker", region)
    listing = pages(recorder, target.account, client, LIST_NOTEBOOKS, MaxResults=PAGE_SIZE)
    seen: set[str] = set()
    for page in listing:
        items = page.get("NotebookInstances") if isinstance(page, dict) else None
        if not isinstance(items, list):
            why = page if isinstance(page, CallError) else f"{LIST_NOTEBOOKS} answered no list"
            yield InputError(
                f"aws:{target.account}:{region}",
                None,
                f"live scan incomplete: the notebooks of {region} could not be listed: {why}",
            )
            return
        fresh: list[Listed] = []
        for item in items:
            listed = _listed(item)
            if listed is None:
                yield fresh  # the notebooks before the bad entry are still judged
                yield InputError(
                    f"aws:{target.account}:{region}",
                    None,
                    f"live scan incomplete: {LIST_NOTEBOOKS} in {region} listed a notebook "
                    "without NotebookInstanceName and NotebookInstanceArn",
                )
                return
            if listed.arn not in seen:
                seen.add(listed.arn)
                fresh.append(listed)
        yield fresh


def _listed(item: Json) -> Listed | None:
    if not isinstance(item, dict):
        return None
    name, arn = item.get("NotebookInstanceName"), item.get("NotebookInstanceArn")
    if not (isinstance(name, str) and name and isinstance(arn, str) and arn):
        return None
    return Listed(name, arn)


def describe_notebook(
    target: Target, region: str, name: str, recorder: Recorder
) -> dict[str, Json] | CallError:
    """``DescribeNotebookInstance``: the only call that shows ``KmsKeyId``."""
    client = target.clients.get("sagemaker", region)
    return call(recorder, target.account, client, DESCRIBE_NOTEBOOK, NotebookInstanceName=name)


def key_setting(description: dict[str, Json]) -> str | None:
    """The ``KmsKeyId`` as SageMaker returns it (``None`` when absent)."""
    value = description.get(API_KEY_FIELD)
    return value if isinstance(value, str) else None


def needs_lookup(text: str) -> bool:
    """Whether ``DescribeKey`` can tell anything about ``text``: not for ``""`` or text that is
    no key identifier at all (``malformed`` fails on the text alone)."""
    return text != "" and not parse_key_identifier(text).is_malformed


def key_region(text: str, notebook_region: str) -> str:
    """Where to describe the key: the region in an ARN, else the notebook's (KMS is regional;
    a key ID or alias name is resolved in the notebook's region, as SageMaker does)."""
    return parse_key_identifier(text).region or notebook_region


@dataclass(frozen=True, slots=True)
class KeyLookup:
    """What ``DescribeKey`` and ``GetKeyPolicy`` said about one key identifier."""

    text: str
    """The identifier as the notebook carries it."""
    region: str
    """The region it was described in."""
    metadata: dict[str, Json] | CallError
    """``KeyMetadata``, or the ``DescribeKey`` error."""
    policy: str | CallError | Unknown
    """The policy document text, the ``GetKeyPolicy`` error, or ``POLICY_NOT_READ``."""


def describe_key(
    target: Target, region: str, text: str, recorder: Recorder
) -> dict[str, Json] | CallError:
    """``DescribeKey`` with the identifier as given (KMS resolves aliases and alias ARNs)."""
    answer = call(
        recorder, target.account, target.clients.get("kms", region), "DescribeKey", KeyId=text
    )
    if isinstance(answer, CallError):
        return answer
    metadata = answer.get("KeyMetadata")
    return metadata if isinstance(metadata, dict) else CallError("DescribeKey", "NoKeyMetadata", "")


def get_key_policy(target: Target, key_arn: str, recorder: Recorder) -> str | CallError:
    """``GetKeyPolicy`` (``default``) of a described key, in the key's own region."""
    region = parse_key_identifier(key_arn).region or target.clients.home_region
    client = target.clients.get("kms", region)
    answer = call(
        recorder, target.account, client, "GetKeyPolicy", KeyId=key_arn, PolicyName="default"
    )
    if isinstance(answer, CallError):
        return answer
    policy = answer.get("Policy")
    return policy if isinstance(policy, str) else CallError("GetKeyPolicy", "NoPolicy", "")


def is_aws_managed(metadata: dict[str, Json]) -> bool:
    """``KeyManager = AWS``: its policy cannot change the verdict, so it is not read."""
    return metadata.get("KeyManager") == KeyManager.AWS.value


def unreadable_notebook(target: Target, region: str, listed: Listed, error: CallError) -> Notebook:
    """A notebook whose description was refused: every fact about it is unknown."""
    why = Unknown(str(error), (Step(f"{DESCRIBE_NOTEBOOK} {listed.name}"),))
    return Notebook(
        address=listed.arn,
        location=LiveLocation(target.account, region, listed.arn),
        region=Known(region),
        account=Known(target.account),
        kms_key=why,
        role=why,
    )


def build_notebook(
    target: Target,
    region: str,
    listed: Listed,
    description: dict[str, Json],
    lookup: KeyLookup | None,
) -> Notebook:
    """The inventory notebook from its description and, when it names a key, the key lookup."""
    arn = str(description.get("NotebookInstanceArn") or listed.arn)
    role = description.get(API_ROLE_FIELD)
    step = Step(f"{DESCRIBE_NOTEBOOK} {listed.name}: {API_KEY_FIELD}")
    text = key_setting(description)
    kms_key: Value[KeyRef | None]
    if text is None:
        kms_key = Known(None, (step,))
    elif lookup is None:
        kms_key = Known(KeyRef(KeyVia.API, Known(text)), (step,))
    else:
        kms_key = with_trail(key_ref(lookup), step)
    return Notebook(
        address=arn,
        location=LiveLocation(target.account, region, arn),
        region=Known(region),
        account=Known(target.account),
        kms_key=kms_key,
        role=Known(role)
        if isinstance(role, str)
        else Unknown(f"{DESCRIBE_NOTEBOOK} shows no {API_ROLE_FIELD}"),
    )


def with_trail(value: Value[KeyRef | None], step: Step) -> Value[KeyRef | None]:
    """``value`` with ``step`` leading its trail."""
    if isinstance(value, Known):
        return Known(value.value, (step, *value.trail))
    return Unknown(value.why, (step, *value.trail))


def key_ref(lookup: KeyLookup) -> Value[KeyRef | None]:
    """What ``kms_key_id`` resolves to, from the key lookup."""
    text = Known(lookup.text)
    described = Step(f"DescribeKey {lookup.text} ({lookup.region})")
    metadata = lookup.metadata
    if isinstance(metadata, CallError):
        if metadata.not_found:
            return Known(KeyRef(KeyVia.API, text, _missing_key(lookup, metadata)), (described,))
        if parse_key_identifier(lookup.text).is_aws_managed_alias:
            # The text alone names an AWS managed key: that fails whatever DescribeKey would say.
            return Known(KeyRef(KeyVia.API, text), (described, Step(str(metadata))))
        return Unknown(f"{metadata} (key {lookup.text} in {lookup.region})", (described,))
    key_arn = str(metadata.get("Arn", lookup.text))
    policy: Value[Data]
    policy_trail: tuple[Step, ...] = ()
    if isinstance(lookup.policy, Unknown):
        policy = lookup.policy
    elif isinstance(lookup.policy, CallError):
        policy = Unknown(f"{lookup.policy} (key {key_arn})")
    else:
        policy_trail = (Step(f"GetKeyPolicy {key_arn} default"),)
        try:
            policy = Known(json.loads(lookup.policy))
        except ValueError as exc:
            policy = Unknown(f"GetKeyPolicy returned a policy that is not JSON: {exc}")
        except RecursionError:
            policy = Unknown("GetKeyPolicy returned a policy nested too deeply to read")
    manager = metadata.get("KeyManager")
    spec = metadata.get("KeySpec", metadata.get("CustomerMasterKeySpec"))
    key = Key(
        label=key_arn,
        manager=_enum_value(manager),
        region=_arn_region(key_arn, lookup.region),
        arn=Known(key_arn),
        spec=_str_value(spec, "KeySpec"),
        usage=_str_value(metadata.get("KeyUsage"), "KeyUsage"),
        state=_str_value(metadata.get("KeyState"), "KeyState"),
        rotation=ROTATION_NOT_READ,
        policy=policy,
        policy_trail=policy_trail,
    )
    return Known(KeyRef(KeyVia.API, text, key), (described,))


def _missing_key(lookup: KeyLookup, error: CallError) -> Key:
    why = Unknown(f"the key does not exist ({error.detail})")
    parsed = parse_key_identifier(lookup.text)
    return Key(
        label=lookup.text,
        manager=why,
        region=Known(parsed.region or lookup.region),
        arn=Known(lookup.text) if parsed.kind is KeyIdKind.KEY_ARN else why,
        spec=why,
        usage=why,
        state=Known(KEY_NOT_FOUND),
        rotation=ROTATION_NOT_READ,
        policy=why,
    )


def _enum_value(manager: Json) -> Value[KeyManager]:
    try:
        return Known(KeyManager(str(manager)))
    except ValueError:
        return Unknown(f"DescribeKey returned an unexpected KeyManager {manager!r}")


def _str_value(value: Json, field: str) -> Value[str]:
    if isinstance(value, str):
        return Known(value)
    return Unknown(f"DescribeKey returned no {field}")


def _arn_region(key_arn: str, described_in: str) -> Value[str]:
    return Known(parse_key_identifier(key_arn).region or described_in)
