#!/usr/bin/env python3
"""Adds targets and figures to a synthetic dataset (examples/gen-dataset.rs), for #32's figures.

    python3 bench/add-measurements.py SRC DST [PER_DOC]

Copies SRC to DST, declares three measures in the manifest, gives one commitment in ten a target
(`quantity`), and adds PER_DOC measurements (2 by default: 20,000 over 10,000 documents of the
100,000-commitment dataset) to every document, each dated no later than its document's sources.
Deterministic: the same input gives the same output.
"""
import os
import re
import shutil
import sys

MEASURES = [("trade-turnover", "Trade turnover", "USD"), ("oil-transit", "Oil transit", "t"),
            ("rail-freight", "Rail freight", "TEU")]


def main():
    src, dst = sys.argv[1], sys.argv[2]
    per_doc = int(sys.argv[3]) if len(sys.argv) > 3 else 2
    shutil.rmtree(dst, ignore_errors=True)
    shutil.copytree(src, dst)
    with open(os.path.join(dst, "dataset.toml"), "a") as f:
        for mid, label, unit in MEASURES:
            f.write(f'\n[[measures]]\nid = "{mid}"\nlabel = "{label}"\nunit = "{unit}"\n')
    docs = os.path.join(dst, "documents")
    added = targets = 0
    for i, name in enumerate(sorted(os.listdir(docs))):
        path = os.path.join(docs, name)
        text = open(path).read()
        # The sources' year: a figure covers a year that had begun when they were out.
        year = int(re.search(r'published = "(\d{4})', text).group(1))

        def target(m):
            nonlocal targets
            n = int(m.group(1))
            if n % 10:
                return m.group(0)
            targets += 1
            mid = MEASURES[n % 3][0]
            return f'{m.group(0)}\nquantity = {{ measure = "{mid}", value = {1_000_000 * (1 + n % 7)}, by = "{2026 + n % 4}", basis = "annual" }}'

        text = re.sub(r'id = "c-(\d{7})"', target, text)
        for k in range(per_doc):
            mid = MEASURES[(i + k) % 3][0]
            text += f'\n[[measurements]]\nmeasure = "{mid}"\nvalue = {100_000 * (1 + (i * 7 + k) % 50)}\nperiod = "{year - k}"\n'
            added += 1
        open(path, "w").write(text)
    print(f"{dst}: {added} measurements, {targets} targets", file=sys.stderr)


main()
