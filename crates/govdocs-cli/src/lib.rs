//! The library side of `govdocs-cli`: the PDF adapter, shared by the `govdocs` binary and the
//! `pdf_loader` fuzz target so that both run the same conversion.

pub mod pdf_input;
