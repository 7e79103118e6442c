#!/usr/bin/env python3
"""Writes the broken datasets under tests/broken/: a valid base with exactly one fault each.

Run it from anywhere after changing the base; tests/check.rs snapshots what `bilateral check`
says about each case (`cargo insta review` to accept changes).
"""
import json
import os
import shutil

HERE = os.path.dirname(os.path.abspath(__file__))

MANIFEST = """title = "Azerbaijan–China"

[[parties]]
code = "AZ"

[[parties]]
code = "CN"
aliases = ["PRC"]

[[organisations]]
id = "sco"
name = "Shanghai Cooperation Organisation"
short = "SCO"
"""

DOC = """id = "statement"
title = "Joint statement"
kind = "joint-statement"
date = "2025-04"
parties = ["AZ", "CN"]

[[sources]]
publisher = "Trend News Agency"
published = "2025-04-28"
language = "en"
reliability = "independent-media"

[[commitments]]
id = "az-supports-sco-chair"
actor = "AZ"
target = "CN"
within = "sco"
field = "multilateral"
action = "support"
summary = "Azerbaijan supports China's chairmanship of the SCO."

[[commitments]]
id = "cn-supports-az-status"
actor = "CN"
within = "sco"
field = "multilateral"
action = "support"
summary = "China supports enhancing Azerbaijan's legal status within the SCO."
"""

SECOND = {
    "id": "later",
    "title": "Later readout",
    "kind": "readout",
    "date": "2025-05-10",
    "parties": ["AZ", "CN"],
    "sources": [{"publisher": "Ministry", "published": "2025-05-10", "language": "en", "reliability": "official"}],
    "commitments": [
        {"id": "later-green", "mutual": True, "field": "green-energy", "action": "cooperate",
         "summary": "Both sides will cooperate on solar power."}
    ],
}


FOLLOW_UP = """id = "follow-up"
title = "Follow-up report"
kind = "news-report"
date = "2025-06-02"
parties = ["AZ", "CN"]

[[sources]]
id = "trend"
publisher = "Trend News Agency"
published = "2025-06-02"
language = "en"
reliability = "independent-media"

[[events]]
commitment = "cn-supports-az-status"
status = "in-progress"
summary = "A working group on Azerbaijan's status met."
sources = ["trend"]
"""


def follow_up(old, new):
    assert old in FOLLOW_UP, old
    return FOLLOW_UP.replace(old, new, 1)


def write(case, files):
    d = os.path.join(HERE, case)
    shutil.rmtree(d, ignore_errors=True)
    for name, content in files.items():
        p = os.path.join(d, name)
        os.makedirs(os.path.dirname(p), exist_ok=True)
        mode = "wb" if isinstance(content, bytes) else "w"
        with open(p, mode) as f:
            f.write(content)


def base(**over):
    files = {"dataset.toml": MANIFEST, "docs/statement.toml": DOC,
             "docs/later.json": json.dumps(SECOND, indent=2, ensure_ascii=False) + "\n"}
    files.update(over)
    return files


def doc(old, new):
    assert old in DOC, old
    return DOC.replace(old, new, 1)


def second(**changes):
    d = json.loads(json.dumps(SECOND))
    for path, value in changes.items():
        obj = d
        keys = path.split(".")
        for k in keys[:-1]:
            obj = obj[int(k)] if k.isdigit() else obj[k]
        last = keys[-1]
        if value is None:
            del obj[last]
        else:
            obj[last] = value
    return json.dumps(d, indent=2, ensure_ascii=False) + "\n"


