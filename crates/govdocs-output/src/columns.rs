//! Arrow column builders shared by the datasets' batch functions: one column from a field of
//! every row, with its buffers sized up front (no growing and copying while appending).

use arrow_array::builder::{ListBuilder, StringBuilder, UInt32Builder};
use arrow_array::ArrayRef;
use std::sync::Arc;

/// A string column.
pub(crate) fn strings<R>(rows: &[R], f: impl Fn(&R) -> Option<&str>) -> ArrayRef {
    let bytes = rows.iter().map(|r| f(r).map_or(0, str::len)).sum();
    let mut b = StringBuilder::with_capacity(rows.len(), bytes);
    rows.iter().for_each(|r| b.append_option(f(r)));
    Arc::new(b.finish())
}

/// A uint32 column.
pub(crate) fn u32s<R>(rows: &[R], f: impl Fn(&R) -> Option<u32>) -> ArrayRef {
    let mut b = UInt32Builder::with_capacity(rows.len());
    rows.iter().for_each(|r| b.append_option(f(r)));
    Arc::new(b.finish())
}

/// A list<string> column.
pub(crate) fn lists<R, S: AsRef<str>>(rows: &[R], f: impl Fn(&R) -> &[S]) -> ArrayRef {
    let (items, bytes) = rows
        .iter()
        .flat_map(&f)
        .fold((0, 0), |(n, b), s| (n + 1, b + s.as_ref().len()));
    let mut b = ListBuilder::with_capacity(StringBuilder::with_capacity(items, bytes), rows.len());
    for r in rows {
        for s in f(r) {
            b.values().append_value(s.as_ref());
        }
        b.append(true);
    }
    Arc::new(b.finish())
}
