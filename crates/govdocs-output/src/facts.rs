//! Row types and Arrow batches of the table datasets: `tables`, `cells`, `line_items`, `checks`.

use crate::columns::{lists, strings, u32s};
use crate::rows::field;
use arrow_array::builder::{BooleanBuilder, Decimal128Builder, Int32Builder, UInt8Builder};
use arrow_array::{ArrayRef, RecordBatch};
use arrow_schema::{DataType, Field, Schema, SchemaRef};
use rust_decimal::Decimal;
use std::sync::Arc;

/// Precision of every amount column (Decimal128).
pub const AMOUNT_PRECISION: u8 = 38;
/// Scale of every amount column: six decimal places hold amounts printed in 万元 to the yuan
/// cent (`9,616.338314`) and percentages; a cell with more places is flagged by the parser
/// (`govdocs_core::AMOUNT_DECIMALS`) and never reaches a dataset.
pub const AMOUNT_SCALE: i8 = govdocs_core::AMOUNT_DECIMALS as i8;

/// The exact Decimal128 mantissa of a value at [`AMOUNT_SCALE`], or `None` if it would need rounding.
pub fn mantissa(d: Decimal) -> Option<i128> {
    let mut d = d;
    if d.scale() > AMOUNT_SCALE as u32 {
        let r = d.round_dp(AMOUNT_SCALE as u32);
        if r != d {
            return None;
        }
        d = r;
    }
    d.rescale(AMOUNT_SCALE as u32);
    (d.scale() == AMOUNT_SCALE as u32).then(|| d.mantissa())
}

fn amount_type() -> DataType {
    DataType::Decimal128(AMOUNT_PRECISION, AMOUNT_SCALE)
}

fn list_type() -> DataType {
    DataType::List(Arc::new(Field::new("item", DataType::Utf8, true)))
}

/// One row of `tables`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TableRow<'a> {
    /// Document.
    pub doc_id: &'a str,
    /// Ordinal of the table in its document.
    pub table_id: u32,
    /// The section the table lies in.
    pub section_id: Option<u32>,
    /// Title as printed.
    pub title: &'a str,
    /// Table code (`公开01表`, `表1`, `公开表7`).
    pub code: Option<&'a str>,
    /// Standard table kind.
    pub kind: &'a str,
    /// Money unit.
    pub unit: Option<&'a str>,
    /// `parsed`, `empty` or `unparsed`.
    pub status: &'a str,
    /// Why unparsed.
    pub reason: Option<&'a str>,
    /// Rows over all blocks.
    pub n_rows: u32,
    /// Value columns over all blocks.
    pub n_cols: u32,
    /// Side-by-side blocks.
    pub n_blocks: u32,
    /// Label path of every value column, `block/label [栏次]`.
    pub column_labels: Vec<String>,
    /// First source line.
    pub line_start: u32,
    /// Last source line.
    pub line_end: u32,
    /// Page where the table starts (PDF).
    pub page: Option<u32>,
    /// Checks passed on this table.
    pub checks_passed: u32,
    /// Checks failed on this table.
    pub checks_failed: u32,
    /// The `注` lines.
    pub notes: &'a str,
    /// Raw text, kept when the table is unparsed.
    pub raw_text: Option<&'a str>,
}

/// One row of `cells`: one non-blank value cell of a parsed table.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CellRow<'a> {
    /// Document.
    pub doc_id: &'a str,
    /// Table.
    pub table_id: u32,
    /// Block index (0 for single-block tables).
    pub block: u32,
    /// Block label (`收入`, `支出`, `人员经费`).
    pub block_label: &'a str,
    /// Row index within the block.
    pub row: u32,
    /// Value column index within the block.
    pub col: u32,
    /// Source line of the row.
    pub line: u32,
    /// Page (PDF).
    pub page: Option<u32>,
    /// Row label (subject name or item).
    pub row_label: &'a str,
    /// Row subject code.
    pub row_code: Option<&'a str>,
    /// The row's 行次 number.
    pub row_line_no: Option<u32>,
    /// Column header label path.
    pub col_label: &'a str,
    /// 栏次 number.
    pub col_no: Option<u32>,
    /// Text as printed.
    pub raw: &'a str,
    /// Exact value; null when not a number or not trusted.
    pub value: Option<Decimal>,
    /// Unit of the value.
    pub unit: Option<&'a str>,
    /// The value in 元 (null when `value` is, or the unit is not money).
    pub value_yuan: Option<Decimal>,
    /// Repairs and doubts.
    pub flags: Vec<&'a str>,
    /// Checks that passed and list this cell.
    pub checks_passed: u32,
    /// Checks that failed and list this cell.
    pub checks_failed: u32,
    /// Canonical measure of the column (`total`, `basic`, …).
    pub measure_std: Option<&'static str>,
    /// Role of the row (`item`, `total`, …).
    pub row_role: Option<&'static str>,
}