CASES = {
    "toml-syntax": base(**{"docs/statement.toml": doc('title = "Joint statement"', 'title = "Joint statement')}),
    "json-syntax": base(**{"docs/later.json": second().replace('"readout",', '"readout",,')}),
    "unknown-key": base(**{"docs/statement.toml": doc('summary = "China', 'summery = "China')}),
    "unknown-kind": base(**{"docs/statement.toml": doc('kind = "joint-statement"', 'kind = "communique"')}),
    "missing-key": base(**{"docs/later.json": second(**{"sources.0.language": None})}),
    "unknown-country": base(**{"dataset.toml": MANIFEST.replace('code = "CN"', 'code = "XX"')}),
    "unknown-field": base(**{"docs/statement.toml": doc('field = "multilateral"', 'field = "maritime"')}),
    "unknown-organisation": base(**{"docs/statement.toml": doc('within = "sco"', 'within = "nato"')}),
    "duplicate-document-id": base(**{"docs/later.json": second(id="statement")}),
    "duplicate-commitment-id": base(**{"docs/later.json": second(**{"commitments.0.id": "az-supports-sco-chair"})}),
    "dangling-link": base(**{"docs/later.json": second(**{"commitments.0.repeats": "az-supports-green"})}),
    "actor-not-party": base(**{"docs/statement.toml": doc('actor = "CN"', 'actor = "TR"')}),
    "impossible-date": base(**{"docs/later.json": second(date="2025-02-30")}),
    "due-before-date": base(**{"docs/later.json": second(**{"commitments.0.due": "2025-01"})}),
    "empty-text": base(**{"docs/statement.toml": doc('summary = "Azerbaijan supports', 'summary = "   "\nnote = "Azerbaijan supports')}),
    "binary-file": base(**{"docs/later.json": b'\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR'}),
    "invalid-utf8": base(**{"docs/statement.toml": doc('title = "Joint statement"', 'title = "Joint st\udce9tement"').encode("utf-8", "surrogateescape")}),
    "empty-file": base(**{"docs/later.json": ""}),
    "no-manifest": {"docs/statement.toml": DOC},
    "id-with-path": base(**{"docs/later.json": second(id="../../etc/passwd")}),
    "bad-url": base(**{"docs/later.json": second(**{"sources.0.url": "javascript:alert(1)"})}),
    "link-to-later": base(**{"docs/statement.toml": doc('summary = "China', 'repeats = "later-green"\nsummary = "China')}),
    "month-as-words": base(**{"docs/statement.toml": doc('date = "2025-04"', 'date = "April 2025"')}),
    "bidi-control-in-name": base(**{"dataset.toml": MANIFEST.replace('name = "Shanghai', 'name = "\u202eShanghai')}),
    "target-is-actor": base(**{"docs/statement.toml": doc('target = "CN"', 'target = "AZ"')}),
    "event-unknown-commitment": base(**{"docs/follow-up.toml": follow_up('commitment = "cn-supports-az-status"', 'commitment = "cn-supports-az-membership"')}),
    "event-before-commitment": base(**{"docs/follow-up.toml": follow_up('status = "in-progress"', 'date = "2025-03-15"\nstatus = "in-progress"')}),
    "events-contradict": base(**{"docs/follow-up.toml": FOLLOW_UP + '\n[[events]]\ncommitment = "cn-supports-az-status"\nstatus = "stalled"\nsummary = "The working group was suspended."\n'}),
    "event-unknown-source": base(**{"docs/follow-up.toml": follow_up('sources = ["trend"]', 'sources = ["xinhua"]')}),
    "event-status-stated": base(**{"docs/follow-up.toml": follow_up('status = "in-progress"', 'status = "stated"')}),
    "commitment-unknown-source": base(**{"docs/statement.toml": doc('summary = "China', 'sources = ["xinhua"]\nsummary = "China')}),
    "field-and-fields": base(**{"docs/statement.toml": doc('summary = "China', 'fields = ["multilateral", "political-dialogue"]\nsummary = "China')}),
    "no-field": base(**{"docs/later.json": second(**{"commitments.0.field": None})}),
    "unknown-field-in-list": base(**{"docs/later.json": second(**{"commitments.0.field": None, "commitments.0.fields": ["green-energy", "maritime"]})}),
    "mutual-with-target": base(**{"docs/later.json": second(**{"commitments.0.target": "CN"})}),
    "alias-is-other-code": base(**{"dataset.toml": MANIFEST.replace('code = "AZ"\n', 'code = "AZ"\naliases = ["CN"]\n', 1)}),
    "addressee-twice": base(**{"docs/statement.toml": doc('target = "CN"', 'target = "CN"\ntargets = ["PRC"]')}),
    "unknown-target": base(**{"docs/statement.toml": doc('target = "CN"', 'target = "XX"')}),
    "about-unknown-organisation": base(**{"docs/statement.toml": doc('actor = "CN"\nwithin = "sco"', 'actor = "CN"\nabout = "nato"')}),
    "former-names-out-of-order": base(**{"dataset.toml": MANIFEST + 'former = [\n  { name = "Shanghai Five", until = "2001-06-15" },\n  { name = "Shanghai Forum", until = "1996" },\n]\n'}),
    "confirmed-single-source": base(**{"docs/statement.toml": doc('summary = "China', 'confidence = "confirmed"\nsummary = "China')}),
    "quote-without-speaker": base(**{"docs/statement.toml": doc('summary = "China', 'quotes = [{ text = "We support it.", by = "speaker" }]\nsummary = "China')}),
    "quote-language": base(**{"docs/statement.toml": doc('summary = "China', 'quotes = [{ text = "We support it.", language = "english" }]\nsummary = "China')}),
    "quote-unknown-source": base(**{"docs/follow-up.toml": follow_up('sources = ["trend"]', 'sources = ["trend"]\nquotes = [{ text = "The group met.", source = "xinhua" }]')}),
    "date-span-backwards": base(**{"docs/statement.toml": doc('date = "2025-04"', 'date = "2025-05/2025-04"')}),
    "date-set-of-one": base(**{"docs/later.json": second(date="[2025-05-10]")}),
    "empty-sources-list": base(**{"docs/statement.toml": doc('summary = "China', 'sources = []\nsummary = "China')}),
    "url-with-user": base(**{"docs/later.json": second(**{"sources.0.url": "https://gov.az@evil.example/"})}),
    "empty-within-list": base(**{"docs/statement.toml": doc('actor = "CN"\nwithin = "sco"', 'actor = "CN"\nwithin = []')}),
    "within-and-about": base(**{"docs/statement.toml": doc('actor = "CN"\nwithin = "sco"', 'actor = "CN"\nwithin = "sco"\nabout = "sco"')}),
    "mutual-with-actor": base(**{"docs/statement.toml": doc('actor = "CN"\nwithin = "sco"', 'actor = "CN"\nmutual = true\nwithin = "sco"')}),
    "former-name-is-current": base(**{"dataset.toml": MANIFEST + 'former = [{ name = "Shanghai Cooperation Organisation", until = "2001-06-15" }]\n'}),
    "event-after-its-sources": base(**{"docs/follow-up.toml": follow_up('status = "in-progress"', 'date = "2026-01-10"\nstatus = "in-progress"')}),
    "alias-is-third-country": base(**{"dataset.toml": MANIFEST.replace('code = "AZ"\n', 'code = "AZ"\naliases = ["tr"]\n', 1)}),
    "title-too-long": base(**{"docs/statement.toml": doc('title = "Joint statement"', 'title = "Joint statement ' + "and more " * 60 + '"')}),
    "alias-is-other-code-lower-case": base(**{"dataset.toml": MANIFEST.replace('code = "AZ"\n', 'code = "AZ"\naliases = ["cn"]\n', 1)}),
    "one-party": base(**{"dataset.toml": MANIFEST.split('[[parties]]\ncode = "CN"')[0] + MANIFEST.split('aliases = ["PRC"]\n')[1]}),
}

