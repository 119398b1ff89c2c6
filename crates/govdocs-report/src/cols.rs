//! Typed access to the columns of a dataset batch by name. A column an older output folder does
//! not have is `None`, so the report reads any run's files; a column of an unexpected type is an
//! error naming it.

use anyhow::{bail, Result};
use arrow_array::{
    Array, BooleanArray, Decimal128Array, Int32Array, ListArray, RecordBatch, StringArray,
    UInt32Array, UInt64Array, UInt8Array,
};
use arrow_schema::DataType;
use rust_decimal::Decimal;

/// The column `name` of `b` as `T`, `None` when the batch has no such column.
fn typed<'a, T: 'static>(b: &'a RecordBatch, name: &str) -> Result<Option<&'a T>> {
    let Some(c) = b.column_by_name(name) else {
        return Ok(None);
    };
    match c.as_any().downcast_ref::<T>() {
        Some(a) => Ok(Some(a)),
        None => bail!(
            "column {name} has type {}, not the documented one",
            c.data_type()
        ),
    }
}

/// A string column.
pub fn strs<'a>(b: &'a RecordBatch, name: &str) -> Result<Option<&'a StringArray>> {
    typed(b, name)
}

/// A uint32 column.
pub fn u32s<'a>(b: &'a RecordBatch, name: &str) -> Result<Option<&'a UInt32Array>> {
    typed(b, name)
}

/// A uint64 column.
pub fn u64s<'a>(b: &'a RecordBatch, name: &str) -> Result<Option<&'a UInt64Array>> {
    typed(b, name)
}

/// An int32 column.
pub fn i32s<'a>(b: &'a RecordBatch, name: &str) -> Result<Option<&'a Int32Array>> {
    typed(b, name)
}

/// A uint8 column.
pub fn u8s<'a>(b: &'a RecordBatch, name: &str) -> Result<Option<&'a UInt8Array>> {
    typed(b, name)
}

/// A boolean column.
pub fn bools<'a>(b: &'a RecordBatch, name: &str) -> Result<Option<&'a BooleanArray>> {
    typed(b, name)
}

/// A list<string> column.
pub fn lists<'a>(b: &'a RecordBatch, name: &str) -> Result<Option<&'a ListArray>> {
    typed(b, name)
}

/// A decimal column with its scale.
pub fn decimals<'a>(b: &'a RecordBatch, name: &str) -> Result<Option<Decimals<'a>>> {
    let Some(a) = typed::<Decimal128Array>(b, name)? else {
        return Ok(None);
    };
    let DataType::Decimal128(_, scale) = a.data_type() else {
        bail!("column {name} is not a decimal");
    };
    Ok(Some(Decimals {
        array: a,
        scale: *scale,
    }))
}

/// A column that must be there.
pub fn need<T>(c: Option<T>, name: &str) -> Result<T> {
    match c {
        Some(c) => Ok(c),
        None => bail!("column {name} is missing"),
    }
}

/// A decimal column and its scale.
#[derive(Clone, Copy)]
pub struct Decimals<'a> {
    array: &'a Decimal128Array,
    scale: i8,
}

impl Decimals<'_> {
    /// The exact value at `i`; `None` when null (or beyond rust_decimal's 28 digits).
    pub fn get(&self, i: usize) -> Option<Decimal> {
        if self.array.is_null(i) {
            return None;
        }
        let m = self.array.value(i);
        if self.scale >= 0 {
            Decimal::try_from_i128_with_scale(m, self.scale as u32).ok()
        } else {
            Decimal::try_from_i128_with_scale(m, 0)
                .ok()?
                .checked_mul(Decimal::from(10i64.pow((-self.scale) as u32)))
        }
    }

    /// True when the value at `i` is null.
    pub fn is_null(&self, i: usize) -> bool {
        self.array.is_null(i)
    }
}

/// The string at `i`, `None` when null.
pub fn s(a: &StringArray, i: usize) -> Option<&str> {
    (!a.is_null(i)).then(|| a.value(i))
}

/// The string at `i` of an optional column, `None` when absent or null.
pub fn os(a: Option<&StringArray>, i: usize) -> Option<&str> {
    a.and_then(|a| s(a, i))
}

/// The u32 at `i` of an optional column, `None` when absent or null.
pub fn ou32(a: Option<&UInt32Array>, i: usize) -> Option<u32> {
    a.and_then(|a| (!a.is_null(i)).then(|| a.value(i)))
}

/// The strings of a list cell at `i` (empty when absent or null).
pub fn list_at(a: Option<&ListArray>, i: usize) -> Vec<String> {
    let Some(a) = a else { return Vec::new() };
    if a.is_null(i) {
        return Vec::new();
    }
    let v = a.value(i);
    let Some(v) = v.as_any().downcast_ref::<StringArray>() else {
        return Vec::new();
    };
    (0..v.len())
        .filter_map(|j| s(v, j).map(str::to_string))
        .collect()
}

/// Call `f` with each string of the list cell at `i` (nothing when absent or null), without
/// copying them.
pub fn each_in_list(a: Option<&ListArray>, i: usize, mut f: impl FnMut(&str)) {
    let Some(a) = a else { return };
    if a.is_null(i) {
        return;
    }
    let Some(v) = a.values().as_any().downcast_ref::<StringArray>() else {
        return;
    };
    let offsets = a.value_offsets();
    for j in offsets[i] as usize..offsets[i + 1] as usize {
        if !v.is_null(j) {
            f(v.value(j));
        }
    }
}