/// One row of `line_items`: a trusted amount with the context analysts filter on.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LineItemRow<'a> {
    /// Document.
    pub doc_id: &'a str,
    /// Fiscal year of the document.
    pub fiscal_year: Option<i32>,
    /// Department.
    pub department: Option<&'a str>,
    /// Document kind.
    pub doc_kind: &'a str,
    /// Table.
    pub table_id: u32,
    /// Table kind.
    pub table_kind: &'a str,
    /// Table code.
    pub table_code: Option<&'a str>,
    /// Block label.
    pub block: &'a str,
    /// Subject code.
    pub subject_code: Option<&'a str>,
    /// 1 类, 2 款, 3 项 (by code length).
    pub subject_level: Option<u8>,
    /// Subject name or row label.
    pub subject_name: &'a str,
    /// Column label path.
    pub measure: &'a str,
    /// 栏次 number.
    pub col_no: Option<u32>,
    /// The amount.
    pub amount: Decimal,
    /// Unit.
    pub unit: Option<&'a str>,
    /// The amount in 元 (null when the unit is unknown or not money).
    pub amount_yuan: Option<Decimal>,
    /// Canonical measure of the column (`total`, `basic`, …).
    pub measure_std: Option<&'static str>,
    /// Role of the row (`item`, `total`, …).
    pub row_role: Option<&'static str>,
    /// The department's key, the same for the same body across documents (shared by the rows
    /// of a document).
    pub department_key: Option<Arc<str>>,
}

/// One row of `checks`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CheckRow<'a> {
    /// Document.
    pub doc_id: &'a str,
    /// Ordinal of the check in its document.
    pub check_id: u32,
    /// Table checked; null for cross-table checks.
    pub table_id: Option<u32>,
    /// The rule.
    pub rule: &'a str,
    /// Where it was applied.
    pub location: &'a str,
    /// `stated`, `hierarchy`, `total`, `cross_table`.
    pub kind: &'a str,
    /// Left-hand side value.
    pub expected: Decimal,
    /// Sum of the parts.
    pub actual: Decimal,
    /// `actual − expected`.
    pub delta: Decimal,
    /// Allowed difference.
    pub tolerance: Decimal,
    /// `pass` or `fail`.
    pub status: &'a str,
}

/// Arrow schema of `tables`.
pub fn tables_schema() -> SchemaRef {
    use DataType::*;
    Arc::new(Schema::new(vec![
        field("doc_id", Utf8, false),
        field("table_id", UInt32, false),
        field("section_id", UInt32, true),
        field("title", Utf8, false),
        field("code", Utf8, true),
        field("kind", Utf8, false),
        field("unit", Utf8, true),
        field("status", Utf8, false),
        field("reason", Utf8, true),
        field("n_rows", UInt32, false),
        field("n_cols", UInt32, false),
        field("n_blocks", UInt32, false),
        field("column_labels", list_type(), false),
        field("line_start", UInt32, false),
        field("line_end", UInt32, false),
        field("page", UInt32, true),
        field("checks_passed", UInt32, false),
        field("checks_failed", UInt32, false),
        field("notes", Utf8, false),
        field("raw_text", Utf8, true),
    ]))
}

