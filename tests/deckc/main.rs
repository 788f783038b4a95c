//! deckc's integration tests: the one test crate that drives the library and
//! the binary end to end. Golden files live in `tests/golden/`; set
//! `DECKC_BLESS=1` to rewrite them, then review the diff.

mod bad_input;
mod cli;
mod golden;
mod pipeline;

use std::path::{Path, PathBuf};

/// The repository root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The real content folder.
pub fn content() -> PathBuf {
    root().join("content")
}

/// Compiles a content folder in memory.
pub fn compile(content: &Path) -> deckc::pipeline::Compiled {
    let inputs =
        deckc::driver::load(content).unwrap_or_else(|e| panic!("load {}: {e}", content.display()));
    deckc::pipeline::compile(&inputs).unwrap_or_else(|e| panic!("compile: {e}"))
}

/// The built `deckc` binary.
pub fn deckc_bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_deckc"))
}

/// Compares `actual` with the golden file `name`, or rewrites it when
/// `DECKC_BLESS` is set.
pub fn assert_golden(name: &str, actual: &str) {
    let path = root().join("tests/golden").join(name);
    if std::env::var_os("DECKC_BLESS").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_else(|_| {
        panic!(
            "missing golden {}: run with DECKC_BLESS=1 and review",
            path.display()
        )
    });
    if expected != actual {
        let first = expected
            .lines()
            .zip(actual.lines())
            .position(|(a, b)| a != b)
            .unwrap_or(expected.lines().count().min(actual.lines().count()));
        panic!(
            "{} differs from the build (first difference at line {}); rerun with DECKC_BLESS=1 and review the diff",
            path.display(),
            first + 1
        );
    }
}
