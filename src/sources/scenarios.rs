//! The `scenarios` layout: a preamble (see [`PREAMBLE`]), then question lines
//! "1) What problem …?" each followed by "- " bullet answers. The page uses
//! non-breaking hyphens (U+2011) throughout, titles included; they stay as
//! printed here and the normalizer converts them.

use super::scan::{check_drafts, join_body, number, split_digits, split_questions};
use super::{Layout, SourceFile};
use crate::error::ParseError;
use crate::model::Question;

/// The text before question 1, as printed: skipped. Any other text before
/// question 1 is an error, since it would otherwise vanish.
pub const PREAMBLE: &[&str] = &[
    "This article concerns real-time and knowledgeable Python Scenario-Based Questions 2025. \
     It is drafted with the interview theme in mind to provide maximum support for your \
     interview. Go through these Python Scenario-Based Questions 2025 to the end, as all \
     scenarios have their importance and learning potential.",
    "To check out other Scenarios Based Questions:- Click Here.",
    "Disclaimer:",
    "These solutions are based on my experience and best effort. Actual results may vary \
     depending on your setup. Codes may need some tweaking.",
];

/// Parser for the `scenarios` layout.
pub struct Scenarios;

/// "12) text" → (12, "text"). At most three digits, so that a line opening
/// with a year or a figure followed by ")" is not taken for a question.
fn question_line(line: &str) -> Option<(u32, &str)> {
    let (digits, rest) = split_digits(line)?;
    if digits.len() > 3 {
        return None;
    }
    let text = rest.strip_prefix(") ")?;
    if text.trim().is_empty() {
        return None;
    }
    Some((number(digits)?, text))
}

impl Layout for Scenarios {
    fn name(&self) -> &'static str {
        "scenarios"
    }

    fn parse(&self, src: &SourceFile) -> Result<Vec<Question>, ParseError> {
        let drafts = split_questions(src, question_line);
        check_drafts(src, &drafts, PREAMBLE, "`1) What problem …?`")?;
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

    const GUIDE: &str = include_str!("../../content/sources/scenarios.txt");

    fn parse(text: &str) -> Result<Vec<Question>, ParseError> {
        Scenarios.parse(&SourceFile::new("scenarios", "scenarios.txt", text))
    }

    fn real() -> Vec<Question> {
        parse(GUIDE).expect("the real guide parses")
    }

    #[test]
    fn real_guide_has_60_questions() {
        let qs = real();
        assert_eq!(qs.len(), 60);
        assert!(qs.iter().all(|q| q.section.is_none() && q.tip.is_none()));
        assert!(qs
            .iter()
            .all(|q| q.answer.lines().all(|l| l.starts_with("- "))));
    }

    #[test]
    fn first_and_last_questions() {
        let qs = real();
        let first = &qs[0];
        assert_eq!(first.reference.to_string(), "scenarios#1");
        assert_eq!(first.line, 5);
        assert_eq!(
            first.original_question,
            "What problem does Python solve best for businesses compared to other languages?"
        );
        assert_eq!(first.answer.lines().count(), 6);
        let last = &qs[59];
        assert_eq!(last.reference.to_string(), "scenarios#60");
        assert_eq!(last.line, 418);
        assert_eq!(
            last.question,
            "How do you keep a Python team improving quarter after quarter?"
        );
        assert!(last
            .answer
            .ends_with("celebrate simplifications as much as new features."));
    }

    #[test]
    fn preamble_is_skipped_not_parsed() {
        let preamble: Vec<&str> = GUIDE.lines().take(4).collect();
        assert_eq!(preamble, PREAMBLE);
        let qs = real();
        assert!(qs.iter().all(|q| !q.answer.contains("Disclaimer")));
        // Preamble lines that open with digits are still not questions.
        let text = format!(
            "{}\n2025 edition) of the guide\n1) A?\n- a",
            PREAMBLE.join("\n")
        );
        let e = parse(&text).unwrap_err();
        assert_eq!(e.pos.line, 5);
        assert!(e.message.contains("before the first question"), "{e}");
    }

    #[test]
    fn answer_lines_opening_with_digits_stay_in_the_answer() {
        let qs = parse("1) A?\n- a\n2025) was a year\n30 % faster\n2) B?\n- b").unwrap();
        assert_eq!(qs.len(), 2);
        assert_eq!(qs[0].answer, "- a\n2025) was a year\n30 % faster");
    }

    #[test]
    fn titles_keep_non_breaking_hyphens() {
        let qs = real();
        assert_eq!(
            qs[3].question,
            "How do you decide between venv, pip\u{2011}tools, pipenv, and poetry?"
        );
        assert!(qs[8].original_question.contains("long\u{2011}term"));
        assert!(qs[0].answer.contains("time\u{2011}to\u{2011}value"));
    }

    #[test]
    fn numbering_errors_carry_the_line() {
        let e = parse("1) A?\n- a\n3) C?\n- c").unwrap_err();
        assert_eq!(e.pos.line, 3);
        assert!(e.message.contains("2 is missing"), "{e}");
        let e = parse("1) A?\n- a\n2) B?\n- b\n1) C?\n- c").unwrap_err();
        assert_eq!(e.pos.line, 5);
        assert!(e.message.contains("repeats"), "{e}");
    }

    #[test]
    fn cut_off_question_is_an_error() {
        let e = parse("1) A?\n- a\n2) B?\n\n").unwrap_err();
        assert_eq!(e.pos.line, 3);
        assert!(e.message.contains("question 2 has no answer"), "{e}");
    }

    #[test]
    fn no_questions_is_an_error() {
        let e = parse(&PREAMBLE.join("\n")).unwrap_err();
        assert!(e.message.contains("no questions"), "{e}");
    }
}

#[cfg(test)]
mod proptests {
    //! Robustness: no input makes the `scenarios` parser panic, and every error
    //! points inside the input.
    use crate::sources::proptest_support::{check_layout, config, mutated, token_soup};
    use crate::sources::{layout, Layout};
    use proptest::prelude::*;

    const GUIDE: &str = include_str!("../../content/sources/scenarios.txt");

    fn parser() -> &'static dyn Layout {
        layout("scenarios").expect("registered")
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
