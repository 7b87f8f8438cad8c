#!/usr/bin/python3
"""The mock's web console in a real browser (issue #20), against a real `voipsim mock-apns`.

Headless Chromium (Debian's, driven by python3-selenium) opens http://ADMIN/ while curl sends
pushes to the mock's sandbox listener: a push shows in the Requests view within 2 s without a
reload, with its status and delivery status; a rejected one shows its reason and cause; a filter
hides the others; the detail shows the headers and payload curl sent; the token view says
"unregistered since ..." and "device offline, 1 held"; hostile text in a payload and headers
runs nothing and is shown literally; faults are added and cleared; the overview draws its
chart; with an admin secret the page asks for it once and keeps it out of every URL. A
screenshot of each view is written to ARTIFACTS.

usage: console_test.py PATH/TO/voipsim ARTIFACTS
"""
import json
import os
import subprocess
import sys
import tempfile
import unittest
import urllib.error
import urllib.request

from selenium.common.exceptions import TimeoutException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
from browser import new_browser  # noqa: E402
from mock_process import curl_push, start_mock  # noqa: E402

VOIPSIM = sys.argv.pop(1) if len(sys.argv) > 1 else "build/bin/voipsim"
ARTIFACTS = sys.argv.pop(1) if len(sys.argv) > 1 else "console-artifacts"

TOKEN = "db3582a31936a10992dcb438c512d71a0ca642b9b58c4fb2357f8c055043eaf6"
UNREGISTERED = "1a48808a9b6ef87b417d1847d73776f9504d2bb8969d58eba1cc15e616f8b24b"
OFFLINE = "f27a10c9eee4828d11e136128302111857ca04dcf5882aa3550d2786271c4806"
TOKENS = [
    {"token": TOKEN, "environment": "sandbox", "topic": "com.example.imapp.voip"},
    {"token": UNREGISTERED, "environment": "sandbox", "topic": "com.example.imapp.voip",
     "state": "unregistered", "timestamp": 1767225000000},
    {"token": OFFLINE, "environment": "sandbox", "topic": "com.example.imapp.voip"},
]
# What a hostile client can put in a payload and in headers.
HOSTILE = ('<script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2">'
           '<a href="javascript:window.__pwned = 3">javascript:alert(1)</a>')


def admin_call(admin, method, path, body=None, secret=None):
    headers = {"Content-Type": "application/json"}
    if secret:
        headers["Authorization"] = "Bearer " + secret
    request = urllib.request.Request("http://" + admin + path, method=method,
                                     data=body.encode() if body else None, headers=headers)
    with urllib.request.urlopen(request, timeout=20) as answer:
        return json.loads(answer.read())


