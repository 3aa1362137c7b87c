"""Hand-written lexer and recursive-descent parser for CEL (google/cel-spec doc/langdef.md).

Grammar (precedence low to high)::

    Expr           = ConditionalOr ["?" ConditionalOr ":" Expr]
    ConditionalOr  = [ConditionalOr "||"] ConditionalAnd
    ConditionalAnd = [ConditionalAnd "&&"] Relation
    Relation       = [Relation Relop] Addition          Relop = < <= >= > == != in
    Addition       = [Addition ("+"|"-")] Multiplication
    Multiplication = [Multiplication ("*"|"/"|"%")] Unary
    Unary          = Member | "!" {"!"} Member | "-" {"-"} Member
    Member         = Primary | Member "." SELECTOR ["(" [ExprList] ")"] | Member "[" Expr "]"
    Primary        = ["."] IDENT ["(" [ExprList] ")"] | "(" Expr ")" | "[" [ExprList] [","] "]"
                   | "{" [MapInits] [","] "}" | LITERAL
"""

from __future__ import annotations

from typing import Any, cast

from .ast import Binary, Call, Cond, Expr, Ident, Index, ListLit, Literal, MapLit, Select, Unary
from .errors import ExprSyntaxError

INT64_MIN = -(2**63)
INT64_MAX = 2**63 - 1
UINT64_MAX = 2**64 - 1

RESERVED = frozenset(
    ["as", "break", "const", "continue", "else", "for", "function", "if", "import", "let", "loop", "package", "namespace", "return", "var", "void", "while"]
)
MAX_DEPTH = 120
#: The longest expression parsed, in tokens (names, literals, operators): an expression's cost to
#: check and compile grows with its size. The product passes its own limit (``expr_tokens``).
MAX_TOKENS = 5_000

_PUNCT3 = ()
_PUNCT2 = ("<=", ">=", "==", "!=", "&&", "||")
_PUNCT1 = "()[]{}.,:?!-+*/%<>"

_SIMPLE_ESC = {
    "a": "\a", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "v": "\v",
    "\\": "\\", "'": "'", '"': '"', "`": "`", "?": "?",
}
_HEX = set("0123456789abcdefABCDEF")
_DIGITS = frozenset("0123456789")


class Token:
    """One lexeme. ``value``'s type follows ``kind`` (int for int and uint, float for double, str
    for string, ident and op, bytes for bytes, None at eof): the parser reads it by kind, hence ``Any``."""

    __slots__ = ("end", "kind", "offset", "value")

    def __init__(self, kind: str, value: Any, offset: int, end: int) -> None:
        self.kind = kind  # int uint double string bytes ident op eof
        self.value = value
        self.offset = offset
        self.end = end

    def __repr__(self) -> str:
        return f"Token({self.kind}, {self.value!r}, {self.offset})"


def _err(msg_id: str, msg_en: str, offset: int, source: str) -> ExprSyntaxError:
    return ExprSyntaxError(f"{msg_id} / {msg_en}", offset, source)


def tokenize(src: str) -> list[Token]:
    toks: list[Token] = []
    i = 0
    n = len(src)
    while i < n:
        c = src[i]
        if c in " \t\n\r\f":
            i += 1
            continue
        if c == "/" and src.startswith("//", i):
            j = src.find("\n", i)
            i = n if j < 0 else j + 1
            continue
        start = i
        # string / bytes literals with optional prefixes
        if c in "rRbB\"'":
            j = i
            raw = False
            is_bytes = False
            while j < n and j - i < 2 and src[j] in "rRbB":
                if src[j] in "rR":
                    if raw:
                        break
                    raw = True
                else:
                    if is_bytes:
                        break
                    is_bytes = True
                j += 1
            if j < n and src[j] in "\"'":
                value, i = _read_string(src, j, raw, is_bytes)
                toks.append(Token("bytes" if is_bytes else "string", value, start, i))
                continue
        if (c in _DIGITS) or (c == "." and i + 1 < n and (src[i + 1] in _DIGITS) and not _ends_operand(toks)):
            i = _read_number(src, i, toks)
            continue
        if c.isalpha() or c == "_":
            j = i + 1
            while j < n and (src[j].isalnum() or src[j] == "_") and src[j].isascii():
                j += 1
            if not c.isascii():
                raise _err(f"karakter tidak dikenal {c!r}", f"unexpected character {c!r}", i, src)
            toks.append(Token("ident", src[i:j], i, j))
            i = j
            continue
        if c == "`":
            j = src.find("`", i + 1)
            if j < 0:
                raise _err("identifier bertanda ` tidak ditutup", "unterminated quoted identifier", i, src)
            name = src[i + 1 : j]
            if not name or any(not (ch.isalnum() or ch in "_.-/ ") or not ch.isascii() for ch in name):
                raise _err("identifier bertanda ` tidak sah", "invalid quoted identifier", i, src)
            toks.append(Token("qident", name, i, j + 1))
            i = j + 1
            continue
        two = src[i : i + 2]
        if two in _PUNCT2:
            toks.append(Token("op", two, i, i + 2))
            i += 2
            continue
        if c in _PUNCT1:
            toks.append(Token("op", c, i, i + 1))
            i += 1
            continue
        if c == "=" or c == "&" or c == "|":
            raise _err(f"operator tidak dikenal {c!r}", f"unexpected operator {c!r}", i, src)
        raise _err(f"karakter tidak dikenal {c!r}", f"unexpected character {c!r}", i, src)
    toks.append(Token("eof", None, n, n))
    return toks


