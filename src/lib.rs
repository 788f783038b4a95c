//! deckc compiles Python interview-prep guides into study decks: an Anki
//! package, CSV for other flashcard tools, and JSON. The crate is a small
//! compiler pipeline (see ARCHITECTURE.md): `sources` parse each guide layout,
//! `normalize` repairs extraction damage, `overlay` attaches authored text,
//! `classify` labels, `dedup` merges, `assemble` builds cards, `emit` formats
//! them. Only `driver` does I/O.

#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]

pub mod assemble;
pub mod classify;
pub mod config;
pub mod corpus;
pub mod dedup;
pub mod driver;
pub mod emit;
pub mod error;
pub mod filter;
pub mod hash;
pub mod lock;
pub mod manifest;
pub mod model;
pub mod normalize;
pub mod overlay;
pub mod par;
pub mod pipeline;
pub mod prefetch;
pub mod progress;
pub mod render;
pub mod sources;
pub mod stats;
pub mod yaml;

pub use config::Config;
pub use driver::{run, Outcome};
