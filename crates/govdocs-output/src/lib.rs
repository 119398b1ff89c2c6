//! govdocs-output: the Arrow schemas of the govdocs datasets and the atomic Parquet writer.
//! Every dataset lives in its own folder under the output folder; files are written aside and
//! renamed into place, so a reader never sees a half-written file.

mod columns;
pub mod facts;
pub mod read;
pub mod rows;
pub mod write;

pub use facts::{CellRow, CheckRow, LineItemRow, TableRow};
pub use rows::{DocumentRow, SectionRow};
pub use write::{sync_dir, write_dataset, Dataset, PartWriter, Written};
