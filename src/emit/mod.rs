//! Emitters: each turns a finished `Build` into the bytes of one or more
//! output files. Emitters never decide content (that is `assemble`'s job);
//! they only format it, deterministically, and never touch the filesystem.

use crate::classify::Taxonomy;
use crate::error::EmitError;
use crate::lock::Lock;
use crate::model::Card;
use std::path::PathBuf;

mod csv;
mod json;
mod obsidian;
mod quizlet;
mod report;

pub use self::csv::Csv;
pub use self::json::Json;
pub use self::obsidian::Obsidian;
pub use self::quizlet::Quizlet;
pub use self::report::Report;

/// One guide, as the report and exports describe it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceSummary {
    pub id: String,
    pub title: String,
    pub file: PathBuf,
    pub questions: usize,
}

/// Everything the emitters may read.
#[derive(Debug, Clone)]
pub struct Build {
    /// Deck name, e.g. "Python Interview".
    pub deck_name: String,
    /// Base of the output file names, e.g. "python-interview".
    pub file_stem: String,
    pub cards: Vec<Card>,
    pub taxonomy: Taxonomy,
    pub lock: Lock,
    pub sources: Vec<SourceSummary>,
}

/// One output file: a path relative to the output folder, and its bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Output {
    pub path: PathBuf,
    pub bytes: Vec<u8>,
}

impl Output {
    pub fn new(path: impl Into<PathBuf>, bytes: impl Into<Vec<u8>>) -> Self {
        Output {
            path: path.into(),
            bytes: bytes.into(),
        }
    }
}

/// An output format.
pub trait Emitter: Sync {
    /// The name used with `--format`.
    fn name(&self) -> &'static str;
    /// What it writes, for `--help`.
    fn describe(&self) -> &'static str;
    fn emit(&self, build: &Build) -> Result<Vec<Output>, EmitError>;
}

/// Every emitter, in the order they run.
pub static EMITTERS: &[&dyn Emitter] = &[&Json, &Csv, &Report, &Quizlet, &Obsidian];

/// The emitter with this name.
pub fn emitter(name: &str) -> Option<&'static dyn Emitter> {
    EMITTERS.iter().copied().find(|e| e.name() == name)
}
