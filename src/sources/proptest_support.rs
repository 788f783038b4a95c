//! Test-only support for the property tests beside each parser and loader:
//! the invariants every parser must keep on arbitrary input (no panic; an
//! error names the given file and a position inside the text; questions
//! carry lines inside the text and unique references), and proptest
//! strategies that produce such input, from arbitrary strings to damaged
//! copies of the real guides.

use super::{Layout, SourceFile};
use crate::error::InputError;
use proptest::prelude::*;
use proptest::sample::Index;
use std::collections::BTreeSet;
use std::path::Path;

/// Cases per property: enough to find shallow crashes, fast enough for CI.
pub const CASES: u32 = 256;

/// The proptest configuration every property here uses.
pub fn config() -> ProptestConfig {
    ProptestConfig {
        cases: CASES,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// Number of lines in `text` as the parsers count them: split at `\n`, so a
/// file ending in a newline has an empty last line.
pub fn line_count(text: &str) -> usize {
    text.split('\n').count()
}

/// Checks that `err` points into `text`, read from `file`: the file is the
/// given one, the line is 0 (whole file) or a line of the text, and a
/// non-zero column lies within that line (one past its end allowed).
pub fn check_error(file: &Path, text: &str, err: &InputError) -> Result<(), TestCaseError> {
    prop_assert_eq!(
        err.pos.file.as_path(),
        file,
        "error names another file: {}",
        err
    );
    let lines = line_count(text);
    prop_assert!(
        err.pos.line <= lines,
        "error line {} is past the last line {}: {}",
        err.pos.line,
        lines,
        err
    );
    if err.pos.line > 0 && err.pos.column > 0 {
        let width = text
            .split('\n')
            .nth(err.pos.line - 1)
            .map_or(0, |l| l.chars().count());
        prop_assert!(
            err.pos.column <= width + 1,
            "error column {} is past the end of line {} ({} characters): {}",
            err.pos.column,
            err.pos.line,
            width,
            err
        );
    }
    prop_assert!(!err.message.is_empty(), "error without a message");
    Ok(())
}

/// Parses `text` with `layout` and checks the invariants of the result.
pub fn check_layout(layout: &dyn Layout, text: &str) -> Result<(), TestCaseError> {
    let path = Path::new("content/sources/fuzzed.txt");
    let src = SourceFile::new("fuzzed", path, text);
    match layout.parse(&src) {
        Err(e) => check_error(path, text, &e),
        Ok(questions) => {
            let lines = line_count(text);
            let mut seen = BTreeSet::new();
            for q in &questions {
                prop_assert_eq!(&*q.reference.source, "fuzzed");
                prop_assert!(
                    (1..=lines).contains(&q.line),
                    "{} is on line {}, outside 1..={}",
                    q.reference,
                    q.line,
                    lines
                );
                prop_assert!(seen.insert(q.reference.clone()), "{} twice", q.reference);
            }
            Ok(())
        }
    }
}

/// Runs a configuration loader (`parse(file, text)`) on `text` and checks
/// that an error points inside the text.
pub fn check_loader<T>(
    parse: impl Fn(&Path, &str) -> Result<T, InputError>,
    text: &str,
) -> Result<(), TestCaseError> {
    let file = Path::new("content/fuzzed.yaml");
    match parse(file, text) {
        Ok(_) => Ok(()),
        Err(e) => check_error(file, text, &e),
    }
}

/// Fragments that carry structure in one layout or another.
pub const TOKENS: &[&str] = &[
    "\n",
    "\n",
    "\n",
    "\r\n",
    " ",
    "  ",
    "0",
    "1",
    "2",
    "01",
    "02",
    "35",
    "999",
    "4294967296",
    ")",
    ".",
    ". ",
    ") ",
    "Q",
    "Q1. ",
    "1) ",
    "1. ",
    "01 ",
    "- ",
    "|",
    "|---|",
    "| a | b |\n|---|---|\n| 1 | 2 |\n",
    "“",
    "”",
    "- “",
    "(",
    "Red flag answer:",
    "Follow-up:",
    "🐍",
    "⚙\u{FE0F}",
    "\u{FE0F}",
    "\u{2011}",
    "é",
    "Core 2 questions",
    " questions",
    "What?",
    "text",
    "questions:",
    "- number: 1\n",
    "  question: q\n",
    "  answer: a\n",
    ":",
    "#",
    "'",
    "\"",
    "[",
    "{",
    "&a ",
    "*a",
    "\t",
    "\0",
];

/// Text assembled from [`TOKENS`] and short arbitrary strings: closer to the
/// guides' shapes than uniformly random text.
pub fn token_soup() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        4 => prop::sample::select(TOKENS).prop_map(str::to_string),
        1 => ".{0,8}",
    ];
    prop::collection::vec(piece, 0..96).prop_map(|v| v.concat())
}

