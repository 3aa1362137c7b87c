"""Errors raised by the expression language: syntax, check and runtime (evaluation) errors."""

from __future__ import annotations

from collections.abc import Iterator, Sequence


def line_col(source: str, offset: int) -> tuple[int, int]:
    """1-based line and column of a 0-based character offset into ``source``."""
    offset = max(0, min(offset, len(source)))
    line = source.count("\n", 0, offset) + 1
    start = source.rfind("\n", 0, offset) + 1
    return line, offset - start + 1


class CelError(Exception):
    """A runtime error of an expression (CEL's *error* value).

    ``reason`` is machine-readable: ``missing_field``, ``no_such_field``, ``no_such_key``,
    ``division_by_zero``, ``modulus_by_zero``, ``overflow``, ``no_matching_overload``,
    ``invalid_argument``, ``regex_cost``, ``function_failure``, ``range``,
    ``unbound`` (undeclared variable or function at run time, only without the checker).
    ``path`` is the dotted field path when relevant, e.g. ``layanan.standar``.
    """

    def __init__(self, message: str, reason: str = "invalid_argument", path: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.reason = reason
        self.path = path

    def __str__(self) -> str:
        return self.message

    def __repr__(self) -> str:
        return f"CelError({self.message!r}, reason={self.reason!r}, path={self.path!r})"


def err(reason: str, msg_id: str, msg_en: str, path: str | None = None) -> CelError:
    """A :class:`CelError` whose message is Indonesian first, English second."""
    return CelError(f"{msg_id} / {msg_en}", reason, path)


class BudgetExceeded(BaseException):
    """An evaluation went beyond its budget of steps or time (:mod:`layanan_rules.expr.budget`).

    A ``BaseException`` on purpose: CEL's ``&&``, ``||``, ``all()`` and ``exists()`` absorb
    errors, and a blown budget must not be absorbed into a pass or a fail. Whoever started the
    budget catches it (the engine makes the finding an ``error``; :func:`expr.evaluate` raises
    a :class:`CelError` with reason ``budget_exceeded``).
    """

    def __init__(self, message: str, what: str) -> None:
        super().__init__(message)
        self.message = message
        self.what = what  # "steps" | "time"

    def __str__(self) -> str:
        return self.message


class _Located(Exception):
    #: a near name the author may have meant (check errors only)
    suggestion: str | None = None

    def __init__(self, message: str, offset: int = 0, source: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.offset = offset
        self.source = source
        self.line, self.column = line_col(source, offset)

    def __str__(self) -> str:
        return f"{self.message} (baris {self.line}, kolom {self.column} / line {self.line}, column {self.column})"


class ExprSyntaxError(_Located):
    """A parse error. ``offset`` is the 0-based character offset into the expression source;
    ``line``/``column`` are 1-based within the source."""


class ExprCheckError(_Located):
    """A static check error: unknown variable, field or function, wrong arity, obvious type error."""

    def __init__(self, message: str, offset: int = 0, source: str = "", suggestion: str | None = None) -> None:
        super().__init__(message, offset, source)
        self.suggestion = suggestion

    def __str__(self) -> str:
        s = super().__str__()
        if self.suggestion:
            s += f" — maksud Anda '{self.suggestion}'? / did you mean '{self.suggestion}'?"
        return s


class ExprErrors(Exception):
    """All errors found while compiling one expression (syntax or check errors)."""

    def __init__(self, errors: Sequence[_Located], source: str = "") -> None:
        self.errors = list(errors)
        self.source = source
        super().__init__("; ".join(str(e) for e in self.errors))

    def __iter__(self) -> Iterator[_Located]:
        return iter(self.errors)

    def __len__(self) -> int:
        return len(self.errors)
