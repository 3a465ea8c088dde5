#!/usr/bin/env python3
"""Rewrites the read-only action lists of the shipped policy and the
instructor-role templates (the Terraform module's in its own
read-operations.json) from src/collect/operations.rs (OPERATIONS),
so adding an operation to the collector is one edit plus this script.
Tests keep every copy equal to the list; this only saves typing them.

A block is a run of consecutive lines that each name one `service:Action`
in the list's style (`- a:B` in YAML, `"a:B",` in HCL and JSON); every block
of 20 or more is an action list and is rewritten to the operation list,
keeping the STS actions it had (member roles list none, and the
management-account role grants sts:AssumeRole in its own statement)."""
import json
import re
import sys
from pathlib import Path

root = Path(__file__).resolve().parent.parent
ops_src = (root / "src/collect/operations.rs").read_text()
body = ops_src[ops_src.index("pub const OPERATIONS"):]
body = body[: body.index("];")]
ops = re.findall(r'"([a-z0-9-]+:[A-Za-z]+)"', body)

item = re.compile(r'^(\s*)(- |")([a-z0-9-]+:[A-Za-z]+)(",?)?\s*$')


def rewrite(path: Path) -> None:
    lines = path.read_text().splitlines(keepends=True)
    out, i = [], 0
    while i < len(lines):
        m = item.match(lines[i])
        if not m:
            out.append(lines[i])
            i += 1
            continue
        j = i
        while j < len(lines) and item.match(lines[j]):
            j += 1
        block = [item.match(l).group(3) for l in lines[i:j]]
        if len(block) >= 20:
            indent, lead = m.group(1), m.group(2)
            last = item.match(lines[j - 1]).group(4) or ""
            keep = [op for op in ops if not op.startswith("sts:") or op in block]
            for k, op in enumerate(keep):
                if lead == "- ":
                    out.append(f"{indent}- {op}\n")
                else:
                    tail = '",' if k < len(keep) - 1 or last == '",' else '"'
                    out.append(f'{indent}"{op}{tail}\n')
        else:
            out.extend(lines[i:j])
        i = j
    path.write_text("".join(out))


for p in [root / "assets/iam/labbook-readonly-policy.json", root / "assets/instructor-role/cloudformation.yaml", root / "assets/instructor-role/terraform/read-operations.json"]:
    rewrite(p)
print(f"{len(ops)} operations written", file=sys.stderr)
