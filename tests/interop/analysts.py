#!/usr/bin/env python3
"""The analysts' questions (examples/queries.sql) run in DuckDB on the samples' output, each answer
checked against the documents; then pandas (pyarrow dtypes), polars and DuckDB read the analyst
columns of `line_items` and `cells`.

Usage: analysts.py OUTPUT_DIR   (the output of `govdocs run pipelines/samples.toml`)
Exits 1 on a wrong answer or an unreadable column.

Every expected figure below was typed from the sample texts in samples/text (file and line
cited), in 万元 as printed, and converted here (1 万元 = 10 000 元); none comes from our output.
"""

import json
import sys
from decimal import Decimal
from pathlib import Path

import duckdb
import pandas as pd
import polars as pl
import pyarrow as pa

ROOT = Path(__file__).resolve().parents[2]
QUERIES = ROOT / "examples" / "queries.sql"

JIANGHAN = "江汉区科学技术和经济信息化局"  # 000 prints 武汉市江汉区…, 001 prints 江汉区…
JIANGAN = "江岸区科经局本级"  # 002
QINGSHAN = "青山区经济信息化和科技创新局"  # 003 prints 武汉市青山区…


def wan(s: str) -> Decimal:
    """An amount printed in 万元, in 元."""
    return Decimal(s.replace(",", "")) * 10000


# 1. Spending per 类, total column, per document:
#    000 表3 (lines 208–240), 001 支出预算总表 (lines 314–339), 002 公开03表 (lines 424–514),
#    003 公开03表 (lines 174–200: 项 rows only; 206 = 430.46 + 2.16 + 142.33 + 1,050.00 + 10.73
#    + 38.97 + 1,166.35 = 2,841.00, as its 公开04表 line 六、科学技术支出 prints).
BY_CLASS = {
    (JIANGHAN, 2020, "final_account", "206"): wan("5,089.08"),
    (JIANGHAN, 2020, "final_account", "208"): wan("97.74"),
    (JIANGHAN, 2020, "final_account", "210"): wan("52.22"),
    (JIANGHAN, 2020, "final_account", "215"): wan("59.50"),
    (JIANGHAN, 2020, "final_account", "221"): wan("50.72"),
    (JIANGHAN, 2022, "budget", "206"): wan("5,679.11"),
    (JIANGHAN, 2022, "budget", "208"): wan("107.30"),
    (JIANGHAN, 2022, "budget", "210"): wan("45.59"),
    (JIANGHAN, 2022, "budget", "215"): wan("78.00"),
    (JIANGHAN, 2022, "budget", "221"): wan("39.92"),
    (JIANGAN, 2023, "final_account", "201"): wan("5.00"),
    (JIANGAN, 2023, "final_account", "203"): wan("120.00"),
    (JIANGAN, 2023, "final_account", "206"): wan("3,959.66"),
    (JIANGAN, 2023, "final_account", "208"): wan("198.48"),
    (JIANGAN, 2023, "final_account", "210"): wan("131.46"),
    (JIANGAN, 2023, "final_account", "211"): wan("684.62"),
    (JIANGAN, 2023, "final_account", "213"): wan("4.00"),
    (JIANGAN, 2023, "final_account", "215"): wan("854.25"),
    (JIANGAN, 2023, "final_account", "221"): wan("93.19"),
    (QINGSHAN, 2024, "final_account", "203"): wan("576.00"),
    (QINGSHAN, 2024, "final_account", "206"): wan("2,841.00"),
    (QINGSHAN, 2024, "final_account", "208"): wan("79.59"),
    (QINGSHAN, 2024, "final_account", "210"): wan("117.34"),
    (QINGSHAN, 2024, "final_account", "212"): wan("329.22"),
    (QINGSHAN, 2024, "final_account", "215"): wan("33,014.10"),
    (QINGSHAN, 2024, "final_account", "221"): wan("86.33"),
    (QINGSHAN, 2024, "final_account", "224"): wan("2.00"),
    (QINGSHAN, 2024, "final_account", "229"): wan("37.69"),
}