/// Arrow schema of `cells`.
pub fn cells_schema() -> SchemaRef {
    use DataType::*;
    Arc::new(Schema::new(vec![
        field("doc_id", Utf8, false),
        field("table_id", UInt32, false),
        field("block", UInt32, false),
        field("block_label", Utf8, false),
        field("row", UInt32, false),
        field("col", UInt32, false),
        field("line", UInt32, false),
        field("page", UInt32, true),
        field("row_label", Utf8, false),
        field("row_code", Utf8, true),
        field("row_line_no", UInt32, true),
        field("col_label", Utf8, false),
        field("col_no", UInt32, true),
        field("raw", Utf8, false),
        field("value", amount_type(), true),
        field("unit", Utf8, true),
        field("value_yuan", amount_type(), true),
        field("flags", list_type(), false),
        field("trusted", Boolean, false),
        field("checks_passed", UInt32, false),
        field("checks_failed", UInt32, false),
        field("measure_std", Utf8, true),
        field("row_role", Utf8, true),
    ]))
}

/// Arrow schema of `line_items`.
pub fn line_items_schema() -> SchemaRef {
    use DataType::*;
    Arc::new(Schema::new(vec![
        field("doc_id", Utf8, false),
        field("fiscal_year", Int32, true),
        field("department", Utf8, true),
        field("doc_kind", Utf8, false),
        field("table_id", UInt32, false),
        field("table_kind", Utf8, false),
        field("table_code", Utf8, true),
        field("block", Utf8, false),
        field("subject_code", Utf8, true),
        field("subject_level", UInt8, true),
        field("subject_name", Utf8, false),
        field("measure", Utf8, false),
        field("col_no", UInt32, true),
        field("amount", amount_type(), false),
        field("unit", Utf8, true),
        field("amount_yuan", amount_type(), true),
        field("measure_std", Utf8, true),
        field("row_role", Utf8, true),
        field("department_key", Utf8, true),
    ]))
}

/// Arrow schema of `checks`.
pub fn checks_schema() -> SchemaRef {
    use DataType::*;
    Arc::new(Schema::new(vec![
        field("doc_id", Utf8, false),
        field("check_id", UInt32, false),
        field("table_id", UInt32, true),
        field("rule", Utf8, false),
        field("location", Utf8, false),
        field("kind", Utf8, false),
        field("expected", amount_type(), false),
        field("actual", amount_type(), false),
        field("delta", amount_type(), false),
        field("tolerance", amount_type(), false),
        field("status", Utf8, false),
    ]))
}

fn amounts<R>(rows: &[R], f: impl Fn(&R) -> Option<Decimal>) -> ArrayRef {
    let mut b = Decimal128Builder::with_capacity(rows.len());
    rows.iter()
        .for_each(|r| b.append_option(f(r).and_then(mantissa)));
    Arc::new(
        b.finish()
            .with_precision_and_scale(AMOUNT_PRECISION, AMOUNT_SCALE)
            .expect("valid decimal type"),
    )
}

