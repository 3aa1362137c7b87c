"""The example plugin, installed as a user would: into a fresh virtual environment."""

from __future__ import annotations

import json
import subprocess
import venv
from pathlib import Path

import pytest

from layanan_rules.report.stream import findings_of

HERE = Path(__file__).resolve().parent
PLUGIN = HERE.parent
ROOT = PLUGIN.parent.parent


def test_adapter_reads_toml_in_process(tmp_path):
    from layanan_rules import read_data

    ds = read_data(HERE / "dinas.toml")
    assert [r.id for r in ds.records["layanan"]] == ["L1", "L2"]
    assert ds.records["layanan"][0].obj.standar.jangka_waktu.jumlah == 1
    assert ds.records["layanan"][1].provenance.row == 2


def test_bad_toml_is_a_clear_error(tmp_path):
    from layanan_rules import read_data
    from layanan_rules.data.adapters import AdapterError

    bad = tmp_path / "rusak.toml"
    bad.write_text("[[layanan]\nid = 1\n")
    with pytest.raises(AdapterError, match="rusak.toml: TOML tidak valid"):
        read_data(bad)



def test_installed_in_a_fresh_venv_it_is_discovered_and_evaluates(tmp_path):
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    py = env_dir / "bin" / "python"
    subprocess.run([str(py), "-m", "pip", "install", "-q", "--disable-pip-version-check", str(ROOT), str(PLUGIN)],
                   check=True, timeout=600)
    cli = env_dir / "bin" / "layanan-rules"
    adapters = subprocess.run([str(cli), "adapters"], capture_output=True, text=True, check=True).stdout
    assert "toml" in adapters and "layanan-rules-toml 0.1.0" in adapters
    out = subprocess.run([str(cli), "evaluate", str(HERE / "dinas.toml"), "--as-of", "2025-01-31", "--format", "json"],
                         capture_output=True, text=True, check=False)
    assert out.returncode == 1, out.stderr  # L2 has no standard: findings
    doc = json.loads(out.stdout)
    failed = {(f["rule_id"], f["entity_id"]) for f in findings_of(doc) if f["state"] == "fail"}
    assert ("UU25-21a", "L2") in failed and ("UU25-21a", "L1") not in failed
    first_failure = next(f for f in findings_of(doc) if f["state"] == "fail")  # provenance: kept where action is needed
    assert first_failure["provenance"]["source"].endswith("dinas.toml")
