"""Check govdocs' Parquet output with readers other than govdocs' own: pyarrow and DuckDB.

Usage: python tests/interop/check.py OUTPUT_DIR EXPECTED_DOCUMENTS

The expected columns and types are read from docs/schema.md, so the documentation is the contract:
every dataset documented there must exist, open, and have exactly the documented columns, types
and nullability.
"""

import json
import pathlib
import re
import sys

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

ROOT = pathlib.Path(__file__).resolve().parents[2]


def documented_schemas():
    """Parse the `## \\`name\\`` sections and their column tables from docs/schema.md."""
    schemas, current = {}, None
    for line in (ROOT / "docs" / "schema.md").read_text(encoding="utf-8").splitlines():
        m = re.match(r"^## `(\w+)`", line)
        if m:
            current = m.group(1)
            schemas[current] = []
            continue
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if current and line.startswith("|") and len(cells) >= 3 and cells[0] not in ("column", "---"):
            schemas[current].append((cells[0], cells[1], cells[2] == "yes"))
    return schemas


def check_dataset(out, name, columns):
    files = sorted((out / name).glob("*.parquet"))
    assert files, f"{name}: no Parquet file in {out / name}"
    table = pa.concat_tables(pq.read_table(f) for f in files)
    got = [(f.name, str(f.type).replace("list<item: ", "list<"), f.nullable) for f in table.schema]
    assert got == columns, f"{name}: schema differs from docs/schema.md\n got: {got}\nwant: {columns}"
    for f in files:
        meta = pq.ParquetFile(f).metadata
        codecs = {meta.row_group(i).column(j).compression for i in range(meta.num_row_groups) for j in range(meta.num_columns)}
        assert codecs <= {"ZSTD"}, f"{f}: compression {codecs}"
    return table.num_rows


def check_layout(out, names):
    """The bucket layout of docs/schema.md: every dataset holds one part-BBBBB-<hash>.parquet file
    per bucket (the same buckets in every dataset); each bucket manifest lists its six files with
    their true row counts, sizes and hashes; `_current.json` lists exactly the part files in the
    folder; every document sits in the bucket of its doc_id (first 16 hex digits as an integer,
    modulo the bucket count)."""
    parts = {n: sorted(f.name for f in (out / n).glob("*.parquet")) for n in names}
    for n, files in parts.items():
        assert all(re.fullmatch(r"part-\d{5}-[0-9a-f]{16}\.parquet", p) for p in files), files
    buckets = {n: [p[5:10] for p in files] for n, files in parts.items()}
    first = buckets[names[0]]
    assert all(b == first for b in buckets.values()), f"datasets hold different buckets: {buckets}"
    manifests = sorted((out / "_manifest").glob("bucket-*.json"))
    assert [m.name[7:12] for m in manifests] == first, "a bucket without manifest"
    current = json.loads((out / "_current.json").read_text(encoding="utf-8"))
    for n in names:
        assert sorted(current["datasets"][n]) == sorted(f"{n}/{p}" for p in parts[n]), f"_current.json: {n}"
    for m in manifests:
        data = json.loads(m.read_text(encoding="utf-8"))
        assert data["complete"], f"{m.name}: incomplete"
        for f in data["files"]:
            p = out / f["path"]
            assert p.stat().st_size == f["bytes"], f"{p}: size differs from {m.name}"
            assert pq.ParquetFile(p).metadata.num_rows == f["rows"], f"{p}: rows differ from {m.name}"
            assert p.name[11:27] == f["blake3"][:16], f"{p}: name does not carry its hash"
        docs_file = next(f["path"] for f in data["files"] if f["path"].startswith("documents/"))
        docs = pq.read_table(out / docs_file).to_pylist()
        assert sorted(d["source_path"] for d in docs) == [i["path"] for i in data["inputs"]], m.name
        for d in docs:
            assert int(d["doc_id"][:16], 16) % data["buckets"] == data["bucket"], d["doc_id"]
    return len(manifests)


def check_current_view(con, out, expected_docs):
    """The README's way to read only published files: DuckDB takes the file list from
    `_current.json`."""
    con.execute(
        f"""set variable documents = (
              select list('{out}/' || f) from (
                select unnest(datasets.documents) as f from read_json('{out}/_current.json')))"""
    )
    n = con.execute("select count(*) from read_parquet(getvariable('documents'))").fetchone()[0]
    assert n == expected_docs, f"the published view holds {n} documents, expected {expected_docs}"


def main():
    out = pathlib.Path(sys.argv[1]).resolve()
    expected_docs = int(sys.argv[2])
    schemas = documented_schemas()
    assert schemas, "no dataset documented in docs/schema.md"
    for name, columns in schemas.items():
        rows = check_dataset(out, name, columns)
        print(f"{name}: {rows} rows, {len(columns)} columns match docs/schema.md")
    buckets = check_layout(out, list(schemas))
    print(f"layout: {buckets} buckets, every manifest matches its files")
    con = duckdb.connect()
    n = con.execute(f"select count(*) from read_parquet('{out}/documents/*.parquet')").fetchone()[0]
    assert n == expected_docs, f"DuckDB counts {n} documents, expected {expected_docs}"
    check_current_view(con, out, expected_docs)
    orphans = con.execute(
        f"""select count(*) from read_parquet('{out}/sections/*.parquet') s
            anti join read_parquet('{out}/documents/*.parquet') d using (doc_id)"""
    ).fetchone()[0]
    assert orphans == 0, f"{orphans} sections have no document"
    print(f"duckdb: {n} documents, every section belongs to one")
    # One document's and table's line items summed in DuckDB equal the same sum in pyarrow.
    doc, table = con.execute(
        f"""select doc_id, table_id from read_parquet('{out}/line_items/*.parquet')
            group by all order by count(*) desc, doc_id, table_id limit 1"""
    ).fetchone()
    total = con.execute(
        f"""select sum(amount) from read_parquet('{out}/line_items/*.parquet')
            where doc_id = ? and table_id = ?""",
        [doc, table],
    ).fetchone()[0]
    items = pq.read_table(out / "line_items").to_pylist()
    expected = sum(r["amount"] for r in items if r["doc_id"] == doc and r["table_id"] == table)
    assert total == expected, f"DuckDB sum {total} != pyarrow sum {expected}"
    print(f"duckdb: sum(line_items.amount) of document {doc[:8]} table {table} = {total}")
    fails = con.execute(
        f"""select count(*) from read_parquet('{out}/checks/*.parquet') c
            anti join read_parquet('{out}/documents/*.parquet') d using (doc_id)"""
    ).fetchone()[0]
    assert fails == 0, "checks without a document"
    checks = len(schemas) + 6
    print(f"interop: {checks} passed, 0 failed")


if __name__ == "__main__":
    main()