/// Build the `tables` record batch.
pub fn tables_batch(rows: &[TableRow<'_>]) -> RecordBatch {
    let cols: Vec<ArrayRef> = vec![
        strings(rows, |r| Some(r.doc_id)),
        u32s(rows, |r| Some(r.table_id)),
        u32s(rows, |r| r.section_id),
        strings(rows, |r| Some(r.title)),
        strings(rows, |r| r.code),
        strings(rows, |r| Some(r.kind)),
        strings(rows, |r| r.unit),
        strings(rows, |r| Some(r.status)),
        strings(rows, |r| r.reason),
        u32s(rows, |r| Some(r.n_rows)),
        u32s(rows, |r| Some(r.n_cols)),
        u32s(rows, |r| Some(r.n_blocks)),
        lists(rows, |r| &r.column_labels),
        u32s(rows, |r| Some(r.line_start)),
        u32s(rows, |r| Some(r.line_end)),
        u32s(rows, |r| r.page),
        u32s(rows, |r| Some(r.checks_passed)),
        u32s(rows, |r| Some(r.checks_failed)),
        strings(rows, |r| Some(r.notes)),
        strings(rows, |r| r.raw_text),
    ];
    RecordBatch::try_new(tables_schema(), cols).expect("tables columns match schema")
}

/// Build the `cells` record batch.
pub fn cells_batch(rows: &[CellRow<'_>]) -> RecordBatch {
    let mut trusted = BooleanBuilder::with_capacity(rows.len());
    rows.iter()
        .for_each(|r| trusted.append_value(r.value.is_some()));
    let cols: Vec<ArrayRef> = vec![
        strings(rows, |r| Some(r.doc_id)),
        u32s(rows, |r| Some(r.table_id)),
        u32s(rows, |r| Some(r.block)),
        strings(rows, |r| Some(r.block_label)),
        u32s(rows, |r| Some(r.row)),
        u32s(rows, |r| Some(r.col)),
        u32s(rows, |r| Some(r.line)),
        u32s(rows, |r| r.page),
        strings(rows, |r| Some(r.row_label)),
        strings(rows, |r| r.row_code),
        u32s(rows, |r| r.row_line_no),
        strings(rows, |r| Some(r.col_label)),
        u32s(rows, |r| r.col_no),
        strings(rows, |r| Some(r.raw)),
        amounts(rows, |r| r.value),
        strings(rows, |r| r.unit),
        amounts(rows, |r| r.value_yuan),
        lists(rows, |r| &r.flags),
        Arc::new(trusted.finish()),
        u32s(rows, |r| Some(r.checks_passed)),
        u32s(rows, |r| Some(r.checks_failed)),
        strings(rows, |r| r.measure_std),
        strings(rows, |r| r.row_role),
    ];
    RecordBatch::try_new(cells_schema(), cols).expect("cells columns match schema")
}

/// Build the `line_items` record batch.
pub fn line_items_batch(rows: &[LineItemRow<'_>]) -> RecordBatch {
    let mut year = Int32Builder::with_capacity(rows.len());
    let mut level = UInt8Builder::with_capacity(rows.len());
    for r in rows {
        year.append_option(r.fiscal_year);
        level.append_option(r.subject_level);
    }
    let cols: Vec<ArrayRef> = vec![
        strings(rows, |r| Some(r.doc_id)),
        Arc::new(year.finish()),
        strings(rows, |r| r.department),
        strings(rows, |r| Some(r.doc_kind)),
        u32s(rows, |r| Some(r.table_id)),
        strings(rows, |r| Some(r.table_kind)),
        strings(rows, |r| r.table_code),
        strings(rows, |r| Some(r.block)),
        strings(rows, |r| r.subject_code),
        Arc::new(level.finish()),
        strings(rows, |r| Some(r.subject_name)),
        strings(rows, |r| Some(r.measure)),
        u32s(rows, |r| r.col_no),
        amounts(rows, |r| Some(r.amount)),
        strings(rows, |r| r.unit),
        amounts(rows, |r| r.amount_yuan),
        strings(rows, |r| r.measure_std),
        strings(rows, |r| r.row_role),
        strings(rows, |r| r.department_key.as_deref()),
    ];
    RecordBatch::try_new(line_items_schema(), cols).expect("line_items columns match schema")
}

/// Build the `checks` record batch.
pub fn checks_batch(rows: &[CheckRow<'_>]) -> RecordBatch {
    let cols: Vec<ArrayRef> = vec![
        strings(rows, |r| Some(r.doc_id)),
        u32s(rows, |r| Some(r.check_id)),
        u32s(rows, |r| r.table_id),
        strings(rows, |r| Some(r.rule)),
        strings(rows, |r| Some(r.location)),
        strings(rows, |r| Some(r.kind)),
        amounts(rows, |r| Some(r.expected)),
        amounts(rows, |r| Some(r.actual)),
        amounts(rows, |r| Some(r.delta)),
        amounts(rows, |r| Some(r.tolerance)),
        strings(rows, |r| Some(r.status)),
    ];
    RecordBatch::try_new(checks_schema(), cols).expect("checks columns match schema")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mantissa_is_exact_or_none() {
        let d = |s: &str| s.parse::<Decimal>().unwrap();
        assert_eq!(mantissa(d("5382.07")), Some(5_382_070_000));
        assert_eq!(mantissa(d("0.00")), Some(0));
        assert_eq!(mantissa(d("-12.5")), Some(-12_500_000));
        assert_eq!(mantissa(d("171915169")), Some(171_915_169_000_000));
        assert_eq!(mantissa(d("1.00000000")), Some(1_000_000));
        // 万元 printed to the yuan cent.
        assert_eq!(mantissa(d("9616.338314")), Some(9_616_338_314));
        assert_eq!(mantissa(d("0.1234567")), None);
    }
}
