//! Source layouts: one parser per guide layout, each a pure function from a
//! file's text to canonical `Question`s with raw (not yet normalized) text.
//! This is the only module that knows what a guide looks like on the page;
//! everything after it sees `model::Question`s.

use crate::error::{InputError, ParseError, Pos};
use crate::model::{Question, Ref};
use std::path::PathBuf;
use std::sync::Arc;

mod canonical_yaml;
mod deep_dive;
#[cfg(test)]
pub(crate) mod proptest_support;
mod scan;
mod scenarios;
mod study_guide;
mod top200;
mod top50;

pub use canonical_yaml::CanonicalYaml;
pub use deep_dive::DeepDive;
pub use scenarios::Scenarios;
pub use study_guide::StudyGuide;
pub use top200::Top200;
pub use top50::Top50;

/// A source file as read by the driver.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// Source id from `sources.yaml`, shared by the `Ref` of every question
    /// parsed from this file.
    pub id: Arc<str>,
    /// Path shown in messages (as the user would type it).
    pub path: PathBuf,
    pub text: String,
}

impl SourceFile {
    pub fn new(id: impl Into<Arc<str>>, path: impl Into<PathBuf>, text: impl Into<String>) -> Self {
        SourceFile {
            id: id.into(),
            path: path.into(),
            text: text.into(),
        }
    }

    /// The reference of this file's question `number`, sharing the file's id.
    pub fn reference(&self, number: u32) -> Ref {
        Ref::new(self.id.clone(), number)
    }

    /// An error at byte `offset` of this file.
    pub fn error_at(&self, offset: usize, message: impl Into<String>) -> ParseError {
        InputError::new(Pos::at_offset(&self.path, &self.text, offset), message)
    }

    /// An error at a 1-based line of this file.
    pub fn error_at_line(&self, line: usize, message: impl Into<String>) -> ParseError {
        InputError::new(Pos::new(&self.path, line, 1), message)
    }

    /// The file's lines with their 1-based numbers and byte offsets. Lines end
    /// at `\n`; a trailing `\r` is dropped. A missing final newline is fine.
    pub fn lines(&self) -> impl Iterator<Item = Line<'_>> {
        let mut offset = 0;
        self.text.split('\n').enumerate().map(move |(i, raw)| {
            let start = offset;
            offset += raw.len() + 1;
            Line {
                number: i + 1,
                offset: start,
                text: raw.strip_suffix('\r').unwrap_or(raw),
            }
        })
    }
}

/// One line of a source file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Line<'a> {
    pub number: usize,
    pub offset: usize,
    pub text: &'a str,
}

/// A source layout: knows one guide format.
pub trait Layout: Sync {
    /// The name used in `sources.yaml`'s `layout` key.
    fn name(&self) -> &'static str;
    /// Parses the whole file. Pure: no I/O, no global state.
    fn parse(&self, src: &SourceFile) -> Result<Vec<Question>, ParseError>;
}

/// Every layout deckc knows.
pub static LAYOUTS: &[&dyn Layout] = &[
    &StudyGuide,
    &Top200,
    &Scenarios,
    &DeepDive,
    &Top50,
    &CanonicalYaml,
];

/// The layout with this name.
pub fn layout(name: &str) -> Option<&'static dyn Layout> {
    LAYOUTS.iter().copied().find(|l| l.name() == name)
}

/// Checks that question numbers run 1, 2, 3, … with no gap or repeat.
/// `numbers` holds (number, line) in document order.
pub fn check_numbering(src: &SourceFile, numbers: &[(u32, usize)]) -> Result<(), ParseError> {
    for (expected, &(n, line)) in (1u32..).zip(numbers) {
        if n != expected {
            let msg = if n < expected {
                format!("question number {n} repeats or goes backwards (expected {expected})")
            } else {
                format!("question number {expected} is missing (found {n} next)")
            };
            return Err(src.error_at_line(line, msg));
        }
    }
    Ok(())
}

/// Parses `src` with `layout` and checks the count against `expected`.
pub fn parse_source(
    layout: &dyn Layout,
    src: &SourceFile,
    expected: usize,
) -> Result<Vec<Question>, ParseError> {
    if src.text.trim().is_empty() {
        return Err(InputError::new(Pos::file(&src.path), "file has no text"));
    }
    let questions = layout.parse(src)?;
    if questions.len() != expected {
        return Err(InputError::new(
            Pos::file(&src.path),
            format!(
                "source `{}` has {} questions, but sources.yaml expects {}",
                src.id,
                questions.len(),
                expected
            ),
        )
        .with_hint("fix the file, or the `questions` count in sources.yaml"));
    }
    Ok(questions)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_have_numbers_and_offsets() {
        let f = SourceFile::new("x", "x.txt", "a\r\nbc\nd");
        let l: Vec<_> = f.lines().collect();
        assert_eq!(l.len(), 3);
        assert_eq!((l[1].number, l[1].offset, l[1].text), (2, 3, "bc"));
        assert_eq!(l[0].text, "a");
        assert_eq!(l[2].text, "d");
    }

    #[test]
    fn numbering_gaps_and_repeats_are_reported_at_their_line() {
        let f = SourceFile::new("x", "x.txt", "");
        assert!(check_numbering(&f, &[(1, 1), (2, 5), (3, 9)]).is_ok());
        let e = check_numbering(&f, &[(1, 1), (3, 5)]).unwrap_err();
        assert_eq!(e.pos.line, 5);
        assert!(e.message.contains("2 is missing"));
        let e = check_numbering(&f, &[(1, 1), (2, 4), (2, 8)]).unwrap_err();
        assert_eq!(e.pos.line, 8);
        assert!(e.message.contains("repeats"));
    }

    #[test]
    fn every_layout_is_registered_once() {
        let mut names: Vec<_> = LAYOUTS.iter().map(|l| l.name()).collect();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), LAYOUTS.len());
        assert!(layout("deep-dive").is_some());
        assert!(layout("nope").is_none());
    }
}
