//! Content that a renderer could mistake for markup reaches every output as
//! inert, visible text: `<script>`, Anki template syntax (`{{Question}}`),
//! Anki media tags (`[sound:…]`), `]]>`, NUL, RTL and zero-width characters.
//! The package's side of this is proven through real Anki in
//! `tests/py/test_hostile.py`; this file covers JSON, both CSVs and the
//! preview, plus the JSON and CSV round trips.

use crate::bad_input::copy_dir;
use crate::{content, deckc_bin, root};
use std::path::PathBuf;
use std::process::Command;

/// Builds the hostile fixture into a temp dir and returns (dir guard, out).
pub fn build_hostile() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let c = dir.path().join("content");
    copy_dir(&root().join("tests/fixtures/hostile"), &c);
    std::fs::copy(content().join("taxonomy.yaml"), c.join("taxonomy.yaml")).unwrap();
    let out = dir.path().join("out");
    let o = Command::new(deckc_bin())
        .args(["build", "--quiet", "--content"])
        .arg(&c)
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    (dir, out)
}

const NEEDLES: &[&str] = &[
    "<script>alert(1)</script>",
    "{{Question}}",
    "[sound:x.mp3]",
    "]]>",
    "zero\u{200B}width",
    "\u{202E}gnp.exe",
    "NUL \0 here",
];

#[test]
fn json_keeps_every_string_exactly_and_round_trips() {
    let (_d, out) = build_hostile();
    let text = std::fs::read_to_string(out.join("cards.json")).unwrap();
    let set: deckc::model::CardSet = serde_json::from_str(&text).unwrap();
    let all: String = set
        .cards
        .iter()
        .map(|c| format!("{}\n{}\n{}", c.question, c.answer, c.details))
        .collect();
    for n in NEEDLES {
        assert!(all.contains(n), "cards.json lost {n:?}");
    }
    // JSON → parse → equal: re-serializing gives the same document.
    let again = serde_json::to_string_pretty(&set).unwrap() + "\n";
    assert_eq!(again, text);
}

#[test]
fn csv_reads_back_equal_to_json() {
    let (_d, out) = build_hostile();
    let set: deckc::model::CardSet =
        serde_json::from_str(&std::fs::read_to_string(out.join("cards.json")).unwrap()).unwrap();
    let mut r = csv::Reader::from_path(out.join("cards.csv")).unwrap();
    let rows: Vec<csv::StringRecord> = r.records().map(|x| x.unwrap()).collect();
    assert_eq!(rows.len(), set.cards.len());
    for (row, card) in rows.iter().zip(&set.cards) {
        assert_eq!(&row[0], card.id);
        assert_eq!(&row[1], card.question);
        assert_eq!(&row[2], card.answer);
        assert_eq!(&row[4], card.details);
    }
}

#[test]
fn html_outputs_show_markup_as_text() {
    let (_d, out) = build_hostile();
    for file in ["preview.html", "anki.csv"] {
        let text = std::fs::read_to_string(out.join(file)).unwrap();
        assert!(
            !text.contains("<script>alert"),
            "{file} passes <script> through"
        );
        assert!(!text.contains("<img src=x"), "{file} passes <img> through");
        assert!(!text.contains("[sound:"), "{file} leaves an Anki media tag");
        assert!(
            !text.contains("{{Question}}"),
            "{file} leaves Anki template syntax"
        );
        assert!(!text.contains('\0'), "{file} has a raw NUL");
        assert!(
            text.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
            "{file} hides the text"
        );
        assert!(text.contains("&#91;sound:x.mp3&#93;"), "{file}");
        assert!(text.contains("&#123;&#123;Question&#125;&#125;"), "{file}");
        assert!(
            text.contains("NUL \u{2400} here"),
            "{file} does not show NUL visibly"
        );
        assert!(
            text.contains("\u{202E}gnp.exe") && text.contains("zero\u{200B}width"),
            "{file}"
        );
    }
}
