#!/usr/bin/env python3
"""Writes the country names of each shipped language other than English from CLDR's JSON data
(the npm package cldr-localenames-full), one TSV per language: ISO 3166-1 alpha-2 code, name.
English keeps Debian's iso-codes names (en.tsv), which every briefing has printed so far.

Run by a developer, not by the build:
    npm pack cldr-localenames-full@48.2.0 && tar xzf cldr-localenames-full-48.2.0.tgz
    python3 src/base/countries/generate.py package
"""
import json
import pathlib
import sys

HERE = pathlib.Path(__file__).parent
LANGUAGES = {"ru": "ru", "az": "az", "zh-Hans": "zh"}


def main(package: pathlib.Path) -> None:
    version = json.loads((package / "package.json").read_text())["version"]
    codes = [
        line.split("\t")[0]
        for line in (HERE / "en.tsv").read_text().splitlines()
        if line and not line.startswith("#")
    ]
    for tag, cldr in LANGUAGES.items():
        path = package / "main" / cldr / "territories.json"
        names = json.loads(path.read_text())["main"][cldr]["localeDisplayNames"]["territories"]
        missing = [c for c in codes if c not in names]
        if missing:
            sys.exit(f"{tag}: CLDR has no name for {', '.join(missing)}")
        lines = [f"# ISO 3166-1 alpha-2 code, name in {tag} (CLDR {version}, cldr-localenames-full)"]
        lines += [f"{c}\t{names[c]}" for c in codes]
        (HERE / f"{tag}.tsv").write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    main(pathlib.Path(sys.argv[1]))
