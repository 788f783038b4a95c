//! `content/errata.yaml`: corrections for damage the heuristics cannot
//! repair. Each entry names a question by reference, quotes the exact raw
//! text to replace and gives the replacement (Markdown). An entry whose
//! reference names no question, or whose text no longer occurs in that
//! question's raw text, fails the build at the entry's line.

use crate::error::{ConfigError, InputError, Pos};
use crate::model::{Question, Ref};
use serde::Deserialize;
use std::path::{Path, PathBuf};

/// One correction as written in YAML.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Erratum {
    #[serde(rename = "ref")]
    pub reference: Ref,
    /// The raw text as the parser returns it.
    pub original: String,
    /// What it becomes (Markdown).
    pub replacement: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileDoc {
    #[serde(default)]
    errata: Vec<Erratum>,
}

/// Corrections for damage the heuristics cannot repair, keyed by reference.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Errata {
    pub file: PathBuf,
    /// Entries with the 1-based line each starts on.
    pub entries: Vec<(usize, Erratum)>,
}

/// Parses `errata.yaml`.
pub fn parse_errata(file: &Path, text: &str) -> Result<Errata, ConfigError> {
    if text.trim().is_empty() {
        return Ok(Errata {
            file: file.to_path_buf(),
            entries: Vec::new(),
        });
    }
    let doc: FileDoc = crate::yaml::parse(file, text)?;
    // Entries start with `- ref:`; their lines, in order.
    let lines: Vec<usize> = text
        .lines()
        .enumerate()
        .filter(|(_, l)| l.trim_start().starts_with("- ref:"))
        .map(|(i, _)| i + 1)
        .collect();
    let mut entries = Vec::with_capacity(doc.errata.len());
    for (n, e) in doc.errata.into_iter().enumerate() {
        let line = lines.get(n).copied().unwrap_or(0);
        if e.original.is_empty() {
            return Err(InputError::new(
                Pos::new(file, line, 0),
                format!("{}: empty `original`", e.reference),
            ));
        }
        if e.original == e.replacement {
            return Err(InputError::new(
                Pos::new(file, line, 0),
                format!("{}: `replacement` equals `original`", e.reference),
            ));
        }
        entries.push((line, e));
    }
    Ok(Errata {
        file: file.to_path_buf(),
        entries,
    })
}

/// Applies every erratum to the raw text of its question. Errors name the
/// erratum's line.
pub fn apply(questions: &mut [Question], errata: &Errata) -> Result<(), InputError> {
    for (line, e) in &errata.entries {
        let at = || Pos::new(&errata.file, *line, 0);
        let Some(q) = questions.iter_mut().find(|q| q.reference == e.reference) else {
            return Err(InputError::new(
                at(),
                format!("erratum for {} names no source question", e.reference),
            )
            .with_hint("check the reference against the guide's numbering"));
        };
        let mut found = false;
        for field in fields(q) {
            if field.contains(&e.original) {
                *field = field.replace(&e.original, &e.replacement);
                found = true;
            }
        }
        if !found {
            return Err(InputError::new(
                at(),
                format!("erratum for {}: its `original` text no longer occurs in the question's raw text", e.reference),
            )
            .with_hint("the guide or its parser changed; update or remove the erratum"));
        }
    }
    Ok(())
}

/// Every raw text field of a question.
pub fn fields(q: &mut Question) -> Vec<&mut String> {
    let mut out: Vec<&mut String> = vec![&mut q.question, &mut q.answer];
    if let Some(t) = q.tip.as_mut() {
        out.push(t);
    }
    out.extend(q.red_flags.iter_mut());
    for f in q.follow_ups.iter_mut() {
        out.push(&mut f.question);
        if let Some(a) = f.answer.as_mut() {
            out.push(a);
        }
    }
    out.extend(q.tables.iter_mut());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = "errata:\n  # why\n  - ref: top-200#12\n    original: \"BreturnsB\"\n    replacement: \"`B` returns `B`\"\n";

    fn question() -> Question {
        let mut q = Question::new(
            Ref::new("top-200", 12),
            40,
            "What is short-circuit evaluation?",
        );
        q.answer = "- Logical operators.\nA and BreturnsBifA".into();
        q
    }

    #[test]
    fn parses_and_applies() {
        let e = parse_errata(Path::new("errata.yaml"), GOOD).unwrap();
        assert_eq!(e.entries.len(), 1);
        assert_eq!(e.entries[0].0, 3);
        let mut qs = vec![question()];
        apply(&mut qs, &e).unwrap();
        assert_eq!(
            qs[0].answer,
            "- Logical operators.\nA and `B` returns `B`ifA"
        );
    }

    #[test]
    fn unknown_reference_is_an_error_at_its_line() {
        let e = parse_errata(Path::new("errata.yaml"), &GOOD.replace("#12", "#13")).unwrap();
        let err = apply(&mut [question()], &e).unwrap_err();
        assert_eq!(err.pos.line, 3);
        assert!(err.message.contains("names no source question"), "{err}");
    }

    #[test]
    fn vanished_original_is_an_error_at_its_line() {
        let e = parse_errata(
            Path::new("errata.yaml"),
            &GOOD.replace("BreturnsB", "CreturnsC"),
        )
        .unwrap();
        let err = apply(&mut [question()], &e).unwrap_err();
        assert_eq!(err.pos.line, 3);
        assert!(err.message.contains("no longer occurs"), "{err}");
    }

    #[test]
    fn malformed_entries_are_errors() {
        let err = parse_errata(
            Path::new("errata.yaml"),
            &GOOD.replace("original:", "orignal:"),
        )
        .unwrap_err();
        assert!(err.hint.unwrap_or_default().contains("original"));
        let err = parse_errata(
            Path::new("e.yaml"),
            &GOOD.replace("top-200#12", "top-200#012"),
        )
        .unwrap_err();
        assert!(err.pos.line >= 3, "{err}");
    }
}

#[cfg(test)]
mod proptests {
    //! Robustness: no text makes `parse_errata` panic, and every error points inside
    //! the text.
    use super::parse_errata;
    use crate::sources::proptest_support::{check_loader, config, mutated, token_soup};
    use proptest::prelude::*;

    const REAL: &str = include_str!("../../content/errata.yaml");

    proptest! {
        #![proptest_config(config())]

        #[test]
        fn arbitrary_text(text in "(?s).{0,400}") {
            check_loader(parse_errata, &text)?;
        }

        #[test]
        fn token_soup_text(text in token_soup()) {
            check_loader(parse_errata, &text)?;
        }

        #[test]
        fn damaged_errata(text in mutated(REAL)) {
            check_loader(parse_errata, &text)?;
        }
    }
}
