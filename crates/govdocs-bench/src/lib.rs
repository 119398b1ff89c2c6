//! govdocs-bench: a corpus generator that turns the sample disclosures into any number of
//! distinct documents whose stated arithmetic still holds, and the pieces the end-to-end
//! benchmark driver (`govdocs-bench-e2e`) shares with it.
//!
//! A generated document is one text sample with: another district in the department name, the
//! years shifted by the same number of years, every amount multiplied by the same small integer
//! factor (two decimals kept, so sums, code hierarchy and the `注` identities stay exact), and
//! the noise of DOMAIN.md (full-width digits, `36716. 36`, `2, 841. 00`) put on some amounts.

pub mod corpus;
pub mod noise;
pub mod rng;
