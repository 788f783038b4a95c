//! The `canonical-yaml` layout: questions written directly in the canonical
//! schema, so a user can add a guide of their own without a parser. The file
//! is YAML:
//!
//! ```yaml
//! questions:
//!   - number: 1                     # 1, 2, 3, … in order
//!     section: Decorators           # optional
//!     question: What does `functools.wraps` do?
//!     answer: |                     # Markdown, required
//!       - Copies `__name__`, `__doc__` … onto the wrapper.
//!     tip: optional one-liner
//!     red_flags: [optional, list]
//!     follow_ups:
//!       - question: And `__wrapped__`?
//!         answer: optional
//!     tables: [optional Markdown pipe tables]
//! ```
//!
//! Unknown keys are errors with a "did you mean" hint; an empty question or
//! answer is an error at its line. Each question's `line` is the line of its
//! `- ` entry (found by scanning the block layout; a file in flow style gets
//! the line of the `questions:` key instead).

use super::{check_numbering, Layout, SourceFile};
use crate::error::{InputError, ParseError, Pos};
use crate::model::{FollowUp, Question};
use serde::{Deserialize, Deserializer};

/// Parser for the `canonical-yaml` layout.
pub struct CanonicalYaml;

/// The whole file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    questions: Vec<Entry>,
}

/// One question as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Entry {
    number: u32,
    #[serde(default)]
    section: Option<String>,
    question: Required,
    answer: Required,
    #[serde(default)]
    tip: Option<String>,
    #[serde(default)]
    red_flags: Vec<String>,
    #[serde(default)]
    follow_ups: Vec<FollowUp>,
    #[serde(default)]
    tables: Vec<String>,
}

/// Text that must not be blank. Checked while deserializing, so the error
/// carries the position of the offending value.
#[derive(Debug)]
struct Required(String);

impl<'de> Deserialize<'de> for Required {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        // The check runs inside the visitor so the error is placed at the
        // value itself rather than at the entry holding it.
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = Required;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("non-empty text")
            }
            fn visit_str<E: serde::de::Error>(self, s: &str) -> Result<Required, E> {
                if s.trim().is_empty() {
                    return Err(E::custom("must not be empty"));
                }
                Ok(Required(s.to_string()))
            }
        }
        d.deserialize_string(Visitor)
    }
}

/// Lines of the `- ` entries of the top-level `questions:` sequence in block
/// style, and the line of the `questions:` key (0 if not found).
fn entry_lines(text: &str) -> (usize, Vec<usize>) {
    let mut key_line = 0;
    let mut item_indent: Option<usize> = None;
    let mut lines = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let number = i + 1;
        let trimmed = raw.trim_start();
        let indent = raw.len() - trimmed.len();
        if key_line == 0 {
            if indent == 0 && trimmed.starts_with("questions:") {
                key_line = number;
            }
            continue;
        }
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let is_item = trimmed == "-" || trimmed.starts_with("- ");
        match item_indent {
            None if is_item => {
                item_indent = Some(indent);
                lines.push(number);
            }
            None => break,
            Some(at) if is_item && indent == at => lines.push(number),
            // Back at the top level: another key ends the sequence.
            Some(at) if indent < at || (indent == 0 && !is_item) => break,
            Some(_) => {}
        }
    }
    (key_line, lines)
}

