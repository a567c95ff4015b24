"""The pages in a real headless Chromium (Debian's ``chromium`` + ``chromium-driver``).

The app is served by uvicorn on a loopback port in a thread of the test process. Screenshots go
to ``test-artifacts/web/`` (git-ignored). Without Chromium the tests skip, unless
``CLAIMTRACE_TEST_BROWSER=1`` (set in CI), where a missing browser is a failure.
"""

from __future__ import annotations

import os
import shutil
import socket
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI

from tests.conftest import ROOT
from tests.web.conftest import BRIDGE_REPORTS, Ledger

pytestmark = pytest.mark.browser

CHROMIUM = os.environ.get("CLAIMTRACE_TEST_CHROMIUM", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("CLAIMTRACE_TEST_CHROMEDRIVER", "/usr/bin/chromedriver")
ARTIFACTS = ROOT / "test-artifacts" / "web"
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--window-size=1400,1000",
)


def _need_browser() -> None:
    missing = [path for path in (CHROMIUM, CHROMEDRIVER) if not Path(path).exists()]
    try:
        import selenium  # noqa: F401
    except ImportError:
        missing.append("the selenium package")
    if not missing:
        return
    message = f"browser tests need {', '.join(missing)} (apt-get install chromium chromium-driver)"
    if os.environ.get("CLAIMTRACE_TEST_BROWSER") == "1":
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="module")
def server(app: FastAPI) -> Iterator[str]:
    """The shared app served on a free loopback port; its base URL."""
    _need_browser()
    import uvicorn

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off")
    instance = uvicorn.Server(config)
    thread = threading.Thread(target=instance.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not instance.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("the test server did not start")
        time.sleep(0.02)
    yield f"http://127.0.0.1:{port}"
    instance.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser(server: str) -> Iterator[object]:
    """A headless Chromium with a fresh, empty profile."""
    os.environ.setdefault("SE_OFFLINE", "true")  # Selenium Manager must never download
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="claimtrace-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in (*FLAGS, f"--user-data-dir={profile}"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(20)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def _wait(condition: object, timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if callable(condition) and condition():
            return
        time.sleep(0.05)
    pytest.fail("the page did not reach the expected state in time")


@pytest.mark.shared_data("examples/women-prisoners-front-line.txt")  # claims of the example
def test_article_claims_are_highlighted_and_selectable(
    browser: object, server: str, ledger: Ledger
) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.remote.webdriver import WebDriver

    assert isinstance(browser, WebDriver)
    example = ledger.example
    browser.get(f"{server}/documents/{example.document.id}")
    cues = browser.find_elements(By.CSS_SELECTOR, "#article-text .run.r-cue")
    sources = browser.find_elements(By.CSS_SELECTOR, "#article-text .run.r-source")
    assert {c.cue.text for c in example.claims if c.cue} <= {cue.text for cue in cues}
    assert sources
    # Highlights are drawn: a cue's background differs from the article's.
    article_bg = browser.find_element(By.ID, "article-text").value_of_css_property(
        "background-color"
    )
    assert cues[0].value_of_css_property("background-color") != article_bg
    browser.save_screenshot(str(ARTIFACTS / "article.png"))

    # Selecting a claim shows its details: numbers, places, times, links.
    target = next(c for c in example.claims if c.quantities)
    index = example.claims.index(target)
    run = next(
        element
        for element in browser.find_elements(By.CSS_SELECTOR, "#article-text .run[data-claims]")
        if str(index) in (element.get_attribute("data-claims") or "").split()
        and "r-content" in (element.get_attribute("class") or "")
    )
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'});", run)
    run.click()
    card = browser.find_element(By.ID, f"claim-{target.id}")
    _wait(lambda: "selected" in (card.get_attribute("class") or ""))
    facts = card.find_element(By.CSS_SELECTOR, ".claim-facts")
    assert facts.is_displayed()
    assert "about 100" in facts.text
    assert browser.find_elements(By.CSS_SELECTOR, "#article-text .run.sel")
    browser.save_screenshot(str(ARTIFACTS / "article-selected.png"))


def test_claims_table_filters(browser: object, server: str) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.remote.webdriver import WebDriver
    from selenium.webdriver.support.ui import Select

    assert isinstance(browser, WebDriver)
    browser.get(f"{server}/claims")
    everything = len(browser.find_elements(By.CSS_SELECTOR, "tr[data-claim]"))
    source = browser.find_element(By.NAME, "source")
    source.send_keys("Police")
    source.submit()
    _wait(lambda: "source=Police" in browser.current_url)
    assert len(browser.find_elements(By.CSS_SELECTOR, "tr[data-claim]")) == 3 < everything
    # Choosing a certainty submits the filters at once (the page's script).
    Select(browser.find_element(By.NAME, "certainty")).select_by_value("denied")
    _wait(lambda: "certainty=denied" in browser.current_url)
    rows = browser.find_elements(By.CSS_SELECTOR, "tr[data-claim]")
    assert len(rows) == 1
    assert "denied" in rows[0].text
    browser.save_screenshot(str(ARTIFACTS / "claims-filtered.png"))


def test_open_a_cluster(browser: object, server: str, ledger: Ledger) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.remote.webdriver import WebDriver

    assert isinstance(browser, WebDriver)
    browser.get(f"{server}/documents/{ledger.bridge[0].document.id}")
    browser.find_element(By.CSS_SELECTOR, ".claim-card").click()
    link = browser.find_element(By.CSS_SELECTOR, "a.cluster-link")
    _wait(link.is_displayed)
    link.click()
    _wait(lambda: "/clusters/" in browser.current_url)
    heading = browser.find_element(By.TAG_NAME, "h1").text
    assert heading.startswith("Cluster")
    assert len(browser.find_elements(By.CSS_SELECTOR, ".conflict-pair")) >= 1
    page = browser.find_element(By.TAG_NAME, "main").text
    assert all(publisher in page for _, publisher in BRIDGE_REPORTS)
    browser.save_screenshot(str(ARTIFACTS / "cluster.png"))


def test_markup_in_a_document_does_not_run(browser: object, server: str, ledger: Ledger) -> None:
    from selenium.common.exceptions import NoAlertPresentException
    from selenium.webdriver.common.by import By
    from selenium.webdriver.remote.webdriver import WebDriver

    assert isinstance(browser, WebDriver)
    browser.get(f"{server}/documents/{ledger.hostile.document.id}")
    assert (
        browser.find_element(By.TAG_NAME, "h1").text == "<b>Leaflet</b> <script>alert(2)</script>"
    )
    assert '<script>alert("pwned")</script>' in browser.find_element(By.ID, "article-text").text
    with pytest.raises(NoAlertPresentException):
        browser.switch_to.alert.text  # noqa: B018
    assert not browser.find_elements(By.CSS_SELECTOR, "#article-text script, #article-text img")
    browser.save_screenshot(str(ARTIFACTS / "escaped.png"))


@pytest.mark.shared_data("examples/women-prisoners-front-line.txt")  # its places: the packaged
def test_map_and_timeline_draw(browser: object, server: str) -> None:  # sample resolves only one
    from selenium.webdriver.common.by import By
    from selenium.webdriver.remote.webdriver import WebDriver

    assert isinstance(browser, WebDriver)
    browser.get(f"{server}/map")
    assert len(browser.find_elements(By.CSS_SELECTOR, "svg.map circle.place")) >= 2
    size = browser.find_element(By.CSS_SELECTOR, "svg.map").size
    assert size["width"] > 300
    assert size["height"] > 150
    browser.save_screenshot(str(ARTIFACTS / "map.png"))
    browser.get(f"{server}/timeline")
    assert browser.find_elements(By.CSS_SELECTOR, "svg.bars rect.bar-published")
    browser.save_screenshot(str(ARTIFACTS / "timeline.png"))


def test_an_entity_leads_to_the_claims_about_it(browser: object, server: str) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.remote.webdriver import WebDriver

    assert isinstance(browser, WebDriver)
    browser.get(f"{server}/")
    browser.find_element(By.LINK_TEXT, "Entities").click()
    _wait(lambda: browser.current_url.endswith("/entities"))
    person = browser.find_element(By.CSS_SELECTOR, 'tr[data-type="PERSON"] a.about')
    assert person.text
    browser.save_screenshot(str(ARTIFACTS / "entities.png"))
    person.click()
    _wait(lambda: "/claims?about=" in browser.current_url)
    assert browser.find_elements(By.CSS_SELECTOR, "tr[data-claim]")
    browser.back()
    browser.find_element(By.CSS_SELECTOR, "tr a.by").click()  # the busiest entity's own claims
    _wait(lambda: "/claims?source=" in browser.current_url)
    assert browser.find_elements(By.CSS_SELECTOR, "tr[data-claim]")
