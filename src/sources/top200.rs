//! The `top-200` layout: an intro line (see [`INTRO`]), then question lines
//! "Q1. What are …?" each followed by "- " bullet answers. Extraction glued
//! bullets together and split code spans onto continuation lines; the answer
//! keeps every line as printed for the normalizer. After the last question's
//! bullets the page closes with study advice (see [`TRAILER`]), which is not
//! part of that answer and is dropped.

use super::scan::{check_drafts, join_body, number, split_digits, split_questions};
use super::{Layout, SourceFile};
use crate::error::ParseError;
use crate::model::Question;

/// The line before Q1, as printed: skipped. Any other text before Q1 is an
/// error, since it would otherwise vanish.
pub const INTRO: &str = "Comprehensive, chapter-wise preparation guide covering 200 Python \
developer interview questions with step-by-step answers.";

/// The page's closing study advice, printed as bullets after the last
/// question's answer. Removed from that answer only when all four lines
/// appear together, in this order; anything else there stays in the answer.
pub const TRAILER: [&str; 4] = [
    "- Review chapters aligned with target job requirements.",
    "- Implement practice projects and exercises for reinforcement.",
    "- Rehearse explanations aloud to build confidence.",
    "- Pair study with mock interviews or timed practice sessions.",
];

/// Parser for the `top-200` layout.
pub struct Top200;

/// "Q12. text" → (12, "text").
fn question_line(line: &str) -> Option<(u32, &str)> {
    let (digits, rest) = split_digits(line.strip_prefix('Q')?)?;
    let text = rest.strip_prefix(". ")?;
    if text.trim().is_empty() {
        return None;
    }
    Some((number(digits)?, text))
}

impl Layout for Top200 {
    fn name(&self) -> &'static str {
        "top-200"
    }

    fn parse(&self, src: &SourceFile) -> Result<Vec<Question>, ParseError> {
        let mut drafts = split_questions(src, question_line);
        check_drafts(src, &drafts, &[INTRO], "`Q1. What are …?`")?;
        if let Some(last) = drafts.last_mut() {
            let at = last
                .body
                .windows(TRAILER.len())
                .position(|w| w.iter().zip(TRAILER).all(|(l, t)| l.text.trim_end() == t));
            if let Some(at) = at {
                last.body.drain(at..at + TRAILER.len());
            }
        }
        drafts
            .iter()
            .map(|d| {
                if d.body_is_blank() {
                    return Err(d.no_answer(src));
                }
                let mut q = d.question(src);
                q.answer = join_body(&d.body);
                Ok(q)
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GUIDE: &str = include_str!("../../content/sources/top-200.txt");

    fn parse(text: &str) -> Result<Vec<Question>, ParseError> {
        Top200.parse(&SourceFile::new("top-200", "top-200.txt", text))
    }

    fn real() -> Vec<Question> {
        parse(GUIDE).expect("the real guide parses")
    }

    #[test]
    fn real_guide_has_200_questions() {
        let qs = real();
        assert_eq!(qs.len(), 200);
        assert!(qs.iter().all(|q| q.section.is_none() && q.tip.is_none()));
        assert!(qs.iter().all(|q| !q.answer.trim().is_empty()));
    }

    #[test]
    fn first_and_last_questions() {
        let qs = real();
        let first = &qs[0];
        assert_eq!(first.reference.to_string(), "top-200#1");
        assert_eq!(first.line, 2);
        assert_eq!(first.original_question, "What are Python’s key features?");
        assert_eq!(first.question, first.original_question);
        assert_eq!(first.answer.lines().count(), 7);
        assert!(first
            .answer
            .starts_with("- Interpreted execution eases debugging.\n"));
        let last = &qs[199];
        assert_eq!(last.reference.to_string(), "top-200#200");
        assert_eq!(last.line, 942);
        assert_eq!(last.question, "What are best practices for code reviews?");
    }

    #[test]
    fn intro_is_not_a_question() {
        assert_eq!(GUIDE.lines().next(), Some(INTRO));
        let qs = real();
        assert!(qs.iter().all(|q| !q.answer.contains("chapter-wise")));
    }

    #[test]
    fn q200_keeps_its_four_bullets_and_loses_the_trailer() {
        for t in TRAILER {
            assert!(GUIDE.contains(t), "{t}");
        }
        let qs = real();
        let last = &qs[199];
        assert_eq!(last.answer.lines().count(), 4);
        assert!(last.answer.lines().all(|l| l.starts_with("- ")));
        assert!(last
            .answer
            .ends_with("- Encourage small PRs and automate quality checks."));
        assert!(!last.answer.contains("Review chapters"));
    }

    #[test]
    fn damaged_bullets_stay_raw() {
        let qs = real();
        // Q3: a code span split onto a continuation line and a glued bullet.
        assert_eq!(
            qs[2].answer,
            "- Parser converts source to abstract syntax tree (AST).\n\
             - Compiler transforms AST to bytecode (\n\
             .pyc). - Python Virtual Machine executes bytecode.\n\
             - Compiled bytecode cached in\n\
             __pycache__for reuse."
        );
        // Answer lines that begin with digits are not questions.
        assert!(qs[7].answer.contains("\n2 + 3). - Statements"));
    }

    #[test]
    fn trailer_absent_or_followed_by_text() {
        let qs = parse("Q1. A?\n- a\nQ2. B?\n- b").unwrap();
        assert_eq!(qs[1].answer, "- b");
        let text = format!("Q1. A?\n- a\n{}\n- kept", TRAILER.join("\n"));
        let qs = parse(&text).unwrap();
        assert_eq!(qs[0].answer, "- a\n- kept");
        // Only part of the trailer: nothing is removed.
        let text = format!("Q1. A?\n- a\n{}", TRAILER[..2].join("\n"));
        assert_eq!(parse(&text).unwrap()[0].answer.lines().count(), 3);
    }

    #[test]
    fn unknown_text_before_q1_is_an_error() {
        let e = parse(&format!("{INTRO}\n\nQ 1. A?\nQ2. B?\n- b")).unwrap_err();
        assert_eq!(e.pos.line, 3);
        assert!(e.message.contains("before the first question"), "{e}");
    }

    #[test]
    fn numbering_errors_carry_the_line() {
        let e = parse(&format!("{INTRO}\nQ1. A?\n- a\nQ3. C?\n- c")).unwrap_err();
        assert_eq!(e.pos.line, 4);
        assert!(e.message.contains("2 is missing"), "{e}");
        let e = parse("Q1. A?\n- a\nQ2. B?\n- b\nQ2. C?\n- c").unwrap_err();
        assert_eq!(e.pos.line, 5);
        assert!(e.message.contains("repeats"), "{e}");
    }

    #[test]
    fn cut_off_question_is_an_error() {
        let e = parse("Q1. A?\n- a\nQ2. B?\n").unwrap_err();
        assert_eq!(e.pos.line, 3);
        assert!(e.message.contains("question 2 has no answer"), "{e}");
    }

    #[test]
    fn no_questions_is_an_error() {
        let e = parse(INTRO).unwrap_err();
        assert!(e.message.contains("no questions"), "{e}");
    }
}

#[cfg(test)]
mod proptests {
    //! Robustness: no input makes the `top-200` parser panic, and every error
    //! points inside the input.
    use crate::sources::proptest_support::{check_layout, config, mutated, token_soup};
    use crate::sources::{layout, Layout};
    use proptest::prelude::*;

    const GUIDE: &str = include_str!("../../content/sources/top-200.txt");

    fn parser() -> &'static dyn Layout {
        layout("top-200").expect("registered")
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
