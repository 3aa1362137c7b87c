"""The bundled rulesets are found through importlib.resources in a wheel and in an editable install."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from importlib import resources

from support import ROOT

PROBE = (
    "import layanan_rules, importlib.resources as r;"
    "print(layanan_rules.__file__);"
    "print((r.files('layanan_rules.rulesets') / 'uu-25-2009' / 'ruleset.yaml').is_file());"
    "print(len(layanan_rules.load_ruleset().rules))"
)


def test_rulesets_are_package_resources_in_this_install():
    root = resources.files("layanan_rules.rulesets")
    assert root.joinpath("uu-25-2009", "ruleset.yaml").is_file()


def test_wheel_ships_the_rulesets_and_finds_them(tmp_path):
    shutil.rmtree(ROOT / "build", ignore_errors=True)  # setuptools would reuse modules that no longer exist
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(tmp_path / "dist"), str(ROOT)],
        check=True,
    )
    [wheel] = list((tmp_path / "dist").glob("layanan_rules-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    assert "layanan_rules/rulesets/uu-25-2009/ruleset.yaml" in names
    assert "layanan_rules/py.typed" in names
    assert any(n.startswith("layanan_rules/rulesets/uu-25-2009/coverage/") for n in names)  # nested data too
    src = ROOT / "src"
    for init in sorted(src.glob("layanan_rules/**/__init__.py")):  # every room of the house is shipped
        assert init.relative_to(src).as_posix() in names, f"{init.parent.name}/ missing: list it in pyproject.toml"
    # what `serve` serves at /openapi.json and /report-schema.json, from docs/ (their one home)
    assert {"layanan_rules/schemas/openapi.json", "layanan_rules/schemas/report-schema.json"} <= set(names)
    assert not [n for n in names if n.startswith("layanan_rules/schemas/") and n.endswith(".md")]
    target = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(target), str(wheel)], check=True)
    env = {**os.environ, "PYTHONPATH": str(target)}
    out = subprocess.run([sys.executable, "-c", PROBE], env=env, capture_output=True, text=True, check=True, cwd=tmp_path)
    file, found, n = out.stdout.split()
    cli = subprocess.run([sys.executable, "-c", "from layanan_rules.cli import main; main(['rules', 'list', '--json'])"],
                         env=env, capture_output=True, text=True, check=False, cwd=tmp_path)
    assert cli.returncode == 0, cli.stderr
    assert '"uu-25-2009"' in cli.stdout
    assert file.startswith(str(target)) and found == "True" and int(n) > 0
