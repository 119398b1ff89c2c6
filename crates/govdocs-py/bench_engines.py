#!/usr/bin/env python3
"""Throughput of the govdocs extractor through Spark, Ray and plain parse_batch, beside the CLI,
on the same input folder and machine (the figures of docs/engines.md).

Usage: bench_engines.py INPUT_DIR [--cli target/release/govdocs] [--repeat 3]

Each engine writes the `line_items` dataset as Parquet (one parse per document); the CLI writes
all six datasets (it parses each document once too). Times are wall clock, best of --repeat runs
with the engine already started (Spark session, Ray cluster: their start-up is printed
separately), so they compare the steady state of a nightly. Documents/s and MB/s of input.
"""

import argparse
import logging
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import govdocs
import pyarrow as pa
import pyarrow.parquet as pq

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "examples"))
EXTENSIONS = (".txt", ".text", ".pdf")


def best(f, repeat):
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        f()
        times.append(time.perf_counter() - t)
    return min(times)


def report(what, seconds, docs, mb):
    print(f"{what:<34} {seconds:7.2f} s  {docs / seconds:8.1f} documents/s  {mb / seconds:7.2f} MB/s", flush=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("input", type=Path)
    ap.add_argument("--cli", type=Path, default=ROOT / "target" / "release" / "govdocs")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--only", nargs="+", default=["cli", "python", "spark", "ray"])
    a = ap.parse_args()
    folder = a.input.resolve()
    files = sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix.lower() in EXTENSIONS)
    docs, mb = len(files), sum(p.stat().st_size for p in files) / 1e6
    print(f"{folder}: {docs} documents, {mb:.2f} MB; {os.cpu_count()} cores; govdocs {govdocs.__version__}")
    tmp = Path(tempfile.mkdtemp())
    os.environ.update(PYSPARK_PYTHON=sys.executable, PYSPARK_DRIVER_PYTHON=sys.executable)

    if "cli" in a.only:
        def cli():
            shutil.rmtree(tmp / "cli", ignore_errors=True)
            subprocess.run([a.cli, "run", ROOT / "pipelines" / "samples.toml", "--no-progress", "--quiet",
                            "--input", folder, "--output", tmp / "cli"], check=False,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=1800)
        report("CLI govdocs run (6 datasets)", best(cli, a.repeat), docs, mb)

    if "python" in a.only:
        def python():
            batch = pa.record_batch([pa.array([str(p) for p in files]),
                                     pa.array([p.read_bytes() for p in files], pa.binary())],
                                    names=["path", "content"])
            pq.write_table(pa.Table.from_batches([govdocs.parse_batch(batch, dataset="line_items")]),
                           tmp / "python.parquet")
        report("python parse_batch (line_items)", best(python, a.repeat), docs, mb)

    if "spark" in a.only:
        import spark_line_items
        from pyspark.sql import SparkSession

        t = time.perf_counter()
        spark = (SparkSession.builder.master(f"local[{os.cpu_count()}]").appName("govdocs bench")
                 .config("spark.ui.enabled", "false").config("spark.ui.showConsoleProgress", "false")
                 .getOrCreate())
        spark.sparkContext.setLogLevel("ERROR")
        print(f"{'  Spark session start':<34} {time.perf_counter() - t:7.2f} s")

        def run():
            spark_line_items.dataset(spark, str(folder), "line_items").write.mode("overwrite").parquet(
                str(tmp / "spark"))
        report("Spark mapInArrow (line_items)", best(run, a.repeat), docs, mb)
        spark.stop()

    if "ray" in a.only:
        import ray
        import ray_parse

        logging.getLogger("ray").setLevel(logging.WARNING)
        t = time.perf_counter()
        ray.init(include_dashboard=False, log_to_driver=False)
        ray.data.DataContext.get_current().enable_progress_bars = False
        print(f"{'  Ray start':<34} {time.perf_counter() - t:7.2f} s")

        def run():
            shutil.rmtree(tmp / "ray", ignore_errors=True)
            ray_parse.dataset(str(folder), "line_items").write_parquet(str(tmp / "ray"))
        report("Ray map_batches (line_items)", best(run, a.repeat), docs, mb)
        ray.shutdown()
    shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
