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
from layanan_rules.report.stream import findings_of

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
    assert by_testid(html, "count-findings") == fmt_number(len(findings_of(doc)), "id")
    assert by_testid(html, "count-waivers-expired") == "1"
    assert by_testid(html, "as-of") == "31 Januari 2025"
    for s in doc["scores"]["unit"]:
        assert by_testid(html, f"score-unit-{s['key']}") == (fmt_number(s["score"], "id") if s["sufficient"] else "–")
    # default view: what needs action (failures, errors, waived and flagged findings)
    needs_action = [f for f in findings_of(doc) if f["state"] in ("fail", "error") or f.get("flags")]
    assert by_testid(html, "shown-count") == str(len(needs_action)) == str(len(visible(html)))
    assert "UU25-21a L3" in visible(html)  # its waiver expired: it is back, flagged
    assert "waiver kedaluwarsa" in html


def test_filters_and_search_work_in_the_browser(page):
    tmp, path, doc = page
    html = dom(tmp, path, "#state=all")
    assert by_testid(html, "shown-count") == str(len(findings_of(doc)))
    html = dom(tmp, path, "#state=fail&unit=U2")
    expected = sorted(f"{f['rule_id']} {f['entity_id']}" for f in findings_of(doc)
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


@pytest.fixture(scope="module")
def large_page(tmp_path_factory):
    """A report past HTML_MAX_CARDS findings (synthetic data): summary first, the worst capped."""
    import datetime as dt
    import importlib.util

    from layanan_rules import evaluate, load_ruleset

    spec = importlib.util.spec_from_file_location("bench_synth_html", ROOT / "bench" / "synth.py")
    synth = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(synth)
    report = evaluate(load_ruleset(), synth.build(seed=2, services=500, complaints=2500), as_of=dt.date(2025, 1, 31))
    tmp = tmp_path_factory.mktemp("large")
    path = tmp / "laporan-besar.html"
    path.write_text(render(report, "html"), encoding="utf-8")
    return tmp, path, report


def test_a_large_report_opens_summary_first_with_the_worst_findings_capped(large_page):
    from layanan_rules.report import html as html_report

    tmp, path, report = large_page
    n = sum(report.counts().values())
    assert n > html_report.HTML_MAX_CARDS
    html = dom(tmp, path)
    assert 'data-ready="1"' in html
    assert by_testid(html, "count-findings") == fmt_number(n, "id")
    cards = re.findall(r'<article class="finding', html)
    assert len(cards) == html_report.HTML_MAX_PROBLEM_CARDS
    assert "--format csv" in by_testid(html, "capped") and "lulus atau tidak berlaku" in by_testid(html, "omitted")
    assert html.index('data-testid="score-total"') < html.index('data-testid="matrix"') < html.index('<article class="finding')
    assert re.search(r'data-testid="sha256"|data-testid="generated-at"', html)


def test_the_page_fits_a_phone_and_prints_on_a4(page, large_page):
    """Nothing wider than a phone's screen (headless Chromium's narrowest window is 500 px; the
    phone layout starts at 600)."""
    for tmp, path, _x in (page, large_page):
        html = chromium(tmp, "--dump-dom", "--window-size=412,900", path.as_uri()).stdout
        width = int(re.search(r'data-scroll-width="(\d+)"', html).group(1))
        view = int(re.search(r'data-view-width="(\d+)"', html).group(1))
        assert view <= 500 and width <= view, f"{path.name}: {width} px wide in a {view} px window"
    text = page[1].read_text(encoding="utf-8")
    assert "@page{size:A4 landscape" in text and "@media print" in text


def test_screenshots_of_the_large_report_are_kept_in_artifacts(large_page):
    tmp, path, _report = large_page
    ARTIFACTS.mkdir(exist_ok=True)
    for name, size in (("laporan-besar.png", "1280,2400"), ("laporan-besar-412.png", "412,2400")):
        shot = ARTIFACTS / name
        shot.unlink(missing_ok=True)
        chromium(tmp, f"--screenshot={shot}", f"--window-size={size}", path.as_uri())
        assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_a_large_report_lists_the_worst_scores_and_counts_the_rest(large_page, monkeypatch):
    from layanan_rules.report import html as html_report

    _tmp, _path, report = large_page
    monkeypatch.setattr(html_report, "HTML_MAX_SCORE_ROWS", 10)
    page = render(report, "html")
    units = report.scores().unit
    assert len(units) > 10 and page.count('data-level="unit"') == 10
    assert f"10 terburuk dari {len(units)}" in page and 'data-testid="scores-capped-unit"' in page


def test_a_province_sized_report_opens_in_chromium_with_a_screenshot(tmp_path):
    """20,000 layanan + 200,000 pengaduan (3.0 M findings) through the CLI, as a user runs it: the
    page opens with its script run and renders (screenshots kept in ``artifacts/``). How fast it
    opens is measured by ``bench/scale.py --formats html`` (the ``(chromium)`` row), not here."""
    import sys

    from layanan_rules.report import html as html_report

    data, page = tmp_path / "provinsi.json", tmp_path / "provinsi.html"
    subprocess.run([sys.executable, str(ROOT / "bench" / "synth.py"), "--services", "20000", "--complaints",
                    "200000", "--seed", "1", "--out", str(data)], check=True, capture_output=True)
    exe = Path(sys.executable).with_name("layanan-rules")
    cli = [str(exe)] if exe.exists() else [sys.executable, "-m", "layanan_rules.cli"]
    run = subprocess.run([*cli, "evaluate", str(data), "--as-of", "2025-01-31", "-q", "--format", "html",
                          "-o", str(page)], capture_output=True, text=True, check=False)
    assert run.returncode in (0, 1), run.stderr[-2000:]
    html = dom(tmp_path, page)
    assert 'data-ready="1"' in html
    n = int(by_testid(html, "count-findings").replace(".", "").replace(",", ""))
    assert n > 2_000_000  # every finding counted in the summary ...
    assert len(re.findall(r'<article class="finding', html)) <= html_report.HTML_MAX_CARDS  # ... the cards capped
    ARTIFACTS.mkdir(exist_ok=True)
    for name, size in (("laporan-provinsi.png", "1280,2400"), ("laporan-provinsi-412.png", "412,2400")):
        shot = ARTIFACTS / name
        shot.unlink(missing_ok=True)
        chromium(tmp_path, f"--screenshot={shot}", f"--window-size={size}", page.as_uri())
        assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 50_000
