"""Check the quality report's summary.json against figures computed here, independently, from the
Parquet datasets with DuckDB (and the catalogue of standard tables read with tomllib).

Usage: python tests/interop/report_check.py OUTPUT_DIR [REPORT_DIR]

REPORT_DIR defaults to OUTPUT_DIR/_report. The definitions are those of docs/report.md; nothing
here calls govdocs.
"""

import json
import pathlib
import sys
import tomllib

import duckdb

ROOT = pathlib.Path(__file__).resolve().parents[2]
SUMMARY_KINDS = ("income_expenditure_summary", "budget_summary")
DOUBTS = ("not_a_number", "failed_check", "ambiguous_placement", "unplaced")
NOT_REPAIRS = DOUBTS + ("missing_code", "thousands_separator")
TOTAL_LABELS = {
    "收入总计": "income_total",
    "支出总计": "expenditure_total",
    "本年收入合计": "income_this_year",
    "本年支出合计": "expenditure_this_year",
}


def expected_kinds():
    """doc_kind -> the table kinds the catalogue says it must print."""
    cat = tomllib.loads((ROOT / "crates/govdocs-core/catalogue/standard_tables.toml").read_text("utf-8"))
    out = {}
    for t in cat["table"]:
        for d in t.get("expected_in", []):
            out.setdefault(d, []).append(t["kind"])
    return out


def rows(con, sql):
    return con.execute(sql).fetchall()


def independent(out):
    con = duckdb.connect()
    for ds in ("documents", "tables", "cells", "checks"):
        con.execute(f"create view {ds} as select * from read_parquet('{out}/{ds}/*.parquet')")
    # One row per document (content), its status ok when any path parsed.
    con.execute(
        """create table docs as select doc_id, bool_or(status = 'ok') as ok,
           any_value(doc_kind) filter (where status = 'ok') as doc_kind,
           coalesce(bool_or(tables_attached) filter (where status = 'ok'), false) as attached,
           count(*) as paths
           from documents group by doc_id"""
    )
    expect = expected_kinds()
    fig = {"documents": 0, "ok": 0, "failed": 0, "by_kind": {}}
    per_doc = {}
    for doc_id, ok, kind, attached, _ in rows(con, "select * from docs"):
        fig["documents"] += 1
        fig["ok" if ok else "failed"] += 1
        if ok and kind:
            fig["by_kind"][kind] = fig["by_kind"].get(kind, 0) + 1
        # A narrative whose tables are attached apart (documents.tables_attached) expects none.
        per_doc[doc_id] = {"ok": ok, "kind": kind, "attached": attached}
    fig["inputs"] = rows(con, "select count(*) from documents")[0][0]

    # Standard tables: the best status of each kind per document.
    best = {}
    rank = {"parsed": 3, "empty": 2, "unparsed": 1}
    for doc_id, kind, status in rows(con, "select doc_id, kind, status from tables"):
        k = (doc_id, kind)
        best[k] = max(best.get(k, 0), rank[status])
    std_total = dict.fromkeys(("expected", "found", "parsed", "empty", "unparsed", "missing"), 0)
    by_kind = {}
    for doc_id, d in per_doc.items():
        st = dict.fromkeys(std_total, 0)
        if d["ok"] and not d["attached"]:
            for kind in expect.get(d["kind"], []):
                r = best.get((doc_id, kind), 0)
                what = {3: "parsed", 2: "empty", 1: "unparsed", 0: "missing"}[r]
                for key in ("expected", what) + (("found",) if r else ()):
                    st[key] += 1
                    bk = by_kind.setdefault(kind, dict.fromkeys(std_total, 0))
                    bk[key] += 1
        d["standard_tables"] = st
        for key in st:
            std_total[key] += st[key]
    fig["standard_tables"] = std_total
    fig["standard_tables_by_kind"] = by_kind

    # Tables, checks.
    t = dict(rows(con, "select status, count(*) from tables group by all"))
    fig["tables"] = {
        "total": sum(t.values()),
        "parsed": t.get("parsed", 0),
        "empty": t.get("empty", 0),
        "unparsed": t.get("unparsed", 0),
    }
    c = dict(rows(con, "select status, count(*) from checks group by all"))
    fig["checks"] = {
        "total": sum(c.values()),
        "passed": c.get("pass", 0),
        "failed": c.get("fail", 0),
        "failed_by_kind": dict(rows(con, "select kind, count(*) from checks where status = 'fail' group by all")),
    }
    for doc_id, passed, failed in rows(
        con,
        "select doc_id, count(*) filter (where status = 'pass'), count(*) filter (where status = 'fail') from checks group by all",
    ):
        per_doc[doc_id]["checks"] = (passed, failed)

    # Cells: amounts (trusted values), verified (in a passing check, in no failing one), …
    cell_sql = f"""
        select doc_id,
          count(*) as cells,
          count(*) filter (where value is not null) as amounts,
          count(*) filter (where value is not null and checks_passed > 0 and checks_failed = 0
                           and not list_contains(flags, 'failed_check')) as verified,
          count(*) filter (where checks_failed > 0 or list_contains(flags, 'failed_check')) as failed,
          count(*) filter (where value is null and checks_failed = 0
                           and not list_contains(flags, 'failed_check')) as untrusted
        from cells group by doc_id"""
    keys = ("cells", "amounts", "verified", "failed", "untrusted", "repaired")
    fig["cells"] = dict.fromkeys(keys, 0)
    repaired = {}
    for doc_id, flags in rows(con, "select doc_id, flags from cells where len(flags) > 0"):
        if any(f not in NOT_REPAIRS for f in flags):
            repaired[doc_id] = repaired.get(doc_id, 0) + 1
    for r in rows(con, cell_sql):
        per_doc[r[0]]["cells"] = dict(zip(keys, list(r[1:]) + [repaired.get(r[0], 0)]))
        for k, v in per_doc[r[0]]["cells"].items():
            fig["cells"][k] += v
    a = fig["cells"]["amounts"]
    fig["verified_share"] = fig["cells"]["verified"] / a if a else None

    # Grand totals: the parsed summary tables in order, the first that prints one; a row labelled
    # 收入总计 (or 总计 in the 收入 block), its lowest column; a bare 合计 in the 收入 block only
    # when no such row is in any of them.
    kinds = ", ".join(f"'{k}'" for k in SUMMARY_KINDS)
    total_sql = f"""
        with s as (select distinct doc_id, table_id from tables
                   where kind in ({kinds}) and status = 'parsed'),
        c as (select c.doc_id, c.table_id, c.col, c.value, c.block, c.row,
                     regexp_replace(c.row_label, '\\s', '', 'g') as label,
                     regexp_replace(c.block_label, '\\s', '', 'g') as blk
              from cells c join s using (doc_id, table_id))
        select doc_id, label, blk, col, value, block, row from c
        order by doc_id, table_id, col, block, row"""
    summary_docs = set(r[0] for r in rows(con, f"select distinct doc_id from tables where kind in ({kinds}) and status = 'parsed'"))
    totals, fallback = {}, {}
    for doc_id, label, blk, col, value, _, _ in rows(con, total_sql):
        key = TOTAL_LABELS.get(label)
        side = None
        if "收入" in blk and "支出" not in blk:
            side = "income_total"
        elif "支出" in blk and "收入" not in blk:
            side = "expenditure_total"
        if key is None and label == "总计":
            key = side
        if key and key not in totals.setdefault(doc_id, {}):
            totals[doc_id][key] = value
        if key is None and label == "合计" and side and side not in fallback.setdefault(doc_id, {}):
            fallback[doc_id][side] = value
    for doc_id, f in fallback.items():
        for k, v in f.items():
            totals.setdefault(doc_id, {}).setdefault(k, v)
    fig["totals"] = {"expected": 0, "summary_table": len(summary_docs), "present": 0, "balanced": 0, "unbalanced": 0}
    for doc_id, d in per_doc.items():
        if d["ok"] and not d["attached"] and any(k in SUMMARY_KINDS for k in expect.get(d["kind"], [])):
            fig["totals"]["expected"] += 1
        t = totals.get(doc_id, {})
        i, e = t.get("income_total"), t.get("expenditure_total")
        d["balanced"] = None if i is None or e is None else abs(i - e) <= 0.01
        d["totals"] = t
        if d["balanced"] is not None:
            fig["totals"]["present"] += 1
            fig["totals"]["balanced" if d["balanced"] else "unbalanced"] += 1
    return fig, per_doc


