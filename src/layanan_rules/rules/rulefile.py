"""The rule file format: what a ruleset and a rule may say, as frozen attrs classes.

A ruleset is a folder ``rulesets/<id>/`` with ``ruleset.yaml`` (metadata and parameters) and
any number of rule files (``*.yaml``), each a YAML list of rules. The format is strict: an
unknown key, a wrong type or a missing field is a load-time error with file:line:column.
See ``docs/rule-format.md``.
"""

from __future__ import annotations

import datetime as dt
import enum
import functools
from typing import TYPE_CHECKING, Any

import attrs

if TYPE_CHECKING:
    import cattrs


class Severity(enum.Enum):
    """How serious a failure is; derived from the sanction the law attaches (Pasal 54-57)."""

    info = "info"
    low = "low"
    medium = "medium"
    high = "high"
    critical = "critical"

    @property
    def rank(self) -> int:
        return _RANK[self]


_RANK = {Severity.info: 0, Severity.low: 1, Severity.medium: 2, Severity.high: 3, Severity.critical: 4}


@attrs.frozen
class Text:
    """Human text, Indonesian first, English second."""

    id: str
    en: str

    def get(self, lang: str) -> str:
        return self.en if lang == "en" else self.id


@attrs.frozen
class Citation:
    """An exact citation: act, pasal (article), ayat (paragraph), huruf (letter), angka (number).

    ``confirmed: false`` marks a point the legal reference labels UNCONFIRMED; ``note`` says why.
    """

    act: str
    article: str | None = None
    paragraph: str | None = None
    letter: str | None = None
    number: str | None = None
    text: str | None = None
    confirmed: bool = True
    note: str | None = None

    def label(self, lang: str = "id") -> str:
        """``UU 25/2009 Pasal 44 ayat (3) huruf a`` (or ``Article 44(3)(a)`` in English)."""
        if lang == "en":
            s = self.act
            if self.article:
                s += f" Article {self.article}"
                if self.paragraph:
                    s += f"({self.paragraph})"
                if self.letter:
                    s += f"({self.letter})"
                if self.number:
                    s += f" point {self.number}"
            return s
        s = self.act
        if self.article:
            s += f" Pasal {self.article}"
        if self.paragraph:
            s += f" ayat ({self.paragraph})"
        if self.letter:
            s += f" huruf {self.letter}"
        if self.number:
            s += f" angka {self.number}"
        return s


@attrs.frozen
class Act:
    """A regulation the ruleset draws on."""

    id: str
    title: str
    promulgated: dt.date | None = None
    effective: dt.date | None = None
    source: str | None = None


@attrs.frozen
class Parameter:
    """A number the law fixes (a deadline, a threshold), with its own legal basis."""

    value: Any
    title: Text
    unit: str | None = None
    legal_basis: tuple[Citation, ...] = ()
    choices: tuple[Any, ...] = ()
    note: str | None = None
    #: True for a parameter that changes how days are counted: reports show it beside the calendar
    calendar: bool = False


@attrs.frozen
class Examples:
    """Records that must pass, fail, or be not applicable; they are the rule's own tests."""

    pass_: tuple[Any, ...] = ()  # written "pass" in YAML
    fail: tuple[Any, ...] = ()
    not_applicable: tuple[Any, ...] = ()
    error: tuple[Any, ...] = ()


@attrs.frozen
class RuleSpec:
    """One rule as written in a rule file.

    ``sanctions`` lists every sanction the law attaches to a breach (Pasal 15 huruf e is in both
    Pasal 54 ayat (2) and (7)); a rule file may write ``sanction:`` with one citation instead,
    which the loader reads as a list of one (:func:`layanan_rules.ruleset.normalise_rule`).
    ``evidence`` names extra values to show in a finding, each a CEL expression that sees what
    ``require`` sees (the entity, ``param``, ``as_of``): e.g. which complaints were late.
    """

    id: str
    title: Text
    legal_basis: tuple[Citation, ...]
    applies_to: str
    require: str
    severity: Severity
    remedy: Text
    when: str | None = None
    sanctions: tuple[Citation, ...] = ()
    tags: tuple[str, ...] = ()
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None
    weight: float | None = None
    examples: Examples = Examples()
    evidence: dict[str, str] = attrs.field(factory=dict)
    note: str | None = None

    @property
    def sanction(self) -> Citation | None:
        """The first (heaviest-listed) sanction, or None: for callers that show one."""
        return self.sanctions[0] if self.sanctions else None


@attrs.frozen
class RulesetSpec:
    """The ``ruleset.yaml`` of a ruleset folder."""

    id: str
    title: Text
    version: str
    acts: tuple[Act, ...] = ()
    effective_from: dt.date | None = None
    effective_to: dt.date | None = None
    description: Text | None = None
    parameters: dict[str, Parameter] = attrs.field(factory=dict)
    severity_weights: dict[str, float] = attrs.field(
        factory=lambda: {"critical": 5.0, "high": 4.0, "medium": 3.0, "low": 2.0, "info": 1.0}
    )
    zones: tuple[dict[str, Any], ...] = ()
    personal_fields: tuple[str, ...] = ()


@functools.cache
def converter() -> cattrs.Converter:
    """The converter for rule files: the model's (strict: an unknown key is an error) plus the
    rule format's own spelling (``pass:`` in examples). Built on first use."""
    from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn, override

    from layanan_rules.model import convert

    c = convert.converter.copy()
    c.register_structure_hook(Examples, make_dict_structure_fn(Examples, c, pass_=override(rename="pass")))
    c.register_unstructure_hook(Examples, make_dict_unstructure_fn(Examples, c, pass_=override(rename="pass")))
    return c
