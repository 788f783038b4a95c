//! Authored overlays: canonical-yaml files in `content/` that attach authored
//! text (answers the guide lacks, restored remainders, missing snippets) to
//! source questions by reference. Parsing, validation and application; the
//! text is always marked `origin: authored` in the data.

use crate::error::{ConfigError, InputError, Pos};
use crate::model::{Authored, ContextFix, Origin, Question, Ref};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// One overlay entry as written in YAML.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    #[serde(rename = "ref")]
    pub reference: Ref,
    pub origin: Origin,
    pub answer: String,
    #[serde(default)]
    pub details: Option<String>,
    #[serde(default)]
    pub context_fix: Option<ContextFix>,
    /// The standalone wording, with `context_fix: rephrased`.
    #[serde(default)]
    pub question: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileDoc {
    answers: Vec<Entry>,
}

/// A parsed overlay file: entries with the line each starts on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Overlay {
    pub file: PathBuf,
    pub entries: Vec<(usize, Entry)>,
}

/// The line of every `ref: X` line of an overlay file, by X (the first,
/// when X repeats): one pass, where a search per entry took time quadratic
/// in the file's length.
fn ref_lines(text: &str) -> BTreeMap<&str, usize> {
    let mut lines = BTreeMap::new();
    for (i, l) in text.lines().enumerate() {
        let l = l.trim_start();
        let l = l.strip_prefix("- ").unwrap_or(l).trim_start();
        if let Some(r) = l.strip_prefix("ref:") {
            lines.entry(r.trim()).or_insert(i + 1);
        }
    }
    lines
}

/// Parses and checks one overlay file.
pub fn parse(file: &Path, text: &str) -> Result<Overlay, ConfigError> {
    let doc: FileDoc = crate::yaml::parse(file, text)?;
    let mut entries = Vec::with_capacity(doc.answers.len());
    let mut seen = BTreeMap::new();
    let ref_lines = ref_lines(text);
    for e in doc.answers {
        let line = match ref_lines.get(e.reference.to_string().as_str()) {
            Some(&line) => line,
            None => crate::manifest::line_of(text, &format!("ref: {}", e.reference)),
        };
        let at = Pos::new(file, line, 0);
        if e.origin != Origin::Authored {
            return Err(InputError::new(
                at,
                format!("{}: overlay text must be `origin: authored`", e.reference),
            ));
        }
        if e.answer.trim().is_empty() {
            return Err(InputError::new(
                at,
                format!("{}: empty `answer`", e.reference),
            ));
        }
        match (e.context_fix, &e.question, &e.details) {
            (Some(ContextFix::Rephrased), None, _) => {
                return Err(InputError::new(
                    at,
                    format!("{}: `context_fix: rephrased` needs `question`", e.reference),
                ))
            }
            (Some(ContextFix::Snippet), _, None) => {
                return Err(InputError::new(
                    at,
                    format!("{}: `context_fix: snippet` needs `details`", e.reference),
                ))
            }
            (c, Some(_), _) if c != Some(ContextFix::Rephrased) => {
                return Err(InputError::new(
                    at,
                    format!(
                        "{}: `question` is only allowed with `context_fix: rephrased`",
                        e.reference
                    ),
                ))
            }
            _ => {}
        }
        if let Some(prev) = seen.insert(e.reference.clone(), line) {
            return Err(InputError::new(
                at,
                format!("{} is already overlaid at line {prev}", e.reference),
            ));
        }
        entries.push((line, e));
    }
    Ok(Overlay {
        file: file.to_path_buf(),
        entries,
    })
}

