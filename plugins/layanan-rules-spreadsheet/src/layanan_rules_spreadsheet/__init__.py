"""layanan-rules plugin: read an inspector's Excel/LibreOffice workbook or CSV files.

Registered under the ``layanan_rules`` entry-point group as ``spreadsheet``. It adds the
``spreadsheet`` adapter (``.xlsx .xlsm .xls .ods .csv`` and folders of CSV files) and the
``layanan-rules template`` command that writes a blank workbook to fill in.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from layanan_rules.hookspecs import hookimpl
from layanan_rules_spreadsheet.reader import Note, SpreadsheetAdapter, read_all

if TYPE_CHECKING:
    from layanan_rules.data.adapters import Adapter

__all__ = ["Note", "SpreadsheetAdapter", "read_all", "register_adapters", "register_commands"]


@hookimpl
def register_adapters() -> list[type[Adapter]]:
    return [SpreadsheetAdapter]


@hookimpl
def register_commands(cli: click.Group) -> None:
    cli.add_command(template)


@click.command("template")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["xlsx", "ods"]),
    default=None,
    help="xlsx (Excel) atau ods (LibreOffice); bawaan: dari akhiran OUT, selain itu xlsx. / "
    "Workbook format; default: from OUT's suffix, else xlsx.",
)
@click.option("--force", is_flag=True, help="Timpa berkas yang sudah ada. / Overwrite an existing file.")
@click.argument("out", type=click.Path(dir_okay=False, path_type=Path))
def template(fmt: str | None, force: bool, out: Path) -> None:
    """Tulis buku kerja kosong untuk diisi: sheet Petunjuk, satu sheet per entitas dengan judul
    kolom yang tepat, pilihan ya/tidak, sel tanggal, dan satu baris contoh.

    Write a blank workbook to fill in: a Petunjuk (instructions) sheet, one sheet per entity with
    the exact headers, yes/no dropdowns, date cells and one example row. A workbook filled from
    it is read by `layanan-rules evaluate` with no mapping file.

    Contoh / example: layanan-rules template --format ods dinas-saya.ods
    """
    from layanan_rules_spreadsheet.writer import write_workbook

    if fmt is None:
        fmt = "ods" if out.suffix.lower() == ".ods" else "xlsx"
    if not out.suffix:
        out = out.with_suffix(f".{fmt}")
    elif out.suffix.lower() != f".{fmt}":
        raise click.UsageError(
            f"akhiran {out.suffix} tidak cocok dengan --format {fmt} / the suffix does not match --format"
        )
    if out.exists() and not force:
        raise click.UsageError(f"{out} sudah ada; pakai --force untuk menimpa / already exists; use --force")
    try:
        write_workbook(out, format=fmt, example=True)
    except OSError as exc:
        raise click.ClickException(f"{out}: tidak dapat ditulis: {exc} / cannot be written") from exc
    click.echo(f"templat ditulis / template written: {out}", err=True)
