#!/usr/bin/env python3
"""The `govdocs` Python package (#19) against `govdocs run`: the same rows through the Python
API, Spark and Ray, and the three examples run.

Usage: engines.py OUTPUT_OF_GOVDOCS_RUN SAMPLES_DIR [--only python|spark|ray|examples ...] [--pdf FILE]

OUTPUT_OF_GOVDOCS_RUN is the output folder of `govdocs run` over SAMPLES_DIR (every .txt, .text
and .pdf file under the folder; e.g. `samples`, or a folder of PDFs with `--only python`). For each of the six datasets, the rows produced through `govdocs.parse`,
`govdocs.parse_batch`, Spark (`mapInArrow`) and Ray Data (`map_batches`) must equal the CLI's
rows as multisets, every column compared. One column differs in spelling by design and is
compared by file name: `documents.source_path` (the CLI stores the path relative to its input
folder, Spark `file:/abs/...`, Ray the absolute path). Spark has no unsigned integers: its
rows come through `spark=True` (widened types) and are compared by value.
--pdf FILE runs examples/duckdb_one_pdf.py on FILE (the examples step; skipped without it).
Exits 1 on the first difference.
"""

import argparse
import logging
import os
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

import govdocs
import pyarrow as pa
import pyarrow.dataset as pads
import pyarrow.parquet as pq

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
NAMES = ["sections", "tables", "cells", "line_items", "checks", "documents"]
EXTENSIONS = (".txt", ".text", ".pdf")


def fail(msg):
    print(f"FAIL: {msg}", file=sys.stderr)
    sys.exit(1)


def cli_table(out, name):
    files = sorted((out / name).glob("*.parquet"))
    if not files:
        fail(f"{out / name}: no Parquet file (is {out} the output of `govdocs run`?)")
    return pa.concat_tables(pq.read_table(f) for f in files)


def frozen(v):
    """A hashable form of a cell value (lists become tuples)."""
    return tuple(frozen(x) for x in v) if isinstance(v, list) else v


def rows(table, name):
    """The rows of `table` as a multiset of tuples in `govdocs.schema(name)` column order;
    `documents.source_path` reduced to its file name."""
    cols = govdocs.schema(name).names
    if sorted(table.column_names) != sorted(cols):
        fail(f"{name}: columns {table.column_names}, want {cols}")
    out = Counter()
    for r in table.select(cols).to_pylist():
        if name == "documents":
            r["source_path"] = r["source_path"].replace("\\", "/").rsplit("/", 1)[-1]
        out[tuple(frozen(r[c]) for c in cols)] += 1
    return out


def short(row):
    """A row for a message: long texts cut."""
    return tuple(v[:40] + "…" if isinstance(v, str) and len(v) > 40 else v for v in row)


def same(name, how, got, want):
    g, w = rows(got, name), rows(want, name)
    if g != w:
        extra, missing = [short(r) for r in (g - w)][:3], [short(r) for r in (w - g)][:3]
        fail(f"{name} through {how}: {sum((g - w).values())} rows not in the CLI's, "
             f"{sum((w - g).values())} CLI rows missing\n  extra e.g. {extra}\n  missing e.g. {missing}")
    print(f"ok  {name:<10} {how}: {got.num_rows} rows = the CLI's")


def inputs(samples):
    return sorted(p for p in samples.rglob("*") if p.is_file() and p.suffix.lower() in EXTENSIONS)


