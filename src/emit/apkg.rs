//! `<file stem>.apkg`: the Anki package learners import, and re-import after
//! every update without duplicates and without losing review history.
//!
//! Identity: each note's GUID and mtime come from the lock (`Lock::guid`,
//! `Lock::mtime`), so Anki matches a re-imported note to the learner's copy
//! and updates it only when its content changed. Note, card and deck ids are
//! hashes of the GUID, the card id and the deck name; the note type has a
//! fixed id and mtime (`note::NOTE_TYPE_ID`, `note::NOTE_TYPE_MTIME`).
//!
//! What genanki-rs 0.4.0 still does, and what this module replaced:
//! - genanki-rs builds the collection skeleton: the SQLite schema, the `col`
//!   row with its configuration and the deck JSON. It runs through
//!   `Package::write_timestamp` with the fixed `BUILD_TIMESTAMP`, with no
//!   note, so it writes no note type.
//! - [`rewrite_col`] adds the note type's JSON ([`note_type`], with Anki's
//!   `req` list from [`requirements`]; genanki-rs compiled a fancy-regex per
//!   field to derive it, twice per build) and rewrites `col.models` and
//!   `col.decks` with sorted keys and fixed mtimes: genanki-rs serializes
//!   decks through `HashMap`s, whose order changes from run to run.
//! - [`insert_notes`] writes the notes and cards itself, with prepared
//!   statements in one transaction: genanki-rs re-renders the templates for
//!   every note (about 1.3 ms each), takes note and card ids from the
//!   timestamp, and prints a warning to stdout for every field with what it
//!   takes for an invalid tag (`Note::check_invalid_html_tags_in_fields`).
//!   The notes and cards indexes are dropped first and built again after
//!   the rows are in (sorted builds, packed pages: no VACUUM needed).
//! - the zip is written by [`zipfile`], read from the collection file in
//!   batches and deflated on every core, with fixed entry order and a fixed
//!   1980-01-01 entry time: genanki-rs stamps zip entries with the current
//!   time, and zip 0.5 deflates on one thread only. Deflate runs on zlib-rs
//!   (flate2's backend for the whole build, Cargo.toml).
//!
//! SQLite needs a file for this (the bundled SQLite 3.35 has no
//! `sqlite3_serialize`), so the work happens in a temporary directory that is
//! removed before `emit` returns; the output itself is only bytes.

use super::note::{self, NoteFields};
use super::zipfile;
use super::{Build, Emitter, Files};
use crate::error::EmitError;
use genanki_rs::{Deck, Package};
use rusqlite::{params, Connection};
use serde_json::Value;
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, BTreeSet};
use std::io::{Cursor, Read};

/// The timestamp genanki-rs is given for the skeleton (2026-01-01T00:00:00Z),
/// so nothing it writes depends on the clock.
pub const BUILD_TIMESTAMP: i64 = crate::lock::BASE_MTIME;

/// Writes `<file stem>.apkg`.
pub struct Apkg;

impl Emitter for Apkg {
    fn name(&self) -> &'static str {
        "apkg"
    }

    fn describe(&self) -> &'static str {
        "<deck>.apkg, the Anki package (re-importable: updates, never duplicates)"
    }

    fn emit(&self, build: &Build, files: &mut Files<'_>) -> Result<(), EmitError> {
        let name = format!("{}.apkg", build.file_stem);
        let entries = package_entries(build)
            .and_then(|entries| zipfile::check(&entries).map(|()| entries))
            .map_err(|e| EmitError::format(&name, e))?;
        files.write(name, |w| zipfile::write_archive(&entries, w))
    }
}

/// One note and its card as they go into the collection, without the note's
/// fields (those come from the shared `note::all_fields`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoteRow {
    pub note_id: i64,
    pub card_id: i64,
    pub guid: String,
    pub mtime: i64,
    pub deck_id: i64,
    /// Tags as Anki stores them: space-separated, with a space at each end.
    pub tags: String,
}

