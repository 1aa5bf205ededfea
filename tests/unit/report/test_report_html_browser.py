"""The HTML audit report in a real browser: headless Chromium driven by Selenium.

Checks what a person sees (the counts, the chart, the table), that filtering and sorting work,
that hostile resource names stay text (no script of theirs runs, none reaches the console), and
that the page prints. A screenshot is saved to ``test-artifacts/html-report.png`` for review.

Needs the Debian packages ``chromium`` and ``chromium-driver`` (``.ci/run`` installs them);
skipped with the reason where they are absent. The driver path is given explicitly so that
Selenium Manager never tries to download one.
"""

from __future__ import annotations

import base64
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from report_fixtures import live_finding, source_finding
from report_render import rendered
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.chrome.webdriver import WebDriver
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from cmkguard.errors import InputError
from cmkguard.findings import ScanResult, Status
from cmkguard.report import OutputFormat

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
ARTIFACTS = Path(__file__).parents[3] / "test-artifacts"
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--window-size=1400,1000",
)

pytestmark = pytest.mark.skipif(
    not (CHROMIUM.exists() and CHROMEDRIVER.exists()),
    reason="needs /usr/bin/chromium and /usr/bin/chromedriver (Debian packages chromium and "
    "chromium-driver, installed by .ci/run)",
)

SCRIPT_NAME = "<script>window.pwned = 1</script>"
IMG_NAME = '<img src=x onerror="window.pwned = 2">'


def _result() -> ScanResult:
    nb = "aws_sagemaker_notebook_instance"
    return ScanResult(
        (
            source_finding(Status.PASS, address=f"{nb}.alpha"),
            source_finding(Status.PASS, address=f"{nb}.beta", file="b.tf"),
            source_finding(address=f'{nb}.n["{SCRIPT_NAME}"]', message=IMG_NAME),
            source_finding(Status.UNKNOWN, address=f"{nb}.{IMG_NAME}"),
            live_finding(Status.PASS),
            live_finding(Status.FAIL),
        ),
        (InputError("broken/main.tf", 7, SCRIPT_NAME),),
        ("infra", "aws:111122223333:eu-west-1"),
    )


@pytest.fixture(scope="module")
def browser() -> Iterator[WebDriver]:
    os.environ.setdefault("SE_OFFLINE", "true")  # Selenium Manager must not go online
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in FLAGS:
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    try:
        yield driver
    finally:
        driver.quit()


def test_report_in_chromium(browser: WebDriver, tmp_path: Path) -> None:
    driver = browser
    report = tmp_path / "report.html"
    report.write_text(rendered(_result(), OutputFormat.HTML), encoding="utf-8")
    driver.get(report.as_uri())

    def text(element_id: str) -> str:
        return str(driver.find_element(By.ID, element_id).text)

    def visible_rows() -> list[str]:
        rows = driver.find_elements(By.CSS_SELECTOR, "#findings-table tbody tr")
        return [str(r.text) for r in rows if r.is_displayed()]

    # The numbers a person sees.
    counts = ("count-total", "count-pass", "count-fail", "count-unknown", "count-errors")
    assert [text(i) for i in counts] == ["6", "3", "2", "1", "1"]
    assert text("shown") == "6 of 6 shown"
    chart = driver.find_element(By.ID, "chart")
    assert [label.text for label in chart.find_elements(By.TAG_NAME, "text")] == [
        "main.tf",
        "1 PASS, 1 FAIL, 1 UNKNOWN",
        "b.tf",
        "1 PASS, 0 FAIL, 0 UNKNOWN",
        "111122223333 eu-west-1",
        "1 PASS, 1 FAIL, 0 UNKNOWN",
    ]
    assert len(visible_rows()) == 6

    # Hostile names are shown as text and never run.
    assert driver.execute_script("return window.pwned === undefined") is True
    page_text = driver.find_element(By.TAG_NAME, "body").text
    assert SCRIPT_NAME in page_text
    assert IMG_NAME in page_text
    assert driver.find_elements(By.CSS_SELECTOR, "main img") == []

    # Filter by status, then by text; clear again.
    Select(driver.find_element(By.ID, "status-filter")).select_by_visible_text("FAIL")
    assert len(visible_rows()) == 2
    assert text("shown") == "2 of 6 shown"
    Select(driver.find_element(By.ID, "status-filter")).select_by_visible_text("all")
    driver.find_element(By.ID, "filter").send_keys("beta")
    rows = visible_rows()
    assert len(rows) == 1
    assert "aws_sagemaker_notebook_instance.beta" in rows[0]
    driver.find_element(By.ID, "filter").clear()
    driver.find_element(By.ID, "filter").send_keys(" ")  # an input event after clear()
    assert len(visible_rows()) == 6

    # Sort by status: FAIL first, then UNKNOWN, then PASS; a second click reverses.
    driver.find_element(By.CSS_SELECTOR, 'button[data-sort="0"]').click()
    statuses = [row.split()[0] for row in visible_rows()]
    assert statuses == ["FAIL", "FAIL", "UNKNOWN", "PASS", "PASS", "PASS"]
    driver.find_element(By.CSS_SELECTOR, 'button[data-sort="0"]').click()
    assert visible_rows()[0].startswith("PASS")

    # Nothing reached the console: no CSP violation, no script error.
    log = driver.get_log("browser")  # type: ignore[no-untyped-call]  # selenium leaves it untyped
    problems = [e for e in log if e["level"] in ("SEVERE", "WARNING")]
    assert problems == []

    # It prints, and a screenshot is kept for people to look at.
    pdf = base64.b64decode(driver.print_page())
    assert pdf.startswith(b"%PDF")
    ARTIFACTS.mkdir(exist_ok=True)
    assert driver.save_screenshot(str(ARTIFACTS / "html-report.png"))
