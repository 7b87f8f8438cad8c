#!/usr/bin/python3
"""A hostile web page in a real browser against `voipsim mock-apns`'s admin API (issue #28).

Headless Chromium (Debian's, driven by python3-selenium) opens a page served from another
loopback port, which tries what a page can: no-cors POSTs (text/plain, a form) that would add a
fault answering every push 503, and a cross-origin read of the token list. Then, as after DNS
rebinding, it opens the API under a name that resolves to 127.0.0.1 (`localtest`, mapped with
--host-resolver-rules) and runs script in that origin, where the browser itself sees no
cross-origin request at all. Nothing may change and nothing may be read.

usage: cross_site_test.py PATH/TO/voipsim
"""
import http.server
import json
import os
import subprocess
import sys
import threading
import unittest
import urllib.request

from selenium import webdriver
from selenium.webdriver.chrome.service import Service

VOIPSIM = sys.argv.pop(1) if len(sys.argv) > 1 else "build/bin/voipsim"
TOKEN = "db3582a31936a10992dcb438c512d71a0ca642b9b58c4fb2357f8c055043eaf6"
FAULT = json.dumps({"count": -1, "reason": "ServiceUnavailable"})

# The attack page: every attempt, each awaited, results (what the page could read) reported.
ATTACK_PAGE = """<!doctype html><meta charset="utf-8"><title>attack</title>
<script>
async function attempt(what, run) {
  try { return what + ": " + await run(); } catch (e) { return what + ": error " + e.name; }
}
async function attack(api, fault) {
  const results = [];
  results.push(await attempt("no-cors text", () => fetch(api + "/v1/faults",
      {method: "POST", mode: "no-cors", headers: {"Content-Type": "text/plain"}, body: fault})
      .then(r => "answer " + r.type + " " + r.status)));
  results.push(await attempt("no-cors form", () => fetch(api + "/v1/faults",
      {method: "POST", mode: "no-cors", body: new URLSearchParams({x: fault})})
      .then(r => "answer " + r.type + " " + r.status)));
  results.push(await attempt("cors json", () => fetch(api + "/v1/faults",
      {method: "POST", headers: {"Content-Type": "application/json"}, body: fault})
      .then(r => r.text())));
  results.push(await attempt("read tokens", () => fetch(api + "/v1/tokens").then(r => r.text())));
  return results;
}
</script>"""


class Page(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        body = ATTACK_PAGE.encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def admin_call(admin, method, path, body=None):
    request = urllib.request.Request("http://" + admin + path, method=method,
                                     data=body.encode() if body else None,
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=20) as answer:
        return json.loads(answer.read())


class CrossSite(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.mock = subprocess.Popen([VOIPSIM, "mock-apns"], stdout=subprocess.PIPE, text=True)
        ready = json.loads(cls.mock.stdout.readline())  # blocks until the ready line (or EOF)
        cls.admin = ready["admin"]
        cls.admin_port = cls.admin.rsplit(":", 1)[1]
        admin_call(cls.admin, "POST", "/v1/tokens", json.dumps(
            {"token": TOKEN, "environment": "sandbox", "topic": "com.example.imapp.voip"}))
        cls.page_server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Page)
        threading.Thread(target=cls.page_server.serve_forever, daemon=True).start()
        options = webdriver.ChromeOptions()
        for flag in ("--headless=new", "--no-sandbox", "--disable-gpu",
                     "--disable-dev-shm-usage",
                     "--host-resolver-rules=MAP localtest 127.0.0.1"):
            options.add_argument(flag)
        cls.browser = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
        cls.browser.set_script_timeout(30)

    @classmethod
    def tearDownClass(cls):
        cls.browser.quit()
        cls.page_server.shutdown()
        cls.mock.terminate()
        cls.mock.wait(timeout=30)

    def run_attack(self, api):
        return self.browser.execute_async_script(
            "attack(arguments[0], arguments[1]).then(arguments[2]);", api, FAULT)

    def assert_nothing_changed_or_read(self, results):
        print("\n".join(results))
        self.assertEqual(admin_call(self.admin, "GET", "/v1/faults"), {"faults": []}, results)
        for line in results:
            self.assertNotIn(TOKEN, line)
        self.assertEqual(len(results), 4, results)

    def test_a_page_of_another_local_origin_changes_and_reads_nothing(self):
        page = "http://127.0.0.1:%d/" % self.page_server.server_address[1]
        self.browser.get(page)
        results = self.run_attack("http://" + self.admin)
        self.assert_nothing_changed_or_read(results)
        # The browser blocks the reads itself (no Access-Control-Allow-Origin anywhere).
        self.assertIn("read tokens: error TypeError", results)

    def test_a_rebound_name_changes_and_reads_nothing(self):
        # Under the rebound name the page's own origin is the API's: same-origin for the browser.
        rebound = "http://localtest:" + self.admin_port
        self.browser.get(rebound + "/v1/tokens")
        source = self.browser.page_source
        self.assertIn("MISDIRECTED_REQUEST", source)
        self.assertNotIn(TOKEN, source)
        self.browser.execute_script(ATTACK_PAGE.split("<script>")[1].split("</script>")[0]
                                    .replace("async function attempt", "window.attempt = async function attempt")
                                    .replace("async function attack", "window.attack = async function attack"))
        results = self.run_attack(rebound)
        self.assert_nothing_changed_or_read(results)
        self.assertTrue(any("MISDIRECTED_REQUEST" in line for line in results), results)


if __name__ == "__main__":
    unittest.main(verbosity=2)
