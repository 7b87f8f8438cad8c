#!/usr/bin/python3
"""Every spec citation in the repository resolves inside it (issue #24, acceptance 1).

Usage: citations_check.py REPO_ROOT

Scans the tracked files (git ls-files; a plain tree is walked instead, skipping build*/ and
dot folders) and checks:

* a path to a spec file (`.../spec/NAME.md`) is written `docs/spec/NAME.md` and exists;
* a section cited after a spec file's name on the same line (`im-voip-flow.md §4.5, §4.3`,
  `spec apns-provider-api.md §4–§9`, `§6.3-6.4`) is a numbered heading of that file, and a
  `§5 FAQ 2a` / `Note 4` / `Baseline B1` names a heading of it;
* `spec §N` names its file: a bare `spec §N` is refused, since three specs share numbers;
* inside docs/spec/, a section cited with no file name is a heading of the same file;
* a relative Markdown link `[text](target)` in a .md file points at a file of the repository;
* nothing points outside the repository (`../shared/`, `shared/spec/`, `shared/seed/`).

A `§` after `RFC NNNN`, `Unicode` or another document's name on the same line is not a spec
citation. A bare `§N` (no spec file named before it on its line) resolves against the spec
file named on its line, else against the one spec the file's opening comment names (its first
comment lines; a Markdown file's first paragraph), or the one its `Spec: docs/spec/NAME.md`
line there names; with none, or two or more and no `Spec:` line, it is refused: name the spec. Prints file:line and what does
not resolve; exit status 1 if anything does not.
"""

import os
import re
import subprocess
import sys

SPEC_DIR = "docs/spec"
SELF = "tests/docs/citations_check.py"  # its own docstring shows what it refuses
SPEC_NAMES = ("apns-provider-api", "pushkit-callkit", "im-voip-flow")
TEXT_SUFFIXES = (".cpp", ".hpp", ".h", ".md", ".yaml", ".yml", ".json", ".txt", ".sh", ".py",
                 ".cmake", ".xsd")
TEXT_NAMES = ("CMakeLists.txt", "run")

NUMBER = r"\d+(?:\.\d+)*[a-z]?(?![\w.]\w)"
# One scan of a line, left to right: what decides which document a § belongs to, and the §s.
TOKEN = re.compile(
    r"(?P<spec>\b(?:%s)\.md\b)" % "|".join(re.escape(n) for n in SPEC_NAMES)
    + r"|(?P<other>\bRFC\s*\d+|\bUnicode\b|\b[\w-]+\.(?:md|txt|html)\b)"
    + r"|§\s*(?P<section>" + NUMBER + r")(?:\s*[-–]\s*§?\s*(?P<upto>" + NUMBER + r"))?"
    + r"(?:\s+(?P<item>(?:FAQ|Note|Baseline)\s+[\w′″‴-]+))?")
SPEC_PATH = re.compile(r"(?<![\w.-])((?:[\w.-]+/)*spec/[\w.-]+\.md)\b")
MD_LINK = re.compile(r"\[[^\]\n]*\]\(([^)\s]+)\)")
OUTSIDE = re.compile(r"\.\./shared\b|\bshared/(?:spec|seed)\b")
HEADING = re.compile(r"^#{1,6}\s+(?:(\d+(?:\.\d+)*[a-z]?)[.\s]|((?:FAQ|Note|Baseline)\s+\S+))")


def tracked_files(root):
    if os.path.exists(os.path.join(root, ".git")):
        out = subprocess.run(["git", "-C", root, "ls-files", "-z", "--cached", "--others",
                              "--exclude-standard"], check=True, capture_output=True).stdout
        names = sorted({n for n in out.decode("utf-8").split("\0") if n})
        # New files not yet added count too (not ignored ones); deleted ones are skipped.
        return [n for n in names if os.path.isfile(os.path.join(root, n))]
    names = []
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not d.startswith(("build", ".")))
        rel = os.path.relpath(folder, root)
        names += [os.path.normpath(os.path.join(rel, f)) for f in sorted(files)]
    return names


def is_text(name):
    base = os.path.basename(name)
    return base.endswith(TEXT_SUFFIXES) or base in TEXT_NAMES


def headings_of(path):
    sections, items = set(), set()
    with open(path, encoding="utf-8") as f:
        for line in f:
            m = HEADING.match(line)
            if m and m.group(1):
                sections.add(m.group(1))
            elif m:
                items.add(m.group(2))
    return sections, items


SPEC_NAME = re.compile(r"\b(%s)\.md\b" % "|".join(re.escape(n) for n in SPEC_NAMES))
COMMENT = re.compile(r"^\s*(?://|#(?!include|pragma|define|if|endif|else)|/?\*|\"\"\"|--)")


