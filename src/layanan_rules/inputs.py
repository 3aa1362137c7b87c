"""Reading what people hand the tool, safely: the limits, and the guards that enforce them.

Every file, response and expression the tool reads comes from outside and may be wrong, huge or
hostile. Whatever reads one goes through here for what is shared: text decoding that names the
line and column of a bad byte, YAML with an alias-expansion budget and a depth limit, JSON with
a depth limit and duplicate keys kept (not silently overwritten), zip containers (xlsx, ods)
checked for their unpacked size before they are opened. Each limit is a field of
:class:`Limits`; exceeding one raises :class:`InputError` whose message names the place, the
limit and how to raise it. ``docs/limits.md`` lists them all.

Limits are configured per process: ``LAYANAN_RULES_LIMIT_<NAME>=VALUE`` in the environment,
``layanan-rules --limit NAME=VALUE ...`` on the command line, or :func:`override` in Python.
"""

from __future__ import annotations

import codecs
import contextlib
import contextvars
import json
import os
import re
import zipfile
from collections.abc import Callable, Hashable, Iterator
from pathlib import Path
from typing import Any, cast

import attrs

MB = 1 << 20


@attrs.frozen
class Limits:
    """How much of anything the tool reads. Each field is documented in ``LIMITS``."""

    yaml_aliases: int = 10
    yaml_depth: int = 64
    json_depth: int = 100
    csv_field_chars: int = 1_000_000
    xlsx_bytes: int = 256 * MB
    xlsx_shared_strings: int = 100 * MB
    http_bytes: int = 256 * MB
    expr_tokens: int = 5_000
    expr_steps: int = 10_000_000
    expr_seconds: float = 5.0


#: name -> (Indonesian, English) description, for ``--limit`` help, messages and docs.
LIMITS: dict[str, tuple[str, str]] = {
    "yaml_aliases": ("nilai yang boleh dibangun alias YAML (*nama), per dua karakter berkas",
                     "values YAML aliases (*name) may build, per two characters of the file"),
    "yaml_depth": ("kedalaman sarang YAML", "YAML nesting depth"),
    "json_depth": ("kedalaman sarang JSON", "JSON nesting depth"),
    "csv_field_chars": ("panjang satu sel CSV (karakter)", "length of one CSV field (characters)"),
    "xlsx_bytes": ("ukuran buku kerja (xlsx/ods) setelah dibuka kemasannya (byte)",
                   "size of a workbook (xlsx/ods) once unpacked (bytes)"),
    "xlsx_shared_strings": ("ukuran tabel teks bersama xlsx (byte)", "size of an xlsx shared-strings table (bytes)"),
    "http_bytes": ("ukuran satu jawaban HTTP setelah dekompresi (byte)",
                   "size of one HTTP response body after decompression (bytes)"),
    "expr_tokens": ("panjang satu ekspresi (token)", "length of one expression (tokens)"),
    "expr_steps": ("langkah evaluasi per record (iterasi makro, elemen dan karakter yang dibangun)",
                   "evaluation steps per record (macro iterations, elements and characters built)"),
    "expr_seconds": ("waktu evaluasi per record (detik)", "evaluation time per record (seconds)"),
}

ENV_PREFIX = "LAYANAN_RULES_LIMIT_"


class InputError(Exception):
    """Input that cannot be read as given: malformed, or beyond a limit. ``str()`` is the whole
    located message (``file:line:column: ...``); ``limit`` names the limit when one was hit."""

    def __init__(self, message: str, *, source: str | None = None, line: int | None = None,
                 column: int | None = None, limit: str | None = None) -> None:
        where = ":".join(str(p) for p in (source, line, column) if p is not None)
        super().__init__(f"{where}: {message}" if where else message)
        self.message = message
        self.source = source
        self.line = line
        self.column = column
        self.limit = limit


# --- configuration -------------------------------------------------------------------------------------

