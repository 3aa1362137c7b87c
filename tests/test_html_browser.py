"""The HTML report in a real headless Chromium: it renders, its numbers match the JSON, filters work.

Needs Debian's ``chromium`` (``apt-get install -y chromium chromium-driver``); skipped with a
reason when /usr/bin/chromium is absent. Keeps a screenshot in ``artifacts/`` (git-ignored).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import textwrap
from pathlib import Path

import pytest
from support import ROOT
from test_reporters_helpers import document, example_report, render

from layanan_rules.report.i18n import fmt_number

CHROMIUM = Path("/usr/bin/chromium")
pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="/usr/bin/chromium tidak terpasang / not installed "
                                "(apt-get install -y chromium chromium-driver)")
ARTIFACTS = ROOT / "artifacts"


def chromium(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    profile = tmp_path / "chromium-profile"
    cmd = [str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
           "--disable-component-update", "--disable-sync", "--no-first-run", "--hide-scrollbars",
           f"--user-data-dir={profile}", "--virtual-time-budget=5000", *args]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=120, check=True)


def dom(tmp_path: Path, page: Path, fragment: str = "") -> str:
    return chromium(tmp_path, "--dump-dom", page.as_uri() + fragment).stdout


def by_testid(html: str, name: str) -> str:
    m = re.search(rf'data-testid="{re.escape(name)}"[^>]*>([^<]*)<', html)
    assert m, f"no element with data-testid={name}"
    return m.group(1).strip()


def visible(html: str) -> list[str]:
    """(rule id, entity id) of every finding card the filters left visible."""
    out = []
    for m in re.finditer(r'<article class="([^"]*)"[^>]*data-rule="([^"]*)" data-entity-id="([^"]*)"', html):
        if "hidden" not in m.group(1).split():
            out.append(f"{m.group(2)} {m.group(3)}")
    return out


@pytest.fixture(scope="module")
def page(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("html")
    waivers = tmp / "waivers.yaml"
    waivers.write_text(textwrap.dedent("""\
        - {rule: UU25-21a, entity: layanan, entity_id: L3, reason: Standar sedang disusun ulang,
           legal_basis: SK Kepala Dinas 12/2024, approver: Kepala DPMPTSP, start: 2024-07-01, expiry: 2024-12-31}
        - {rule: UU25-21b, entity: layanan, entity_id: L3, reason: Menunggu Perda baru,
           legal_basis: SK Kepala Dinas 13/2024, approver: Kepala DPMPTSP, start: 2024-07-01, expiry: 2025-12-31}
        """), encoding="utf-8")
    report = example_report(waivers)
    path = tmp / "laporan.html"
    path.write_text(render(report, "html"), encoding="utf-8")
    return tmp, path, document(report)


def test_html_is_self_contained(page):
    _tmp, path, _doc = page
    html = path.read_text(encoding="utf-8")
    assert "<link" not in html and "@import" not in html
    assert not re.search(r'(src|href)\s*=\s*["\']?(https?:)?//', html), "the page must not load anything"
    assert "Content-Security-Policy" in html and "default-src 'none'" in html


def test_numbers_on_screen_match_the_json(page):
    tmp, path, doc = page
    html = dom(tmp, path)
    assert 'data-ready="1"' in html  # the page's script ran in the browser
    total = doc["scores"]["total"]
    assert by_testid(html, "score-total") == fmt_number(total["score"], "id")
    assert by_testid(html, "zone-total") == {"hijau": "Hijau", "kuning": "Kuning", "merah": "Merah"}[total["zone"]]
    for state, n in doc["summary"]["states"].items():
        assert by_testid(html, f"count-{state}") == fmt_number(n, "id"), state
    assert by_testid(html, "count-findings") == fmt_number(len(doc["findings"]), "id")
    assert by_testid(html, "count-waivers-expired") == "1"
    assert by_testid(html, "as-of") == "31 Januari 2025"
    for s in doc["scores"]["unit"]:
        assert by_testid(html, f"score-unit-{s['key']}") == (fmt_number(s["score"], "id") if s["sufficient"] else "–")
    # default view: what needs action (failures, errors, waived and flagged findings)
    needs_action = [f for f in doc["findings"] if f["state"] in ("fail", "error") or f.get("flags")]
    assert by_testid(html, "shown-count") == str(len(needs_action)) == str(len(visible(html)))
    assert "UU25-21a L3" in visible(html)  # its waiver expired: it is back, flagged
    assert "waiver kedaluwarsa" in html


def test_filters_and_search_work_in_the_browser(page):
    tmp, path, doc = page
    html = dom(tmp, path, "#state=all")
    assert by_testid(html, "shown-count") == str(len(doc["findings"]))
    html = dom(tmp, path, "#state=fail&unit=U2")
    expected = sorted(f"{f['rule_id']} {f['entity_id']}" for f in doc["findings"]
                      if f["state"] == "fail" and f.get("unit_id") == "U2")
    assert sorted(visible(html)) == expected and by_testid(html, "shown-count") == str(len(expected))
    html = dom(tmp, path, "#state=waived")
    assert visible(html) == ["UU25-21b L3"]
    html = dom(tmp, path, "#state=all&q=uu25-21a%20l3")
    assert visible(html) == ["UU25-21a L3"]


def test_screenshot_is_kept_in_artifacts(page):
    tmp, path, _doc = page
    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / "laporan-html.png"
    shot.unlink(missing_ok=True)
    chromium(tmp, f"--screenshot={shot}", "--window-size=1280,2000", path.as_uri())
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 50_000  # a rendered page, not a blank one
    shutil.copy(path, ARTIFACTS / "laporan.html")
