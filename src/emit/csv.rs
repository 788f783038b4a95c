//! `cards.csv`: the generic export. RFC 4180, UTF-8, a header row, one card
//! per record, text and Markdown fields as they are in `cards.json`.

use super::{Build, Emitter, Files, Out};
use crate::error::EmitError;

/// The columns of `cards.csv`, in order.
pub const COLUMNS: &[&str] = &[
    "id",
    "question",
    "answer",
    "answer_origin",
    "details",
    "domain",
    "difficulty",
    "tags",
    "sources",
    "variants",
];

/// Writes `cards.csv`.
pub struct Csv;

impl Emitter for Csv {
    fn name(&self) -> &'static str {
        "csv"
    }

    fn describe(&self) -> &'static str {
        "cards.csv, generic RFC 4180 CSV with a header row"
    }

    fn emit(&self, build: &Build, files: &mut Files<'_>) -> Result<(), EmitError> {
        files.write("cards.csv", |out| write(build, out))
    }
}

fn write(build: &Build, out: &mut Out<'_>) -> std::io::Result<()> {
    let err = |e: csv::Error| super::csv_error("cards.csv", e);
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(out);
    w.write_record(COLUMNS).map_err(err)?;
    for c in &build.cards {
        let sources: Vec<String> = c.sources.iter().map(|s| s.reference.to_string()).collect();
        w.write_record([
            c.id.as_str(),
            &c.question,
            &c.answer,
            c.answer_origin.as_str(),
            &c.details,
            &c.domain,
            c.difficulty.as_str(),
            &c.tags.join(" "),
            &sources.join(" "),
            &c.variants.join("\n"),
        ])
        .map_err(err)?;
    }
    w.flush()
}
