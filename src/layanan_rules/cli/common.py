"""What every command shares: exit codes, turning input errors into messages, the plugin manager.

Library errors are imported where they are caught, so a command that never reads rules or data
(``--version``, ``--help``) does not pay for loading them.
"""

from __future__ import annotations

import datetime as dt
import functools
import sys
from collections.abc import Callable
from typing import Any, NoReturn

import click

EXIT_OK, EXIT_FINDINGS, EXIT_BAD_INPUT, EXIT_INTERNAL = 0, 1, 2, 3

#: where to report a bug (an internal error, exit code 3)
ISSUES_URL = "https://github.com/layanan-rules/layanan-rules/issues"


def fail(message: str) -> NoReturn:
    """Print a diagnostic to stderr and exit 2 (bad input)."""
    click.echo(message, err=True)
    raise SystemExit(EXIT_BAD_INPUT)


def handles_bad_input(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Turn the library's input errors into a message on stderr and exit code 2, no traceback."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from layanan_rules.data.adapters import AdapterError
        from layanan_rules.inputs import InputError
        from layanan_rules.model.records import DataError
        from layanan_rules.rules.registry import UnknownRuleset
        from layanan_rules.rules.ruleset import RulesetError

        try:
            return fn(*args, **kwargs)
        except RulesetError as exc:
            n = len(exc.problems)
            fail(f"{exc}\n{n} masalah pada berkas aturan / {n} problem(s) in the rule files")
        except (AdapterError, DataError, UnknownRuleset, InputError) as exc:
            fail(f"galat / error: {exc}")
        except BrokenPipeError:
            sys.stderr.close()  # the reader (e.g. `head`) went away: not an error
            raise SystemExit(EXIT_OK) from None
        except OSError as exc:
            fail(f"galat / error: {exc.filename or ''}: {exc.strerror}")

    return wrapper


def internal_error(exc: BaseException, debug: bool) -> None:
    """A bug, not bad input: say so, say how to report it, exit 3 (never 1, which means findings).

    The traceback is printed only with ``--debug``: it may quote the data being read.
    """
    import traceback

    if debug:
        traceback.print_exception(exc, file=sys.stderr)
    where = ""
    tb = exc.__traceback__
    while tb is not None and tb.tb_next is not None:
        tb = tb.tb_next
    if tb is not None:
        where = f" ({tb.tb_frame.f_code.co_filename.rsplit('/', 1)[-1]}:{tb.tb_lineno})"
    click.echo(
        f"galat internal / internal error: {type(exc).__name__}{where}. Ini kesalahan program, bukan kesalahan "
        f"data Anda; mohon laporkan / this is a bug in layanan-rules, not in your data; please report it at "
        f"{ISSUES_URL} with the command you ran"
        + ("" if debug else " (tambahkan / add --debug untuk jejaknya / for the traceback)"),
        err=True,
    )
    raise SystemExit(EXIT_INTERNAL)


def plugin_manager() -> Any:
    """The command's plugin manager, built once per invocation."""
    from layanan_rules import plugins

    root = click.get_current_context().find_root()
    if root.obj is None:
        root.obj = plugins.get_plugin_manager()
    return root.obj


def parse_date(_ctx: Any, _param: Any, value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"'{value}': pakai YYYY-MM-DD / use YYYY-MM-DD, e.g. 2025-01-31") from None


def outputs_apart(data: str, outputs: Any) -> None:
    """Refuse an output that is the input file itself, or named twice: the report would overwrite the
    data it was made from (or another report) and nothing would say so."""
    import os
    from pathlib import Path

    seen: dict[str, Path] = {}
    source = Path(data)
    for out in outputs:
        if out is None or str(out) == "-":
            continue
        path = Path(out)
        key = os.path.realpath(path)
        if key in seen:
            fail(f"--output {path}: nama berkas yang sama untuk dua format; beri nama lain / the same file for two "
                 f"formats; give each its own name")
        seen[key] = path
        if source.is_file() and (key == os.path.realpath(source)
                                 or (path.exists() and os.path.samefile(path, source))):
            fail(f"--output {path}: itu berkas data masukan; laporan akan menimpanya. Beri nama lain, mis. "
                 f"{path.with_name(path.stem + '-laporan' + path.suffix)} / that is the input data file: the report "
                 f"would overwrite it; give another name")


def key_values(items: tuple[str, ...], flag: str) -> list[tuple[str, str]]:
    out = []
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            fail(f"{flag} '{item}': pakai KUNCI=NILAI / use KEY=VALUE")
        out.append((key.strip(), value))
    return out
