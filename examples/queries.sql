-- Questions an analyst asks of govdocs' output, answered in DuckDB (docs/analysts.md explains
-- the columns and the rules). Each query starts at a `-- name:` line; tests/interop/analysts.py
-- runs them on the samples' output and checks every figure against the documents.
--
-- `line_items` stands for the dataset. Create it once per session:
--   create view line_items as select * from read_parquet('output/line_items/*.parquet');
-- (while a run may be writing, read the files listed in output/_current.json: see the README).
--
-- Three rules make sums right across documents:
--   * sum `amount_yuan` (元), never `amount`: documents print 万元, 元 or 亿元;
--   * pick one measure: `measure_std = 'total'` is the row's whole amount in its table; the
--     other columns (basic, project, …) are parts of it;
--   * pick the rows: `row_role = 'item'` for subjects, `row_role = 'total'` for the table's
--     合计 row, and one level of the 类 > 款 > 项 hierarchy (a 类 row is the sum of its 项 rows).

-- name: spending_by_class
-- 1. Spending per 类 (3-digit functional class) by department and year, in 元: the 支出决算表
--    of a final account, the 支出预算总表 of a budget. Add `where class = '201'` for
--    一般公共服务支出. A table that prints no 类 row (only 项 rows, as 青山区's 2024 公开03表)
--    is summed at the highest level it prints, so every document counts once.
with rows as (
    select doc_id, department_key, fiscal_year, doc_kind,
           left(subject_code, 3) as class, subject_level, amount_yuan
    from line_items
    where table_kind in ('expenditure', 'budget_expenditure')
      and measure_std = 'total'
      and row_role = 'item'
      and subject_code is not null
), printed as (
    select doc_id, class, min(subject_level) as level from rows group by all
)
select department_key, fiscal_year, doc_kind, class, sum(amount_yuan) as yuan
from rows join printed using (doc_id, class)
where rows.subject_level = printed.level
group by all
order by all;

-- name: total_spending
-- 2. Total spending by department and year, in 元: the 合计 row's total column. (The README's
--    old `table_kind = 'expenditure' and subject_level = 1` summed the 本年支出合计, 基本支出 and
--    项目支出 columns together and doubled the total; `measure_std = 'total'` takes one.)
select department_key, fiscal_year, doc_kind, sum(amount_yuan) as yuan
from line_items
where table_kind in ('expenditure', 'budget_expenditure')
  and measure_std = 'total'
  and row_role = 'total'
group by all
order by all;

-- name: basic_and_project
-- 3. Basic (基本支出) and project (项目支出) spending by department and year, in 元.
select department_key, fiscal_year, doc_kind,
       sum(amount_yuan) filter (where measure_std = 'basic') as basic_yuan,
       sum(amount_yuan) filter (where measure_std = 'project') as project_yuan,
       sum(amount_yuan) filter (where measure_std = 'total') as total_yuan
from line_items
where table_kind in ('expenditure', 'budget_expenditure')
  and row_role = 'total'
group by all
order by all;

-- name: budget_vs_final
-- 4. A department's budget against its final account, per 类, in 元: joined on
--    `department_key` (the same body whatever the document prints: `武汉市江汉区…局` and
--    `江汉区…局`). Add `and b.fiscal_year = f.fiscal_year` to compare one year; the samples hold
--    江汉区's 2022 budget and 2020 final account.
with rows as (
    select doc_id, department_key, fiscal_year, doc_kind,
           left(subject_code, 3) as class, subject_level, amount_yuan
    from line_items
    where table_kind in ('expenditure', 'budget_expenditure')
      and measure_std = 'total'
      and row_role = 'item'
      and subject_code is not null
), printed as (
    select doc_id, class, min(subject_level) as level from rows group by all
), by_class as (
    select department_key, fiscal_year, doc_kind, class, sum(amount_yuan) as yuan
    from rows join printed using (doc_id, class)
    where rows.subject_level = printed.level
    group by all
)
select b.department_key, b.class,
       b.fiscal_year as budget_year, b.yuan as budget_yuan,
       f.fiscal_year as final_year, f.yuan as final_yuan,
       f.yuan - b.yuan as final_minus_budget_yuan
from by_class b
join by_class f on f.department_key = b.department_key and f.class = b.class
where b.doc_kind = 'budget' and f.doc_kind = 'final_account'
order by all;

-- name: year_balance
-- 5. Did each department spend what it received? The year's income and spending, what was
--    brought forward and carried forward, and the grand totals, from the 收入支出决算总表 (01)
--    or the 收支预算总表, in 元. Each printed line counts once: a budget summary prints its
--    spending side twice (by function and by economic class). Blank lines give null.
with lines as (
    select doc_id, department_key, fiscal_year, doc_kind, block, row_role, subject_name,
           max(amount_yuan) as yuan
    from line_items
    where table_kind in ('income_expenditure_summary', 'budget_summary')
      and measure_std = 'total'
      and row_role in ('total', 'grand_total', 'carryover', 'balance')
    group by all
)
select department_key, fiscal_year, doc_kind,
       max(yuan) filter (where block = '收入' and row_role = 'total') as income_yuan,
       max(yuan) filter (where block = '支出' and row_role = 'total') as spending_yuan,
       sum(yuan) filter (where block = '收入' and row_role = 'carryover') as brought_forward_yuan,
       sum(yuan) filter (where block = '支出' and row_role = 'balance') as carried_forward_yuan,
       max(yuan) filter (where block = '收入' and row_role = 'grand_total') as grand_total_yuan
from lines
group by doc_id, department_key, fiscal_year, doc_kind
order by all;