/// The deck id for a deck name: a hash of the name, so it never changes.
pub fn deck_id(name: &str) -> i64 {
    hashed_id("deck", name)
}

/// An id in `[2^40, 2^40 + 2^50)`: positive, above Anki's small built-in ids
/// and exactly representable in JavaScript.
fn hashed_id(kind: &str, key: &str) -> i64 {
    let digest = Sha256::digest(format!("deckc-{kind}:{key}").as_bytes());
    let mut n = [0u8; 8];
    n.copy_from_slice(&digest[..8]);
    ((u64::from_be_bytes(n) % (1 << 50)) + (1 << 40)) as i64
}

/// The next id at or after `id` not yet in `used` (hash collisions are
/// resolved in card order, so the result is still deterministic).
fn unique(mut id: i64, used: &mut crate::hash::FastSet<i64>) -> i64 {
    while !used.insert(id) {
        id += 1;
    }
    id
}

/// The decks the notes go to, with their ids: the root deck and the
/// subdeck of every domain that has a card.
fn decks(build: &Build) -> Result<BTreeMap<String, i64>, String> {
    let mut decks = BTreeMap::new();
    decks.insert(build.deck_name.clone(), deck_id(&build.deck_name));
    let mut seen = BTreeSet::new();
    for card in &build.cards {
        if seen.insert(card.domain.as_str()) {
            let title = note::domain_title(build, card).map_err(|e| e.to_string())?;
            let name = note::subdeck_name(build, title);
            let id = deck_id(&name);
            decks.insert(name, id);
        }
    }
    Ok(decks)
}

/// The notes of `build`, in card order, in `decks`.
pub fn rows(build: &Build, decks: &BTreeMap<String, i64>) -> Result<Vec<NoteRow>, String> {
    let entries = build
        .lock
        .entries(build.cards.iter().map(|c| c.id.as_str()));
    // The hashes and strings of each note, on every core; then the ids made
    // unique in card order, which keeps them deterministic.
    let hashed = crate::par::map(
        build.cards.iter().zip(entries).collect(),
        |(card, entry)| -> Result<_, String> {
            let entry =
                entry.ok_or_else(|| format!("card {} has no entry in the lock", card.id))?;
            let title = note::domain_title(build, card).map_err(|e| e.to_string())?;
            let deck = note::subdeck_name(build, title);
            let deck_id = *decks
                .get(&deck)
                .ok_or_else(|| format!("card {}: no deck named {deck}", card.id))?;
            Ok(NoteRow {
                note_id: hashed_id("note", &entry.guid),
                card_id: hashed_id("card", &card.id),
                guid: entry.guid.clone(),
                mtime: entry.mtime,
                deck_id,
                tags: format!(" {} ", note::tags(card).join(" ")),
            })
        },
    );
    // Sets only asked whether an id is taken (never iterated).
    let mut note_ids = crate::hash::FastSet::default();
    let mut card_ids = crate::hash::FastSet::default();
    note_ids.reserve(hashed.len());
    card_ids.reserve(hashed.len());
    let mut rows = Vec::with_capacity(hashed.len());
    for row in hashed {
        let mut row = row?;
        row.note_id = unique(row.note_id, &mut note_ids);
        row.card_id = unique(row.card_id, &mut card_ids);
        rows.push(row);
    }
    Ok(rows)
}

/// The whole package, in memory (for the tests).
#[cfg(test)]
pub fn package(build: &Build) -> Result<Vec<u8>, String> {
    zipfile::archive(&package_entries(build)?)
}