# 2 and 3. The 合计 row: 本年支出合计 / 总计, 基本支出, 项目支出 (000 line 208, 001 line 314,
#    002 line 424, 003 line 174).
TOTALS = {
    (JIANGHAN, 2020, "final_account"): (wan("5,349.26"), wan("524.47"), wan("4,824.79")),
    (JIANGHAN, 2022, "budget"): (wan("5,949.92"), wan("448.90"), wan("5,501.02")),
    (JIANGAN, 2023, "final_account"): (wan("6,050.66"), wan("1,190.74"), wan("4,859.92")),
    (QINGSHAN, 2024, "final_account"): (wan("37,083.27"), wan("1,089.77"), wan("35,993.50")),
}

# 5. 收入支出决算总表 / 收支预算总表: 本年收入合计, 本年支出合计, carried in (年初结转和结余 +
#    使用非财政拨款结余), carried out (年末结转和结余 + 结余分配), 总计
#    (000 lines 147–150, 001 lines 273–275, 002 lines 226–232, 003 lines 106–111).
#    Blank lines are None.
BALANCE = {
    (JIANGHAN, 2020, "final_account"): (
        wan("5,382.07"), wan("5,349.26"), wan("375.12"), wan("407.93"), wan("5,757.19")),
    (JIANGHAN, 2022, "budget"): (
        wan("5,949.92"), wan("5,949.92"), None, None, wan("5,949.92")),
    (JIANGAN, 2023, "final_account"): (
        wan("6,050.66"), wan("6,050.66"), None, None, wan("6,050.66")),
    (QINGSHAN, 2024, "final_account"): (
        wan("37,083.27"), wan("37,083.27"), None, None, wan("37,083.27")),
}

NEW_COLUMNS = {
    "line_items": ["amount_yuan", "measure_std", "row_role", "department_key"],
    "cells": ["value_yuan", "measure_std", "row_role"],
}

failures = []


def check(what: str, ok: bool, detail: str = "") -> None:
    print(f"{'ok  ' if ok else 'FAIL'} {what}{': ' + detail if detail and not ok else ''}")
    if not ok:
        failures.append(what)


def files(out: Path, dataset: str) -> list:
    """The dataset's files: those `_current.json` lists, else every part file."""
    current = out / "_current.json"
    if current.exists():
        listed = json.loads(current.read_text())["datasets"].get(dataset, [])
        return [str(out / f) for f in listed]
    return sorted(str(p) for p in (out / dataset).glob("*.parquet"))


def queries() -> dict:
    """The named queries of examples/queries.sql."""
    named, name, lines = {}, None, []
    for line in QUERIES.read_text().splitlines():
        if line.startswith("-- name:"):
            if name:
                named[name] = "\n".join(lines)
            name, lines = line.split(":", 1)[1].strip(), []
        elif name:
            lines.append(line)
    if name:
        named[name] = "\n".join(lines)
    return named


def rows(con, sql: str) -> list:
    return con.execute(sql.strip().rstrip(";")).fetchall()


def compare(what: str, got: dict, expected: dict) -> None:
    missing = {k: v for k, v in expected.items() if k not in got}
    wrong = {k: (got[k], v) for k, v in expected.items() if k in got and got[k] != v}
    extra = {k: v for k, v in got.items() if k not in expected}
    check(what, not missing and not wrong and not extra,
          f"missing {missing}, wrong (got, expected) {wrong}, unexpected {extra}")