impl Layout for CanonicalYaml {
    fn name(&self) -> &'static str {
        "canonical-yaml"
    }

    fn parse(&self, src: &SourceFile) -> Result<Vec<Question>, ParseError> {
        let file: File = crate::yaml::parse(&src.path, &src.text)?;
        let (key_line, found) = entry_lines(&src.text);
        let lines: Vec<usize> = if found.len() == file.questions.len() {
            found
        } else {
            vec![key_line.max(1); file.questions.len()]
        };
        if file.questions.is_empty() {
            return Err(
                InputError::new(Pos::new(&src.path, key_line, 0), "no questions found")
                    .with_hint("add entries under `questions:`, numbered from 1"),
            );
        }
        let numbers: Vec<(u32, usize)> = file
            .questions
            .iter()
            .zip(&lines)
            .map(|(e, &l)| (e.number, l))
            .collect();
        check_numbering(src, &numbers)?;
        Ok(file
            .questions
            .into_iter()
            .zip(lines)
            .map(|(e, line)| {
                let mut q = Question::new(src.reference(e.number), line, e.question.0.trim());
                q.section = e.section.filter(|s| !s.trim().is_empty());
                q.answer = e.answer.0;
                q.tip = e.tip.filter(|t| !t.trim().is_empty());
                q.red_flags = e.red_flags;
                q.follow_ups = e.follow_ups;
                q.tables = e.tables;
                q
            })
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sources::parse_source;
    use std::path::Path;

    const EXAMPLE: &str = include_str!("../../tests/fixtures/canonical-example/python-extras.yaml");
    const MANIFEST: &str = include_str!("../../tests/fixtures/canonical-example/sources.yaml");

    fn parse(text: &str) -> Result<Vec<Question>, ParseError> {
        CanonicalYaml.parse(&SourceFile::new("mine", "mine.yaml", text))
    }

    const TWO: &str = "\
questions:
  - number: 1
    section: Functions
    question: What does `functools.wraps` do?
    answer: |
      - Copies `__name__` and `__doc__`.
      - Sets `__wrapped__`.
    tip: Mention `inspect.signature`.
    red_flags: [Forgetting it breaks introspection]
    follow_ups:
      - question: What is `__wrapped__` for?
        answer: Reaching the undecorated function.
    tables:
      - |
        | a | b |
        |---|---|
        | 1 | 2 |

  # a comment between entries
  - number: 2
    question: Why is `is` not `==`?
    answer: Identity, not equality.
";

    #[test]
    fn every_field_is_read() {
        let qs = parse(TWO).unwrap();
        assert_eq!(qs.len(), 2);
        let q = &qs[0];
        assert_eq!(q.reference.to_string(), "mine#1");
        assert_eq!(q.line, 2);
        assert_eq!(q.section.as_deref(), Some("Functions"));
        assert_eq!(q.question, "What does `functools.wraps` do?");
        assert_eq!(q.original_question, q.question);
        assert_eq!(
            q.answer,
            "- Copies `__name__` and `__doc__`.\n- Sets `__wrapped__`.\n"
        );
        assert_eq!(q.tip.as_deref(), Some("Mention `inspect.signature`."));
        assert_eq!(q.red_flags, ["Forgetting it breaks introspection"]);
        assert_eq!(q.follow_ups.len(), 1);
        assert_eq!(
            q.follow_ups[0].answer.as_deref(),
            Some("Reaching the undecorated function.")
        );
        assert!(q.tables[0].starts_with("| a | b |\n|---|---|"));
        assert_eq!(qs[1].line, 20);
        assert_eq!(qs[1].section, None);
        assert!(qs[1].tip.is_none() && qs[1].follow_ups.is_empty());
    }

    #[test]
    fn unknown_key_has_position_and_hint() {
        let e = parse(&TWO.replace("    tip:", "    tipp:")).unwrap_err();
        assert_eq!(e.pos.line, 8);
        assert_eq!(e.hint.as_deref(), Some("did you mean `tip`?"), "{e}");
    }

    #[test]
    fn empty_question_or_answer_is_reported_at_its_line() {
        let e =
            parse(&TWO.replace("answer: Identity, not equality.", "answer: \"  \"")).unwrap_err();
        assert_eq!(e.pos.line, 22, "{e}");
        assert!(e.message.contains("must not be empty"), "{e}");
        let e = parse(&TWO.replace("    question: Why is `is` not `==`?\n", "")).unwrap_err();
        assert_eq!(e.pos.line, 20, "{e}");
        assert!(e.message.contains("missing field `question`"), "{e}");
    }

    #[test]
    fn numbering_errors_carry_the_entry_line() {
        let e = parse(&TWO.replace("number: 2", "number: 3")).unwrap_err();
        assert_eq!(e.pos.line, 20);
        assert!(e.message.contains("2 is missing"), "{e}");
        let e = parse(&TWO.replace("number: 2", "number: 1")).unwrap_err();
        assert_eq!(e.pos.line, 20);
        assert!(e.message.contains("repeats"), "{e}");
    }

    #[test]
    fn no_questions_is_an_error() {
        let e = parse("questions: []\n").unwrap_err();
        assert!(e.message.contains("no questions"), "{e}");
        assert_eq!(e.pos.line, 1);
        let e = parse("questions:\n").unwrap_err();
        assert!(e.pos.line >= 1, "{e}");
    }

    #[test]
    fn flow_style_falls_back_to_the_key_line() {
        let qs = parse("# mine\nquestions: [{number: 1, question: Q?, answer: A.}]\n").unwrap();
        assert_eq!(qs[0].line, 2);
        assert_eq!(qs[0].answer, "A.");
    }

    #[test]
    fn entry_lines_ignore_nested_sequences_and_block_text() {
        let (key, lines) = entry_lines(TWO);
        assert_eq!(key, 1);
        assert_eq!(lines, [2, 20]);
        let (_, lines) = entry_lines(
            "questions:\n- number: 1\n  red_flags:\n  - x\n- number: 2\nother: 1\n- y\n",
        );
        assert_eq!(lines, [2, 5]);
    }

    #[test]
    fn example_fixture_is_a_valid_source() {
        let m = crate::manifest::parse(Path::new("sources.yaml"), MANIFEST).unwrap();
        let spec = &m.sources[0];
        assert_eq!(spec.layout, "canonical-yaml");
        let src = SourceFile::new(spec.id.as_str(), &spec.file, EXAMPLE);
        let layout = crate::sources::layout(&spec.layout).unwrap();
        let qs = parse_source(layout, &src, spec.questions).unwrap();
        assert_eq!(qs.len(), 3);
        assert!(qs.iter().all(|q| !q.answer.trim().is_empty()));
        assert_eq!(qs[0].reference.to_string(), format!("{}#1", spec.id));
    }
}

#[cfg(test)]
mod proptests {
    //! Robustness: no input makes the `canonical-yaml` parser panic, and every error
    //! points inside the input.
    use crate::sources::proptest_support::{check_layout, config, mutated, token_soup};
    use crate::sources::{layout, Layout, SourceFile};
    use proptest::prelude::*;

    const GUIDE: &str = include_str!("../../tests/fixtures/canonical-example/python-extras.yaml");

    fn parser() -> &'static dyn Layout {
        layout("canonical-yaml").expect("registered")
    }

    /// Found by `token_soup_text` and `damaged_guide`: libyaml put the
    /// "missing field" error of a comment-only file, or of one broken only by
    /// `\r`, on a line past the end of the text.
    #[test]
    fn regression_error_past_the_last_line() {
        for text in ["#", "\r", "\r\r\r", "# only a comment\n"] {
            let src = SourceFile::new("mine", "mine.yaml", text);
            let e = parser().parse(&src).unwrap_err();
            assert!(e.message.contains("missing field `questions`"), "{e}");
            assert!(e.pos.line <= text.split('\n').count(), "{text:?}: {e}");
        }
    }

    proptest! {
        #![proptest_config(config())]

        #[test]
        fn arbitrary_text(text in "(?s).{0,400}") {
            check_layout(parser(), &text)?;
        }

        #[test]
        fn token_soup_text(text in token_soup()) {
            check_layout(parser(), &text)?;
        }

        #[test]
        fn damaged_guide(text in mutated(GUIDE)) {
            check_layout(parser(), &text)?;
        }
    }
}
