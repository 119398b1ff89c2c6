//! The library side of `govdocs-cli`: the PDF adapter and the processing of one document into
//! its rows and Arrow batches, shared by the `govdocs` binary and the fuzz targets so that both
//! run the same code.

pub mod pdf_input;
pub mod process;
pub mod ruled;
