//! The `study-guide` layout: a page of domains, each opened by an emoji line
//! and a heading that declares its size ("Core & Runtime 5 questions"), each
//! holding zero-padded question lines ("01 What is CPython…") followed by
//! answer paragraphs separated by blank lines; the last line of every answer
//! is the interviewer tip. Everything before the first domain heading is page
//! furniture (see [`PREAMBLE`]) and is skipped; other text there is an error.

use super::scan::{join_body, number, split_digits, Draft};
use super::{check_numbering, Layout, SourceFile};
use crate::error::{InputError, ParseError, Pos};
use crate::model::Question;

/// The page furniture before the first domain heading, as printed. Two of
/// these lines begin with digits and would otherwise read as questions.
pub const PREAMBLE: &[&str] = &[
    "// Study guide",
    "Python",
    "Study Guide",
    "35 Questions 7 Domains Engineer level",
    "Mastered",
    "0 / 35",
    "Filter:",
    "Easy Medium Hard",
];

/// Parser for the `study-guide` layout.
pub struct StudyGuide;

/// A domain heading and the questions found under it.
struct Section {
    title: String,
    declared: u32,
    line: usize,
    found: u32,
}

/// A question line: at least two digits (the numbers are zero-padded), one
/// space, then text.
fn question_line(line: &str) -> Option<(u32, &str)> {
    let (digits, rest) = split_digits(line)?;
    if digits.len() < 2 {
        return None;
    }
    let text = rest.strip_prefix(' ')?;
    if text.trim().is_empty() {
        return None;
    }
    Some((number(digits)?, text))
}

/// A line holding only pictographs (emoji, with any variation selectors or
/// joiners): what precedes every domain heading.
fn is_emoji_line(line: &str) -> bool {
    let t = line.trim();
    !t.is_empty() && t.chars().all(|c| !c.is_ascii() && !c.is_alphanumeric())
}

/// A domain heading: "<title> <N> questions" → (title, N).
fn heading(line: &str) -> Option<(&str, u32)> {
    let t = line.trim();
    let rest = t
        .strip_suffix(" questions")
        .or_else(|| t.strip_suffix(" question"))?;
    let (title, count) = rest.rsplit_once(' ')?;
    if count.is_empty() || !count.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let title = title.trim();
    if title.is_empty() {
        return None;
    }
    Some((title, number(count)?))
}

