#!/usr/bin/env python3
"""Ray Data: every document under a folder into the `line_items` dataset, as Parquet.

    pip install "ray[data]" target/wheels/govdocs-*.whl
    python examples/ray_parse.py samples output-ray/line_items

`read_binary_files(include_paths=True)` gives one row per file (`path`, `bytes`);
`map_batches(..., batch_format="pyarrow")` hands each worker a `pyarrow.Table` of those rows and
`govdocs.parse_batch` returns the rows `govdocs run` writes for them (the extractor runs
in-process, in parallel, without the GIL). `source_path` holds Ray's path (absolute), not the
CLI's path relative to its input folder. On a cluster, connect with `ray.init("ray://...")`
(docs/engines.md).
"""

import sys

import govdocs
import pyarrow as pa
import ray

# The extensions `govdocs run` reads (pipelines/samples.toml).
EXTENSIONS = ["txt", "text", "pdf"]


def dataset(folder: str, name: str = "line_items") -> "ray.data.Dataset":
    """The rows of dataset `name` for every document under `folder`."""
    files = ray.data.read_binary_files(folder, include_paths=True, file_extensions=EXTENSIONS)

    def parse(batch: pa.Table) -> pa.Table:
        return pa.Table.from_batches([govdocs.parse_batch(batch, dataset=name)])

    # A few documents per call: each call parses its documents in parallel.
    return files.map_batches(parse, batch_format="pyarrow", batch_size=8)


def main(folder: str, output: str) -> None:
    ray.init(ignore_reinit_error=True, include_dashboard=False)
    items = dataset(folder, "line_items")
    items.write_parquet(output)
    print(ray.data.read_parquet(output).groupby("doc_kind").count().take_all())


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: ray_parse.py INPUT_FOLDER OUTPUT_FOLDER")
    main(sys.argv[1], sys.argv[2])
