"""Headless Chromium for the browser tests (tests/browser): Debian's, driven by
python3-selenium, both installed by scripts/setup.sh."""
from selenium import webdriver
from selenium.webdriver.chrome.service import Service


def new_browser(width=1500, height=900):
    options = webdriver.ChromeOptions()
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--window-size=%d,%d" % (width, height)):
        options.add_argument(flag)
    browser = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    browser.set_script_timeout(30)
    return browser
