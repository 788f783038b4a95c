//! `anki.csv`: the deck for Anki's own text import (File → Import), for
//! learners who already have the note type from the package. The file
//! header tells Anki everything (`#separator:`, `#html:`, `#notetype:`,
//! `#deck column:`, `#tags column:`, `#guid column:`, `#columns:`), so the
//! import needs no settings; the GUIDs and field HTML are the package's, so
//! importing either file updates the same notes.

use super::note::{self, FIELDS};
use super::{Build, Emitter, Files, Out};
use crate::error::EmitError;
use std::io::Write;

/// Writes `anki.csv`.
pub struct AnkiCsv;

/// The columns after the note fields.
const META_COLUMNS: [&str; 3] = ["Deck", "Tags", "GUID"];

impl Emitter for AnkiCsv {
    fn name(&self) -> &'static str {
        "anki-csv"
    }

    fn describe(&self) -> &'static str {
        "anki.csv, for Anki's text import into the deck's note type"
    }

    fn emit(&self, build: &Build, files: &mut Files<'_>) -> Result<(), EmitError> {
        let notes = note::all_fields(build)?;
        files.write("anki.csv", |out| write(build, notes, out))
    }
}

fn write(build: &Build, notes: &[note::RenderedNote], out: &mut Out<'_>) -> std::io::Result<()> {
    let columns: Vec<&str> = FIELDS.iter().chain(META_COLUMNS.iter()).copied().collect();
    let deck_column = FIELDS.len() + 1;
    let header = format!(
        "#separator:Tab\n#html:true\n#notetype:{}\n#deck column:{}\n#tags column:{}\n#guid column:{}\n#columns:{}\n",
        note::NOTE_TYPE_NAME,
        deck_column,
        deck_column + 1,
        deck_column + 2,
        columns.join("\t"),
    );
    out.write_all(header.as_bytes())?;
    // Every field quoted: Anki's reader skips records that start with `#`
    // as comments, and GUIDs and HTML may start with one.
    let mut w = csv::WriterBuilder::new()
        .delimiter(b'\t')
        .quote_style(csv::QuoteStyle::Always)
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(out);
    let entries = build
        .lock
        .entries(build.cards.iter().map(|c| c.id.as_str()));
    for ((card, (deck, fields)), entry) in build.cards.iter().zip(notes).zip(entries) {
        let guid = entry.map(|e| e.guid.as_str()).ok_or_else(|| {
            super::content_error(EmitError::format(
                "anki.csv",
                format!("card {} has no entry in the lock", card.id),
            ))
        })?;
        let tags = note::tags(card).join(" ");
        let mut record: Vec<&str> = fields.as_array().to_vec();
        record.extend([deck.as_str(), tags.as_str(), guid]);
        w.write_record(&record)
            .map_err(|e| super::csv_error("anki.csv", e))?;
    }
    w.flush()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::emit::note::tests::build;

    fn render(b: &Build) -> Result<Vec<u8>, EmitError> {
        Ok(crate::emit::to_memory(&AnkiCsv, b)?.remove(0).bytes)
    }

    #[test]
    fn header_names_note_type_and_meta_columns() {
        let text = String::from_utf8(render(&build()).unwrap()).unwrap();
        let header: Vec<&str> = text.lines().take(7).collect();
        assert_eq!(
            header,
            vec![
                "#separator:Tab",
                "#html:true",
                "#notetype:deckc Python Interview",
                "#deck column:8",
                "#tags column:9",
                "#guid column:10",
                "#columns:Question\tAnswer\tDetails\tDomain\tDifficulty\tSources\tVariants\tDeck\tTags\tGUID",
            ]
        );
    }

    #[test]
    fn records_carry_package_fields_guids_and_decks() {
        let b = build();
        let bytes = render(&b).unwrap();
        let body: Vec<u8> = bytes
            .split(|&c| c == b'\n')
            .skip(7)
            .collect::<Vec<_>>()
            .join(&b'\n');
        let mut r = csv::ReaderBuilder::new()
            .delimiter(b'\t')
            .has_headers(false)
            .from_reader(body.as_slice());
        let records: Vec<csv::StringRecord> = r.records().map(|x| x.unwrap()).collect();
        assert_eq!(records.len(), b.cards.len());
        let all = note::all_fields(&b).unwrap();
        for ((rec, card), (deck, fields)) in records.iter().zip(&b.cards).zip(all) {
            assert_eq!(rec.len(), 10);
            for (i, f) in fields.as_array().iter().enumerate() {
                assert_eq!(&rec[i], *f);
            }
            assert_eq!(&rec[7], deck);
            assert_eq!(&rec[8], card.tags.join(" "));
            assert_eq!(&rec[9], b.lock.guid(&card.id).unwrap());
        }
        assert!(bytes
            .split(|&c| c == b'\n')
            .skip(7)
            .all(|l| !l.starts_with(b"#")));
    }
}
