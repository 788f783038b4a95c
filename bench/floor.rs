//! The floor for writing an Anki package: plain rusqlite + zip, one
//! transaction, prepared statements. Used by bench/compare.sh.
//!
//!     cargo build --release --examples
//!     target/release/examples/floor NOTES.json OUT.apkg
//!
//! Reads the notes that bench/export_notes.py dumped from deckc's package
//! (note type, decks, and per note its guid, fields, tags, deck and due) and
//! writes the same notes as an Anki schema-11 collection:
//!
//! - the schema (col, notes, cards, revlog, graves and Anki's indexes, as
//!   genanki's APKG_SCHEMA) into a temporary SQLite file, with
//!   `journal_mode = OFF` and `synchronous = OFF`;
//! - one `col` row holding the models, decks and deck-options JSON (in
//!   genanki's shape);
//! - then one transaction, two prepared statements: each note and its card
//!   (ids counted up from the fixed timestamp, note then card, as genanki
//!   does; sort field as text, csum 0);
//! - no VACUUM; the file is zipped with the `zip` crate (Deflated, default
//!   level) as `collection.anki2` beside `media` (`{}`).
//!
//! Nothing here parses guides, renders, or checks: it is the least work a
//! writer of this format does, to compare deckc and genanki against.

use std::fs::File;
use std::io::{BufReader, BufWriter, Write};
use std::path::Path;

use anyhow::{bail, Context, Result};
use rusqlite::{params, Connection};
use serde::Deserialize;
use serde_json::{json, Map, Value};

#[derive(Deserialize)]
struct Notes {
    /// The note type's mod, seconds: every id and mod is derived from it.
    #[serde(rename = "mod")]
    timestamp: i64,
    model: Model,
    decks: Vec<Deck>,
    notes: Vec<Note>,
}

#[derive(Deserialize)]
struct Model {
    id: i64,
    name: String,
    fields: Vec<String>,
    sortf: usize,
    templates: Vec<Template>,
    css: String,
}

#[derive(Deserialize)]
struct Template {
    name: String,
    qfmt: String,
    afmt: String,
}

#[derive(Deserialize)]
struct Deck {
    id: i64,
    name: String,
}

#[derive(Deserialize)]
struct Note {
    guid: String,
    fields: Vec<String>,
    tags: Vec<String>,
    deck: String,
    due: i64,
}

const SCHEMA: &str = "
CREATE TABLE col (
    id              integer primary key,
    crt             integer not null,
    mod             integer not null,
    scm             integer not null,
    ver             integer not null,
    dty             integer not null,
    usn             integer not null,
    ls              integer not null,
    conf            text not null,
    models          text not null,
    decks           text not null,
    dconf           text not null,
    tags            text not null
);
CREATE TABLE notes (
    id              integer primary key,
    guid            text not null,
    mid             integer not null,
    mod             integer not null,
    usn             integer not null,
    tags            text not null,
    flds            text not null,
    sfld            integer not null,
    csum            integer not null,
    flags           integer not null,
    data            text not null
);
CREATE TABLE cards (
    id              integer primary key,
    nid             integer not null,
    did             integer not null,
    ord             integer not null,
    mod             integer not null,
    usn             integer not null,
    type            integer not null,
    queue           integer not null,
    due             integer not null,
    ivl             integer not null,
    factor          integer not null,
    reps            integer not null,
    lapses          integer not null,
    left            integer not null,
    odue            integer not null,
    odid            integer not null,
    flags           integer not null,
    data            text not null
);
CREATE TABLE revlog (
    id              integer primary key,
    cid             integer not null,
    usn             integer not null,
    ease            integer not null,
    ivl             integer not null,
    lastIvl         integer not null,
    factor          integer not null,
    time            integer not null,
    type            integer not null
);
CREATE TABLE graves (
    usn             integer not null,
    oid             integer not null,
    type            integer not null
);
CREATE INDEX ix_notes_usn on notes (usn);
CREATE INDEX ix_cards_usn on cards (usn);
CREATE INDEX ix_revlog_usn on revlog (usn);
CREATE INDEX ix_cards_nid on cards (nid);
CREATE INDEX ix_cards_sched on cards (did, queue, due);
CREATE INDEX ix_revlog_cid on revlog (cid);
CREATE INDEX ix_notes_csum on notes (csum);
";

