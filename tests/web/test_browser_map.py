"""The map in a real headless Chromium: Natural Earth outlines drawn, zoom and pan by buttons,
keys and wheel, a place leads to its claims (fixtures from ``test_browser``)."""

from __future__ import annotations

import pytest

from tests.web.test_browser import ARTIFACTS, _wait, browser, server

pytestmark = pytest.mark.browser

__all__ = ["browser", "server"]  # the fixtures, used by name


def _view(driver: object) -> list[float]:
    from selenium.webdriver.remote.webdriver import WebDriver

    assert isinstance(driver, WebDriver)
    box = driver.execute_script(
        "return document.getElementById('world-map').getAttribute('viewBox')"
    )
    return [float(v) for v in str(box or "").split()]


@pytest.mark.shared_data("examples/women-prisoners-front-line.txt")  # places of the example
def test_the_map_zooms_pans_and_leads_to_claims(browser: object, server: str) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.remote.webdriver import WebDriver

    assert isinstance(browser, WebDriver)
    browser.get(f"{server}/map")
    assert len(browser.find_elements(By.CSS_SELECTOR, "svg.map path.outline")) > 150
    assert browser.find_elements(By.CSS_SELECTOR, "svg.map g.labels text")
    assert _view(browser) == [0, 0, 360, 180]
    browser.save_screenshot(str(ARTIFACTS / "map-world.png"))
    browser.find_element(By.ID, "map-zoom-in").click()
    _wait(lambda: _view(browser)[2] == 180)
    assert browser.find_element(By.ID, "map-scale").text == "×2"
    world = browser.find_element(By.ID, "world-map")
    world.send_keys("+")  # the map takes keys once focused
    _wait(lambda: _view(browser)[2] == 90)
    before = _view(browser)
    world.send_keys(Keys.ARROW_RIGHT)
    _wait(lambda: _view(browser)[0] > before[0])
    # circles keep their size on screen: at ×4 they are drawn smaller in map units
    place = browser.find_element(By.CSS_SELECTOR, "svg.map circle.place")
    assert float(place.get_attribute("r") or 0) < float(place.get_attribute("data-r") or 0)
    browser.save_screenshot(str(ARTIFACTS / "map-zoomed.png"))
    browser.find_element(By.ID, "map-reset").click()
    _wait(lambda: _view(browser) == [0, 0, 360, 180])
    # the last drawn is on top (the smallest: the busiest places are drawn first)
    browser.find_elements(By.CSS_SELECTOR, "svg.map a.place-link circle")[-1].click()
    _wait(lambda: "/claims?place=" in browser.current_url)
    assert browser.find_elements(By.CSS_SELECTOR, "table tbody tr")