/// Attaches every overlay entry to its question. An entry naming a reference
/// that no source has is an error at its line.
pub fn apply(
    mut questions: Vec<Question>,
    overlays: &[Overlay],
) -> Result<Vec<Question>, ConfigError> {
    // Only the overlaid references are indexed (one pass over the
    // questions), not every question: overlays name a few dozen.
    let wanted: std::collections::BTreeSet<&Ref> = overlays
        .iter()
        .flat_map(|o| o.entries.iter().map(|(_, e)| &e.reference))
        .collect();
    let index: BTreeMap<Ref, usize> = questions
        .iter()
        .enumerate()
        .filter(|(_, q)| wanted.contains(&q.reference))
        .map(|(i, q)| (q.reference.clone(), i))
        .collect();
    for overlay in overlays {
        for (line, e) in &overlay.entries {
            let at = || Pos::new(&overlay.file, *line, 0);
            let Some(&i) = index.get(&e.reference) else {
                return Err(InputError::new(
                    at(),
                    format!("{} names no source question", e.reference),
                ));
            };
            let q = &mut questions[i];
            if q.authored.is_some() {
                return Err(InputError::new(
                    at(),
                    format!("{} is overlaid twice", e.reference),
                ));
            }
            let printed_question = match (&e.question, e.context_fix) {
                (Some(new), Some(ContextFix::Rephrased)) => {
                    Some(std::mem::replace(&mut q.question, new.trim().to_string()))
                }
                _ => None,
            };
            q.authored = Some(Authored {
                origin: Origin::Authored,
                answer: e.answer.trim_end().to_string(),
                details: e.details.as_ref().map(|d| d.trim_end().to_string()),
                context_fix: e.context_fix,
                printed_question,
            });
        }
    }
    Ok(questions)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn questions() -> Vec<Question> {
        vec![Question::new(
            Ref::new("top-50", 14),
            3,
            "Why does the following code break?",
        )]
    }

    #[test]
    fn applies_answers_snippets_and_rephrasing() {
        let o = parse(Path::new("a.yaml"), "answers:\n  - ref: top-50#14\n    origin: authored\n    context_fix: rephrased\n    question: Why is GET-then-SET racy?\n    answer: |\n      - Not atomic.\n").unwrap();
        let q = apply(questions(), &[o]).unwrap().remove(0);
        let a = q.authored.unwrap();
        assert_eq!(q.question, "Why is GET-then-SET racy?");
        assert_eq!(
            a.printed_question.as_deref(),
            Some("Why does the following code break?")
        );
        assert_eq!(a.answer, "- Not atomic.");
        assert_eq!(a.origin, Origin::Authored);
    }

    #[test]
    fn unknown_reference_is_an_error_at_its_line() {
        let o = parse(
            Path::new("a.yaml"),
            "answers:\n  - ref: top-50#99\n    origin: authored\n    answer: x\n",
        )
        .unwrap();
        let e = apply(questions(), &[o]).unwrap_err();
        assert_eq!(e.pos.line, 2);
        assert!(e.message.contains("top-50#99"));
    }

    #[test]
    fn guide_origin_and_missing_parts_are_rejected() {
        let bad = [
            "answers:\n  - ref: top-50#1\n    origin: guide\n    answer: x\n",
            "answers:\n  - ref: top-50#1\n    origin: authored\n    answer: ''\n",
            "answers:\n  - ref: top-50#1\n    origin: authored\n    context_fix: snippet\n    answer: x\n",
            "answers:\n  - ref: top-50#1\n    origin: authored\n    question: q\n    answer: x\n",
            "answers:\n  - ref: top-50#1\n    origin: authored\n    anwser: x\n",
        ];
        for b in bad {
            assert!(parse(Path::new("a.yaml"), b).is_err(), "{b}");
        }
    }
}

#[cfg(test)]
mod proptests {
    //! Robustness: no text makes the overlay loader panic, and every error
    //! points inside the text.
    use super::*;
    use crate::sources::proptest_support::{check_error, config, mutated, token_soup};
    use proptest::prelude::*;

    const TOP_50: &str = include_str!("../content/authored/top-50.yaml");
    const DEEP_DIVE: &str = include_str!("../content/authored/deep-dive.yaml");

    fn check(text: &str) -> Result<(), TestCaseError> {
        let file = Path::new("content/authored/x.yaml");
        match parse(file, text) {
            Ok(o) => {
                let lines = text.split('\n').count();
                prop_assert!(o.entries.iter().all(|(line, _)| *line <= lines));
                Ok(())
            }
            Err(e) => check_error(file, text, &e),
        }
    }

    proptest! {
        #![proptest_config(config())]

        #[test]
        fn arbitrary_text(text in "(?s).{0,400}") {
            check(&text)?;
        }

        #[test]
        fn token_soup_text(text in token_soup()) {
            check(&text)?;
        }

        #[test]
        fn damaged_top_50_overlay(text in mutated(TOP_50)) {
            check(&text)?;
        }

        #[test]
        fn damaged_deep_dive_overlay(text in mutated(DEEP_DIVE)) {
            check(&text)?;
        }
    }
}
