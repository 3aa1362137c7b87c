"""The upload page at `/`, used the way staff use it: a real headless Chromium (driven by
chromedriver through Selenium) against a real `layanan-rules serve` on 127.0.0.1.

Needs Debian's ``chromium`` and ``chromium-driver``; skipped with a reason when either is absent
(CI installs both and fails on that skip). Keeps screenshots in ``artifacts/`` (git-ignored).
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest
from serving import Running, serving
from support import ROOT

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
pytestmark = pytest.mark.skipif(not (CHROMIUM.exists() and CHROMEDRIVER.exists()),
                                reason="chromium/chromedriver tidak terpasang / not installed "
                                       "(apt-get install -y chromium chromium-driver)")
ARTIFACTS = ROOT / "artifacts"
EXAMPLE_XLSX = ROOT / "examples" / "dinas-contoh.xlsx"
LIMIT = 100_000  # --max-body: the example workbook (46 KB) fits, the big file below does not


@pytest.fixture(scope="module")
def server() -> Iterator[Running]:
    with serving("--max-body", str(LIMIT), workers=1) as running:
        yield running


@pytest.fixture(scope="module")
def downloads(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("downloads")


@pytest.fixture(scope="module")
def browser(downloads: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    from selenium import webdriver

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1280,1600",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}", "--lang=id"):
        options.add_argument(arg)
    options.add_experimental_option("prefs", {"download.default_directory": str(downloads),
                                              "download.prompt_for_download": False})
    driver = webdriver.Chrome(options=options, service=webdriver.ChromeService(executable_path=str(CHROMEDRIVER)))
    driver.execute_cdp_cmd("Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)})
    driver.set_page_load_timeout(120)
    try:
        yield driver
    finally:
        driver.quit()


def fill_form(driver: object, server: Running, upload: Path, as_of: str = "2025-01-31") -> None:
    from selenium.webdriver.common.by import By

    driver.get(server.url + "/")  # type: ignore[attr-defined]
    driver.find_element(By.ID, "file").send_keys(str(upload))  # type: ignore[attr-defined]
    date = driver.find_element(By.ID, "as_of")  # type: ignore[attr-defined]
    # a date picker's typing order depends on the locale: set the value the picker would set
    driver.execute_script("arguments[0].value = arguments[1]", date, as_of)  # type: ignore[attr-defined]


def submit_into_new_tab(driver: object, testid: str) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    form_tab = driver.current_window_handle  # type: ignore[attr-defined]
    before = set(driver.window_handles)  # type: ignore[attr-defined]
    driver.find_element(By.CSS_SELECTOR, f'[data-testid="{testid}"]').click()  # type: ignore[attr-defined]
    WebDriverWait(driver, 120).until(lambda d: len(set(d.window_handles) - before) == 1)
    (tab,) = set(driver.window_handles) - before  # type: ignore[attr-defined]
    driver.switch_to.window(tab)  # type: ignore[attr-defined]
    WebDriverWait(driver, 120).until(lambda d: d.execute_script("return document.readyState") == "complete")
    driver.form_tab = form_tab  # type: ignore[attr-defined]


def back_to_form(driver: object) -> None:
    driver.close()  # type: ignore[attr-defined]
    driver.switch_to.window(driver.form_tab)  # type: ignore[attr-defined]


def wait_for_file(folder: Path, name: str) -> Path:
    deadline = time.monotonic() + 120
    path = folder / name
    while time.monotonic() < deadline:
        if path.exists() and not list(folder.glob("*.crdownload")):
            return path
        time.sleep(0.1)
    raise AssertionError(f"{name} was not downloaded; the folder has {sorted(p.name for p in folder.iterdir())}")


def test_the_page_is_indonesian_first(browser: object, server: Running) -> None:
    from selenium.webdriver.common.by import By

    browser.get(server.url + "/")  # type: ignore[attr-defined]
    body = browser.find_element(By.TAG_NAME, "body").text  # type: ignore[attr-defined]
    assert body.index("Berkas data") < body.index("Data file")
    assert body.index("Unduh Excel") < body.index("Download Excel")
    assert browser.find_element(By.ID, "as_of").get_attribute("value")  # type: ignore[attr-defined]
    ARTIFACTS.mkdir(exist_ok=True)
    browser.save_screenshot(str(ARTIFACTS / "server-unggah.png"))  # type: ignore[attr-defined]


def test_a_workbook_gives_the_html_report(browser: object, server: Running) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    fill_form(browser, server, EXAMPLE_XLSX)
    submit_into_new_tab(browser, "submit-html")
    WebDriverWait(browser, 60).until(
        lambda d: d.find_element(By.TAG_NAME, "html").get_attribute("data-ready") == "1")  # its script ran
    expected = expected_report(server)
    score = browser.find_element(By.CSS_SELECTOR, '[data-testid="score-total"]').text  # type: ignore[attr-defined]
    assert score == f"{expected['summary']['score']:.1f}".replace(".", ",")
    assert browser.find_element(By.CSS_SELECTOR, '[data-testid="as-of"]').text == "31 Januari 2025"  # type: ignore
    fails = browser.find_element(By.CSS_SELECTOR, '[data-testid="count-fail"]').text  # type: ignore[attr-defined]
    assert fails == str(expected["summary"]["states"]["fail"])
    assert "dinas-contoh.xlsx:Layanan" in browser.page_source  # type: ignore[attr-defined]
    browser.save_screenshot(str(ARTIFACTS / "server-laporan.png"))  # type: ignore[attr-defined]
    back_to_form(browser)


def expected_report(server: Running) -> dict:
    from layanan_rules.server import forms

    body, headers = forms.encode({"file": ("dinas-contoh.xlsx", EXAMPLE_XLSX.read_bytes()), "as_of": "2025-01-31",
                                  "format": "json"})
    status, _, data = server.request("POST", "/v1/report", raw=body, headers=headers)
    assert status == 200
    return json.loads(data)


def test_the_downloads_are_the_xlsx_and_json_reports(browser: object, server: Running, downloads: Path) -> None:
    from selenium.webdriver.common.by import By

    fill_form(browser, server, EXAMPLE_XLSX)
    browser.find_element(By.CSS_SELECTOR, '[data-testid="submit-xlsx"]').click()  # type: ignore[attr-defined]
    xlsx = wait_for_file(downloads, "laporan-dinas-contoh-2025-01-31.xlsx")
    book = openpyxl.load_workbook(xlsx, read_only=True)
    assert len(book.sheetnames) >= 2
    # the form is still filled in: the next button needs no second upload
    browser.find_element(By.CSS_SELECTOR, '[data-testid="submit-json"]').click()  # type: ignore[attr-defined]
    doc = json.loads(wait_for_file(downloads, "laporan-dinas-contoh-2025-01-31.json").read_text(encoding="utf-8"))
    expected = expected_report(server)
    assert doc["as_of"] == "2025-01-31" and doc == expected


@pytest.mark.parametrize(("name", "content", "code", "id_text", "en_text"), [
    ("rusak.xlsx", b"bukan buku kerja", "invalid_data", "buku kerja tidak terbaca", "workbook cannot be read"),
    ("catatan.txt", b"halo", "bad_request", "jenis berkas tidak dikenal", "unknown file type"),
    ("besar.xlsx", b"x" * (LIMIT + 50_000), "payload_too_large", "melebihi batas", "exceeds the limit"),
])
def test_bad_files_get_the_api_error_as_a_page(browser: object, server: Running, tmp_path: Path, name: str,
                                               content: bytes, code: str, id_text: str, en_text: str) -> None:
    from selenium.webdriver.common.by import By

    upload = tmp_path / name
    upload.write_bytes(content)
    fill_form(browser, server, upload)
    submit_into_new_tab(browser, "submit-html")
    assert browser.find_element(By.CSS_SELECTOR, '[data-testid="error-code"]').text == code  # type: ignore
    message = browser.find_element(By.CSS_SELECTOR, '[data-testid="error-message"]').text  # type: ignore
    assert id_text in message and en_text in message and message.index(id_text) < message.index(en_text)
    assert "layanan-rules-upload" not in browser.page_source  # type: ignore[attr-defined]
    if code == "payload_too_large":
        browser.save_screenshot(str(ARTIFACTS / "server-galat.png"))  # type: ignore[attr-defined]
    back_to_form(browser)