/// Characters inserted by [`mutated`].
pub const INSERTS: &[&str] = &[
    "0", "1", "7", "99", ")", ".", "Q", "- ", "|", "“", "”", "🐍", "\u{FE0F}", "\n", "\n\n", " ",
    "(", ":", "#",
];

/// One edit of a text.
#[derive(Debug, Clone)]
pub enum Edit {
    /// Cut the text at a character boundary.
    Truncate(Index),
    DeleteLine(Index),
    DuplicateLine(Index),
    /// Insert one of [`INSERTS`] at a character boundary.
    Insert(Index, &'static str),
    /// Delete one character.
    DeleteChar(Index),
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        1 => any::<Index>().prop_map(Edit::Truncate),
        2 => any::<Index>().prop_map(Edit::DeleteLine),
        2 => any::<Index>().prop_map(Edit::DuplicateLine),
        4 => (any::<Index>(), prop::sample::select(INSERTS)).prop_map(|(i, s)| Edit::Insert(i, s)),
        2 => any::<Index>().prop_map(Edit::DeleteChar),
    ]
}

/// Byte offset of a character boundary chosen by `i` (the end included).
fn boundary(text: &str, i: &Index) -> usize {
    let mut at = i.index(text.len() + 1);
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// Applies `e` to `text`.
pub fn apply(text: &mut String, e: &Edit) {
    match e {
        Edit::Truncate(i) => {
            let at = boundary(text, i);
            text.truncate(at);
        }
        Edit::DeleteLine(i) | Edit::DuplicateLine(i) => {
            let mut lines: Vec<&str> = text.split_inclusive('\n').collect();
            if lines.is_empty() {
                return;
            }
            let k = i.index(lines.len());
            if matches!(e, Edit::DeleteLine(_)) {
                lines.remove(k);
            } else {
                let line = lines[k];
                lines.insert(k, line);
            }
            *text = lines.concat();
        }
        Edit::Insert(i, s) => {
            let at = boundary(text, i);
            text.insert_str(at, s);
        }
        Edit::DeleteChar(i) => {
            let at = boundary(text, i);
            if at < text.len() {
                text.remove(at);
            }
        }
    }
}

/// `original` with one to eight edits applied.
pub fn mutated(original: impl Into<String>) -> impl Strategy<Value = String> {
    let original = original.into();
    prop::collection::vec(edit(), 1..8).prop_map(move |edits| {
        let mut text = original.clone();
        for e in &edits {
            apply(&mut text, e);
        }
        text
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;

    #[test]
    fn edits_change_the_text() {
        let mut runner = TestRunner::deterministic();
        let original = "a “b”\n🐍\u{FE0F}\nc\n";
        let mut changed = 0;
        for _ in 0..200 {
            let text = mutated(original).new_tree(&mut runner).unwrap().current();
            if text != original {
                changed += 1;
            }
        }
        assert!(
            changed > 150,
            "only {changed} of 200 mutations changed the text"
        );
    }

    #[test]
    fn line_edits_and_truncation() {
        let mut runner = TestRunner::deterministic();
        for _ in 0..50 {
            let i = any::<Index>().new_tree(&mut runner).unwrap().current();
            let mut t = String::from("a\nbb\nc\n");
            apply(&mut t, &Edit::DuplicateLine(i));
            assert_eq!(t.lines().count(), 4, "{t:?}");
            apply(&mut t, &Edit::DeleteLine(i));
            apply(&mut t, &Edit::DeleteLine(i));
            assert_eq!(t.lines().count(), 2, "{t:?}");
            let before = t.clone();
            apply(&mut t, &Edit::Truncate(i));
            assert!(before.starts_with(&t));
        }
    }

    #[test]
    fn error_past_the_end_is_caught() {
        let e = InputError::new(crate::error::Pos::new("f", 3, 1), "x");
        assert!(check_error(Path::new("f"), "a\nb", &e).is_err());
        assert!(check_error(Path::new("f"), "a\nb\n", &e).is_ok());
        let e = InputError::new(crate::error::Pos::new("f", 1, 3), "x");
        assert!(check_error(Path::new("f"), "ab", &e).is_ok());
        assert!(check_error(Path::new("f"), "a", &e).is_err());
        assert!(check_error(Path::new("g"), "ab", &e).is_err());
    }
}
