#!/usr/bin/env python3
"""Writes a saved news page of about 2 MB, built like the ones sites serve: a large inline
application script and its state, inline styles, a mega-menu, a long "related" rail, a footer,
and one article of about 1,000 words (the gold set's texts), for the drafting benchmark.

usage: make-page.py OUT.html [TARGET_BYTES]"""
import random, sys, pathlib, json

out = pathlib.Path(sys.argv[1])
target = int(sys.argv[2]) if len(sys.argv) > 2 else 2_000_000
random.seed(7)
gold = pathlib.Path(__file__).resolve().parents[2] / "tests/drafting/gold"
paras = []
for name in ["03-kz-uz-news.txt", "07-br-cn-news.txt", "12-pk-cn-readout.txt"]:
    paras += [p.strip() for p in (gold / name).read_text().split("\n\n") if p.strip()]
article = "".join(f"<p>{p}</p>\n" for p in paras)
words = "trade energy summit minister visit talks agreement corridor investment port rail".split()
def headline():
    return " ".join(random.choice(words).capitalize() if i == 0 else random.choice(words) for i in range(8))
menu = "".join(f'<li class="menu-item"><a href="/section/{i}">{headline()}</a><ul>' + "".join(f'<li><a href="/s/{i}/{j}">{headline()}</a></li>' for j in range(12)) + "</ul></li>" for i in range(40))
rail_item = lambda i: f'<div class="related-item"><a href="/news/{i}"><img src="/img/{i}.jpg" alt=""><span class="title">{headline()}</span></a><span class="share">Share</span></div>'
state = json.dumps({"items": [{"id": i, "title": headline(), "body": headline() * 4} for i in range(1500)]})
script = "function f%d(a,b){return a+b*%d;}\n"
head = f"""<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Kazakhstan, Uzbekistan sign allied treaty - Example Wire</title>
<meta property="og:site_name" content="Example Wire"><meta property="article:published_time" content="2022-12-22T10:00:00+06:00">
<script type="application/ld+json">{{"@context":"https://schema.org","@type":"NewsArticle","headline":"Kazakhstan, Uzbekistan sign allied treaty","datePublished":"2022-12-22T10:00:00+06:00","publisher":{{"@type":"Organization","name":"Example Wire"}}}}</script>
<style>{".c{color:red;margin:0 auto}" * 8000}</style>
<script>window.__STATE__ = {state};</script>
<script>{"".join(script % (i, i) for i in range(9000))}</script>
</head><body><header><nav><ul>{menu}</ul></nav></header>
<div class="cookie-banner">We use cookies to improve your experience. <button>Accept</button></div>
<main><article><h1>Kazakhstan, Uzbekistan sign allied treaty</h1>
<figure><img src="/img/lead.jpg"><figcaption>The presidents at the signing ceremony. Photo: press service</figcaption></figure>
{article}<div class="share-bar"><a>Share on Facebook</a><a>Tweet</a></div></article>
<aside class="related">"""
tail = "</aside></main><footer>© Example Wire. All rights reserved.</footer></body></html>"
rail = []
i = 0
while len(head) + sum(map(len, rail)) + len(tail) < target:
    rail.append(rail_item(i))
    i += 1
out.write_text(head + "".join(rail) + tail)
print(f"{out}: {out.stat().st_size} bytes, {len(article.split())} words of article")