def _convert(name: str, value: Any) -> Any:
    if name not in LIMITS:
        import difflib

        near = difflib.get_close_matches(name, list(LIMITS), n=1)
        hint = f"; maksud Anda / did you mean '{near[0]}'?" if near else ""
        raise ValueError(f"batas '{name}' tidak dikenal{hint} (dikenal / known: {', '.join(LIMITS)}) / "
                         f"unknown limit '{name}'")
    kind = type(getattr(Limits(), name))
    try:
        number = kind(float(value) if kind is float else int(str(value).replace("_", "")))
    except (TypeError, ValueError):
        raise ValueError(f"batas {name}={value!r}: harus angka / must be a number") from None
    if number <= 0:
        raise ValueError(f"batas {name}={value!r}: harus lebih dari 0 / must be above 0")
    return number


def from_environment(environ: Any = None) -> Limits:
    """The defaults, with every ``LAYANAN_RULES_LIMIT_<NAME>`` variable applied."""
    environ = os.environ if environ is None else environ
    changes = {}
    for key, value in environ.items():
        if key.startswith(ENV_PREFIX):
            name = key[len(ENV_PREFIX):].lower()
            try:
                changes[name] = _convert(name, value)
            except ValueError as exc:
                raise InputError(f"{key}: {exc}", limit=name) from None
    return Limits(**changes)


_default: Limits | None = None
_current: contextvars.ContextVar[Limits | None] = contextvars.ContextVar("layanan_rules_limits", default=None)


def current() -> Limits:
    """The limits in force (an :func:`override` if one is active, else the process default)."""
    got = _current.get()
    if got is not None:
        return got
    global _default
    if _default is None:
        _default = from_environment()
    return _default


def configure(**changes: Any) -> Limits:
    """Set the process-wide limits: the environment's, with ``changes`` (the command line's
    ``--limit``) on top. Values are checked; a wrong name or value raises ``ValueError``."""
    global _default
    _default = attrs.evolve(from_environment(), **{k: _convert(k, v) for k, v in changes.items()})
    return _default


@contextlib.contextmanager
def override(**changes: Any) -> Iterator[Limits]:
    """Other limits for the code inside the ``with`` (this thread or task only)."""
    token = _current.set(attrs.evolve(current(), **{k: _convert(k, v) for k, v in changes.items()}))
    try:
        yield _current.get()  # type: ignore[misc]
    finally:
        _current.reset(token)


def beyond(name: str, what_id: str, what_en: str, *, source: str | None = None, line: int | None = None,
           column: int | None = None) -> InputError:
    """The error for input beyond limit ``name``: what was too big, the limit, and how to raise it."""
    value = getattr(current(), name)
    shown = f"{value:g}" if isinstance(value, float) else str(value)
    return InputError(
        f"{what_id} melebihi batas {name}={shown}; bila masukan ini memang benar, naikkan dengan "
        f"--limit {name}=N (atau {ENV_PREFIX}{name.upper()}) / {what_en} exceeds the limit {name}={shown}; "
        f"if the input is genuine, raise it with --limit {name}=N",
        source=source, line=line, column=column, limit=name)


# --- text --------------------------------------------------------------------------------------------

