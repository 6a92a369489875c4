"""Shared fixtures: Debian's headless Chromium through chromedriver, and screenshots."""
import os
import pathlib
import re

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service

SITE = os.environ.get("MATHFARM_SITE_URL", "http://127.0.0.1:8080").rstrip("/")
SANDBOX = os.environ.get("MATHFARM_SANDBOX_URL", "http://127.0.0.1:8090").rstrip("/")
ARTIFACTS = pathlib.Path(os.environ.get("MATHFARM_BROWSER_ARTIFACTS", ".ci/artifacts/browser"))
SHOTS = ARTIFACTS / "screenshots"

# Viewport widths of the screenshots: a cheap phone and a laptop.
WIDTHS = (360, 1280)


def make_driver():
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                     "--window-size=1280,900", "--lang=vi", "--disable-extensions", "--no-first-run"):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    driver.set_page_load_timeout(60)
    return driver


@pytest.fixture
def driver():
    browser = make_driver()
    yield browser
    browser.quit()


def screenshot(driver, name):
    """The whole page at each width (mobile emulation at 360 px), as PNG files."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    safe = re.sub(r"[^a-z0-9-]+", "-", name.lower()).strip("-")
    for width in WIDTHS:
        driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
            "width": width, "height": 800, "deviceScaleFactor": 1, "mobile": width < 600})
        height = driver.execute_script(
            "return Math.max(document.documentElement.scrollHeight, document.body ? document.body.scrollHeight : 0)")
        driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
            "width": width, "height": min(max(int(height), 600), 6000), "deviceScaleFactor": 1, "mobile": width < 600})
        driver.save_screenshot(str(SHOTS / f"{safe}-{width}.png"))
    driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
