#!/usr/bin/env python3
"""Spark: every document under a folder into the `line_items` dataset, partitioned by fiscal year.

    pip install pyspark target/wheels/govdocs-*.whl     # a Java 17+ runtime on the PATH
    python examples/spark_line_items.py samples output-spark/line_items

`binaryFile` reads each file whole (path, content); `mapInArrow` hands the executors' Python
workers Arrow batches of those rows, and `govdocs.parse_batch` turns each batch into the rows
`govdocs run` writes (the extractor runs in-process, in parallel, without the GIL).
Spark has no unsigned integers: `spark=True` widens them (uint8 -> int16, uint32 -> int64).
`source_path` holds Spark's path (`file:/...`), not the CLI's path relative to its input folder.
On a cluster, the same script runs under spark-submit (docs/engines.md).
"""

import sys

import govdocs
from pyspark.sql import DataFrame, SparkSession
from pyspark.sql.pandas.types import from_arrow_schema

# The extensions `govdocs run` reads (pipelines/samples.toml), as a Hadoop glob.
INPUTS = "*.{txt,TXT,text,TEXT,pdf,PDF}"


def dataset(spark: SparkSession, folder: str, name: str = "line_items") -> DataFrame:
    """The rows of dataset `name` for every document under `folder`."""
    files = (
        spark.read.format("binaryFile")
        .option("recursiveFileLookup", "true")
        .option("pathGlobFilter", INPUTS)
        .load(folder)
        .select("path", "content")
    )

    def parse(batches):
        for batch in batches:
            yield govdocs.parse_batch(batch, dataset=name, spark=True)

    return files.mapInArrow(parse, from_arrow_schema(govdocs.schema(name, spark=True)))


def main(folder: str, output: str) -> None:
    spark = SparkSession.builder.master("local[*]").appName("govdocs line_items").getOrCreate()
    items = dataset(spark, folder, "line_items")
    items.write.mode("overwrite").partitionBy("fiscal_year").parquet(output)
    written = spark.read.parquet(output)
    written.groupBy("fiscal_year", "doc_kind").count().orderBy("fiscal_year", "doc_kind").show()
    spark.stop()


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: spark_line_items.py INPUT_FOLDER OUTPUT_FOLDER")
    main(sys.argv[1], sys.argv[2])
