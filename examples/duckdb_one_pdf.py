#!/usr/bin/env python3
"""Notebook-style: parse one PDF in-process and query its rows with DuckDB and polars.

    pip install duckdb polars target/wheels/govdocs-*.whl
    python examples/duckdb_one_pdf.py ../shared/pdfs/putuo-commerce-2025-budget.pdf

`govdocs.parse` returns the six datasets of one document as `pyarrow.Table`s (the rows
`govdocs run` writes; `source_path` is the path given). DuckDB queries them by variable name,
polars takes them without a copy.
"""

import sys
from pathlib import Path

import duckdb
import govdocs
import polars as pl


def main(pdf: str) -> None:
    datasets = govdocs.parse(Path(pdf).read_bytes(), pdf)
    documents, line_items, checks = datasets["documents"], datasets["line_items"], datasets["checks"]
    doc = documents.to_pylist()[0]
    print(f"{doc['source_path']}: {doc['status']}, {doc['title']} ({doc['fiscal_year']}, {doc['doc_kind']})")
    print(f"{doc['n_tables']} tables, {line_items.num_rows} line items, {doc['n_checks']} checks")

    # DuckDB: the largest spending lines of each table, in yuan.
    print(
        duckdb.sql(
            """
            SELECT table_kind, subject_code, subject_name, measure_std, amount_yuan
            FROM line_items
            WHERE amount_yuan IS NOT NULL
            QUALIFY row_number() OVER (PARTITION BY table_kind ORDER BY amount_yuan DESC) <= 3
            ORDER BY table_kind, amount_yuan DESC
            """
        )
    )

    # polars: the document's own arithmetic, by kind of check and outcome.
    print(pl.from_arrow(checks).group_by("kind", "status").len().sort("kind", "status"))


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: duckdb_one_pdf.py FILE.pdf")
    main(sys.argv[1])