def check_python(out, samples):
    files = inputs(samples)
    cli = {n: cli_table(out, n) for n in NAMES}

    # __version__ is the parser version the CLI stores.
    versions = set(cli["documents"].column("parser_version").to_pylist())
    if versions != {govdocs.__version__}:
        fail(f"__version__ {govdocs.__version__!r}, the CLI's rows say {versions}")
    if govdocs.datasets() != ["sections", "tables", "cells", "line_items", "checks", "documents"]:
        fail(f"datasets() = {govdocs.datasets()}")

    # schema(name) is the schema of the CLI's Parquet files (Arrow types and nullability).
    for n in NAMES:
        s = govdocs.schema(n)
        if not s.equals(cli[n].schema.remove_metadata(), check_metadata=False):
            fail(f"schema({n!r}) = {s}\nthe CLI's Parquet: {cli[n].schema}")
        wide = govdocs.schema(n, spark=True)
        unsigned = [f.name for f in wide if pa.types.is_unsigned_integer(f.type)
                    or (pa.types.is_list(f.type) and pa.types.is_unsigned_integer(f.type.value_type))]
        if unsigned or wide.names != s.names:
            fail(f"schema({n!r}, spark=True) keeps unsigned columns {unsigned}")
    try:
        govdocs.schema("nope")
        fail("schema('nope') did not raise")
    except ValueError as e:
        if "line_items" not in str(e):
            fail(f"schema('nope') error does not list the datasets: {e}")

    # parse(): one document at a time; source_path is stored as given.
    got = {n: [] for n in NAMES}
    for f in files:
        given = str(f)
        one = govdocs.parse(f.read_bytes(), given)
        if sorted(one) != sorted(NAMES) or any(not isinstance(t, pa.Table) for t in one.values()):
            fail(f"parse() returned {type(one)} {list(one)}")
        if one["documents"].column("source_path").to_pylist() != [given]:
            fail(f"parse() source_path {one['documents'].column('source_path')} for {given}")
        for n in NAMES:
            if not one[n].schema.equals(govdocs.schema(n)):
                fail(f"parse()[{n!r}] schema differs from schema({n!r})")
            got[n].append(one[n])
    for n in NAMES:
        same(n, "parse()", pa.concat_tables(got[n]), cli[n])

    # parse_batch(): many documents at once, as Spark's and Ray's batches name them.
    paths = [str(f) for f in files]
    contents = [f.read_bytes() for f in files]
    spark_shape = pa.record_batch([pa.array(paths), pa.array(contents, pa.binary())], names=["path", "content"])
    ray_shape = pa.table({"bytes": pa.array(contents, pa.binary()), "path": pa.array(paths)})
    tables = govdocs.parse_batch(spark_shape)
    for n in NAMES:
        same(n, "parse_batch(RecordBatch)", tables[n], cli[n])
        one = govdocs.parse_batch(ray_shape, dataset=n)
        if not isinstance(one, pa.RecordBatch):
            fail(f"parse_batch(dataset={n!r}) returned {type(one)}")
        same(n, f"parse_batch(Table with `bytes`, dataset={n!r})", pa.Table.from_batches([one]), cli[n])
        wide = govdocs.parse_batch(spark_shape, dataset=n, spark=True)
        if not wide.schema.equals(govdocs.schema(n, spark=True)):
            fail(f"parse_batch(spark=True) schema for {n}: {wide.schema}")
        same(n, "parse_batch(spark=True)", pa.Table.from_batches([wide]), cli[n])

    # Bad input is a per-document failure, never an exception: an empty file and binary junk
    # beside a good document.
    good = files[0]
    bad = pa.record_batch(
        [pa.array(["empty.txt", "junk.pdf", str(good)]),
         pa.array([b"", b"%PDF-1.4\n\x00\xff garbage", good.read_bytes()], pa.binary())],
        names=["path", "content"])
    docs = govdocs.parse_batch(bad, dataset="documents").to_pylist()
    status = {d["source_path"]: (d["status"], d["error"]) for d in docs}
    for p in ("empty.txt", "junk.pdf"):
        if status[p][0] != "failed" or not status[p][1]:
            fail(f"{p}: {status[p]}, want failed with an error")
    if status[str(good)][0] != "ok":
        fail(f"{good} beside bad documents: {status[str(good)]}")
    for bad_input, what in [
        (pa.record_batch([pa.array(["a.txt"])], names=["path"]), "no content column"),
        (pa.record_batch([pa.array([1]), pa.array([b"x"])], names=["path", "content"]), "integer path"),
    ]:
        try:
            govdocs.parse_batch(bad_input)
            fail(f"parse_batch with {what} did not raise")
        except (ValueError, TypeError):
            pass
    print("ok  python API: __version__, datasets(), schema(), parse(), parse_batch(), bad input")