class Console(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        os.makedirs(ARTIFACTS, exist_ok=True)
        cls.workdir = tempfile.TemporaryDirectory()
        cls.mock, cls.ready = start_mock(VOIPSIM, cls.workdir.name, TOKENS)
        cls.admin = cls.ready["admin"]
        cls.browser = new_browser()
        cls.browser.get("http://%s/" % cls.admin)

    @classmethod
    def tearDownClass(cls):
        cls.browser.quit()
        cls.mock.terminate()
        cls.mock.wait(timeout=30)
        cls.workdir.cleanup()

    def wait_for(self, condition, seconds=2, message=""):
        try:
            return WebDriverWait(self.browser, seconds, poll_frequency=0.05).until(
                lambda driver: condition())
        except TimeoutException:
            self.fail("not within %s s: %s" % (seconds, message))

    # The lists are redrawn as the mock answers: rows are read and clicked in one script each,
    # never held across a redraw.
    def rows(self, table="requests"):
        return self.browser.execute_script(
            "return [...document.querySelectorAll('#' + arguments[0] + ' tbody tr')]"
            ".map(row => row.innerText);", table)

    def click_row(self, table, text):
        clicked = self.browser.execute_script(
            "const row = [...document.querySelectorAll('#' + arguments[0] + ' tbody tr')]"
            ".find(row => row.innerText.includes(arguments[1]) ||"
            " [...row.cells].some(cell => cell.title === arguments[1]));"
            "if (row) row.click(); return !!row;", table, text)
        self.assertTrue(clicked, "no row of #%s shows %s" % (table, text))

    def view(self, name):
        self.browser.find_element(By.CSS_SELECTOR, '#nav a[data-view="%s"]' % name).click()

    def screenshot(self, name):
        self.assertTrue(self.browser.save_screenshot(os.path.join(ARTIFACTS, name + ".png")))

    def set_filter(self, name, text):
        field = self.browser.find_element(By.CSS_SELECTOR, '#filters [name="%s"]' % name)
        field.clear()
        if text:
            field.send_keys(text)
        else:  # clear() fires no input event: the page hears one from a key
            field.send_keys(" ")
            field.clear()
            field.send_keys(" \b")

    def test_1_pushes_appear_live_with_their_answer_and_delivery(self):
        self.view("requests")
        self.assertEqual(curl_push(self.ready, TOKEN, body='{"aps":{},"caller":"alice"}',
                                   headers=["apns-collapse-id: call-1"]), 200)
        self.wait_for(lambda: any("200" in r and "Delivered" in r for r in self.rows()),
                      message="the accepted push in the Requests view")
        self.assertEqual(curl_push(self.ready, "db3582a3"), 400)
        self.wait_for(lambda: any("400 BadDeviceToken" in r for r in self.rows()),
                      message="the rejected push in the Requests view")
        # The rejected one opens with its cause.
        self.click_row("requests", "BadDeviceToken")
        cause = self.wait_for(lambda: self.browser.find_elements(By.CSS_SELECTOR, "#detail .cause"),
                              message="the detail's cause")
        self.assertIn("token", cause[0].text)
        # A filter hides the others.
        self.set_filter("answer", "BadDevice")
        self.wait_for(lambda: len(self.rows()) == 1, message="only the rejected push listed")
        self.set_filter("answer", "")
        self.wait_for(lambda: len(self.rows()) == 2, message="both pushes listed again")
        # The detail shows what curl sent.
        self.click_row("requests", "Delivered")
        self.wait_for(lambda: "apns-collapse-id" in self.browser.find_element(By.ID, "detail").text,
                      message="the request headers in the detail")
        detail = self.browser.find_element(By.ID, "detail").text
        self.assertIn("call-1", detail)
        self.assertIn('"caller": "alice"', detail)  # pretty-printed
        self.assertIn("curl -v --http2", detail)
        self.screenshot("requests")

    def test_2_the_token_view_says_whether_a_push_would_get_through(self):
        admin_call(self.admin, "POST", "/v1/tokens/%s/reachability" % OFFLINE,
                   '{"reachable":false}')
        self.assertEqual(curl_push(self.ready, OFFLINE), 200)
        self.view("tokens")
        self.wait_for(lambda: len(self.rows("tokens")) == 3, message="the three tokens")
        self.click_row("tokens", UNREGISTERED)
        self.wait_for(lambda: "unregistered since 2025-12-31T" in
                      self.browser.find_element(By.ID, "outlook").text,
                      message="unregistered since ...")
        self.click_row("tokens", OFFLINE)
        self.wait_for(lambda: "device offline, 1 held" in
                      self.browser.find_element(By.ID, "outlook").text,
                      message="device offline, 1 held")
        self.screenshot("tokens")

    def test_3_hostile_text_runs_nothing_and_shows_literally(self):
        body = json.dumps({"aps": {}, "x": HOSTILE})
        self.assertEqual(curl_push(self.ready, TOKEN, body=body, headers=["x-note: " + HOSTILE]), 200)
        self.view("requests")
        self.set_filter("text", "javascript")
        self.wait_for(lambda: len(self.rows()) == 1, message="the hostile push listed")
        self.click_row("requests", "200")
        self.wait_for(lambda: "x-note" in self.browser.find_element(By.ID, "detail").text,
                      message="the hostile push's detail")
        detail = self.browser.find_element(By.ID, "detail").text
        self.assertIn("<script>window.__pwned = 1</script>", detail)
        self.assertIn('<img src=x onerror="window.__pwned = 2">', detail)
        self.assertIn("javascript:alert(1)", detail)
        self.assertIsNone(self.browser.execute_script("return window.__pwned;"))
        self.assertEqual(self.browser.find_elements(By.CSS_SELECTOR, "#detail img, #detail a, "
                                                    "#detail script, #requests img"), [])
        self.set_filter("text", "")
        self.screenshot("request-detail-hostile")

    def test_4_faults_are_added_and_cleared(self):
        self.view("faults")
        form = self.browser.find_element(By.ID, "fault-form")
        form.find_element(By.NAME, "reason").send_keys("ServiceUnavailable")
        count = form.find_element(By.NAME, "count")
        count.clear()
        count.send_keys("2")
        form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
        self.wait_for(lambda: any("ServiceUnavailable" in r for r in self.rows("faults")),
                      message="the fault listed")
        self.assertEqual(len(admin_call(self.admin, "GET", "/v1/faults")["faults"]), 1)
        self.assertEqual(curl_push(self.ready, TOKEN), 503)
        self.wait_for(lambda: any("ServiceUnavailable" in r and r.endswith("1\tDelete")
                                  for r in self.rows("faults")),
                      message="the fault with 1 answer left")
        self.screenshot("faults")
        self.browser.find_element(By.ID, "clear-faults").click()
        self.wait_for(lambda: self.rows("faults") == [], message="the faults cleared")

    def test_4b_the_send_form_pushes_through_the_mock_itself(self):
        self.view("send")
        form = self.browser.find_element(By.ID, "send-form")
        token = form.find_element(By.NAME, "token")
        token.send_keys(TOKEN)
        form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
        self.wait_for(lambda: "Answered 200" in self.browser.find_element(By.ID, "send-answer").text,
                      seconds=10, message="the Send form's 200")
        token.clear()
        token.send_keys("db3582a3")
        form.find_element(By.NAME, "auth").send_keys("provider token")
        form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
        self.wait_for(lambda: "Answered 400 BadDeviceToken" in
                      self.browser.find_element(By.ID, "send-answer").text,
                      seconds=10, message="the Send form's 400 BadDeviceToken")
        self.screenshot("send")
        self.view("requests")
        self.wait_for(lambda: any("400 BadDeviceToken" in r and "token KB" in r
                                  for r in self.rows()),
                      message="the sent 400 in the Requests view, with token auth")

    def test_5_the_overview_draws_requests_per_second(self):
        self.view("overview")
        for _ in range(3):
            curl_push(self.ready, TOKEN)
        self.wait_for(lambda: len(self.browser.find_elements(By.CSS_SELECTOR, "#chart rect")) > 0,
                      seconds=5, message="bars in the chart")
        tiles = self.browser.find_element(By.ID, "counters").text
        self.assertIn("requests", tiles)
        self.screenshot("overview")


class ConsoleWithSecret(unittest.TestCase):
    def test_the_page_asks_for_the_secret_once_and_keeps_it_out_of_urls(self):
        secret = "console-test-secret-0123456789"
        with tempfile.TemporaryDirectory() as workdir:
            env = dict(os.environ, VOIPSIM_ADMIN_SECRET=secret)
            mock, ready = start_mock(VOIPSIM, workdir, TOKENS, env)
            browser = new_browser()
            try:
                browser.get("http://%s/" % ready["admin"])
                WebDriverWait(browser, 10).until(
                    lambda d: d.find_element(By.ID, "secret-form").is_displayed())
                browser.find_element(By.ID, "secret").send_keys(secret)
                browser.find_element(By.CSS_SELECTOR, "#secret-form button").click()
                self.assertEqual(curl_push(ready, TOKEN), 200)
                WebDriverWait(browser, 5).until(lambda d: "Delivered" in d.execute_script(
                    "return document.querySelector('#requests tbody').innerText;"))
                self.assertFalse(browser.find_element(By.ID, "secret-form").is_displayed())
                self.assertNotIn(secret, browser.current_url)
                self.assertNotIn(secret, browser.page_source)
                # The API itself still refuses a call without the secret, and the page is
                # served under its Content-Security-Policy.
                with self.assertRaises(urllib.error.HTTPError) as refused:
                    admin_call(ready["admin"], "GET", "/v1/journal")
                self.assertEqual(refused.exception.code, 401)
                with urllib.request.urlopen("http://%s/" % ready["admin"], timeout=20) as page:
                    policy = page.headers["Content-Security-Policy"]
                self.assertIn("script-src 'self'", policy)
                self.assertNotIn("unsafe-inline", policy)
            finally:
                browser.quit()
                mock.terminate()
                mock.wait(timeout=30)


if __name__ == "__main__":
    unittest.main(verbosity=2)