/// The package's zip entries, deflated: the collection and the (empty)
/// media list. The emitter streams them into the package file.
///
/// The collection is built in two steps around the rendering of the notes'
/// fields, the costliest part: everything that needs no field (genanki-rs's
/// skeleton, the cards and their indexes) goes in on this thread while the
/// fields render on the others (`par::join`); then the notes and their
/// indexes. The bytes do not depend on how the two overlapped.
fn package_entries(build: &Build) -> Result<[(&'static str, zipfile::Deflated); 2], String> {
    let decks = decks(build)?;
    let rows = rows(build, &decks)?;
    let dir = tempfile::Builder::new()
        .prefix("deckc-apkg")
        .tempdir()
        .map_err(|e| format!("cannot create a temporary directory: {e}"))?;
    let path = dir.path().join("collection.anki2");
    let db_err = |e: rusqlite::Error| format!("writing the collection: {e}");
    let (fields, db) = crate::par::join(
        || note::all_fields(build),
        || -> Result<_, String> {
            std::fs::write(&path, skeleton(&build.deck_name, &decks)?)
                .map_err(|e| e.to_string())?;
            with_cards(&path, deck_id(&build.deck_name), &rows).map_err(db_err)
        },
    );
    let fields = fields.map_err(|e| e.to_string())?;
    let (mut conn, note_indexes) = db?;
    (|| -> rusqlite::Result<()> {
        let tx = conn.transaction()?;
        insert_notes(&tx, &rows, fields)?;
        for sql in &note_indexes {
            tx.execute_batch(sql)?;
        }
        tx.commit()?;
        conn.close().map_err(|(_, e)| e)
    })()
    .map_err(db_err)?;
    // Read from the file in batches: the collection is the biggest thing the
    // build makes (88 MB for 100k notes) and never needs to be in memory
    // whole.
    let collection = std::fs::File::open(&path).map_err(|e| e.to_string())?;
    let len = collection.metadata().map_err(|e| e.to_string())?.len();
    let entries = [
        (
            "collection.anki2",
            zipfile::deflate(std::io::BufReader::new(collection), len)?,
        ),
        ("media", zipfile::deflate(&b"{}"[..], 2)?),
    ];
    dir.close()
        .map_err(|e| format!("removing the temporary directory: {e}"))?;
    Ok(entries)
}

/// Opens the skeleton at `path` (which holds no note), makes it canonical,
/// and writes the cards and their indexes. Returns the connection and the
/// CREATE statements of the notes' indexes, which the caller runs once the
/// notes are in.
fn with_cards(
    path: &std::path::Path,
    root: i64,
    rows: &[NoteRow],
) -> rusqlite::Result<(Connection, Vec<String>)> {
    let mut conn = Connection::open(path)?;
    // A scratch file: no journal, no fsync. A 4 MiB page cache: the pages
    // go to the file as they fill instead of piling up in SQLite's own heap
    // (which cannot reuse the memory the pipeline freed) until the commit.
    // At 100k notes the apkg emitter took 766-849 ms against 817-974 ms
    // with 256 MiB, and the build 40 MiB less memory (BENCHMARKS.md).
    conn.execute_batch(
        "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA cache_size = -4096;",
    )?;
    let tx = conn.transaction()?;
    rewrite_col(&tx, root)?;
    tx.commit()?;
    // The skeleton still holds stale bytes in its free space (genanki-rs's
    // HashMap-ordered JSON): VACUUM the small skeleton
    // so two builds are byte-identical, before the notes make it big.
    // The VACUUM also moves it to 16 KiB pages: at 100k notes the inserts
    // and index builds took 0.55 s instead of 0.6-0.8 s with 4 KiB
    // pages, for a smaller package (BENCHMARKS.md).
    conn.execute_batch("PRAGMA page_size = 16384; VACUUM;")?;
    let tx = conn.transaction()?;
    // The indexes on notes and cards are built after the rows are in:
    // one sorted build each instead of a random-order insert per row,
    // and packed pages, so the file needs no VACUUM (measured at 100k
    // notes: 0.6 s instead of 0.9 s; BENCHMARKS.md).
    let indexes = card_and_note_indexes(&tx)?;
    for (_, name, _) in &indexes {
        tx.execute_batch(&format!("DROP INDEX {name};"))?;
    }
    insert_cards(&tx, rows)?;
    let mut note_indexes = Vec::new();
    for (table, _, sql) in indexes {
        if table == "cards" {
            tx.execute_batch(&sql)?;
        } else {
            note_indexes.push(sql);
        }
    }
    tx.commit()?;
    Ok((conn, note_indexes))
}

/// The indexes genanki-rs's schema puts on `notes` and `cards`, as (table,
/// name, CREATE statement), in the schema's order.
fn card_and_note_indexes(
    tx: &rusqlite::Transaction,
) -> rusqlite::Result<Vec<(String, String, String)>> {
    let mut q = tx.prepare(
        "SELECT tbl_name, name, sql FROM sqlite_master WHERE type = 'index' \
         AND sql IS NOT NULL AND tbl_name IN ('notes', 'cards') ORDER BY rowid",
    )?;
    let rows = q.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
    rows.collect()
}

/// The collection skeleton from genanki-rs: schema, `col` row and decks,
/// with no note and so no note type (genanki-rs writes only the note types
/// its notes use; [`rewrite_col`] adds ours). Returns the SQLite bytes.
fn skeleton(root: &str, decks: &BTreeMap<String, i64>) -> Result<Vec<u8>, String> {
    let gdecks = decks
        .iter()
        .map(|(name, &id)| Deck::new(id, name, if name == root { DECK_DESCRIPTION } else { "" }))
        .collect();
    collection_of(gdecks)
}

/// The root deck's description in Anki.
const DECK_DESCRIPTION: &str = "Python interview questions from five guides, deduplicated. Built by deckc; re-import updates to keep your reviews.";

/// The `collection.anki2` genanki-rs writes for `decks`, at `BUILD_TIMESTAMP`.
fn collection_of(decks: Vec<Deck>) -> Result<Vec<u8>, String> {
    let mut out = Cursor::new(Vec::new());
    let mut package = Package::new(decks, vec![]).map_err(|e| format!("genanki-rs: {e}"))?;
    package
        .write_timestamp(&mut out, BUILD_TIMESTAMP as f64)
        .map_err(|e| format!("genanki-rs: {e}"))?;
    let mut archive = zip::ZipArchive::new(out).map_err(|e| e.to_string())?;
    let mut entry = archive
        .by_name("collection.anki2")
        .map_err(|e| e.to_string())?;
    let mut bytes = Vec::new();
    entry.read_to_end(&mut bytes).map_err(|e| e.to_string())?;
    Ok(bytes)
}

/// The note type's entry in `col.models`, in the shape genanki-rs 0.4.0
/// gives a `Model` with default field fonts and LaTeX (the test
/// `note_type_is_what_genanki_rs_writes` compares the two), home deck `did`.
///
/// genanki-rs would derive `req` from the templates by compiling a
/// fancy-regex per field, twice per build (for the note type and again for
/// any note): 44 M of the seed build's 752 M instructions (callgrind).
/// [`requirements`] derives the same list directly.
fn note_type(did: i64) -> Value {
    let fields: Vec<Value> = note::FIELDS
        .iter()
        .enumerate()
        .map(|(ord, name)| {
            serde_json::json!({
                "name": name, "media": [], "sticky": false, "rtl": false,
                "ord": ord, "font": "Liberation Sans", "size": 20,
            })
        })
        .collect();
    let (kind, required) = requirements(note::FRONT);
    serde_json::json!({
        "vers": [],
        "name": note::NOTE_TYPE_NAME,
        "tags": [],
        "did": did,
        "usn": -1,
        "req": [[0, kind, required]],
        "flds": fields,
        "sortf": 0,
        "tmpls": [{
            "name": note::TEMPLATE_NAME, "qfmt": note::FRONT, "did": null,
            "bafmt": "", "afmt": note::BACK, "ord": 0, "bqfmt": "",
        }],
        "mod": note::NOTE_TYPE_MTIME,
        "latexPost": LATEX_POST,
        "type": 0,
        "id": note::NOTE_TYPE_ID.to_string(),
        "css": note::CSS,
        "latexPre": LATEX_PRE,
    })
}

/// genanki-rs's default LaTeX preamble and postamble for a note type.
const LATEX_PRE: &str = r#"
\documentclass[12pt]{article}
\special{papersize=3in,5in}
\usepackage[utf8]{inputenc}
\usepackage{amssymb,amsmath}
\pagestyle{empty}
\setlength{\parindent}{0in}
\begin{document}

"#;
const LATEX_POST: &str = r"\end{document}";

/// Anki's `req` entry for a front template, derived as genanki-rs 0.4.0
/// derives it: the template is rendered with every field set to its name
/// plus a sentinel. If no field shows, every field is required ("all");
/// otherwise a card needs any one of the fields that show ("any"). (genanki-
/// rs's "all" test looks for any other field's sentinel with a pattern that
/// also matches the field's own, so with a field on the front it always
/// falls through to "any".) A `{{Name}}` shows field `Name`; `{{#Name}}`
/// and `{{/Name}}` only open and close a section that shows (every field is
/// set); an inverted `{{^Name}}` section never shows; filters
/// (`{{text:Name}}`) and special fields render nothing, as in genanki-rs.
fn requirements(front: &str) -> (&'static str, Vec<usize>) {
    let mut shown = BTreeSet::new();
    let mut inverted = 0usize;
    let mut rest = front;
    while let Some(open) = rest.find("{{") {
        let Some(close) = rest[open..].find("}}") else {
            break;
        };
        let tag = rest[open + 2..open + close].trim();
        rest = &rest[open + close + 2..];
        if tag.starts_with('^') {
            inverted += 1;
        } else if tag.starts_with('/') {
            inverted = inverted.saturating_sub(1);
        } else if tag.starts_with('#') || inverted > 0 {
        } else if let Some(i) = note::FIELDS.iter().position(|f| *f == tag) {
            shown.insert(i);
        }
    }
    if shown.is_empty() {
        ("all", (0..note::FIELDS.len()).collect())
    } else {
        ("any", shown.into_iter().collect())
    }
}

/// Rewrites `col.models` (adding the note type, home deck `root`) and
/// `col.decks` with sorted keys and fixed mtimes, and pins the collection's
/// own mtimes.
fn rewrite_col(tx: &rusqlite::Transaction, root: i64) -> rusqlite::Result<()> {
    let (models, decks): (String, String) =
        tx.query_row("SELECT models, decks FROM col", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })?;
    let json_err = |e: serde_json::Error| rusqlite::Error::ToSqlConversionFailure(Box::new(e));
    let canonical = |map: BTreeMap<String, Value>, mtime: i64| -> rusqlite::Result<String> {
        let map: BTreeMap<String, Value> = map
            .into_iter()
            .map(|(k, mut v)| {
                if let Some(o) = v.as_object_mut() {
                    o.insert("mod".into(), Value::from(mtime));
                }
                (k, sorted(v))
            })
            .collect();
        serde_json::to_string(&map).map_err(json_err)
    };
    let mut models: BTreeMap<String, Value> = serde_json::from_str(&models).map_err(json_err)?;
    models.insert(note::NOTE_TYPE_ID.to_string(), note_type(root));
    let decks = serde_json::from_str(&decks).map_err(json_err)?;
    let models = canonical(models, note::NOTE_TYPE_MTIME)?;
    let decks = canonical(decks, BUILD_TIMESTAMP)?;
    tx.execute(
        "UPDATE col SET models = ?, decks = ?, mod = ?, scm = ?, ls = 0",
        params![
            models,
            decks,
            BUILD_TIMESTAMP * 1000,
            BUILD_TIMESTAMP * 1000
        ],
    )?;
    Ok(())
}