const LATEX_PRE: &str = "\\documentclass[12pt]{article}\n\\special{papersize=3in,5in}\n\
\\usepackage[utf8]{inputenc}\n\\usepackage{amssymb,amsmath}\n\\pagestyle{empty}\n\
\\setlength{\\parindent}{0in}\n\\begin{document}\n";

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().collect();
    if args.len() != 3 {
        bail!("usage: floor NOTES.json OUT.apkg");
    }
    let file = File::open(&args[1]).with_context(|| format!("opening {}", args[1]))?;
    let notes: Notes = serde_json::from_reader(BufReader::new(file))
        .with_context(|| format!("reading {}", args[1]))?;
    let scratch = tempfile::tempdir()?;
    let db = scratch.path().join("collection.anki2");
    write_collection(&notes, &db)?;
    write_zip(&db, Path::new(&args[2]))
}

fn write_collection(n: &Notes, path: &Path) -> Result<()> {
    let mut conn = Connection::open(path)?;
    conn.execute_batch("PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;")?;
    conn.execute_batch(SCHEMA)?;
    let ts = n.timestamp;
    let m = &n.model;
    if m.fields.is_empty() || m.sortf >= m.fields.len() {
        bail!("note type {} has no sort field {}", m.name, m.sortf);
    }

    // The note type, in genanki's shape. `req`: for each template, the
    // fields its front names (`{{Field}}` or `{{filter:Field}}`), any of which
    // makes a card.
    let fields: Vec<Value> = m
        .fields
        .iter()
        .enumerate()
        .map(|(i, name)| {
            json!({"name": name, "ord": i, "font": "Liberation Sans", "media": [],
                   "rtl": false, "size": 20, "sticky": false})
        })
        .collect();
    let tmpls: Vec<Value> = m
        .templates
        .iter()
        .enumerate()
        .map(|(i, t)| {
            json!({"name": t.name, "ord": i, "qfmt": t.qfmt, "afmt": t.afmt, "bqfmt": "",
                   "bafmt": "", "bfont": "", "bsize": 0, "did": null})
        })
        .collect();
    let req: Vec<Value> = m
        .templates
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let named: Vec<usize> = (0..m.fields.len())
                .filter(|&f| {
                    let name = &m.fields[f];
                    t.qfmt.contains(&format!("{{{{{name}}}}}"))
                        || t.qfmt.contains(&format!(":{name}}}}}"))
                })
                .collect();
            json!([i, "any", named])
        })
        .collect();
    let first_deck = n.decks.first().map_or(1, |d| d.id);
    let model = json!({
        "id": m.id.to_string(), "name": m.name, "type": 0, "mod": ts, "usn": -1,
        "sortf": m.sortf, "did": first_deck, "tmpls": tmpls, "flds": fields, "css": m.css,
        "latexPre": LATEX_PRE, "latexPost": "\\end{document}", "latexsvg": false,
        "req": req, "tags": [], "vers": []
    });
    let mut models = Map::new();
    models.insert(m.id.to_string(), model);

    let deck_json = |id: i64, name: &str, default: bool| {
        json!({"id": id, "name": name, "desc": "", "dyn": 0, "conf": 1, "collapsed": false,
               "extendNew": if default { 10 } else { 0 }, "extendRev": 50, "mod": ts,
               "usn": if default { 0 } else { -1 },
               "newToday": [0, 0], "revToday": [0, 0], "lrnToday": [0, 0], "timeToday": [0, 0]})
    };
    let mut decks = Map::new();
    decks.insert("1".into(), deck_json(1, "Default", true));
    let mut deck_ids = std::collections::HashMap::new();
    for d in &n.decks {
        decks.insert(d.id.to_string(), deck_json(d.id, &d.name, false));
        deck_ids.insert(d.name.as_str(), d.id);
    }
    let conf = json!({
        "activeDecks": [1], "addToCur": true, "collapseTime": 1200, "curDeck": 1,
        "curModel": m.id.to_string(), "dueCounts": true, "estTimes": true, "newBury": true,
        "newSpread": 0, "nextPos": 1, "sortBackwards": false, "sortType": "noteFld", "timeLim": 0
    });
    let dconf = json!({"1": {
        "id": 1, "name": "Default", "autoplay": true, "maxTaken": 60, "mod": 0, "replayq": true,
        "timer": 0, "usn": 0,
        "lapse": {"delays": [10], "leechAction": 0, "leechFails": 8, "minInt": 1, "mult": 0},
        "new": {"bury": true, "delays": [1, 10], "initialFactor": 2500, "ints": [1, 4, 7],
                "order": 1, "perDay": 20, "separate": true},
        "rev": {"bury": true, "ease4": 1.3, "fuzz": 0.05, "ivlFct": 1, "maxIvl": 36500,
                "minSpace": 1, "perDay": 100}
    }});
    conn.execute(
        "INSERT INTO col VALUES (1, 1411124400, ?1, ?1, 11, 0, 0, 0, ?2, ?3, ?4, ?5, '{}')",
        params![
            ts * 1000,
            conf.to_string(),
            Value::Object(models).to_string(),
            Value::Object(decks).to_string(),
            dconf.to_string()
        ],
    )?;

    let tx = conn.transaction()?;
    {
        let mut note_stmt =
            tx.prepare("INSERT INTO notes VALUES (?1, ?2, ?3, ?4, -1, ?5, ?6, ?7, 0, 0, '')")?;
        let mut card_stmt = tx.prepare(
            "INSERT INTO cards VALUES (?1, ?2, ?3, 0, ?4, -1, 0, 0, ?5, 0, 0, 0, 0, 0, 0, 0, 0, '')",
        )?;
        let mut id = ts * 1000;
        let mut tags = String::new();
        let mut flds = String::new();
        for note in &n.notes {
            if note.fields.len() != m.fields.len() {
                bail!(
                    "note {}: {} fields, the note type has {}",
                    note.guid,
                    note.fields.len(),
                    m.fields.len()
                );
            }
            let did = *deck_ids
                .get(note.deck.as_str())
                .with_context(|| format!("note {}: unknown deck {:?}", note.guid, note.deck))?;
            tags.clear();
            tags.push(' ');
            for t in &note.tags {
                tags.push_str(t);
                tags.push(' ');
            }
            flds.clear();
            for (i, f) in note.fields.iter().enumerate() {
                if i > 0 {
                    flds.push('\x1f');
                }
                flds.push_str(f);
            }
            let nid = id;
            note_stmt.execute(params![
                nid,
                note.guid,
                m.id,
                ts,
                tags,
                flds,
                note.fields[m.sortf]
            ])?;
            card_stmt.execute(params![nid + 1, nid, did, ts, note.due])?;
            id += 2;
        }
    }
    tx.commit()?;
    conn.close().map_err(|(_, e)| e)?;
    Ok(())
}

fn write_zip(db: &Path, out: &Path) -> Result<()> {
    let file = File::create(out).with_context(|| format!("creating {}", out.display()))?;
    let mut zip = zip::ZipWriter::new(BufWriter::new(file));
    let options =
        zip::write::FileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    zip.start_file("collection.anki2", options)?;
    std::io::copy(&mut File::open(db)?, &mut zip)?;
    zip.start_file("media", options)?;
    zip.write_all(b"{}")?;
    zip.finish()?.flush()?;
    Ok(())
}
