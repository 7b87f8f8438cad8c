#!/usr/bin/python3
"""The HTML report in a real browser (issue #21, acceptance 1).

`voipsim demo` writes report.html for the bundled library; headless Chromium (Debian's, driven by
python3-selenium) opens it from disk: one sequence diagram per scenario, FAQ 2a's
`400 BadDeviceToken` answer with its cause in a note under it, a lane per device of the
three-device group call, every label inside its diagram, nothing fetched and no external URL in
the file. A broken copy of FAQ 2a (`voipsim run --html --mermaid`) shows its failure in red with
expected vs observed and the file and line, and its hostile title runs nothing. Screenshots are
written to ARTIFACTS.

usage: report_test.py PATH/TO/voipsim SCENARIOS ARTIFACTS
"""
import json
import os
import re
import subprocess
import sys
import tempfile
import unittest

from selenium.webdriver.common.by import By

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
from browser import new_browser  # noqa: E402

VOIPSIM = sys.argv.pop(1) if len(sys.argv) > 1 else "build/bin/voipsim"
SCENARIOS = sys.argv.pop(1) if len(sys.argv) > 1 else "scenarios"
ARTIFACTS = sys.argv.pop(1) if len(sys.argv) > 1 else "report-artifacts"

FAQ_2A = "faq/2a-dev-build-production-id"
HOSTILE_TITLE = '<script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2">'


def run(argv, expect):
    done = subprocess.run(argv, capture_output=True, text=True, timeout=300)
    if done.returncode != expect:
        raise AssertionError("%s exited %d, not %d:\n%s\n%s" % (
            " ".join(argv), done.returncode, expect, done.stdout[-4000:], done.stderr[-4000:]))
    return done