_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF8, "utf-8-sig"),
         (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


def decode_text(data: bytes, source: str) -> str:
    """UTF-8 text (a BOM may say UTF-8, UTF-16 or UTF-32); anything else is an :class:`InputError`
    naming the line and column of the first byte that is not UTF-8, and how to fix the file."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError as exc:
                return _undecodable(data, exc, source, encoding)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return _undecodable(data, exc, source, "utf-8")


def _undecodable(data: bytes, exc: UnicodeDecodeError, source: str, encoding: str) -> str:
    before = data[:exc.start]
    line = before.count(b"\n") + 1
    column = exc.start - (before.rfind(b"\n") + 1) + 1
    byte = data[exc.start:exc.start + 1].hex().upper()
    if encoding == "utf-8" and data[:200].count(b"\x00") > len(data[:200]) // 4:
        guess = "tampaknya UTF-16 tanpa BOM / it looks like UTF-16 without a BOM"
    elif encoding == "utf-8":
        try:
            data.decode("cp1252")
            guess = "tampaknya Latin-1/Windows-1252 / it looks like Latin-1/Windows-1252"
        except UnicodeDecodeError:
            guess = "pengodean tidak dikenal / unknown encoding"
    else:
        guess = f"BOM menyebut {encoding} tetapi isinya bukan / the BOM says {encoding} but the content is not"
    raise InputError(
        f"byte 0x{byte} bukan teks {encoding.upper()} ({guess}); simpan ulang berkas sebagai UTF-8 / "
        f"byte 0x{byte} is not {encoding.upper()} text; save the file again as UTF-8",
        source=source, line=line, column=column)


def read_text(path: str | os.PathLike[str]) -> str:
    """A text file decoded by :func:`decode_text` (``OSError`` passes through)."""
    return decode_text(Path(path).read_bytes(), str(path))


# --- YAML --------------------------------------------------------------------------------------------

#: libyaml (PyYAML's C parser) reads about 15x faster than the pure-Python one and keeps the same
#: line/column marks; the pure-Python parser stands in where PyYAML was built without it.
def _loader() -> Any:
    import yaml

    return getattr(yaml, "CSafeLoader", yaml.SafeLoader)


YamlPath = tuple[Hashable, ...]
_STR = "tag:yaml.org,2002:str"


def load_yaml(text: str, file: str, nodes: dict[YamlPath, tuple[int, int, str | None]] | None = None,
              keys: dict[YamlPath, tuple[int, int]] | None = None) -> Any:
    """Parse YAML text into plain Python values, within the limits.

    Duplicate keys are errors (PyYAML would keep the last one silently); keys are plain scalars;
    aliases may repeat a node, but the values built stay within ``yaml_aliases`` per two
    characters of the text (a "billion laughs" bomb stops at once); nesting deeper than
    ``yaml_depth`` is refused; a value that is not what it claims (``2024-02-30``, an unknown
    ``!tag``) is named by its line and column. ``nodes`` and ``keys``, when given, receive the
    ``(line, column[, style])`` of every value and key by its path, for located messages later
    (:mod:`layanan_rules.rules.yamlpos`).
    """
    import yaml

    try:
        node = yaml.compose(text, Loader=_loader())
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        raise InputError(f"YAML tidak valid / invalid YAML: {exc.problem or exc}", source=file,
                         line=mark.line + 1 if mark else 1, column=mark.column + 1 if mark else 1) from None
    except yaml.YAMLError as exc:
        raise InputError(f"YAML tidak valid / invalid YAML: {exc}", source=file, line=1, column=1) from None
    except RecursionError:  # the pure-Python parser on deep nesting
        raise beyond("yaml_depth", "kedalaman sarang YAML", "YAML nesting", source=file) from None
    if node is None:
        return None
    limits = current()
    constructor = yaml.SafeLoader("")
    scalars = constructor.yaml_constructors
    # a node takes at least two characters of text, so this bounds what the file itself writes
    budget = [limits.yaml_aliases * (len(text) // 2 + 1) + 1000]
    depth_limit = limits.yaml_depth
    nodes = {} if nodes is None else nodes
    keys = {} if keys is None else keys

    def where(n: Any) -> dict[str, Any]:
        return {"source": file, "line": n.start_mark.line + 1, "column": n.start_mark.column + 1}

    def scalar(n: Any) -> Any:
        if n.tag == _STR:
            return n.value
        try:
            make = scalars.get(n.tag)
            return make(constructor, n) if make is not None else constructor.construct_object(n, deep=True)
        except yaml.constructor.ConstructorError as exc:
            raise InputError(f"YAML tidak valid / invalid YAML: {exc.problem or exc}", **where(n)) from None
        except (ValueError, OverflowError) as exc:  # e.g. a date that does not exist (2024-02-30)
            raise InputError(f"nilai tidak valid {n.value!r} / invalid value {n.value!r}: {exc}", **where(n)) from None

    def build(n: Any, path: YamlPath) -> Any:
        mark = n.start_mark
        budget[0] -= 1
        if budget[0] < 0:
            raise InputError(
                "alias (*nama) diperluas menjadi terlalu banyak nilai; tulis nilainya langsung, atau naikkan "
                "--limit yaml_aliases=N / aliases (*name) expand into too many values; write the values out",
                limit="yaml_aliases", **where(n))
        if len(path) > depth_limit:
            raise beyond("yaml_depth", "kedalaman sarang YAML", "YAML nesting", **where(n))
        nodes[path] = (mark.line + 1, mark.column + 1, getattr(n, "style", None))
        if type(n) is yaml.ScalarNode:
            return scalar(n)
        if isinstance(n, yaml.MappingNode):
            constructor.flatten_mapping(n)
            out: dict[Any, Any] = {}
            for k_node, v_node in n.value:
                if not isinstance(k_node, yaml.ScalarNode):
                    raise InputError("kunci harus berupa teks / a key must be plain text, not a list or mapping",
                                     **where(k_node))
                key = scalar(k_node)
                if key is not None and not isinstance(key, (str, bool)):
                    key = str(key)  # dates and numbers as keys: their text
                if key in out:
                    raise InputError(f"kunci '{key}' ditulis dua kali / duplicate key '{key}'", **where(k_node))
                keys[path + (key,)] = (k_node.start_mark.line + 1, k_node.start_mark.column + 1)
                out[key] = build(v_node, path + (key,))
            return out
        if isinstance(n, yaml.SequenceNode):
            return [build(item, path + (i,)) for i, item in enumerate(n.value)]
        return scalar(n)

    try:
        return build(node, ())
    except RecursionError:
        raise beyond("yaml_depth", "kedalaman sarang YAML", "YAML nesting", source=file) from None


def load_yaml_file(path: str | os.PathLike[str]) -> Any:
    """A YAML file read through :func:`read_text` and :func:`load_yaml`."""
    return load_yaml(read_text(path), str(path))


# --- JSON --------------------------------------------------------------------------------------------

_NOT_BRACKETS = bytes(set(range(256)) - set(b"[]{}"))
_CURLY_AS_SQUARE = bytes.maketrans(b"{}", b"[]")


@attrs.frozen(eq=False)
class Duplicate:
    """A key written twice in one JSON object: the object as parsed (it keeps the last value)
    and every value the key was given, in order."""

    obj: dict[str, Any]
    key: str
    values: tuple[Any, ...]


def load_json(data: bytes | str, source: str) -> tuple[Any, list[Duplicate]]:
    """Parse JSON within the limits; returns the value and the keys written twice in an object.

    Bytes are decoded by :func:`decode_text` (a bad byte is named by line and column). Nesting
    deeper than ``json_depth`` is refused before parsing (a bracket count, about 5% of the
    parse); an integer longer than Python converts (4,300 digits, ``PYTHONINTMAXSTRDIGITS``) is
    named by its line. A duplicate key does not silently keep its last value: the caller gets
    every value and decides (:mod:`layanan_rules.data.jsonfile` makes them data issues).
    """
    check_json_depth(data, source)
    text = decode_text(data, source) if isinstance(data, bytes) else data
    duplicates: list[Duplicate] = []

    def pairs_hook(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        obj = dict(pairs)
        if len(obj) != len(pairs):
            seen: dict[str, list[Any]] = {}
            for k, v in pairs:
                seen.setdefault(k, []).append(v)
            duplicates.extend(Duplicate(obj, k, tuple(vs)) for k, vs in seen.items() if len(vs) > 1)
        return obj

    try:
        value = json.loads(text, object_pairs_hook=pairs_hook)
    except json.JSONDecodeError as exc:
        raise InputError(f"JSON tidak valid: {exc.msg} / invalid JSON: {exc.msg}", source=source,
                         line=exc.lineno, column=exc.colno) from None
    except RecursionError:
        raise beyond("json_depth", "kedalaman sarang JSON", "JSON nesting", source=source) from None
    except ValueError as exc:  # an integer beyond Python's int_max_str_digits
        line, column = _long_number(text)
        raise InputError(
            f"angka terlalu panjang (lebih dari {_max_digits()} digit) / number too long (over {_max_digits()} "
            f"digits): {exc}".split(": Exceeds")[0] + "; tulis sebagai teks / write it as text",
            source=source, line=line, column=column, limit="int_max_str_digits") from None
    return value, duplicates


#: what :func:`iter_json_members` yields: a member's key begins (``START``, key, None, None), one item of
#: its list value (``ITEM``, key, item, duplicates), or its whole value when that is no list
#: (``VALUE``, key, value, duplicates)
START, ITEM, VALUE = 0, 1, 2

_JSON_WS = re.compile(r"[ \t\n\r]*")
#: the end of the whitespace at a position (the pattern matches everywhere, if only the empty text)
_ws = cast(Callable[[str, int], "re.Match[str]"], _JSON_WS.match)


def iter_json_members(data: bytes | str, source: str) -> Iterator[tuple[int, str, Any, list[Duplicate]]] | None:
    """A JSON document whose top level is an object, parsed one member at a time, and a list
    member one item at a time (None when the top level is no object: use :func:`load_json`).

    Only one item's parse tree exists at a time, so reading a province's file costs the text
    plus one record, not the text plus every record as parsed (several times the file's size).
    The same limits and messages as :func:`load_json`: the depth is checked and the text decoded
    first, and a document that turns out malformed is handed to :func:`load_json` to name the
    place (items before it have already been yielded). ``duplicates`` are the keys written twice
    inside that item or value; a top-level key written twice comes as a second ``START``.
    """
    check_json_depth(data, source)
    text = decode_text(data, source) if isinstance(data, bytes) else data
    del data  # the bytes are not needed once decoded
    ws = _ws
    pos = ws(text, 0).end()
    if text[pos:pos + 1] != "{":
        return None
    return _members(text, ws(text, pos + 1).end(), source)


def _members(text: str, pos: int, source: str) -> Iterator[tuple[int, str, Any, list[Duplicate]]]:
    ws = _ws
    duplicates: list[Duplicate] = []

    def pairs_hook(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        obj = dict(pairs)
        if len(obj) != len(pairs):
            seen: dict[str, list[Any]] = {}
            for k, v in pairs:
                seen.setdefault(k, []).append(v)
            duplicates.extend(Duplicate(obj, k, tuple(vs)) for k, vs in seen.items() if len(vs) > 1)
        return obj

    decode = json.JSONDecoder(object_pairs_hook=pairs_hook).raw_decode
    scanstring = json.decoder.scanstring  # type: ignore[attr-defined]  # the C string scanner
    try:
        if text[pos] != "}":
            while True:
                if text[pos] != '"':
                    raise ValueError("expected a key")
                key, pos = scanstring(text, pos + 1)
                pos = ws(text, pos).end()
                if text[pos] != ":":
                    raise ValueError("expected ':'")
                pos = ws(text, pos + 1).end()
                yield START, key, None, duplicates
                if text[pos] == "[":
                    pos = ws(text, pos + 1).end()
                    if text[pos] == "]":
                        pos += 1
                    else:
                        while True:
                            duplicates = []
                            item, pos = decode(text, pos)
                            yield ITEM, key, item, duplicates
                            del item
                            pos = ws(text, pos).end()
                            c = text[pos]
                            pos = ws(text, pos + 1).end()
                            if c == "]":
                                break
                            if c != ",":
                                raise ValueError("expected ',' or ']'")
                else:
                    duplicates = []
                    value, pos = decode(text, pos)
                    yield VALUE, key, value, duplicates
                    del value
                pos = ws(text, pos).end()
                c = text[pos]
                pos = ws(text, pos + 1).end()
                if c == "}":
                    break
                if c != ",":
                    raise ValueError("expected ',' or '}'")
        else:
            pos = ws(text, pos + 1).end()
        if pos != len(text):
            raise ValueError("extra data")
    except (ValueError, IndexError, RecursionError):
        load_json(text, source)  # raises the error with its line and column, as a whole parse would
        raise InputError("JSON tidak valid / invalid JSON", source=source) from None


def _max_digits() -> int:
    import sys

    return sys.get_int_max_str_digits() or 4300


def _long_number(text: str) -> tuple[int | None, int | None]:
    m = re.search(rf"\d{{{_max_digits() + 1},}}", text)
    if m is None:
        return None, None
    before = text[:m.start()]
    return before.count("\n") + 1, m.start() - (before.rfind("\n") + 1) + 1


def check_json_depth(data: str | bytes, source: str) -> None:
    """Refuse JSON nested deeper than ``json_depth`` before a parser recurses into it.

    Brackets are counted by C-speed ``translate``/``replace`` passes, no Python loop per
    character (about 5% of the parse). Brackets inside strings are counted too; when that leaves
    the count unbalanced or beyond the limit, strings are removed and the count redone, so text
    full of brackets is never refused for them. A document crafted so that brackets in its
    strings pair up with real ones can look shallower than it is; the parser's own recursion
    guard still stops it, with the same message.
    """
    raw = data.encode("utf-8", "surrogatepass") if isinstance(data, str) else data
    limit = current().json_depth
    depth = _bracket_depth(raw, limit)
    if depth is None or depth > limit:  # brackets inside strings may be to blame: count without them
        depth = _bracket_depth(re.sub(rb'"[^"\\]*(?:\\.[^"\\]*)*"', b"", raw), limit) or 0
    if depth > limit:
        line, column = _too_deep_at(raw, limit)
        raise beyond("json_depth", "kedalaman sarang JSON", "JSON nesting", source=source, line=line, column=column)


def _too_deep_at(raw: bytes, limit: int) -> tuple[int | None, int | None]:
    """Line and column where nesting first goes beyond ``limit`` (a Python loop: error path only)."""
    depth, in_string, escaped, line, start = 0, False, False, 1, 0
    for i, c in enumerate(raw):
        if in_string:
            if escaped:
                escaped = False
            elif c == 0x5C:  # backslash
                escaped = True
            elif c == 0x22:
                in_string = False
        elif c == 0x22:
            in_string = True
        elif c in (0x5B, 0x7B):
            depth += 1
            if depth > limit:
                return line, len(raw[start:i].decode("utf-8", "replace")) + 1
        elif c in (0x5D, 0x7D):
            depth -= 1
        elif c == 0x0A:
            line, start = line + 1, i + 1
    return None, None


def _bracket_depth(raw: bytes, limit: int) -> int | None:
    """The nesting of ``[]{}`` in ``raw`` (at most ``limit + 1``), or None if they do not pair up."""
    # one kind of bracket, so one left-to-right replace per pass removes exactly the innermost
    # pairs (two replaces would let "{[]}" lose both levels in one pass); a "[}" that pairs up
    # only exists in broken JSON, which the parser then names
    brackets = raw.translate(_CURLY_AS_SQUARE, _NOT_BRACKETS)
    depth = 0
    while brackets:
        shorter = brackets.replace(b"[]", b"")
        if len(shorter) == len(brackets):
            return None
        depth += 1
        if depth > limit:
            return depth
        brackets = shorter
    return depth


# --- zip containers (xlsx, ods) -------------------------------------------------------------------------

def check_workbook(path: str | Path) -> None:
    """Refuse an xlsx/ods whose parts unpack beyond ``xlsx_bytes`` (together) or whose shared-strings
    table beyond ``xlsx_shared_strings``, before any reader inflates it (a zip bomb of a few KB
    can unpack to gigabytes). The shared strings are inflated here in a stream to check what
    they really hold; the other parts are judged by what the zip directory declares, which the
    reader's zip library enforces."""
    p = Path(path)
    if not zipfile.is_zipfile(p):
        return  # .xls and other formats: not a zip; their reader bounds itself by the file size
    limits = current()
    with zipfile.ZipFile(p) as zf:
        infos = zf.infolist()
        total = sum(i.file_size for i in infos)
        if total > limits.xlsx_bytes:
            raise beyond("xlsx_bytes", f"isi buku kerja terbuka {total:,} byte", f"the unpacked workbook ({total:,} bytes)",
                         source=str(p))
        for info in infos:
            if info.filename.lower().endswith("sharedstrings.xml"):
                if info.file_size > limits.xlsx_shared_strings:
                    raise beyond("xlsx_shared_strings", f"tabel teks bersama ({info.file_size:,} byte)",
                                 f"the shared-strings table ({info.file_size:,} bytes)", source=str(p))
                read = 0
                try:
                    with zf.open(info) as fh:
                        while chunk := fh.read(1 << 20):
                            read += len(chunk)
                            if read > limits.xlsx_shared_strings:
                                raise beyond("xlsx_shared_strings", "tabel teks bersama",
                                             "the shared-strings table", source=str(p))
                except (zipfile.BadZipFile, OSError, EOFError) as exc:
                    raise InputError(f"buku kerja rusak ({exc}) / damaged workbook", source=str(p)) from None