/// A JSON value with every object's keys in sorted order, whatever map type
/// serde_json was built with.
fn sorted(v: Value) -> Value {
    match v {
        Value::Object(o) => {
            let sorted: BTreeMap<String, Value> =
                o.into_iter().map(|(k, v)| (k, sorted(v))).collect();
            Value::Object(sorted.into_iter().collect())
        }
        Value::Array(a) => Value::Array(a.into_iter().map(sorted).collect()),
        v => v,
    }
}

/// Inserts every note and its one card (new, in card order).
fn insert_notes(
    tx: &rusqlite::Transaction,
    rows: &[NoteRow],
    fields: &[note::RenderedNote],
) -> rusqlite::Result<()> {
    let mut notes = tx.prepare("INSERT INTO notes (id, guid, mid, mod, usn, tags, flds, sfld, csum, flags, data) VALUES (?,?,?,?,-1,?,?,?,?,0,'')")?;
    // In note id order: appending to the table's B-tree is much faster than
    // inserting at hashed positions.
    let mut order: Vec<(&NoteRow, &NoteFields)> =
        rows.iter().zip(fields.iter().map(|(_, f)| f)).collect();
    order.sort_by_key(|(r, _)| r.note_id);
    let mut flds = String::new();
    for (r, fields) in order {
        flds.clear();
        for (j, f) in fields.as_array().iter().enumerate() {
            if j > 0 {
                flds.push('\x1f');
            }
            flds.push_str(f);
        }
        let sort_field = note::strip_html(&fields.question);
        // csum 0: Anki recomputes the duplicate-check checksum (SHA-1 of the
        // sort field) on import, so computing it here would need SHA-1 for nothing.
        notes.execute(params![
            r.note_id,
            r.guid,
            note::NOTE_TYPE_ID,
            r.mtime,
            r.tags,
            flds,
            sort_field,
            0
        ])?;
    }
    Ok(())
}

