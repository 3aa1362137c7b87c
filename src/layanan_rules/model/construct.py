"""Fast construction of frozen attrs objects, for the places that make them by the million.

A frozen attrs class refuses ``setattr``, so its ``__init__`` sets every slot through
``object.__setattr__``: about 50 ns a field. A plain class with the same slots is filled by
ordinary attribute stores (a few ns each) and then becomes the frozen class by assigning
``__class__``, which Python allows between classes of the same layout. The result is an
ordinary instance of the frozen class, equal to what ``__init__`` would have made.

The frozen class must be slotted and have ``weakref_slot=False`` (a weak-reference slot after
the fields makes the two layouts differ).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from typing import Any

import attrs


@functools.cache
def builder(cls: type) -> type:
    """A plain class with the same slots as the frozen ``cls``."""
    slots = cls.__dict__.get("__slots__")
    if slots is None or "__weakref__" in slots:
        raise TypeError(f"{cls.__name__} must be slotted with weakref_slot=False")
    return type(f"_{cls.__name__}Builder", (), {"__slots__": slots})


#: factories whose new empty value a literal makes (``[]`` builds a list without calling ``list``)
_EMPTY: dict[Any, str] = {list: "[]", dict: "{}"}


@functools.cache
def maker(cls: type, names: Sequence[str]) -> Callable[..., Any]:
    """``make(*values)``: a ``cls`` with ``names`` set positionally, every other field its default.

    Defaults are what ``__init__`` would use (a ``factory`` is called per object). No
    converters or validators run, so use it where the values are already of the right type.
    """
    fields = attrs.fields(cls)
    unknown = set(names) - {f.name for f in fields}
    if unknown:
        raise TypeError(f"{cls.__name__} has no field {sorted(unknown)}")
    env: dict[str, Any] = {"_new": object.__new__, "_B": builder(cls), "_C": cls}
    args = [f"a{i}" for i in range(len(names))]
    lines = [f"def make({', '.join(args)}):", "    o = _new(_B)"]
    given = dict(zip(names, args))
    for f in fields:
        if f.name in given:
            lines.append(f"    o.{f.name} = {given[f.name]}")
        elif isinstance(f.default, attrs.Factory):  # type: ignore[arg-type]  # attrs stubs it as a function
            if f.default.takes_self:
                raise TypeError(f"{cls.__name__}.{f.name}: a factory taking self is not supported")
            literal = _EMPTY.get(f.default.factory)
            if literal is not None:  # a new empty list or dict: a literal, not a call
                lines.append(f"    o.{f.name} = {literal}")
            else:
                env[f"F_{f.name}"] = f.default.factory
                lines.append(f"    o.{f.name} = F_{f.name}()")
        elif f.default is attrs.NOTHING:
            raise TypeError(f"{cls.__name__}.{f.name} is required")
        else:
            env[f"D_{f.name}"] = f.default
            lines.append(f"    o.{f.name} = D_{f.name}")
    lines += ["    o.__class__ = _C", "    return o"]
    exec(compile("\n".join(lines), f"<make {cls.__name__}>", "exec"), env)  # noqa: S102 - our own generated code
    make: Callable[..., Any] = env["make"]
    return make


@functools.cache
def replacer(cls: type, name: str) -> Callable[[Any, Any], Any]:
    """``replace(obj, value)``: a copy of ``obj`` with the field ``name`` set to ``value``.

    ``attrs.evolve`` for one field, without re-running ``__init__`` (no converters or
    validators run: the other values come from an object that already passed them).
    """
    fields = attrs.fields(cls)
    if name not in {f.name for f in fields}:
        raise TypeError(f"{cls.__name__} has no field {name!r}")
    env: dict[str, Any] = {"_new": object.__new__, "_B": builder(cls), "_C": cls}
    lines = ["def replace(src, value):", "    o = _new(_B)"]
    lines += [f"    o.{f.name} = value" if f.name == name else f"    o.{f.name} = src.{f.name}" for f in fields]
    lines += ["    o.__class__ = _C", "    return o"]
    exec(compile("\n".join(lines), f"<replace {cls.__name__}.{name}>", "exec"), env)  # noqa: S102 - our own generated code
    replace: Callable[[Any, Any], Any] = env["replace"]
    return replace
