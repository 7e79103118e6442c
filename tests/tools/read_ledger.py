#!/usr/bin/env python3
"""Reads a ledger file as a real client does and prints what it read as JSON, for tests/ledger.rs.

    read_ledger.py xlsx FILE   # openpyxl: sheets, cells with their types, links, layout
    read_ledger.py csv FILE    # Python's csv module (RFC 4180)

Each XLSX cell is {"v": value, "t": type, "qp": quote prefix, "link": hyperlink}; types are
openpyxl's: "s" text, "n" number, "b" boolean, "d" date (its value then "YYYY-MM-DD").
"""

import csv
import datetime
import io
import json
import sys
import zipfile


def xlsx(path):
    import openpyxl  # installed by .ci/run in a virtual environment

    wb = openpyxl.load_workbook(path)
    with zipfile.ZipFile(path) as z:
        formulas = sum(
            z.read(n).count(b"<f>") + z.read(n).count(b"<f ")
            for n in z.namelist()
            if n.startswith("xl/worksheets/")
        )
        times = sorted({i.date_time for i in z.infolist()})
    sheets = []
    for ws in wb.worksheets:
        rows = []
        for row in ws.iter_rows():
            cells = []
            for c in row:
                v = c.value
                if isinstance(v, (datetime.datetime, datetime.date)):
                    v = v.strftime("%Y-%m-%d")
                cells.append(
                    {
                        "v": v,
                        "t": c.data_type,
                        "qp": bool(c.quotePrefix),
                        "link": c.hyperlink.target if c.hyperlink else None,
                        "wrap": bool(c.alignment.wrap_text),
                    }
                )
            rows.append(cells)
        widths = [[d.min, d.max, d.width] for d in ws.column_dimensions.values() if d.min]
        sheets.append(
            {
                "name": ws.title,
                "freeze": ws.freeze_panes,
                "filter": ws.auto_filter.ref,
                "widths": widths,
                "rows": rows,
            }
        )
    props = wb.properties
    return {
        "title": props.title,
        "creator": props.creator,
        "created": props.created.strftime("%Y-%m-%d %H:%M:%S") if props.created else None,
        "zip_times": [list(t) for t in times],
        "formulas": formulas,
        "sheets": sheets,
    }


def read_csv(path):
    data = open(path, "rb").read()
    bom = data.startswith(b"\xef\xbb\xbf")
    text = data.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text, newline=""), strict=True))
    return {"bom": bom, "crlf": b"\r\n" in data, "rows": rows}


def main():
    kind, path = sys.argv[1], sys.argv[2]
    out = xlsx(path) if kind == "xlsx" else read_csv(path)
    json.dump(out, sys.stdout, ensure_ascii=False)


main()
