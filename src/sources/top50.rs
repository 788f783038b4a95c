//! The `top-50` layout: a title and intro (see [`PREAMBLE`]), then an indented
//! numbered list "  1. How can you …?" of questions, one line each, with no
//! answers (they come from an authored overlay). Backticks and `$O(1)$` math
//! in the questions stay as printed.

use super::scan::{check_drafts, number, split_digits, split_questions};
use super::{Layout, SourceFile};
use crate::error::ParseError;
use crate::model::Question;

/// The text before question 1, as printed: skipped. Any other text before
/// question 1 is an error, since it would otherwise vanish.
pub const PREAMBLE: &[&str] = &[
    "Top Python Interview Questions",
    "Top 50 Python interview questions with curated answers across core concepts, \
     practical scenarios, and interview-ready fundamentals.",
    "Top 50 Python Interview Questions",
];

/// Parser for the `top-50` layout.
pub struct Top50;

/// "  33. text" → (33, "text"); the indentation is optional.
fn question_line(line: &str) -> Option<(u32, &str)> {
    let (digits, rest) = split_digits(line.trim_start())?;
    let text = rest.strip_prefix(". ")?;
    if text.trim().is_empty() {
        return None;
    }
    Some((number(digits)?, text))
}

impl Layout for Top50 {
    fn name(&self) -> &'static str {
        "top-50"
    }

    fn parse(&self, src: &SourceFile) -> Result<Vec<Question>, ParseError> {
        let drafts = split_questions(src, question_line);
        check_drafts(src, &drafts, PREAMBLE, "`  1. How can you …?`")?;
        let mut questions = Vec::with_capacity(drafts.len());
        for d in &drafts {
            if let Some(extra) = d.body.iter().find(|l| !l.text.trim().is_empty()) {
                return Err(src
                    .error_at_line(extra.number, "expected a numbered question")
                    .with_hint(
                        "top-50 questions take one line each and the layout has no answers; \
                         answers belong in an authored overlay",
                    ));
            }
            questions.push(d.question(src));
        }
        Ok(questions)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GUIDE: &str = include_str!("../../content/sources/top-50.txt");

    fn parse(text: &str) -> Result<Vec<Question>, ParseError> {
        Top50.parse(&SourceFile::new("top-50", "top-50.txt", text))
    }

    fn real() -> Vec<Question> {
        parse(GUIDE).expect("the real guide parses")
    }

    #[test]
    fn real_guide_has_50_questions_without_answers() {
        let qs = real();
        assert_eq!(qs.len(), 50);
        assert!(qs.iter().all(|q| q.answer.is_empty() && q.tip.is_none()));
        assert!(qs.iter().all(|q| q.section.is_none()));
    }

    #[test]
    fn first_and_last_questions() {
        let qs = real();
        let first = &qs[0];
        assert_eq!(first.reference.to_string(), "top-50#1");
        assert_eq!(first.line, 7);
        assert_eq!(
            first.original_question,
            "How can you wait for multiple tasks but proceed as soon as the first one completes?"
        );
        let last = &qs[49];
        assert_eq!(last.reference.to_string(), "top-50#50");
        assert_eq!(last.line, 56);
        assert_eq!(
            last.question,
            "Compare the performance of Ternary Search and Binary Search. Is Ternary Search \
             always better because it divides the array into three parts?"
        );
    }

    #[test]
    fn preamble_is_skipped_not_parsed() {
        let preamble: Vec<&str> = GUIDE
            .lines()
            .take(6)
            .filter(|l| !l.trim().is_empty())
            .collect();
        assert_eq!(preamble, PREAMBLE);
        let text = format!("{}\n50 questions in all\n  1. A?", PREAMBLE.join("\n"));
        let e = parse(&text).unwrap_err();
        assert_eq!(e.pos.line, 4);
        assert!(e.message.contains("before the first question"), "{e}");
    }

    #[test]
    fn backticks_and_math_stay_raw() {
        let qs = real();
        let q33 = &qs[32];
        assert_eq!(q33.reference.to_string(), "top-50#33");
        assert!(q33
            .question
            .contains("Why is `append()` considered an amortized $O(1)$ operation"));
        assert!(qs[1].question.contains("`__init__`"));
        assert!(qs[39].question.contains("$O(n^2)$"));
    }

    #[test]
    fn stray_text_is_an_error() {
        let e = parse("  1. A?\n\n  an answer?\n  2. B?").unwrap_err();
        assert_eq!(e.pos.line, 3);
        assert!(e.message.contains("expected a numbered question"), "{e}");
    }

    #[test]
    fn numbering_errors_carry_the_line() {
        let e = parse("  1. A?\n  3. C?").unwrap_err();
        assert_eq!(e.pos.line, 2);
        assert!(e.message.contains("2 is missing"), "{e}");
        let e = parse("  1. A?\n  2. B?\n  2. C?").unwrap_err();
        assert_eq!(e.pos.line, 3);
        assert!(e.message.contains("repeats"), "{e}");
    }

    #[test]
    fn no_questions_is_an_error() {
        let e = parse(&PREAMBLE.join("\n")).unwrap_err();
        assert!(e.message.contains("no questions"), "{e}");
    }
}

#[cfg(test)]
mod proptests {
    //! Robustness: no input makes the `top-50` parser panic, and every error
    //! points inside the input.
    use crate::sources::proptest_support::{check_layout, config, mutated, token_soup};
    use crate::sources::{layout, Layout};
    use proptest::prelude::*;

    const GUIDE: &str = include_str!("../../content/sources/top-50.txt");

    fn parser() -> &'static dyn Layout {
        layout("top-50").expect("registered")
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