def main() -> None:
    out = Path(sys.argv[1])
    con = duckdb.connect()
    li = files(out, "line_items")
    con.execute(f"create view line_items as select * from read_parquet({li!r})")
    q = queries()
    check("examples/queries.sql names the five questions",
          set(q) == {"spending_by_class", "total_spending", "basic_and_project",
                     "budget_vs_final", "year_balance"}, str(sorted(q)))

    got = {(d, y, k, c): v for d, y, k, c, v in rows(con, q["spending_by_class"])}
    compare("1. spending per 类 (201 一般公共服务支出: 江岸区 2023 only)", got, BY_CLASS)

    got = {(d, y, k): v for d, y, k, v in rows(con, q["total_spending"])}
    compare("2. total spending by department and year", got,
            {k: v[0] for k, v in TOTALS.items()})

    got = {(d, y, k): (t, b, p) for d, y, k, b, p, t in rows(con, q["basic_and_project"])}
    compare("3. basic and project spending", got, TOTALS)
    for key, (total, basic, project) in TOTALS.items():
        check(f"3. {key}: 基本支出 + 项目支出 = 合计 as printed", basic + project == total)

    got = {(d, c, by, fy): (b, f, diff)
           for d, c, by, b, fy, f, diff in rows(con, q["budget_vs_final"])}
    expected = {}
    for (dep, year, kind, cls), yuan in BY_CLASS.items():
        if kind != "budget":
            continue
        for (dep2, year2, kind2, cls2), final in BY_CLASS.items():
            if kind2 == "final_account" and dep2 == dep and cls2 == cls:
                expected[(dep, cls, year, year2)] = (yuan, final, final - yuan)
    check("4. budget vs final account pairs 江汉区's 2022 budget with its 2020 final account",
          len(expected) == 5 and all(k[0] == JIANGHAN for k in expected), str(expected))
    compare("4. budget vs final account per 类", got, expected)

    got = {(d, y, k): tuple(v) for d, y, k, *v in rows(con, q["year_balance"])}
    compare("5. income, spending, carry-overs and grand totals", got, BALANCE)

    # Readers: every analyst column, in the three libraries.
    for dataset, cols in NEW_COLUMNS.items():
        paths = files(out, dataset)
        frame = pd.concat(
            [pd.read_parquet(p, dtype_backend="pyarrow") for p in paths], ignore_index=True)
        check(f"pandas (pyarrow dtypes) reads {dataset}.{', '.join(cols)}",
              all(c in frame.columns for c in cols), str(list(frame.columns)))
        money = cols[0]
        check(f"pandas: {dataset}.{money} is an exact decimal",
              pa.types.is_decimal(frame[money].dtype.pyarrow_dtype), str(frame[money].dtype))
        frame_pl = pl.read_parquet(paths)
        check(f"polars reads {dataset}.{', '.join(cols)}",
              all(c in frame_pl.columns for c in cols), str(frame_pl.columns))
        check(f"polars: {dataset}.{money} is Decimal(38, 6)",
              frame_pl.schema[money] == pl.Decimal(38, 6), str(frame_pl.schema[money]))
        got = con.execute(
            f"select {', '.join(cols)} from read_parquet({paths!r}) limit 1").description
        check(f"duckdb reads {dataset}.{', '.join(cols)}", [d[0] for d in got] == cols)

    # The values agree across the readers: one total in all three.
    sql = ("select sum(amount_yuan) from line_items where table_kind = 'expenditure' "
           "and measure_std = 'total' and row_role = 'total'")
    duck = rows(con, sql)[0][0]
    frame = pd.concat([pd.read_parquet(p, dtype_backend="pyarrow") for p in li])
    sel = frame[(frame.table_kind == "expenditure") & (frame.measure_std == "total")
                & (frame.row_role == "total")]
    pandas_sum = Decimal(str(pa.compute.sum(pa.chunked_array([sel.amount_yuan.array])).as_py()))
    polars_sum = (pl.read_parquet(li)
                  .filter((pl.col("table_kind") == "expenditure")
                          & (pl.col("measure_std") == "total") & (pl.col("row_role") == "total"))
                  .select(pl.col("amount_yuan").sum()).item())
    printed = sum(v[0] for k, v in TOTALS.items() if k[2] == "final_account")
    check("the final accounts' total spending agrees in duckdb, pandas and polars",
          duck == pandas_sum == Decimal(polars_sum) == printed,
          f"duckdb {duck}, pandas {pandas_sum}, polars {polars_sum}, printed {printed}")

    print(f"analysts: {'all answers right' if not failures else f'{len(failures)} wrong'}")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
