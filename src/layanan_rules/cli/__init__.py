"""The ``layanan-rules`` command line: a thin shell over the library.

Each command group lives in its own module and is imported only when it runs (or when ``--help``
lists it), so ``layanan-rules --version`` starts in a fraction of the time evaluation needs.
Plugin commands (``register_commands``) are added when a name is not a built-in one.

Exit codes: 0 nothing at or above the chosen severity failed; 1 such findings exist;
2 bad input (unreadable data, a broken rule file, a wrong option, input beyond a limit);
3 an internal error (a bug: "please report"; the traceback only with ``--debug``).

Every option can also come from the environment: ``LAYANAN_RULES_<COMMAND>_<OPTION>``, e.g.
``LAYANAN_RULES_EVALUATE_AS_OF=2025-01-31`` or ``LAYANAN_RULES_EVALUATE_RULESET=./my-rules``.
"""

from __future__ import annotations

import importlib
from typing import Any

import click

from layanan_rules._version import __version__
from layanan_rules.cli.common import (
    EXIT_BAD_INPUT,
    EXIT_FINDINGS,
    EXIT_INTERNAL,
    EXIT_OK,
    fail,
    handles_bad_input,
    internal_error,
)

__all__ = ["EXIT_BAD_INPUT", "EXIT_FINDINGS", "EXIT_INTERNAL", "EXIT_OK", "cli", "fail", "handles_bad_input", "main"]

#: built-in command -> "module:attribute" (imported on first use)
COMMANDS = {
    "evaluate": "layanan_rules.cli.evaluate:evaluate",
    "export": "layanan_rules.cli.evaluate:export_cmd",
    "diff": "layanan_rules.cli.evaluate:diff_cmd",
    "rules": "layanan_rules.cli.rules:rules",
    "serve": "layanan_rules.cli.serve:serve_cmd",
    "plugins": "layanan_rules.cli.inventory:plugins_cmd",
    "adapters": "layanan_rules.cli.inventory:adapters_cmd",
    "formats": "layanan_rules.cli.inventory:formats_cmd",
    "skm": "layanan_rules.cli.skm:skm_cmd",
}

#: the prefix of the environment variables that set options (click's ``auto_envvar_prefix``)
ENV_PREFIX = "LAYANAN_RULES"


class Cli(click.Group):
    """Built-in commands load on first use; plugin commands when a name is not built in."""

    _plugins_loaded = False

    def _load_plugins(self) -> None:
        if not self._plugins_loaded:
            from layanan_rules import plugins

            self._plugins_loaded = True
            plugins.get_plugin_manager().hook.register_commands(cli=self)

    def list_commands(self, ctx: click.Context) -> list[str]:
        self._load_plugins()
        return sorted(set(COMMANDS) | set(super().list_commands(ctx)))

    def invoke(self, ctx: click.Context) -> Any:
        """Run the command; anything that escapes it unhandled is a bug: exit 3, never 1."""
        try:
            return super().invoke(ctx)
        except (click.exceptions.ClickException, click.exceptions.Exit, click.exceptions.Abort, SystemExit,
                KeyboardInterrupt):
            raise
        except Exception as exc:  # noqa: BLE001 - the last line of defence
            from layanan_rules.inputs import InputError

            if isinstance(exc, InputError):  # bad input that reached past a command's own handling
                fail(f"galat / error: {exc}")
            internal_error(exc, bool(ctx.meta.get("layanan_rules.debug")))

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        target = COMMANDS.get(name)
        if target is not None:
            module, _, attr = target.partition(":")
            command: click.Command = getattr(importlib.import_module(module), attr)
            return command
        self._load_plugins()
        return super().get_command(ctx, name)


def _limits(ctx: click.Context, _param: Any, values: tuple[str, ...]) -> tuple[str, ...]:
    from layanan_rules import inputs

    try:
        changes = {}
        for item in values:
            name, sep, value = item.partition("=")
            if not sep:
                raise ValueError(f"'{item}': pakai NAMA=NILAI / use NAME=VALUE, e.g. json_depth=200")
            changes[name.strip()] = value.strip()
        inputs.configure(**changes)
    except (ValueError, inputs.InputError) as exc:
        raise click.BadParameter(str(exc), ctx=ctx, param=_param) from None
    return values


def _debug(ctx: click.Context, _param: Any, value: bool) -> bool:
    ctx.meta["layanan_rules.debug"] = value
    return value


@click.group(cls=Cli, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="layanan-rules")
@click.option("--limit", "limits", multiple=True, metavar="NAME=VALUE", callback=_limits, expose_value=False,
              help="Ubah batas masukan, boleh berulang, mis. --limit json_depth=200 (docs/limits.md) / "
                   "change an input limit, repeatable (see docs/limits.md).")
@click.option("--debug", is_flag=True, callback=_debug, expose_value=False,
              help="Cetak jejak (traceback) galat internal / print the traceback of an internal error.")
def cli() -> None:
    """Periksa kepatuhan penyelenggara pelayanan publik terhadap UU 25/2009.

    Check public-service providers against Law 25/2009 on Public Services.

    \b
    Mulai / start:
      layanan-rules evaluate examples/dinas-contoh.xlsx --as-of 2025-01-31
      layanan-rules evaluate data.xlsx --format html -o laporan.html
      layanan-rules template data-dinas.xlsx      (buku kerja kosong / blank workbook)
      layanan-rules rules list
      layanan-rules rules show UU25-21a
      layanan-rules rules coverage
      layanan-rules skm jawaban-skm.xlsx   (IKM dari jawaban responden / IKM from answers)
    """


#: Arrow's allocator (mimalloc) commits its arenas lazily and hands freed pages back at once: a
#: command builds and drops large temporaries (scores' group-by, each written batch) while the
#: dataset it read stays, and holding them back raised the peak of a 20k/200k ``--format json`` run
#: from 950 to 1,029 MB at the same CPU time (bench/README.md). Read when pyarrow is first loaded;
#: a value the user set wins.
ARROW_ALLOCATOR_ENV = {"MIMALLOC_ARENA_EAGER_COMMIT": "0", "MIMALLOC_PURGE_DELAY": "0"}


def main(argv: Any = None) -> None:
    """The console script."""
    import os

    for name, value in ARROW_ALLOCATOR_ENV.items():
        os.environ.setdefault(name, value)
    cli(args=argv, prog_name="layanan-rules", auto_envvar_prefix=ENV_PREFIX)


if __name__ == "__main__":
    main()
