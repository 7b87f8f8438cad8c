#!/usr/bin/python3
"""The README's "First steps" run as printed (issue #22): its ```sh blocks, in order, pasted into
one shell, against the `voipsim up` its first block starts.

A block's expectations are the HTML comment after it, which readers do not see:
    <!-- doc-test: prints "200"; up prints "call_shown" -->
"prints" is checked in what the block wrote (the text as a whole word: "200" is not found in
"52004"); "up prints" waits (bounded) for one more such line from `voipsim up` than before the
block. Every block must exit 0 and carry expectations. The four default ports in the text are
replaced by the ones this run got: the test asks for free ports, as CTest runs tests side by
side.

usage: first_steps_test.py VOIPSIM README.md
"""
import json
import os
import pathlib
import queue
import re
import subprocess
import sys
import tempfile
import threading
import time

DEFAULT_PORTS = {"sandbox": 2197, "production": 2198, "admin": 2199, "pipeline": 2200}
SECTION = "## First steps"
WAIT_SECONDS = 20
BLOCK_SECONDS = 60  # a block that has not ended by then is stuck


def blocks_of(readme):
    """[(code, [expectation, ...])] of the section's ```sh blocks."""
    text = readme[readme.index(SECTION):]
    end = text.find("\n## ", len(SECTION))
    text = text if end < 0 else text[:end]
    found = []
    for m in re.finditer(r"```sh\n(.*?)```\n(<!-- doc-test: (.*?) -->)?", text, re.S):
        expectations = [e.strip() for e in m.group(3).split(";")] if m.group(3) else []
        found.append((m.group(1), expectations))
    return found


class Up:
    """`voipsim up` started from the section's first block, its stdout lines collected."""

    def __init__(self, command, cwd):
        # Free ports instead of the defaults; everything else as printed.
        argv = command.split() + ["--sandbox", "127.0.0.1:0", "--production", "127.0.0.1:0",
                                  "--admin", "127.0.0.1:0", "--listen", "127.0.0.1:0"]
        self.process = subprocess.Popen(argv, cwd=cwd, stdout=subprocess.PIPE,
                                        stderr=subprocess.PIPE, text=True, env=clean_env())
        self.lines = []
        self.changed = threading.Condition()
        threading.Thread(target=self._read, daemon=True).start()
        self.stderr = []
        threading.Thread(target=lambda: self.stderr.extend(self.process.stderr), daemon=True).start()

    def _read(self):
        for line in self.process.stdout:
            with self.changed:
                self.lines.append(line)
                self.changed.notify_all()
        with self.changed:
            self.changed.notify_all()

    def count(self, text):
        with self.changed:
            return sum(text in line for line in self.lines)

    def wait_for(self, text, at_least):
        deadline = time.monotonic() + WAIT_SECONDS
        with self.changed:
            while sum(text in line for line in self.lines) < at_least:
                left = deadline - time.monotonic()
                if left <= 0 or self.process.poll() is not None:
                    return False
                self.changed.wait(left)
            return True

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()


def clean_env():
    """The environment without the secrets `voipsim up` would take from it."""
    env = dict(os.environ)
    for name in ("VOIPSIM_ADMIN_SECRET", "VOIPSIM_API_SECRET"):
        env.pop(name, None)
    return env


class Shell:
    """One bash, as a person's second terminal: blocks pasted in order share its variables."""

    def __init__(self, cwd):
        self.process = subprocess.Popen(["bash", "--norc", "--noprofile"], cwd=cwd,
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        stderr=subprocess.STDOUT, text=True, env=clean_env())
        self.lines = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()
        # A command that fails ends the shell, and so the test, with what it printed.
        self.process.stdin.write("set -e -o pipefail\n")

    def _read(self):
        for line in self.process.stdout:
            self.lines.put(line)
        self.lines.put(None)

    def run(self, code, index):
        """Runs `code`; returns what it printed and the exit status of its last command."""
        marker = "__block_%d_done__" % index
        self.process.stdin.write(code + "\n__status=$?; echo; echo %s $__status\n" % marker)
        self.process.stdin.flush()
        out = []
        deadline = time.monotonic() + BLOCK_SECONDS
        while True:
            try:
                line = self.lines.get(timeout=max(deadline - time.monotonic(), 0.01))
            except queue.Empty:
                raise AssertionError("block %d did not end within %d s:\n%s"
                                     % (index, BLOCK_SECONDS, "".join(out)))
            if line is None:
                raise AssertionError("the shell ended in block %d:\n%s" % (index, "".join(out)))
            if line.startswith(marker):
                return "".join(out), int(line.split()[1])
            out.append(line)

    def close(self):
        self.process.kill()
        self.process.wait(timeout=20)