def opening_spec(name, lines):
    """The one spec file the file's opening comment names, or None (none, or several)."""
    block = []
    if name.endswith(".md"):  # the title and the first paragraph
        for line in lines:
            if not line.strip() and any(l.strip() and not l.startswith("#") for l in block):
                break
            block.append(line)
    else:
        in_docstring = False
        for line in lines:
            stripped = line.strip()
            if in_docstring:
                block.append(line)
                in_docstring = '"""' not in stripped
                continue
            if not stripped or stripped.startswith(("#!", "#pragma once")):
                if block and not stripped:
                    break
                continue
            if not COMMENT.match(line):
                break
            block.append(line)
            if stripped.startswith('"""') and stripped.count('"""') == 1:
                in_docstring = True
    # A `Spec: docs/spec/NAME.md` line there says which, whatever else the comment names.
    chosen = {m.group(1) + ".md" for line in block if re.search(r"\bSpec:\s*docs/spec/", line)
              for m in SPEC_NAME.finditer(line)}
    named = chosen or {m.group(1) + ".md" for line in block for m in SPEC_NAME.finditer(line)}
    return named.pop() if len(named) == 1 else None


def check_line(name, number, line, specs, own_spec, carried, problems):
    where = "%s:%d" % (name, number)
    for m in OUTSIDE.finditer(line):
        problems.append("%s: points outside the repository: %r" % (where, m.group(0)))
    for m in SPEC_PATH.finditer(line):
        path = m.group(1)
        if path.startswith("../"):  # relative to the citing file, as in a Markdown link
            path = os.path.normpath(os.path.join(os.path.dirname(name), path))
        if not path.startswith(SPEC_DIR + "/"):
            problems.append("%s: spec path %s: write %s/%s" %
                            (where, m.group(1), SPEC_DIR, os.path.basename(path)))
        elif not os.path.isfile(os.path.join(ROOT, path)):
            problems.append("%s: %s does not exist" % (where, path))
    if name.endswith(".md"):
        for m in MD_LINK.finditer(line):
            target = m.group(1).split("#", 1)[0]
            if not target or re.match(r"^[a-z][a-z0-9+.-]*:", target):
                continue
            resolved = os.path.normpath(os.path.join(os.path.dirname(name), target))
            if resolved.startswith("..") or not os.path.exists(os.path.join(ROOT, resolved)):
                problems.append("%s: link %s does not resolve in the repository" %
                                (where, m.group(1)))

    # The document a § belongs to: a spec file's name, "" for another document, or None. A
    # bare § takes the spec named before it on its line, or at the very end of the line before
    # (a citation wrapped there), else the file's own.
    current = carried if carried is not None else own_spec
    for m in TOKEN.finditer(line):
        if m.group("spec"):
            current = m.group("spec")
            continue
        if m.group("other"):
            current = ""  # another document: its §s are not checked
            continue
        section = m.group("section")
        if current is None:
            problems.append("%s: §%s names no spec and the file's opening comment names not "
                            "exactly one: name the spec (e.g. im-voip-flow.md §4.3)"
                            % (where, section))
            continue
        if current == "":
            continue
        sections, items = specs[current]
        for cited in (section, m.group("upto")):
            if cited and cited not in sections:
                problems.append("%s: %s has no section §%s" % (where, current, cited))
        item = m.group("item")
        if item and section == "5" and current == "im-voip-flow.md":
            if item.rstrip(".,;:") not in items:
                problems.append("%s: %s §5 has no %s" % (where, current, item))


ROOT = "."


def main():
    global ROOT
    if len(sys.argv) != 2:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    ROOT = sys.argv[1]
    specs = {}
    for spec in SPEC_NAMES:
        path = os.path.join(ROOT, SPEC_DIR, spec + ".md")
        if not os.path.isfile(path):
            print("%s/%s.md is missing" % (SPEC_DIR, spec))
            return 1
        specs[spec + ".md"] = headings_of(path)

    problems, scanned, cited = [], 0, 0
    for name in tracked_files(ROOT):
        if name == SELF or not is_text(name):
            continue
        try:
            with open(os.path.join(ROOT, name), encoding="utf-8") as f:
                lines = f.read().splitlines()
        except UnicodeDecodeError:
            continue
        own = opening_spec(name, lines)
        if name.startswith(SPEC_DIR + "/") and os.path.basename(name) in specs:
            own = os.path.basename(name)
        scanned += 1
        carried = None
        for number, line in enumerate(lines, 1):
            if "§" in line or "spec/" in line or "shared" in line or "](" in line:
                cited += line.count("§")
                check_line(name, number, line, specs, own, carried, problems)
            carried = None  # a document named at the very end of the line: `RFC 9113`, a spec
            for m in TOKEN.finditer(line):
                if m.group("spec") or m.group("other"):
                    if not re.search(r"[\w§]", line[m.end():]):
                        carried = m.group("spec") or ""
    for problem in problems:
        print(problem)
    print("%d files, %d § signs: %s" % (scanned, cited,
                                        "%d problems" % len(problems) if problems else "all resolve"))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