def _ends_operand(toks: list[Token]) -> bool:
    if not toks:
        return False
    t = toks[-1]
    return t.kind != "op" or t.value in (")", "]", "}")


def _read_number(src: str, i: int, toks: list[Token]) -> int:
    n = len(src)
    start = i
    if src.startswith(("0x", "0X"), i):
        j = i + 2
        while j < n and src[j] in _HEX:
            j += 1
        if j == i + 2:
            raise _err("literal heksadesimal tidak sah", "invalid hex literal", i, src)
        value = int(src[i + 2 : j], 16)
        if j < n and src[j] in "uU":
            toks.append(Token("uint", value, start, j + 1))
            return j + 1
        toks.append(Token("int", value, start, j))
        return j
    j = i
    while j < n and (src[j] in _DIGITS):
        j += 1
    is_float = False
    if j < n and src[j] == "." and j + 1 < n and (src[j + 1] in _DIGITS):
        is_float = True
        j += 1
        while j < n and (src[j] in _DIGITS):
            j += 1
    if j < n and src[j] in "eE":
        k = j + 1
        if k < n and src[k] in "+-":
            k += 1
        if k < n and (src[k] in _DIGITS):
            is_float = True
            j = k
            while j < n and (src[j] in _DIGITS):
                j += 1
        else:
            raise _err("eksponen tidak sah", "invalid exponent", j, src)
    text = src[i:j]
    if is_float:
        toks.append(Token("double", float(text), start, j))
        return j
    if j < n and src[j] in "uU":
        toks.append(Token("uint", int(text), start, j + 1))
        return j + 1
    toks.append(Token("int", int(text), start, j))
    return j


def _read_string(src: str, i: int, raw: bool, is_bytes: bool) -> tuple[str | bytes, int]:
    n = len(src)
    q = src[i]
    triple = src.startswith(q * 3, i)
    delim = q * 3 if triple else q
    j = i + len(delim)
    parts: list[str | int] = []  # str pieces, or int byte values (for bytes escapes)
    while True:
        if j >= n:
            raise _err("literal string tidak ditutup", "unterminated string literal", i, src)
        if src.startswith(delim, j):
            j += len(delim)
            break
        c = src[j]
        if not triple and c in "\n\r":
            raise _err("baris baru di dalam literal string", "newline in string literal", j, src)
        if c == "\\" and not raw:
            if j + 1 >= n:
                raise _err("escape tidak lengkap", "incomplete escape", j, src)
            e = src[j + 1]
            if e in _SIMPLE_ESC:
                parts.append(_SIMPLE_ESC[e])
                j += 2
            elif e in "xX":
                h = src[j + 2 : j + 4]
                if len(h) != 2 or not set(h) <= _HEX:
                    raise _err("escape \\x tidak sah", "invalid \\x escape", j, src)
                v = int(h, 16)
                parts.append(v if is_bytes else chr(v))
                j += 4
            elif e in "uU":
                if is_bytes:
                    raise _err("escape \\u tidak boleh di literal bytes", "\\u escape not allowed in bytes", j, src)
                ln = 4 if e == "u" else 8
                h = src[j + 2 : j + 2 + ln]
                if len(h) != ln or not set(h) <= _HEX:
                    raise _err("escape unicode tidak sah", "invalid unicode escape", j, src)
                v = int(h, 16)
                if v > 0x10FFFF or 0xD800 <= v <= 0xDFFF:
                    raise _err("code point tidak sah", "invalid code point", j, src)
                parts.append(chr(v))
                j += 2 + ln
            elif e in "0123":
                o = src[j + 1 : j + 4]
                if len(o) != 3 or not set(o) <= set("01234567"):
                    raise _err("escape oktal tidak sah", "invalid octal escape", j, src)
                v = int(o, 8)
                parts.append(v if is_bytes else chr(v))
                j += 4
            else:
                raise _err(f"escape tidak sah \\{e}", f"invalid escape \\{e}", j, src)
        else:
            parts.append(c)
            j += 1
    if is_bytes:
        out = bytearray()
        for p in parts:
            if isinstance(p, int):
                out.append(p)
            else:
                out += p.encode("utf-8", "surrogatepass")
        return bytes(out), j
    return "".join(cast("list[str]", parts)), j  # int pieces only go into bytes


