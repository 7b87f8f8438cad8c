#!/usr/bin/python3
"""Every scenario file validates against scenarios/scenario.schema.json, and the schema rejects
what the loader rejects in a few telling cases: the schema documents the format, this keeps it
honest. Debian's python3-yaml and python3-jsonschema; usage: schema_check.py SCENARIOS_DIR"""
import glob
import json
import os
import sys

import jsonschema
import yaml

root = sys.argv[1]
schema = json.load(open(os.path.join(root, "scenario.schema.json"), encoding="utf-8"))
jsonschema.Draft202012Validator.check_schema(schema)
validator = jsonschema.Draft202012Validator(schema)

failures = []
files = sorted(glob.glob(os.path.join(root, "**", "*.yaml"), recursive=True))
for path in files:
    with open(path, encoding="utf-8") as f:
        for error in validator.iter_errors(yaml.safe_load(f)):
            failures.append(f"{path}: {'/'.join(map(str, error.path))}: {error.message}")

# Mistakes the loader refuses (tests/scenario/loader_test.cpp) must not pass the schema.
for bad in ["stepz: []",
            "steps: [jump]",
            "steps: [advance]",
            "steps: [{send: {form: alice}}]",
            "steps: [{install: {}, home: {}}]",
            "steps: [{send: {}, expect: {message: {state: delivered}}}]",
            "steps: [{send: {}, expect: {device: {events: [{event: rang}]}}}]"]:
    if validator.is_valid(yaml.safe_load(bad)):
        failures.append(f"the schema accepts what the loader refuses: {bad}")

if not files:
    failures.append(f"no scenario files under {root}")
for line in failures:
    print(line)
print(f"{len(files)} scenario files checked, {len(failures)} problems")
sys.exit(1 if failures else 0)