/// Writes the cards, in card id order (appending, as for the notes); `due`
/// keeps the card order.
fn insert_cards(tx: &rusqlite::Transaction, rows: &[NoteRow]) -> rusqlite::Result<()> {
    let mut cards = tx.prepare(
        "INSERT INTO cards (id, nid, did, ord, mod, usn, type, queue, due, ivl, factor, reps, lapses, left, odue, odid, flags, data) \
         VALUES (?,?,?,0,?,-1,0,0,?,0,0,0,0,0,0,0,0,'')",
    )?;
    let mut order: Vec<(usize, &NoteRow)> = rows.iter().enumerate().collect();
    order.sort_by_key(|(_, r)| r.card_id);
    for (i, r) in order {
        cards.execute(params![
            r.card_id,
            r.note_id,
            r.deck_id,
            r.mtime,
            i as i64 + 1
        ])?;
    }
    Ok(())
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::emit::note::tests::build;

    fn open(apkg: &[u8]) -> (tempfile::TempDir, Connection) {
        let mut archive = zip::ZipArchive::new(Cursor::new(apkg)).unwrap();
        let names: Vec<String> = (0..archive.len())
            .map(|i| archive.by_index(i).unwrap().name().to_string())
            .collect();
        assert_eq!(names, vec!["collection.anki2", "media"]);
        let mut bytes = Vec::new();
        archive
            .by_name("collection.anki2")
            .unwrap()
            .read_to_end(&mut bytes)
            .unwrap();
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c.anki2");
        std::fs::write(&path, bytes).unwrap();
        let conn = Connection::open(path).unwrap();
        (dir, conn)
    }

    #[test]
    fn two_builds_are_byte_identical_with_fixed_zip_times() {
        let b = build();
        let one = package(&b).unwrap();
        let two = package(&b).unwrap();
        assert!(one == two, "two packages from the same build differ");
        let mut archive = zip::ZipArchive::new(Cursor::new(&one)).unwrap();
        for i in 0..archive.len() {
            let f = archive.by_index(i).unwrap();
            let t = f.last_modified();
            assert_eq!(
                (t.year(), t.month(), t.day(), t.hour(), t.minute()),
                (1980, 1, 1, 0, 0),
                "{}",
                f.name()
            );
        }
    }

    #[test]
    fn collection_holds_each_card_once_in_its_subdeck() {
        let b = build();
        let (_dir, conn) = open(&package(&b).unwrap());
        let n: i64 = conn
            .query_row("SELECT count(*) FROM notes", [], |r| r.get(0))
            .unwrap();
        let c: i64 = conn
            .query_row("SELECT count(*) FROM cards", [], |r| r.get(0))
            .unwrap();
        assert_eq!((n, c), (4, 4));
        let decks: String = conn
            .query_row("SELECT decks FROM col", [], |r| r.get(0))
            .unwrap();
        let decks: BTreeMap<String, Value> = serde_json::from_str(&decks).unwrap();
        let names: BTreeSet<&str> = decks
            .values()
            .map(|d| d["name"].as_str().unwrap())
            .collect();
        let expected: BTreeSet<&str> = [
            "Default",
            "Python Interview",
            "Python Interview::Core Language",
            "Python Interview::Async & Concurrency",
        ]
        .into();
        assert_eq!(names, expected);
        for card in &b.cards {
            let guid = b.lock.guid(&card.id).unwrap();
            let (mtime, tags, flds, deck): (i64, String, String, i64) = conn
                .query_row(
                    "SELECT n.mod, n.tags, n.flds, c.did FROM notes n JOIN cards c ON c.nid = n.id WHERE n.guid = ?",
                    [guid],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
                )
                .unwrap();
            assert_eq!(mtime, b.lock.mtime(&card.id).unwrap());
            assert_eq!(
                tags.split_whitespace().collect::<Vec<_>>(),
                card.tags.iter().map(|s| s.as_str()).collect::<Vec<_>>()
            );
            let title = &b.taxonomy.domain(&card.domain).unwrap().title;
            assert_eq!(deck, deck_id(&format!("Python Interview::{title}")));
            assert_eq!(flds.split('\x1f').count(), note::FIELDS.len());
            assert!(
                flds.starts_with(&crate::render::inline_to_html(&card.question)),
                "{flds}"
            );
        }
    }

    #[test]
    fn note_type_json_is_canonical_with_fixed_mtime() {
        let (_dir, conn) = open(&package(&build()).unwrap());
        let models: String = conn
            .query_row("SELECT models FROM col", [], |r| r.get(0))
            .unwrap();
        let m: BTreeMap<String, Value> = serde_json::from_str(&models).unwrap();
        let m = &m[&note::NOTE_TYPE_ID.to_string()];
        assert_eq!(m["mod"], note::NOTE_TYPE_MTIME);
        assert_eq!(m["name"], note::NOTE_TYPE_NAME);
        assert_eq!(m["sortf"], 0);
        let fields: Vec<&str> = m["flds"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["name"].as_str().unwrap())
            .collect();
        assert_eq!(fields, note::FIELDS);
        assert_eq!(m["css"], note::CSS);
        assert_eq!(
            serde_json::to_string(&sorted(serde_json::from_str(&models).unwrap())).unwrap(),
            models
        );
    }

    /// genanki-rs is the reference for the note type's JSON: with a note of
    /// our note type in the root deck, it writes this entry into
    /// `col.models` (mtime aside, which `rewrite_col` pins).
    #[test]
    fn note_type_is_what_genanki_rs_writes() {
        use genanki_rs::{Field, Model, Note, Template};
        let model = Model::new_with_options(
            note::NOTE_TYPE_ID,
            note::NOTE_TYPE_NAME,
            note::FIELDS.iter().map(|f| Field::new(f)).collect(),
            vec![Template::new(note::TEMPLATE_NAME)
                .qfmt(note::FRONT)
                .afmt(note::BACK)],
            Some(note::CSS),
            None,
            None,
            None,
            Some(0),
        );
        let root = deck_id("Python Interview");
        let mut deck = Deck::new(root, "Python Interview", "");
        deck.add_note(Note::new(model, vec!["x"; note::FIELDS.len()]).unwrap());
        let bytes = collection_of(vec![deck]).unwrap();
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c.anki2");
        std::fs::write(&path, bytes).unwrap();
        let conn = Connection::open(path).unwrap();
        let models: String = conn
            .query_row("SELECT models FROM col", [], |r| r.get(0))
            .unwrap();
        let models: BTreeMap<String, Value> = serde_json::from_str(&models).unwrap();
        let mut theirs = models[&note::NOTE_TYPE_ID.to_string()].clone();
        theirs["mod"] = Value::from(note::NOTE_TYPE_MTIME);
        assert_eq!(sorted(theirs), sorted(note_type(root)));
        assert_eq!(
            note_type(root)["req"],
            serde_json::json!([[0, "any", [0, 3, 4]]])
        );
    }

    #[test]
    fn requirements_follow_genanki_rs() {
        assert_eq!(requirements("{{Question}}"), ("any", vec![0]));
        assert_eq!(requirements("{{Domain}} {{Question}}"), ("any", vec![0, 3]));
        assert_eq!(
            requirements("{{#Details}}x{{/Details}}"),
            ("all", (0..7).collect())
        );
        assert_eq!(
            requirements("{{^Answer}}{{Details}}{{/Answer}}{{Sources}}"),
            ("any", vec![5])
        );
        assert_eq!(
            requirements("{{text:Question}} {{FrontSide}}"),
            ("all", (0..7).collect())
        );
        assert_eq!(requirements("plain {{unclosed"), ("all", (0..7).collect()));
    }

    #[test]
    fn ids_are_derived_and_distinct() {
        let b = build();
        let decks = decks(&b).unwrap();
        let rows = rows(&b, &decks).unwrap();
        let again = super::rows(&b, &decks).unwrap();
        assert_eq!(rows, again);
        let ids: BTreeSet<i64> = rows.iter().map(|r| r.note_id).collect();
        assert_eq!(ids.len(), rows.len());
        let mut used = crate::hash::FastSet::default();
        assert_eq!(unique(5, &mut used), 5);
        assert_eq!(unique(5, &mut used), 6);
        assert!(deck_id("a") > 1 << 40 && deck_id("a") != deck_id("b"));
    }

    #[test]
    fn a_card_missing_from_the_lock_is_an_error() {
        let mut b = build();
        b.lock.cards.remove("guide#2");
        let e = package(&b).unwrap_err();
        assert!(e.contains("guide#2"), "{e}");
    }

    /// A synthetic build of `n` cards, each with a paragraph, a list, code
    /// and a table, over the test taxonomy.
    pub(crate) fn synthetic(n: u32) -> Build {
        let mut b = build();
        let answer = "Identity vs equality: `a is b` checks **identity**.\n\n- one `x`\n- two\n\n```python\nprint(a < b)\n```\n\n| a | b |\n|---|---|\n| 1 | 2 |";
        b.cards = (1..=n)
            .map(|i| {
                note::tests::card(
                    i,
                    if i % 2 == 0 { "core" } else { "async" },
                    &format!("Question {i} about `<lambda>`?"),
                    answer,
                )
            })
            .collect();
        b.lock = crate::lock::refresh(&crate::lock::Lock::default(), &b.cards).0;
        b
    }

    /// Prints how long the package takes for 10k notes (run with
    /// `--release --nocapture` for a meaningful figure).
    #[test]
    fn figures_apkg_10k_notes() {
        let b = synthetic(10_000);
        let start = std::time::Instant::now();
        let bytes = package(&b).unwrap();
        let took = start.elapsed();
        println!(
            "apkg: 10000 notes in {:.0} ms, {} bytes",
            took.as_secs_f64() * 1000.0,
            bytes.len()
        );
        let (_dir, conn) = open(&bytes);
        let n: i64 = conn
            .query_row("SELECT count(DISTINCT guid) FROM notes", [], |r| r.get(0))
            .unwrap();
        assert_eq!(n, 10_000);
    }
}