def python_env():
    """The environment for engines' worker processes: this interpreter, so they import govdocs."""
    env = dict(os.environ, PYSPARK_PYTHON=sys.executable, PYSPARK_DRIVER_PYTHON=sys.executable)
    return env


def check_spark(out, samples):
    os.environ.update(python_env())
    sys.path.insert(0, str(EXAMPLES))
    import spark_line_items
    from pyspark.sql import SparkSession

    spark = (SparkSession.builder.master("local[2]").appName("govdocs engines test")
             .config("spark.ui.enabled", "false").config("spark.ui.showConsoleProgress", "false")
             .getOrCreate())
    try:
        for n in NAMES:
            got = spark_line_items.dataset(spark, str(samples), n).toArrow()
            same(n, "Spark mapInArrow", got, cli_table(out, n))
    finally:
        spark.stop()


def check_ray(out, samples):
    sys.path.insert(0, str(EXAMPLES))
    import ray
    import ray_parse

    logging.getLogger("ray").setLevel(logging.WARNING)
    ray.init(num_cpus=2, include_dashboard=False, ignore_reinit_error=True, log_to_driver=False)
    ray.data.DataContext.get_current().enable_progress_bars = False
    try:
        for n in NAMES:
            got = pa.concat_tables(ray.get(ray_parse.dataset(str(samples), n).to_arrow_refs()))
            same(n, "Ray map_batches", got, cli_table(out, n))
    finally:
        ray.shutdown()


def run_example(args):
    print("$ python", " ".join(str(a) for a in args), flush=True)
    r = subprocess.run([sys.executable, *map(str, args)], env=python_env(), timeout=600)
    if r.returncode != 0:
        fail(f"{args[0]} exited {r.returncode}")


def check_examples(out, samples, pdf):
    want = cli_table(out, "line_items")
    with tempfile.TemporaryDirectory() as tmp:
        spark_out = Path(tmp) / "spark"
        run_example([EXAMPLES / "spark_line_items.py", samples, spark_out])
        years = {p.name for p in spark_out.iterdir() if p.name.startswith("fiscal_year=")}
        want_years = {f"fiscal_year={y}" for y in set(want.column("fiscal_year").to_pylist()) if y is not None}
        if not want_years <= years:
            fail(f"spark example: partitions {sorted(years)}, want {sorted(want_years)}")
        got = pads.dataset(spark_out, format="parquet", partitioning="hive").to_table()
        got = got.set_column(got.schema.get_field_index("fiscal_year"), "fiscal_year",
                             got.column("fiscal_year").cast(pa.int32()))
        same("line_items", "examples/spark_line_items.py (Parquet by fiscal_year)", got, want)

        ray_out = Path(tmp) / "ray"
        run_example([EXAMPLES / "ray_parse.py", samples, ray_out])
        same("line_items", "examples/ray_parse.py (Parquet)", pq.read_table(ray_out), want)
    if pdf:
        run_example([EXAMPLES / "duckdb_one_pdf.py", pdf])
    else:
        print("skip examples/duckdb_one_pdf.py (no --pdf)")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("output", type=Path)
    ap.add_argument("samples", type=Path)
    ap.add_argument("--only", nargs="+", choices=["python", "spark", "ray", "examples"],
                    default=["python", "spark", "ray", "examples"])
    ap.add_argument("--pdf", type=Path)
    a = ap.parse_args()
    samples = a.samples.resolve()
    if not inputs(samples):
        fail(f"no input file under {samples}")
    if "python" in a.only:
        check_python(a.output, samples)
    if "spark" in a.only:
        check_spark(a.output, samples)
    if "ray" in a.only:
        check_ray(a.output, samples)
    if "examples" in a.only:
        check_examples(a.output, samples, a.pdf)
    print("engines: all rows equal the CLI's")


if __name__ == "__main__":
    main()
