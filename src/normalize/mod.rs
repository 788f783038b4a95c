//! Normalization: repairs what web extraction broke in the guides' text and
//! brings every question into one Markdown dialect. Unicode cleanup, code-span
//! repair (for the sources the manifest marks `repair: [code-spans]`), dunder
//! names, labels and inline math live here, plus the errata that fix what
//! the heuristics cannot. Pure functions over `Question`s.

mod code_spans;
mod errata;
mod inline;
mod unicode;
mod vocab;

pub use code_spans::repair as repair_code_spans;
pub use errata::{parse_errata, Errata, Erratum};
pub use unicode::unicode;

use crate::error::InputError;
use crate::model::Question;
use std::collections::BTreeSet;

/// What normalization does beyond the rules every source gets.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Options {
    /// Source ids whose code spans the extraction destroyed.
    pub code_spans: BTreeSet<String>,
}

/// Normalizes every text field of every question: errata first (on the raw
/// text), then Unicode, labels, code-span repair where the source asks for
/// it, dunder names and inline math.
pub fn normalize(
    mut questions: Vec<Question>,
    options: &Options,
    errata: &Errata,
) -> Result<Vec<Question>, InputError> {
    errata::apply(&mut questions, errata)?;
    for q in &mut questions {
        let repair = options.code_spans.contains(&q.reference.source);
        for field in errata::fields(q) {
            *field = text(field, repair);
        }
    }
    Ok(questions)
}

/// Normalizes one text field; `repair` turns on code-span repair.
pub fn text(raw: &str, repair: bool) -> String {
    let t = unicode(raw);
    let t = inline::isolate_labels(&t);
    let t = if repair { code_spans::repair(&t) } else { t };
    let t = inline::backtick_dunders(&t);
    let t = inline::plain_math(&t);
    tidy(&t)
}

/// Trims trailing spaces on lines, at most one blank line in a row, no
/// blank lines at either end.
fn tidy(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut blank = 0;
    for line in text.trim().lines() {
        let line = line.trim_end();
        if line.is_empty() {
            blank += 1;
            continue;
        }
        if !out.is_empty() {
            out.push_str(if blank > 0 { "\n\n" } else { "\n" });
        }
        blank = 0;
        out.push_str(line);
    }
    out
}