def main():
    out = pathlib.Path(sys.argv[1])
    report = pathlib.Path(sys.argv[2]) if len(sys.argv) > 2 else out / "_report"
    s = json.loads((report / "summary.json").read_text("utf-8"))
    fig, per_doc = independent(out)
    got = s["figures"]
    problems = []

    def same(what, a, b):
        if isinstance(a, float) or isinstance(b, float):
            ok = a is not None and b is not None and abs(a - b) < 1e-9
        else:
            ok = a == b
        if not ok:
            problems.append(f"{what}: summary.json {a!r}, Parquet {b!r}")

    same("inputs", s["inputs"], fig["inputs"])
    for k in ("documents", "ok", "failed", "by_kind", "standard_tables", "tables", "checks", "cells", "totals", "verified_share"):
        same(k, got[k], fig[k])
    same("standard_tables_by_kind", got["standard_tables_by_kind"], fig["standard_tables_by_kind"])
    same("documents listed", sorted(d["doc_id"] for d in s["documents"]), sorted(per_doc))
    for d in s["documents"]:
        p = per_doc[d["doc_id"]]
        name = d["source_path"]
        same(f"{name} status", d["status"] == "ok", p["ok"])
        if not p["ok"]:
            continue
        same(f"{name} standard_tables", d["standard_tables"], p["standard_tables"])
        same(f"{name} checks", (d["checks"]["passed"], d["checks"]["failed"]), p.get("checks", (0, 0)))
        cells = p.get("cells", dict.fromkeys(("cells", "amounts", "verified", "failed", "untrusted", "repaired"), 0))
        same(f"{name} cells", d["cells"], cells)
        same(f"{name} balanced", d["totals"]["balanced"], p["balanced"])
        values = {k: v["value"] for k, v in d["totals"]["values"].items() if v["value"] is not None}
        mine = {k: v for k, v in p["totals"].items() if v is not None}
        same(f"{name} totals", {k: float(v) for k, v in values.items()}, {k: float(v) for k, v in mine.items()})
    if problems:
        print("\n".join(problems))
        sys.exit(1)
    f = got
    print(
        f"summary.json matches the Parquet datasets: {f['documents']} documents ({f['ok']} ok), "
        f"standard tables {f['standard_tables']['found']}/{f['standard_tables']['expected']} found, "
        f"verified share {f['verified_share']}, balance holds in {f['totals']['balanced']} of {f['totals']['present']}"
    )


if __name__ == "__main__":
    main()