def ready_ports(up):
    if not up.wait_for('"event":"ready"', 1):
        raise AssertionError("voipsim up did not get ready:\n" + "".join(up.stderr))
    ready = json.loads(next(l for l in up.lines if '"event":"ready"' in l))
    port = lambda address: int(address.rsplit(":", 1)[1].rstrip("/"))
    return {name: port(ready[name]) for name in DEFAULT_PORTS}


def main():
    voipsim, readme_path = sys.argv[1], sys.argv[2]
    blocks = blocks_of(pathlib.Path(readme_path).read_text())
    assert blocks, "no ```sh block under " + SECTION
    first, _ = blocks[0]
    assert first.strip().startswith("build/bin/voipsim up"), "the first block starts voipsim up"
    with tempfile.TemporaryDirectory(prefix="voipsim-first-steps-") as folder:
        # The README's commands name build/bin/voipsim, as in a built clone.
        (pathlib.Path(folder) / "build" / "bin").mkdir(parents=True)
        os.symlink(os.path.abspath(voipsim), os.path.join(folder, "build", "bin", "voipsim"))
        up = Up(first.strip().replace("build/bin/voipsim", os.path.join(folder, "build/bin/voipsim"), 1),
                folder)
        failures = []
        try:
            shell = Shell(folder)
            try:
                run_blocks(blocks[1:], up, shell, failures)
            finally:
                shell.close()
        finally:
            up.stop()
        if failures:
            print("voipsim up's stdout:\n" + "".join(up.lines))
            print("voipsim up's stderr:\n" + "".join(up.stderr))
            print("FAILED:\n  " + "\n  ".join(failures))
            return 1
    print("the %d blocks of %s ran as printed" % (len(blocks), SECTION))
    return 0


def printed(text, out):
    """`text` in `out` as a whole word (not inside a longer word or number)."""
    return re.search(r"(?<!\w)%s(?!\w)" % re.escape(text), out) is not None


def run_blocks(blocks, up, shell, failures):
    ports = ready_ports(up)
    for index, (code, expectations) in enumerate(blocks, start=2):
        if not expectations:
            failures.append("block %d has no <!-- doc-test: ... --> line after it" % index)
        for name, default in DEFAULT_PORTS.items():
            code = re.sub(r"(?<=[:])%d\b" % default, str(ports[name]), code)
        if any(re.search(r"\b%d\b" % default, code) for default in DEFAULT_PORTS.values()):
            failures.append("block %d names a default port in a form this test does not "
                            "replace (only :PORT)" % index)
            continue
        before = {}
        for e in expectations:
            m = re.fullmatch(r'up prints "(.*)"', e)
            if m:
                before[m.group(1)] = up.count(m.group(1))
        out, status = shell.run(code, index)
        print("--- block %d (exit %d)\n%s" % (index, status, out.rstrip()))
        if status != 0:
            failures.append("block %d exited %d" % (index, status))
        for e in expectations:
            shown = re.fullmatch(r'prints "(.*)"', e)
            by_up = re.fullmatch(r'up prints "(.*)"', e)
            if shown and not printed(shown.group(1), out):
                failures.append('block %d did not print "%s"' % (index, shown.group(1)))
            elif by_up and not up.wait_for(by_up.group(1), before[by_up.group(1)] + 1):
                failures.append('after block %d, voipsim up did not print "%s" within %d s'
                                % (index, by_up.group(1), WAIT_SECONDS))
            elif not shown and not by_up:
                failures.append("block %d: unknown expectation %r" % (index, e))


if __name__ == "__main__":
    sys.exit(main())