impl Layout for StudyGuide {
    fn name(&self) -> &'static str {
        "study-guide"
    }

    fn parse(&self, src: &SourceFile) -> Result<Vec<Question>, ParseError> {
        let lines: Vec<_> = src.lines().collect();
        let mut sections: Vec<Section> = Vec::new();
        // (draft, index of its section)
        let mut drafts: Vec<(Draft<'_>, usize)> = Vec::new();
        let mut current: Option<Draft<'_>> = None;
        let mut i = 0;
        while let Some(line) = lines.get(i) {
            let next_heading = lines
                .get(i + 1)
                .filter(|_| is_emoji_line(line.text))
                .and_then(|next| heading(next.text).map(|h| (next.number, h)));
            if let Some((heading_line, (title, declared))) = next_heading {
                if let Some(first) = sections.iter().find(|s| s.title == title) {
                    return Err(src
                        .error_at_line(heading_line, format!("section `{title}` appears twice"))
                        .with_hint(format!("first heading is at line {}", first.line)));
                }
                if let (Some(d), Some(s)) = (current.take(), sections.len().checked_sub(1)) {
                    drafts.push((d, s));
                }
                sections.push(Section {
                    title: title.to_string(),
                    declared,
                    line: heading_line,
                    found: 0,
                });
                i += 2;
                continue;
            }
            i += 1;
            let Some(section) = sections.len().checked_sub(1) else {
                // Preamble: only the known page furniture may stand here. A
                // question here means its domain heading was lost.
                let t = line.text.trim();
                if t.is_empty() || PREAMBLE.contains(&t) {
                    continue;
                }
                let message = match question_line(line.text) {
                    Some((n, _)) => format!("question {n} comes before the first domain heading"),
                    None => "unexpected text before the first domain heading".to_string(),
                };
                return Err(src
                    .error_at_line(line.number, message)
                    .with_hint("a domain opens with an emoji line, then `<title> <N> questions`"));
            };
            if let Some((n, text)) = question_line(line.text) {
                if let Some(d) = current.replace(Draft::new(n, line.number, text)) {
                    drafts.push((d, section));
                }
            } else if let Some(d) = current.as_mut() {
                d.body.push(*line);
            } else if !line.text.trim().is_empty() {
                return Err(src
                    .error_at_line(
                        line.number,
                        "expected a numbered question after the domain heading",
                    )
                    .with_hint("questions look like `01 What is …?`"));
            }
        }
        if let (Some(d), Some(s)) = (current, sections.len().checked_sub(1)) {
            drafts.push((d, s));
        }

        if drafts.is_empty() {
            return Err(
                InputError::new(Pos::file(&src.path), "no questions found").with_hint(
                    "this layout expects an emoji line, a heading `<title> <N> questions`, \
                 then question lines like `01 What is …?`",
                ),
            );
        }
        let numbers: Vec<(u32, usize)> = drafts.iter().map(|(d, _)| (d.number, d.line)).collect();
        check_numbering(src, &numbers)?;

        let mut questions = Vec::with_capacity(drafts.len());
        for (draft, s) in &drafts {
            let mut q = draft.question(src);
            let body = &draft.body;
            let Some(tip_at) = body.iter().rposition(|l| !l.text.trim().is_empty()) else {
                return Err(draft.no_answer(src));
            };
            let answer = join_body(body.get(..tip_at).unwrap_or_default());
            if answer.is_empty() {
                return Err(src
                    .error_at_line(
                        draft.line,
                        format!("question {} has a tip but no answer text", draft.number),
                    )
                    .with_hint("an answer is one or more paragraphs, then a one-line tip"));
            }
            q.answer = answer;
            q.tip = body.get(tip_at).map(|l| l.text.trim().to_string());
            if let Some(section) = sections.get_mut(*s) {
                section.found += 1;
                q.section = Some(section.title.clone());
            }
            questions.push(q);
        }
        for s in &sections {
            if s.found != s.declared {
                return Err(src.error_at_line(
                    s.line,
                    format!(
                        "section `{}` declares {} questions but has {}",
                        s.title, s.declared, s.found
                    ),
                ));
            }
        }
        Ok(questions)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GUIDE: &str = include_str!("../../content/sources/study-guide.txt");

    fn parse(text: &str) -> Result<Vec<Question>, ParseError> {
        StudyGuide.parse(&SourceFile::new("study-guide", "study-guide.txt", text))
    }

    fn real() -> Vec<Question> {
        parse(GUIDE).expect("the real guide parses")
    }

    /// A one-domain guide with `n` well-formed questions.
    fn synthetic(declared: u32, n: u32) -> String {
        let mut s = String::from("Python\n35 Questions 7 Domains Engineer level\n0 / 35\n🐍\n");
        s.push_str(&format!("Core {declared} questions\n"));
        for i in 1..=n {
            s.push_str(&format!(
                "{i:02} Question {i}?\nAnswer {i}.\n\nMore {i}.\nTip {i}.\n"
            ));
        }
        s
    }

    #[test]
    fn real_guide_has_35_questions_in_7_sections() {
        let qs = real();
        assert_eq!(qs.len(), 35);
        let mut sections: Vec<&str> = qs.iter().filter_map(|q| q.section.as_deref()).collect();
        sections.dedup();
        assert_eq!(sections.len(), 7);
        assert!(qs.iter().all(|q| &*q.reference.source == "study-guide"));
    }

    #[test]
    fn first_and_last_questions() {
        let qs = real();
        let first = &qs[0];
        assert_eq!(first.reference.to_string(), "study-guide#1");
        assert_eq!(first.line, 13);
        assert_eq!(first.section.as_deref(), Some("Core & Runtime"));
        assert_eq!(
            first.original_question,
            "What is CPython and why is it the default on most Linux servers?"
        );
        assert_eq!(first.question, first.original_question);
        let last = &qs[34];
        assert_eq!(last.reference.to_string(), "study-guide#35");
        assert_eq!(last.line, 219);
        assert_eq!(
            last.section.as_deref(),
            Some("Security, CI/CD & Behavioral")
        );
        assert_eq!(
            last.question,
            "Tell me about a time Python automation improved deployment reliability or velocity."
        );
        assert!(last
            .answer
            .starts_with("Use a concise STAR outline:\n\nSituation:"));
        assert!(last.answer.ends_with("better observability)."));
        assert_eq!(
            last.tip.as_deref(),
            Some("Specific beats generic — one real metric or outage prevented is worth ten buzzwords.")
        );
    }

    #[test]
    fn preamble_digit_lines_are_not_questions() {
        let preamble: Vec<&str> = GUIDE
            .lines()
            .take_while(|l| !is_emoji_line(l))
            .filter(|l| !l.trim().is_empty())
            .collect();
        assert_eq!(preamble, PREAMBLE);
        assert!(question_line("35 Questions 7 Domains Engineer level").is_some());
        let qs = real();
        assert!(qs.iter().all(|q| !q.question.contains("Domains")));
        assert_eq!(qs[0].line, 13);
    }

    #[test]
    fn headings_after_emoji_with_variation_selector_are_found() {
        // "⚙️" is U+2699 U+FE0F; "☁️" is U+2601 U+FE0F.
        assert!(GUIDE.contains("\u{2699}\u{FE0F}\nScripting & Stdlib 5 questions"));
        assert!(is_emoji_line("\u{2699}\u{FE0F}"));
        let qs = real();
        let q11 = &qs[10];
        assert_eq!(q11.section.as_deref(), Some("Scripting & Stdlib"));
        assert_eq!(q11.line, 73);
        assert_eq!(qs[20].section.as_deref(), Some("Cloud & AWS (boto3)"));
        // The emoji line never leaks into the previous answer or tip.
        assert_eq!(
            qs[9].tip.as_deref(),
            Some("Mention caching ~/.cache/pip or uv cache in GHA for build time wins.")
        );
    }

    #[test]
    fn tips_are_separated_and_paragraphs_kept() {
        let qs = real();
        assert!(qs
            .iter()
            .all(|q| q.tip.as_deref().is_some_and(|t| !t.is_empty())));
        let q1 = &qs[0];
        assert_eq!(
            q1.tip.as_deref(),
            Some("If asked about performance at scale, mention PyPy or rewriting hot paths — but acknowledge most infra glue is I/O bound, not CPU bound.")
        );
        assert!(!q1.answer.contains("If asked about performance"));
        assert_eq!(q1.answer.matches("\n\n").count(), 1);
        assert!(q1
            .answer
            .starts_with("CPython is the reference implementation"));
        assert!(q1.answer.ends_with("wheels."));
        // Extraction damage stays: "Poetry / PDMpoetry.lock" is not repaired here.
        assert!(qs[7].answer.contains("Poetry / PDMpoetry.lock"));
    }

    #[test]
    fn synthetic_guide_parses() {
        let qs = parse(&synthetic(2, 2)).unwrap();
        assert_eq!(qs.len(), 2);
        assert_eq!(qs[1].answer, "Answer 2.\n\nMore 2.");
        assert_eq!(qs[1].tip.as_deref(), Some("Tip 2."));
        assert_eq!(qs[1].line, 11);
    }

    #[test]
    fn declared_count_must_match() {
        let e = parse(&synthetic(3, 2)).unwrap_err();
        assert_eq!(e.pos.line, 5);
        assert!(e.message.contains("declares 3 questions but has 2"), "{e}");
    }

    #[test]
    fn duplicate_section_is_an_error() {
        let text = format!("{}🐳\nCore 1 questions\n03 Q?\nA.\nTip.", synthetic(2, 2));
        let e = parse(&text).unwrap_err();
        assert_eq!(e.pos.line, 17);
        assert!(e.message.contains("`Core` appears twice"), "{e}");
    }

    #[test]
    fn numbering_errors_carry_the_line() {
        let text = synthetic(3, 3).replace("02 Question 2?", "03 Question 2?");
        let e = parse(&text).unwrap_err();
        assert_eq!(e.pos.line, 11);
        assert!(e.message.contains("2 is missing"), "{e}");
        let text = synthetic(3, 3).replace("03 Question 3?", "02 Question 3?");
        let e = parse(&text).unwrap_err();
        assert_eq!(e.pos.line, 16);
        assert!(e.message.contains("repeats"), "{e}");
    }

    #[test]
    fn cut_off_question_is_an_error() {
        let text = format!("{}03 Question 3?", synthetic(3, 2));
        let e = parse(&text).unwrap_err();
        assert_eq!(e.pos.line, 16);
        assert!(e.message.contains("question 3 has no answer"), "{e}");
        let text = format!("{}03 Question 3?\nOnly a tip.", synthetic(3, 2));
        let e = parse(&text).unwrap_err();
        assert_eq!(e.pos.line, 16);
        assert!(e.message.contains("no answer text"), "{e}");
    }

    #[test]
    fn no_questions_is_an_error() {
        let e = parse("Python\nStudy Guide\n").unwrap_err();
        assert!(e.message.contains("no questions"), "{e}");
        assert_eq!(e.pos.line, 0);
    }

    #[test]
    fn question_before_first_heading_is_an_error() {
        let text = format!("01 Lost heading?\nA.\nT.\n{}", synthetic(1, 1));
        let e = parse(&text).unwrap_err();
        assert_eq!(e.pos.line, 1);
        assert!(e.message.contains("before the first domain heading"), "{e}");
    }

    #[test]
    fn unknown_preamble_text_is_an_error() {
        let text = synthetic(1, 1).replace("0 / 35\n", "0 / 35\nSomething new\n");
        let e = parse(&text).unwrap_err();
        assert_eq!(e.pos.line, 4);
        assert!(e.message.contains("before the first domain heading"), "{e}");
    }

    #[test]
    fn stray_text_after_heading_is_an_error() {
        let text = synthetic(1, 1).replace("Core 1 questions\n", "Core 1 questions\nstray\n");
        let e = parse(&text).unwrap_err();
        assert_eq!(e.pos.line, 6);
    }
}

#[cfg(test)]
mod proptests {
    //! Robustness: no input makes the `study-guide` parser panic, and every error
    //! points inside the input.
    use crate::sources::proptest_support::{check_layout, config, mutated, token_soup};
    use crate::sources::{layout, Layout};
    use proptest::prelude::*;

    const GUIDE: &str = include_str!("../../content/sources/study-guide.txt");

    fn parser() -> &'static dyn Layout {
        layout("study-guide").expect("registered")
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
