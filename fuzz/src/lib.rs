//! The invariants every fuzz target checks, shared by the targets: a source
//! layout given arbitrary bytes (as UTF-8 text, the way the driver loads a
//! file) never panics, an error names the given file and a position inside
//! the text, and parsed questions carry lines inside the text and unique
//! references. A broken invariant panics, which libFuzzer reports as a crash.

use deckc::error::InputError;
use deckc::sources::{layout, SourceFile};
use std::collections::BTreeSet;
use std::path::Path;

/// The path every fuzzed source is read from.
pub const PATH: &str = "content/sources/fuzzed.txt";

/// Asserts that `err` names `file` and lies inside `text`.
pub fn assert_error_inside(file: &Path, text: &str, err: &InputError) {
    assert_eq!(err.pos.file, file, "error names another file: {err}");
    let lines = text.split('\n').count();
    assert!(
        err.pos.line <= lines,
        "error line {} is past the last line {lines}: {err}",
        err.pos.line
    );
    if err.pos.line > 0 && err.pos.column > 0 {
        let width = text
            .split('\n')
            .nth(err.pos.line - 1)
            .map_or(0, |l| l.chars().count());
        assert!(
            err.pos.column <= width + 1,
            "error column {} is past the end of line {} ({width} characters): {err}",
            err.pos.column,
            err.pos.line
        );
    }
    assert!(!err.message.is_empty(), "error without a message");
}

/// Parses `data` with the layout named `name` and asserts the invariants.
/// Bytes that are not UTF-8 are skipped: the driver rejects them before any
/// parser sees them.
pub fn check_layout(name: &str, data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let parser = layout(name).expect("layout is registered");
    let path = Path::new(PATH);
    let src = SourceFile::new("fuzzed", path, text);
    match parser.parse(&src) {
        Err(e) => assert_error_inside(path, text, &e),
        Ok(questions) => {
            let lines = text.split('\n').count();
            let mut seen = BTreeSet::new();
            for q in &questions {
                assert_eq!(q.reference.source, "fuzzed");
                assert!(
                    (1..=lines).contains(&q.line),
                    "{} is on line {}, outside 1..={lines}",
                    q.reference,
                    q.line
                );
                assert!(seen.insert(q.reference.clone()), "{} twice", q.reference);
            }
        }
    }
}