class Report(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        os.makedirs(ARTIFACTS, exist_ok=True)
        cls.workdir = tempfile.TemporaryDirectory()
        out = os.path.join(cls.workdir.name, "demo")
        cls.demo = run([VOIPSIM, "demo", "--out", out], 0)
        cls.library = os.path.join(out, "report.html")
        with open(os.path.join(out, "report.json")) as report:
            cls.total = json.load(report)["scenarios_total"]
        # A broken copy of FAQ 2a: it expects the wrong reason, and its title is hostile.
        with open(os.path.join(SCENARIOS, FAQ_2A + ".yaml")) as original:
            text = original.read()
        broken = text.replace("reason: BadDeviceToken, environment: production",
                              "reason: BadTopic, environment: production")
        broken = re.sub(r"(?m)^title: .*$", "title: '%s'" % HOSTILE_TITLE, broken)
        assert broken != text
        cls.broken_file = os.path.join(cls.workdir.name, "broken-2a.yaml")
        with open(cls.broken_file, "w") as copy:
            copy.write(broken)
        cls.broken = os.path.join(cls.workdir.name, "broken.html")
        cls.mermaid = os.path.join(cls.workdir.name, "mermaid")
        run([VOIPSIM, "run", "--quiet", cls.broken_file, "--html", cls.broken, "--mermaid",
             cls.mermaid], 1)
        cls.browser = new_browser()

    @classmethod
    def tearDownClass(cls):
        cls.browser.quit()
        cls.workdir.cleanup()

    def open(self, path):
        self.browser.get("file://" + path)
        self.assertEqual(self.browser.execute_script("return document.readyState"), "complete")

    def section(self, name):
        """The scenario's <section>, found by its heading."""
        found = self.browser.execute_script(
            "return [...document.querySelectorAll('section.scenario')]"
            ".find(s => s.querySelector('h2').textContent.endsWith(' ' + arguments[0]));", name)
        self.assertIsNotNone(found, "no section for " + name)
        return found

    def screenshot(self, name, element=None):
        path = os.path.join(ARTIFACTS, name + ".png")
        if element is None:
            self.assertTrue(self.browser.save_screenshot(path))
            return
        height = self.browser.execute_script(
            "return arguments[0].getBoundingClientRect().height", element)
        self.browser.set_window_size(1500, min(int(height) + 160, 6000))
        self.browser.execute_script("arguments[0].scrollIntoView()", element)
        self.assertTrue(element.screenshot(path))

    def test_1_library_one_diagram_per_scenario_fetching_nothing(self):
        self.open(self.library)
        self.assertIn("report.html", self.demo.stdout.splitlines()[-1])
        counts = self.browser.execute_script(
            "return [document.querySelectorAll('section.scenario').length,"
            " document.querySelectorAll('section.scenario svg.sequence').length,"
            " document.querySelectorAll('table.summary tbody tr').length]")
        self.assertEqual(counts, [self.total] * 3)
        # Nothing was loaded besides the file, and the file names no other place.
        self.assertEqual(self.browser.execute_script(
            "return performance.getEntriesByType('resource').length"), 0)
        with open(self.library, encoding="utf-8") as page:
            text = page.read()
        for reference in ("http:", "https:", "src=", "url(", "@import", "//"):
            self.assertNotIn(reference, text)
        # Every label lies inside its diagram: none is cut off at an edge.
        outside = self.browser.execute_script("""
            const out = [];
            for (const svg of document.querySelectorAll('svg.sequence')) {
              const width = svg.viewBox.baseVal.width;
              for (const t of svg.querySelectorAll('text')) {
                const box = t.getBBox();
                if (box.x < 0 || box.x + box.width > width + 1) out.push(t.textContent);
              }
            }
            return out;""")
        self.assertEqual(outside, [])
        self.screenshot("library-summary")

    def test_2_faq_2a_shows_the_bad_device_token_answer_with_its_cause(self):
        self.open(self.library)
        section = self.section(FAQ_2A)
        answer = self.browser.execute_script(
            "const reply = [...arguments[0].querySelectorAll('g.reply')]"
            ".find(g => g.querySelector('text').textContent === '400 BadDeviceToken');"
            "if (!reply) return null;"
            "const note = reply.nextElementSibling;"
            "return {problem: reply.classList.contains('problem'),"
            " colour: getComputedStyle(reply.querySelector('line')).stroke,"
            " note: note && note.matches('g.note') ? note.textContent : ''};", section)
        self.assertIsNotNone(answer, "no 400 BadDeviceToken answer in the diagram")
        self.assertTrue(answer["problem"])
        self.assertNotEqual(answer["colour"], "rgb(36, 41, 47)")  # not the plain arrows' colour
        self.assertIn("token was issued in the sandbox", answer["note"])
        self.screenshot("faq-2a", section)

    def test_3_group_call_has_a_lane_per_device(self):
        self.open(self.library)
        section = self.section("flows/group-call")
        lanes = self.browser.execute_script(
            "return [...arguments[0].querySelector('svg.sequence')"
            ".querySelectorAll('g.lane-head')].map(g => g.dataset.lane)", section)
        top = lanes[:len(lanes) // 2]
        self.assertEqual(top, ["device:bobs-iphone", "device:carols-iphone",
                               "device:daves-iphone", "pipeline", "apns:sandbox",
                               "apns:production"])
        self.assertEqual(lanes[len(lanes) // 2:], top)  # repeated at the bottom
        self.screenshot("group-call", section)

    def test_4_a_broken_scenario_fails_in_red_with_expected_and_observed(self):
        self.open(self.broken)
        self.assertIsNone(self.browser.execute_script("return window.__pwned"))
        section = self.browser.find_element(By.CSS_SELECTOR, "section.scenario.failed")
        title = section.find_element(By.CSS_SELECTOR, "p.title").text
        self.assertEqual(title, HOSTILE_TITLE)
        failure = self.browser.execute_script(
            "const g = arguments[0].querySelector('svg.sequence g.failure');"
            "return g && {text: [...g.querySelectorAll('text')].map(t => t.textContent),"
            " stroke: getComputedStyle(g.querySelector('rect')).stroke,"
            " last: g === g.parentNode.lastElementChild};", section)
        self.assertIsNotNone(failure, "no failure drawn")
        self.assertEqual(failure["stroke"], "rgb(207, 34, 46)")
        self.assertTrue(failure["last"])  # where the run stopped: after the failing step
        lines = "\n".join(failure["text"])
        self.assertIn("FAILED at step 6 (send)", lines)
        self.assertIn("expected: BadTopic", lines)
        self.assertIn("observed: 1 request: production 400 BadDeviceToken", lines)
        self.assertIn("at %s:" % self.broken_file, lines)
        # The summary says it too.
        row = self.browser.find_element(By.CSS_SELECTOR, "table.summary tr.failed").text
        self.assertIn("FAILED", row)
        self.screenshot("broken-2a", section)
        # And the Mermaid text a user pastes into an issue.
        with open(os.path.join(self.mermaid, "broken-2a.mmd"), encoding="utf-8") as mmd:
            text = mmd.read()
        self.assertTrue(text.startswith("sequenceDiagram\n"))
        self.assertIn("-->>", text)
        self.assertIn("expected: BadTopic", text)


if __name__ == "__main__":
    unittest.main(verbosity=2)