class Parser:
    def __init__(self, source: str, max_tokens: int = MAX_TOKENS) -> None:
        self.src = source
        self.toks = tokenize(source)
        if len(self.toks) - 1 > max_tokens:  # the last token is the end of input
            raise _err(f"ekspresi terlalu panjang: {len(self.toks) - 1} token, batasnya {max_tokens}",
                       f"expression too long: {len(self.toks) - 1} tokens, the limit is {max_tokens}",
                       self.toks[max_tokens].offset, source)
        self.pos = 0
        self.depth = 0

    # -- helpers
    @property
    def tok(self) -> Token:
        return self.toks[self.pos]

    def next(self) -> Token:
        t = self.toks[self.pos]
        self.pos += 1
        return t

    def at(self, op: str) -> bool:
        t = self.toks[self.pos]
        return t.kind == "op" and t.value == op

    def accept(self, op: str) -> Token | None:
        if self.at(op):
            return self.next()
        return None

    def expect(self, op: str) -> Token:
        if not self.at(op):
            t = self.tok
            got = repr(self.src[t.offset : t.end])
            got_id, got_en = ("akhir ekspresi", "the end of input") if t.kind == "eof" else (got, got)
            raise _err(f"diharapkan '{op}', ditemukan {got_id}", f"expected '{op}', found {got_en}", t.offset, self.src)
        return self.next()

    def _enter(self, offset: int) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise _err("ekspresi terlalu dalam bersarang", "expression nested too deeply", offset, self.src)

    # -- grammar
    def parse(self) -> Expr:
        e = self.expr()
        t = self.tok
        if t.kind != "eof":
            raise _err(
                f"token tak terduga {self.src[t.offset:t.end]!r}",
                f"unexpected token {self.src[t.offset:t.end]!r}",
                t.offset,
                self.src,
            )
        return e

    def expr(self) -> Expr:
        self._enter(self.tok.offset)
        try:
            c = self.binary(0)
            q = self.accept("?")
            if q is None:
                return c
            a = self.binary(0)
            self.expect(":")
            b = self.expr()
            return Cond(q.offset, c, a, b)
        finally:
            self.depth -= 1

    _LEVELS = (("||",), ("&&",), ("<", "<=", ">", ">=", "==", "!=", "in"), ("+", "-"), ("*", "/", "%"))

    def binary(self, level: int) -> Expr:
        if level == len(self._LEVELS):
            return self.unary()
        ops = self._LEVELS[level]
        left = self.binary(level + 1)
        entered = self.depth
        try:
            while True:
                t = self.tok
                if (t.kind == "op" and t.value in ops) or (t.kind == "ident" and t.value == "in" and "in" in ops):
                    self.next()
                    if t.value not in ("&&", "||"):  # the compiler flattens these; others nest to the left
                        self._enter(t.offset)
                    right = self.binary(level + 1)
                    left = Binary(t.offset, t.value, left, right)
                else:
                    return left
        finally:
            self.depth = entered

    def unary(self) -> Expr:
        t = self.tok
        if t.kind == "op" and t.value == "!":
            self.next()
            self._enter(t.offset)
            try:
                return Unary(t.offset, "!", self.unary())
            finally:
                self.depth -= 1
        if t.kind == "op" and t.value == "-":
            self.next()
            nt = self.tok
            if nt.kind in ("int", "double") and not self._followed_by_member(self.pos + 1):
                self.next()
                if nt.kind == "int":
                    v = -nt.value
                    if v < INT64_MIN:
                        raise _err("literal int di luar jangkauan", "int literal out of range", nt.offset, self.src)
                    return Literal(t.offset, v, "int")
                return Literal(t.offset, -nt.value, "double")
            self._enter(t.offset)
            try:
                return Unary(t.offset, "-", self.unary())
            finally:
                self.depth -= 1
        return self.member()

    def _followed_by_member(self, pos: int) -> bool:
        t = self.toks[pos]
        return t.kind == "op" and t.value in (".", "[")

    def member(self) -> Expr:
        e = self.primary()
        entered = self.depth
        try:
            return self._member_chain(e)
        finally:
            self.depth = entered

    def _member_chain(self, e: Expr) -> Expr:
        """``e.f``, ``e[i]``, ``e.m(...)`` repeated; each link nests the tree one level deeper."""
        while True:
            t = self.tok
            if t.kind == "op" and t.value in (".", "["):
                self._enter(t.offset)
            if t.kind == "op" and t.value == ".":
                self.next()
                f = self.tok
                if f.kind not in ("ident", "qident"):
                    raise _err("diharapkan nama field", "expected a field name", f.offset, self.src)
                self.next()
                if f.kind == "ident" and self.at("("):
                    self.next()
                    args = self.exprlist(")")
                    e = Call(f.offset, f.value, e, args)
                else:
                    e = Select(f.offset, e, f.value)
            elif t.kind == "op" and t.value == "[":
                self.next()
                idx = self.expr()
                self.expect("]")
                e = Index(t.offset, e, idx)
            else:
                return e

    def exprlist(self, close: str, trailing: bool = False) -> list[Expr]:
        items: list[Expr] = []
        if self.accept(close):
            return items
        while True:
            items.append(self.expr())
            if self.accept(","):
                if trailing and self.accept(close):
                    return items
                continue
            self.expect(close)
            return items

    def primary(self) -> Expr:
        t = self.next()
        k = t.kind
        if k == "int":
            if t.value > INT64_MAX:
                raise _err("literal int di luar jangkauan", "int literal out of range", t.offset, self.src)
            return Literal(t.offset, t.value, "int")
        if k == "uint":
            if t.value > UINT64_MAX:
                raise _err("literal uint di luar jangkauan", "uint literal out of range", t.offset, self.src)
            return Literal(t.offset, t.value, "uint")
        if k in ("double", "string", "bytes"):
            return Literal(t.offset, t.value, k)
        if k == "ident" or (k == "op" and t.value == "."):
            lead = ""
            if k == "op":
                t2 = self.next()
                if t2.kind != "ident":
                    raise _err("diharapkan identifier", "expected an identifier", t2.offset, self.src)
                lead = "."
                t = t2
            name = t.value
            if name in ("true", "false") and not lead:
                return Literal(t.offset, name == "true", "bool")
            if name == "null" and not lead:
                return Literal(t.offset, None, "null")
            if name in RESERVED or name == "in":
                raise _err(f"kata '{name}' dicadangkan", f"reserved word '{name}'", t.offset, self.src)
            if self.at("("):
                self.next()
                args = self.exprlist(")")
                return Call(t.offset, lead + name, None, args)
            return Ident(t.offset, lead + name)
        if k == "op":
            v = t.value
            if v == "(":
                e = self.expr()
                self.expect(")")
                return e
            if v == "[":
                self._enter(t.offset)
                try:
                    return ListLit(t.offset, self.exprlist("]", trailing=True))
                finally:
                    self.depth -= 1
            if v == "{":
                self._enter(t.offset)
                try:
                    entries: list[tuple[Expr, Expr]] = []
                    if not self.accept("}"):
                        while True:
                            key = self.expr()
                            self.expect(":")
                            entries.append((key, self.expr()))
                            if self.accept(","):
                                if self.accept("}"):
                                    break
                                continue
                            self.expect("}")
                            break
                    return MapLit(t.offset, entries)
                finally:
                    self.depth -= 1
        got = repr(self.src[t.offset : t.end])
        got_id, got_en = ("akhir ekspresi", "end of input") if k == "eof" else (got, got)
        raise _err(f"ekspresi tidak sah di {got_id}", f"unexpected {got_en}", t.offset, self.src)


def parse(source: str, max_tokens: int = MAX_TOKENS) -> Expr:
    """Parse a CEL expression; raises :class:`ExprSyntaxError` at the first error (an expression
    longer than ``max_tokens`` or nested deeper than ``MAX_DEPTH`` is one)."""
    if not isinstance(source, str):
        raise TypeError("source must be a str")
    try:
        return Parser(source, max_tokens).parse()
    except RecursionError:
        raise ExprSyntaxError(
            "ekspresi terlalu dalam bersarang / expression nested too deeply", 0, source
        ) from None