MEASURES = """
[[measures]]
id = "trade-turnover"
label = "Trade turnover"
unit = "USD"

[[entities]]
id = "socar"
name = "SOCAR"
country = "AZ"
kind = "company"

[[entities]]
id = "botas"
name = "BOTAŞ"
country = "TR"
kind = "company"
"""

TARGET = 'quantity = { measure = "trade-turnover", value = 1000000000, by = "2026" }\nsummary = "China'

FIGURES = FOLLOW_UP + """
[[measurements]]
measure = "trade-turnover"
value = 800000000
period = "2024"
sources = ["trend"]
"""


def measured(**over):
    return base(**{"dataset.toml": MANIFEST + MEASURES, **over})


def figures(old, new):
    assert old in FIGURES, old
    return FIGURES.replace(old, new, 1)


CASES.update({
    "duplicate-measure": measured(**{"dataset.toml": MANIFEST + MEASURES + '\n[[measures]]\nid = "trade-turnover"\nlabel = "Trade"\nunit = "USD"\n'}),
    "entity-unknown-country": measured(**{"dataset.toml": MANIFEST + MEASURES.replace('country = "TR"', 'country = "XX"')}),
    "entity-id-is-organisation": measured(**{"dataset.toml": MANIFEST + MEASURES.replace('id = "botas"', 'id = "sco"')}),
    "entity-actor-third-country": measured(**{"docs/statement.toml": doc('actor = "CN"', 'actor = "botas"')}),
    "target-unknown-measure": measured(**{"docs/statement.toml": doc('summary = "China', TARGET.replace('"trade-turnover"', '"trade"'))}),
    "target-not-positive": measured(**{"docs/statement.toml": doc('summary = "China', TARGET.replace('1000000000', '0'))}),
    "target-before-commitment": measured(**{"docs/statement.toml": doc('summary = "China', TARGET.replace('"2026"', '"2024"'))}),
    "measurement-unknown-measure": measured(**{"docs/follow-up.toml": figures('measure = "trade-turnover"', 'measure = "gdp"')}),
    "measurement-negative": measured(**{"docs/follow-up.toml": figures('value = 800000000', 'value = -800000000')}),
    "measurement-after-its-sources": measured(**{"docs/follow-up.toml": figures('period = "2024"', 'period = "2026"')}),
    "measurement-unknown-commitment": measured(**{"docs/follow-up.toml": figures('period = "2024"', 'period = "2024"\ncommitment = "cn-trade-target"')}),
    "measurement-commitment-without-target": measured(**{"docs/follow-up.toml": figures('period = "2024"', 'period = "2024"\ncommitment = "cn-supports-az-status"')}),
    "measurement-either-period": measured(**{"docs/follow-up.toml": figures('period = "2024"', 'period = "[2023,2024]"')}),
    "co-party-is-pair": measured(**{"docs/statement.toml": doc('parties = ["AZ", "CN"]', 'parties = ["AZ", "CN"]\nco_parties = ["PRC"]')}),
    "co-party-unknown": measured(**{"docs/statement.toml": doc('summary = "China', 'co_parties = ["UZB"]\nsummary = "China')}),
    "event-unknown-actor": measured(**{"docs/follow-up.toml": follow_up('status = "in-progress"', 'status = "in-progress"\nactor = "cnpc"')}),
    "entity-target-own-country": measured(**{"docs/statement.toml": doc('target = "CN"', 'target = "socar"').replace('actor = "AZ"', 'actor = "AZ"', 1)}),
    "entity-id-is-party-alias": measured(**{"dataset.toml": (MANIFEST + MEASURES.replace('id = "botas"', 'id = "prc"')).replace('aliases = ["PRC"]', 'aliases = ["PRC", "prc"]')}),
    "co-party-twice": measured(**{"docs/statement.toml": doc('parties = ["AZ", "CN"]', 'parties = ["AZ", "CN"]\nco_parties = ["UZ", "KZ", "UZ"]')}),
    "measurement-commitment-other-measure": measured(**{
        "dataset.toml": MANIFEST + MEASURES + '\n[[measures]]\nid = "oil-transit"\nlabel = "Oil transit"\nunit = "t"\n',
        "docs/statement.toml": doc('summary = "China', TARGET.replace('"trade-turnover"', '"oil-transit"')),
        "docs/follow-up.toml": figures('period = "2024"', 'period = "2024"\ncommitment = "cn-supports-az-status"'),
    }),
    "event-says-nothing": measured(**{"docs/follow-up.toml": follow_up('status = "in-progress"\n', '')}),
})

NUMBERS = """# Permanent commitment numbers (C1, C2 …), as every briefing shows them.
# Written by `bilateral number`: append only; never change or reuse a number.
[numbers]
"az-supports-sco-chair" = 1
"cn-supports-az-status" = 2
"later-green" = 3
"""

if __name__ == "__main__":
    write(os.path.join("..", "fixtures", "minimal"), {**base(), "numbers.toml": NUMBERS})
    for name, files in CASES.items():
        write(name, files)
    print(f"wrote valid + {len(CASES)} broken datasets")
