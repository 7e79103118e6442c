#!/usr/bin/env python3
"""Writes a dataset of N documents, each with an archived source (a saved page or a text of
about 700 words, from the gold set's texts) and 5 commitments quoting it: the `check` benchmark
of archived sources and verified quotes (1,000 documents: 1,000 archives, 5,000 quotes).

usage: make-archived-dataset.py OUT_DIR [N] [--html]"""
import hashlib, pathlib, sys, re

out = pathlib.Path(sys.argv[1])
n = int(sys.argv[2]) if len(sys.argv) > 2 and sys.argv[2].isdigit() else 1000
html = "--html" in sys.argv
gold = pathlib.Path(__file__).resolve().parents[2] / "tests/drafting/gold"
texts = [p.read_text() for p in sorted(gold.glob("*.txt"))]
(out / "documents").mkdir(parents=True, exist_ok=True)
(out / "sources").mkdir(exist_ok=True)
(out / "dataset.toml").write_text('[[parties]]\ncode = "AZ"\n\n[[parties]]\ncode = "CN"\n')
def q(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'
for i in range(n):
    body = texts[i % len(texts)] + "\n\n" + texts[(i + 1) % len(texts)]
    if html:
        paras = "".join(f"<p>{p}</p>" for p in body.split("\n\n") if p.strip())
        data = f"<html><head><title>Article {i}</title></head><body><nav>Menu</nav><article>{paras}</article></body></html>"
        name = f"sources/a{i:05}.html"
    else:
        data = body
        name = f"sources/a{i:05}.txt"
    (out / name).write_text(data)
    sha = hashlib.sha256(data.encode()).hexdigest()
    sentences = [s for s in re.split(r"(?<=[.!?])\s+", body) if len(s.split()) > 8 and '"' not in s]
    doc = [f'id = "d{i:05}"', f'title = "Article {i}"', 'kind = "news-report"', 'date = "2025-04-28"', 'parties = ["AZ", "CN"]', "",
           "[[sources]]", 'publisher = "Agency"', 'published = "2025-04-28"', 'language = "en"', 'reliability = "independent-media"',
           f'archive = "{name}"', f'sha256 = "{sha}"', ""]
    for k in range(5):
        s = sentences[(i * 5 + k) % len(sentences)].split()
        quote = " ".join(s[1:min(len(s), 20)])
        doc += ["[[commitments]]", f'id = "c{i:05}-{k}"', 'actor = "AZ"', 'field = "energy"', 'action = "cooperate"', 'summary = "A pledge."',
                f'quotes = [{{ text = {q(quote)}, by = "outlet" }}]', ""]
    (out / "documents" / f"d{i:05}.toml").write_text("\n".join(doc))
print(f"{out}: {n} documents, {n} archives, {5 * n} quotes")
