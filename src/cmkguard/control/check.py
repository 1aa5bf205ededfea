"""What a check is: the facts it reads, the outcome it returns, and the record binding it to the
codes it may emit.

A ``Check`` declares its codes (``emits``) and the scopes of ``kms_key_id`` it applies to, so the
judge can refuse an outcome carrying an undeclared code and a test can prove every catalogue
code has a check behind it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum

from cmkguard.catalogue.codes import Reason, WarningCode
from cmkguard.inventory import Key, KeyRef, KeyVia, Notebook
from cmkguard.kms import KeyIdentifier, parse_key_identifier, parse_symbolic_key_identifier
from cmkguard.settings import Settings
from cmkguard.values import Known, SymbolicText, Unknown, Value

Code = Reason | WarningCode


class Scope(Enum):
    """How far a notebook's ``kms_key_id`` reaches; each check runs only in the scopes it names."""

    UNRESOLVED = "unresolved"
    """``kms_key_id`` itself could not be evaluated."""
    UNSET = "unset"
    """Absent or null."""
    EMPTY = "empty"
    """``""`` with no key behind it."""
    PARTIAL = "partial"
    """Names a key outside the input by a text only partly known (interpolation)."""
    KEY = "key"
    """Names a key: by known text, or the key the input describes."""


ALL_SCOPES: frozenset[Scope] = frozenset(Scope)
"""For checks on the notebook itself, whatever its ``kms_key_id``."""


@dataclass(frozen=True, slots=True)
class Outcome:
    """What one check found."""

    reasons: tuple[tuple[Reason, str], ...] = ()
    """Reasons that hold, each with a sentence explaining it for this notebook."""
    warnings: tuple[tuple[WarningCode, str], ...] = ()
    """Warnings, each with a sentence."""
    unknowns: tuple[str, ...] = ()
    """Facts the check needed but could not decide, in plain words naming the missing input."""
    notes: tuple[str, ...] = field(default=())
    """Further details worth showing (conditional statements, advice)."""

    @property
    def codes(self) -> frozenset[Code]:
        """Every reason and warning code the outcome carries."""
        return frozenset(c for c, _ in self.reasons) | frozenset(c for c, _ in self.warnings)


NOTHING = Outcome()


@dataclass(frozen=True, slots=True)
class Facts:
    """What the checks look at: the notebook, its ``kms_key_id`` scope and the settings."""

    notebook: Notebook
    settings: Settings
    scope: Scope
    ref: KeyRef | None
    """The ``kms_key_id`` reference, when it is known and set."""
    identifier: KeyIdentifier | None
    """The parsed identifier text, when the text is known and non-empty."""

    @classmethod
    def of(cls, notebook: Notebook, settings: Settings) -> Facts:
        """The facts of ``notebook``, its scope decided once."""
        setting = notebook.kms_key
        if isinstance(setting, Unknown):
            return cls(notebook, settings, Scope.UNRESOLVED, None, None)
        ref = setting.value
        if ref is None:
            return cls(notebook, settings, Scope.UNSET, None, None)
        if ref.key is None and isinstance(ref.text, Known) and ref.text.value == "":
            return cls(notebook, settings, Scope.EMPTY, ref, None)
        if ref.key is None and isinstance(ref.text, Unknown):
            return cls(notebook, settings, Scope.PARTIAL, ref, None)
        identifier = _parse_text(ref)
        if ref.key is None and identifier is None and isinstance(ref.text, Known):
            # Text with symbols in places that decide which key it names.
            return cls(notebook, settings, Scope.PARTIAL, ref, None)
        return cls(notebook, settings, Scope.KEY, ref, identifier)

    @property
    def key(self) -> Key | None:
        """The key, when the input describes it."""
        return self.ref.key if self.ref is not None else None

    @property
    def alias_name(self) -> Value[str] | None:
        """The alias name of an alias resource the setting goes through."""
        return self.ref.alias_name if self.ref is not None else None

    @property
    def via(self) -> KeyVia | None:
        """How the setting reaches the key."""
        return self.ref.via if self.ref is not None else None


def _parse_text(ref: KeyRef) -> KeyIdentifier | None:
    """The parsed identifier of a reference whose text is known and non-empty; ``None`` also
    for text whose symbols leave undecided which identifier it is."""
    if not isinstance(ref.text, Known) or ref.text.value == "":
        return None
    if isinstance(ref.text.value, SymbolicText):
        return parse_symbolic_key_identifier(ref.text.value)
    return parse_key_identifier(ref.text.value)


@dataclass(frozen=True, slots=True)
class Check:
    """One question the control asks, bound to the only codes its answer may carry."""

    name: str
    """A stable name for the check (tests, docs)."""
    emits: frozenset[Code]
    """The reason and warning codes the check may report; ``unresolved`` is implied by
    ``Outcome.unknowns`` and never declared."""
    run: Callable[[Facts], Outcome]
    """The pure function answering the question."""
    scopes: frozenset[Scope] = frozenset({Scope.KEY})
    """The ``kms_key_id`` scopes the check runs in."""
    moot_if_aws_managed: bool = False
    """The answer does not matter once the key is known to be AWS managed (its own properties)."""

    def __call__(self, facts: Facts) -> Outcome:
        """Run the check; an outcome with an undeclared code is an internal error, never a
        verdict."""
        outcome = self.run(facts)
        undeclared = outcome.codes - self.emits
        if undeclared:
            raise AssertionError(
                f"check {self.name} emitted undeclared {sorted(undeclared)} "
                f"for {facts.notebook.address}"
            )
        return outcome
