"""#13's whole-corpus check: after one run over every real document (../shared/corpus, pdfs,
seeds) and the hostile test files, every input has its `documents` row, and every failed one is
a scan without a text layer (OCR's issue), a document with no disclosure structure at all (not a
budget: the templates issue's), or one of the deliberately hostile test files. Usage:
corpus_check.py OUTPUT_DIR EXPECTED_INPUTS"""
import collections
import sys

import duckdb

ALLOWED = (
    "PDF has no text layer",  # a scan
    "no section heading or disclosure title found",  # not a budget disclosure
)


def main():
    out, expected = sys.argv[1], int(sys.argv[2])
    con = duckdb.connect()
    files = f"read_parquet('{out}/documents/*.parquet')"
    n = con.execute(f"select count(*) from {files}").fetchone()[0]
    assert n == expected, f"{n} documents rows for {expected} inputs"
    rows = con.execute(f"select source_path, status, error from {files} order by source_path").fetchall()
    bad = []
    why = collections.Counter()
    for path, status, error in rows:
        if status == "ok":
            continue
        if "fixtures/" in path:
            why["hostile test file"] += 1
        elif error and error.startswith(ALLOWED):
            why[next(a for a in ALLOWED if error.startswith(a))] += 1
        else:
            bad.append((path, error))
    ok = sum(1 for r in rows if r[1] == "ok")
    print(f"corpus: {n} documents, {ok} ok; failed: {dict(why)}")
    assert not bad, "text-layer documents failed:\n" + "\n".join(f"  {p}: {e}" for p, e in bad)


if __name__ == "__main__":
    main()
