//! The `deep-dive` layout: 71 numbered topics in 9 numbered sections. This
//! module owns the structure of that page only: which lines are section
//! headings, which are topic titles (each printed twice), and how a topic's
//! text divides into answer, pipe tables, red flag and follow-ups. Text is
//! returned raw, line breaks included; `normalize` repairs the damage.

use super::{check_numbering, Layout, Line, SourceFile};
use crate::error::ParseError;
use crate::model::{FollowUp, Question};
use std::collections::BTreeMap;

/// Parser for the `deep-dive` layout.
pub struct DeepDive;

/// Lines of site boilerplate that open the page, matched as prefixes. They
/// carry no question text and are skipped.
pub const PREAMBLE: &[&str] = &[
    "Documentation Index",
    "Fetch the complete documentation index at:",
    "Use this file to discover all available pages before exploring further.",
    "Python Interview Questions (100+ Deep Dive Q&A)",
];

/// Introduces the red-flag answer; it runs until the follow-ups.
const RED_FLAG_LABEL: &str = "Red flag answer:";
/// Introduces the follow-up bullets (often missing or glued to the text before it).
const FOLLOW_UP_LABEL: &str = "Follow-up:";
/// How a follow-up bullet starts: a dash and an opening curly quote.
const FOLLOW_UP_BULLET: &str = "- “";

impl Layout for DeepDive {
    fn name(&self) -> &'static str {
        "deep-dive"
    }

    fn parse(&self, src: &SourceFile) -> Result<Vec<Question>, ParseError> {
        let lines: Vec<Line<'_>> = src.lines().collect();
        let topics = split_topics(src, &lines)?;
        let numbers: Vec<(u32, usize)> = topics.iter().map(|t| (t.number, t.line)).collect();
        check_numbering(src, &numbers)?;
        topics.into_iter().map(|t| build(src, t)).collect()
    }
}

/// A topic's title and its body lines, before the body is divided.
struct Topic<'a> {
    number: u32,
    line: usize,
    title: &'a str,
    section: Option<String>,
    body: Vec<&'a str>,
}

/// `"12. Abstract Base Classes"` → `(12, "Abstract Base Classes")`.
fn heading(text: &str) -> Option<(u32, &str)> {
    let digits = text.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 || digits > 6 {
        return None;
    }
    let number = text.get(..digits)?.parse().ok()?;
    let title = text.get(digits..)?.strip_prefix(". ")?.trim();
    (!title.is_empty()).then_some((number, title))
}

/// Whether lines `i` and `i + 1` are a topic title printed twice.
fn is_title_pair(lines: &[Line<'_>], i: usize) -> bool {
    match (lines.get(i), lines.get(i + 1)) {
        (Some(a), Some(b)) => heading(a.text).is_some() && a.text.trim_end() == b.text.trim_end(),
        _ => false,
    }
}

/// Walks the lines after the preamble and groups them into topics, tracking
/// the section each topic is in.
fn split_topics<'a>(src: &SourceFile, lines: &[Line<'a>]) -> Result<Vec<Topic<'a>>, ParseError> {
    let start = lines
        .iter()
        .position(|l| {
            let t = l.text.trim();
            !t.is_empty() && !PREAMBLE.iter().any(|p| t.starts_with(p))
        })
        .unwrap_or(lines.len());
    let mut topics: Vec<Topic<'a>> = Vec::new();
    // Section heading text → the line it first appeared on.
    let mut sections: BTreeMap<&str, usize> = BTreeMap::new();
    let mut next_section = 1u32;
    let mut section: Option<String> = None;
    let mut i = start;
    while let Some(line) = lines.get(i) {
        if let Some((number, title)) = heading(line.text) {
            if is_title_pair(lines, i) {
                topics.push(Topic {
                    number,
                    line: line.number,
                    title,
                    section: section.clone(),
                    body: Vec::new(),
                });
                i += 2;
                continue;
            }
            let expected_topic = topics.last().map_or(1, |t| t.number + 1);
            if is_title_pair(lines, i + 1) {
                // A heading directly followed by a topic title: a section, unless
                // its number says it is a topic whose second title copy is missing.
                if number != next_section && number == expected_topic {
                    return Err(missing_copy(src, line.number, number));
                }
                if number != next_section {
                    return Err(src
                        .error_at_line(
                            line.number,
                            format!(
                                "section number {number} is out of order (expected {next_section})"
                            ),
                        )
                        .with_hint("sections are numbered 1, 2, 3, … in the order they appear"));
                }
                if let Some(first) = sections.insert(title, line.number) {
                    return Err(src.error_at_line(
                        line.number,
                        format!("section `{title}` appears twice (first on line {first})"),
                    ));
                }
                section = Some(title.to_string());
                next_section += 1;
                i += 1;
                continue;
            }
            if let Some(next) = lines.get(i + 1) {
                if let Some((n, copy)) = heading(next.text) {
                    if n == number {
                        return Err(src
                            .error_at_line(
                                next.number,
                                format!("the second copy of topic {number}'s title differs: `{title}` then `{copy}`"),
                            )
                            .with_hint("every topic title is printed twice, identically"));
                    }
                }
            }
            if number == expected_topic {
                return Err(missing_copy(src, line.number, number));
            }
        }
        match topics.last_mut() {
            Some(topic) => topic.body.push(line.text),
            None if line.text.trim().is_empty() => {}
            None => return Err(src
                .error_at_line(line.number, "text before the first topic")
                .with_hint(
                    "the page should start with a section heading or a topic title printed twice",
                )),
        }
        i += 1;
    }
    if topics.is_empty() {
        let line = lines.get(start).or(lines.last()).map_or(1, |l| l.number);
        return Err(src.error_at_line(line, "no topics found").with_hint(
            "a topic starts with its title `N. Title` printed on two consecutive lines",
        ));
    }
    Ok(topics)
}

fn missing_copy(src: &SourceFile, line: usize, number: u32) -> ParseError {
    src.error_at_line(line, format!("topic {number}'s title is printed only once"))
        .with_hint("every topic title is printed twice on consecutive lines")
}

/// Divides a topic's body into the question's fields.
fn build(src: &SourceFile, topic: Topic<'_>) -> Result<Question, ParseError> {
    if topic.body.iter().all(|l| l.trim().is_empty()) {
        return Err(src
            .error_at_line(
                topic.line,
                format!("topic {} `{}` has no text", topic.number, topic.title),
            )
            .with_hint("the file may be cut off"));
    }
    let (text, tables) = split_tables(&topic.body);
    let (head, follow_ups) = match text.find(FOLLOW_UP_LABEL) {
        Some(at) => (&text[..at], &text[at + FOLLOW_UP_LABEL.len()..]),
        None => {
            // No label: the quoted bullets that close the topic are its follow-ups.
            let after_red_flag = text
                .find(RED_FLAG_LABEL)
                .map_or(0, |at| at + RED_FLAG_LABEL.len());
            let at = bullet_starts(&text)
                .into_iter()
                .find(|&b| b >= after_red_flag)
                .unwrap_or(text.len());
            text.split_at(at)
        }
    };
    let (answer, red_flag) = match head.find(RED_FLAG_LABEL) {
        Some(at) => (&head[..at], Some(&head[at + RED_FLAG_LABEL.len()..])),
        None => (head, None),
    };
    let mut q = Question::new(src.reference(topic.number), topic.line, topic.title);
    q.section = topic.section;
    q.answer = answer.trim().to_string();
    q.red_flags = red_flag
        .map(str::trim)
        .filter(|r| !r.is_empty())
        .map(str::to_string)
        .into_iter()
        .collect();
    q.follow_ups = split_follow_ups(follow_ups);
    q.tables = tables;
    Ok(q)
}

/// Whether a line is a pipe table's delimiter row (`|---|:--:|`); if so, its
/// column count.
fn delimiter_columns(line: &str) -> Option<usize> {
    let inner = line.trim().strip_prefix('|')?.strip_suffix('|')?;
    let cells: Vec<&str> = inner.split('|').map(str::trim).collect();
    let ok = cells.iter().all(|c| {
        let c = c.strip_prefix(':').unwrap_or(c);
        let c = c.strip_suffix(':').unwrap_or(c);
        !c.is_empty() && c.bytes().all(|b| b == b'-')
    });
    ok.then_some(cells.len())
}

/// Where the header row of a table with `columns` columns starts in `line`.
/// The header is often glued to the end of a sentence (`…etc.| A | B |`), so
/// it starts at the `columns + 1`-th pipe from the end.
fn header_start(line: &str, columns: usize) -> Option<usize> {
    let line = line.trim_end();
    if !line.ends_with('|') {
        return None;
    }
    line.rmatch_indices('|').nth(columns).map(|(at, _)| at)
}

/// Removes pipe tables from a topic's body: returns the remaining text (lines
/// joined by `\n`) and each table as one string (header, delimiter, rows).
fn split_tables(body: &[&str]) -> (String, Vec<String>) {
    let mut text: Vec<&str> = Vec::new();
    let mut tables = Vec::new();
    let mut i = 0;
    while let Some(&line) = body.get(i) {
        let header = body
            .get(i + 1)
            .and_then(|d| delimiter_columns(d))
            .and_then(|cols| header_start(line, cols));
        let (Some(at), Some(&delimiter)) = (header, body.get(i + 1)) else {
            text.push(line);
            i += 1;
            continue;
        };
        let before = line[..at].trim_end();
        if !before.is_empty() {
            text.push(before);
        }
        let mut rows = vec![line[at..].trim_end(), delimiter.trim()];
        i += 2;
        while let Some(row) = body.get(i).filter(|r| r.trim_start().starts_with('|')) {
            rows.push(row.trim());
            i += 1;
        }
        tables.push(rows.join("\n"));
    }
    (text.join("\n"), tables)
}

/// Byte offsets of follow-up bullets (`- “`) in `text`: at a line start or
/// glued after punctuation or a space, never inside a word (`well-“x”`).
fn bullet_starts(text: &str) -> Vec<usize> {
    text.match_indices(FOLLOW_UP_BULLET)
        .map(|(at, _)| at)
        .filter(|&at| {
            text[..at]
                .chars()
                .next_back()
                .is_none_or(|c| !c.is_alphanumeric())
        })
        .collect()
}

/// Splits the follow-up part of a topic into bullets. A bullet inside a
/// parenthesised answer does not start a new follow-up. Text before the first
/// bullet (after a `Follow-up:` label) becomes a follow-up of its own.
fn split_follow_ups(text: &str) -> Vec<FollowUp> {
    let starts: Vec<usize> = {
        let candidates = bullet_starts(text);
        let mut depth = 0usize;
        let mut out = Vec::new();
        for (at, c) in text.char_indices() {
            if depth == 0 && candidates.contains(&at) {
                out.push(at);
            }
            match c {
                '(' => depth += 1,
                ')' => depth = depth.saturating_sub(1),
                _ => {}
            }
        }
        out
    };
    let mut chunks = Vec::new();
    let first = starts.first().copied().unwrap_or(text.len());
    chunks.push(&text[..first]);
    for (k, &at) in starts.iter().enumerate() {
        let end = starts.get(k + 1).copied().unwrap_or(text.len());
        // Skip the dash; the quote stays for `follow_up` to find.
        chunks.push(&text[at + 1..end]);
    }
    chunks
        .into_iter()
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .map(follow_up)
        .collect()
}

/// `“Question?” (Answer.)` → question and answer. The answer is the last
/// parenthesised group, when it closes the bullet (or runs to the end of the
/// text unclosed) and directly follows the question's closing quote. The
/// question may contain parentheses of its own.
fn follow_up(bullet: &str) -> FollowUp {
    let mut depth = 0usize;
    let mut group: Option<(usize, Option<usize>)> = None;
    for (at, c) in bullet.char_indices() {
        match c {
            '(' => {
                if depth == 0 {
                    group = Some((at, None));
                }
                depth += 1;
            }
            ')' if depth > 0 => {
                depth -= 1;
                if depth == 0 {
                    if let Some((open, _)) = group {
                        group = Some((open, Some(at)));
                    }
                }
            }
            _ => {}
        }
    }
    let split = group.filter(|&(open, close)| {
        let closes_bullet = match close {
            Some(close) => bullet[close + 1..].trim().is_empty(),
            None => true,
        };
        closes_bullet && bullet[..open].trim_end().ends_with(['”', '“'])
    });
    match split {
        Some((open, close)) => {
            let answer = match close {
                Some(close) => &bullet[open + 1..close],
                None => &bullet[open + 1..],
            };
            FollowUp {
                question: unquote(&bullet[..open]),
                answer: Some(answer.trim().to_string()).filter(|a| !a.is_empty()),
            }
        }
        None => FollowUp {
            question: unquote(bullet),
            answer: None,
        },
    }
}

/// Removes the curly quotes around a follow-up question, when it has both. The
/// closing quote is sometimes printed as an opening one (`…code?“`).
fn unquote(question: &str) -> String {
    let q = question.trim();
    match q.strip_prefix('“').and_then(|q| q.strip_suffix(['”', '“'])) {
        Some(inner) if !inner.trim().is_empty() => inner.trim().to_string(),
        _ => q.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = include_str!("../../content/sources/deep-dive.txt");

    fn real() -> Vec<Question> {
        let src = SourceFile::new("deep-dive", "content/sources/deep-dive.txt", TEXT);
        DeepDive.parse(&src).unwrap()
    }

    fn topic(qs: &[Question], n: u32) -> &Question {
        qs.iter().find(|q| q.reference.number == n).unwrap()
    }

    fn parse(text: &str) -> Result<Vec<Question>, ParseError> {
        DeepDive.parse(&SourceFile::new("deep-dive", "d.txt", text))
    }

    fn error(text: &str) -> ParseError {
        parse(text).unwrap_err()
    }

    #[test]
    fn finds_71_topics_numbered_in_order() {
        let qs = real();
        assert_eq!(qs.len(), 71);
        for (i, q) in qs.iter().enumerate() {
            assert_eq!(
                q.reference,
                crate::model::Ref::new("deep-dive", i as u32 + 1)
            );
            assert_eq!(q.question, q.original_question);
        }
        assert!(qs.windows(2).all(|w| w[0].line < w[1].line));
    }

    #[test]
    fn first_and_last_topics() {
        let qs = real();
        let first = &qs[0];
        assert_eq!(first.reference.to_string(), "deep-dive#1");
        assert_eq!(first.line, 6);
        assert_eq!(
            first.section.as_deref(),
            Some("Core Language & Data Structures")
        );
        assert_eq!(first.question, "Python Memory Management (The 3 Pillars)");
        assert!(first
            .answer
            .starts_with("- Private Heap: Where all objects/data live."));
        // Raw text keeps the line breaks left by dropped code spans.
        assert!(first.answer.contains("you never call\nmallocdirectly."));

        let last = qs.last().unwrap();
        assert_eq!(last.reference.to_string(), "deep-dive#71");
        assert_eq!(last.line, 733);
        assert_eq!(
            last.section.as_deref(),
            Some("Advanced Patterns & Production Python")
        );
        assert_eq!(last.question, "Testing Best Practices — pytest and Beyond");
        assert_eq!(last.follow_ups.len(), 3);
        // The file has no final newline; the last follow-up is whole.
        let flaky = &last.follow_ups[2];
        assert_eq!(flaky.question, "How do you handle flaky tests in CI?");
        let answer = flaky.answer.as_deref().unwrap();
        assert!(answer.starts_with("Mark with\n@pytest.mark.flaky(reruns=3)"));
        assert!(answer.ends_with("shared state, network calls."));
    }

    #[test]
    fn sections_hold_their_topic_ranges() {
        let qs = real();
        let mut ranges: Vec<(String, u32, u32)> = Vec::new();
        for q in &qs {
            let section = q.section.clone().unwrap();
            let n = q.reference.number;
            match ranges.last_mut() {
                Some(last) if last.0 == section => last.2 = n,
                _ => ranges.push((section, n, n)),
            }
        }
        let expected = [
            ("Core Language & Data Structures", 1, 10),
            ("Advanced OOP", 11, 20),
            ("Asyncio & Concurrency", 21, 29),
            ("Backend & Web (Django/FastAPI)", 30, 39),
            ("Coding Scenarios & Snippets", 40, 43),
            ("Edge Cases & Trivia", 44, 49),
            ("Python Medium Level Questions", 50, 56),
            ("Python Advanced Level Questions", 57, 65),
            ("Advanced Patterns & Production Python", 66, 71),
        ];
        let expected: Vec<_> = expected
            .iter()
            .map(|&(s, a, b)| (s.to_string(), a, b))
            .collect();
        assert_eq!(ranges, expected);
    }

    #[test]
    fn tables_are_lifted_out_of_the_answer() {
        let qs = real();
        let two = topic(&qs, 2);
        assert_eq!(two.tables.len(), 1);
        let rows: Vec<&str> = two.tables[0].lines().collect();
        assert_eq!(rows.len(), 6);
        assert_eq!(
            rows[0],
            "| Type | Mutable | Ordered | Allow Duplicates | Lookup Cost | Memory |"
        );
        assert_eq!(rows[1], "|---|---|---|---|---|---|");
        assert!(rows[5].starts_with("| Dict | Yes | Yes (3.7+) |"));
        assert!(!two.answer.contains('|'));
        assert!(two
            .answer
            .starts_with("- Lists over-allocate by ~12.5% to amortize\nappend()to O(1)."));

        // Topic 20's header row is glued to the end of a sentence.
        let twenty = topic(&qs, 20);
        assert_eq!(twenty.tables.len(), 1);
        assert!(twenty.tables[0]
            .starts_with("| Feature | dataclass | NamedTuple | Pydantic BaseModel |\n|---|"));
        assert!(twenty
            .answer
            .contains("__hash__, __lt__, etc.\n@dataclass(slots=True)"));
        assert!(!twenty.answer.contains('|'));

        let with_tables: Vec<u32> = qs
            .iter()
            .filter(|q| !q.tables.is_empty())
            .map(|q| q.reference.number)
            .collect();
        assert_eq!(with_tables, [2, 20, 21, 36, 38, 64, 70]);
    }

    #[test]
    fn topic_3_has_its_red_flag_and_follow_ups() {
        let qs = real();
        let q = topic(&qs, 3);
        assert_eq!(
            q.question,
            "`__init__` vs `__new__` — Object Creation Deep Dive"
        );
        assert_eq!(
            q.red_flags,
            ["“I’ve never needed to override __new__” without being able to explain when you would. Or confusing __new__ with __init__."]
        );
        assert!(q.answer.ends_with("move all setup into __new__."));
        assert_eq!(q.follow_ups.len(), 3);
        assert_eq!(
            q.follow_ups[0],
            FollowUp {
                question:
                    "If\n__new__returns an instance of a different class, does__init__still run?"
                        .into(),
                answer: Some(
                    "No.__init__only runs if__new__returns an instance of the original class."
                        .into()
                ),
            }
        );
        assert_eq!(
            q.follow_ups[1].question,
            "How does this relate to how Django’s Model metaclass works?"
        );
        assert_eq!(q.follow_ups[1].answer, None);
        assert_eq!(
            q.follow_ups[2].question,
            "What happens if\n__new__returnsNone?"
        );
    }

    #[test]
    fn topic_1_quoted_bullets_are_follow_ups() {
        let qs = real();
        let q = topic(&qs, 1);
        assert!(q
            .answer
            .ends_with("restart workers.Reference Counting Example:"));
        assert!(!q.answer.contains('“'));
        let questions: Vec<&str> = q.follow_ups.iter().map(|f| f.question.as_str()).collect();
        assert_eq!(questions.len(), 3);
        assert!(questions[0].starts_with("Your Celery worker’s memory grows"));
        assert_eq!(
            q.follow_ups[0].answer.as_deref(),
            Some("Tests understanding of arena fragmentation vs actual leaks.")
        );
        assert!(questions[2].starts_with("How does Python’s memory model differ from Java’s"));
        assert_eq!(q.follow_ups[2].answer, None);
    }

    #[test]
    fn red_flags_and_follow_ups_across_the_file() {
        let qs = real();
        let red: Vec<u32> = qs
            .iter()
            .filter(|q| !q.red_flags.is_empty())
            .map(|q| q.reference.number)
            .collect();
        assert_eq!(red, [3, 4, 16, 22, 25, 26, 29, 34, 35, 52, 55, 58, 67]);
        for q in &qs {
            let expected = if [40, 43, 45, 50].contains(&q.reference.number) {
                2
            } else {
                3
            };
            assert_eq!(q.follow_ups.len(), expected, "{}", q.reference);
            for f in &q.follow_ups {
                assert!(
                    !f.question.is_empty() && !f.question.starts_with('“'),
                    "{}",
                    q.reference
                );
                assert!(
                    !f.question.ends_with(['”', '“']),
                    "{}: {}",
                    q.reference,
                    f.question
                );
            }
        }
        // A question with parentheses of its own keeps them; the answer is the last group.
        let c3 = &topic(&qs, 4).follow_ups[0];
        assert_eq!(
            c3.question,
            "Can you construct a class hierarchy where C3 linearization fails (raises TypeError)?"
        );
        assert!(c3
            .answer
            .as_deref()
            .unwrap()
            .starts_with("Yes:\nclass X(A, B)"));
        // A closing quote misprinted as an opening one.
        let lint = &topic(&qs, 65).follow_ups[2];
        assert_eq!(lint.question, "How would you write a custom linting rule that detects\nprint()statements in production code?");
        // A nested group inside the answer.
        let redos = &topic(&qs, 55).follow_ups[0];
        assert!(redos
            .answer
            .as_deref()
            .unwrap()
            .ends_with("Avoid nested quantifiers like(a+)+."));
    }

    #[test]
    fn topics_that_lost_their_opening_keep_what_survived() {
        let qs = real();
        assert_eq!(
            topic(&qs, 45).answer,
            "[] is a single list object stored in func.__defaults__."
        );
        assert_eq!(topic(&qs, 59).answer, "Any as the default type hint.");
        for q in &qs {
            let has_text =
                !q.answer.is_empty() || !q.red_flags.is_empty() || !q.follow_ups.is_empty();
            assert!(has_text, "{}", q.reference);
        }
    }

    fn labels_removed(s: &str) -> String {
        s.replace(RED_FLAG_LABEL, "").replace(FOLLOW_UP_LABEL, "")
    }

    fn count_alnum(counts: &mut BTreeMap<char, i64>, s: &str, sign: i64) {
        for c in labels_removed(s).chars().filter(|c| c.is_alphanumeric()) {
            *counts.entry(c).or_default() += sign;
        }
    }

    /// Every letter and digit of every line after the preamble ends up in
    /// exactly one field of the topic it belongs to: only the second title
    /// copy, the section headings and the labels are consumed.
    #[test]
    fn nothing_is_dropped_or_duplicated() {
        let qs = real();
        let lines: Vec<&str> = TEXT.split('\n').collect();
        // Before topic 1: the preamble, then section 1's heading.
        let first = qs[0].line;
        for (i, line) in lines[..first - 2].iter().enumerate() {
            assert!(
                PREAMBLE.iter().any(|p| line.starts_with(p)),
                "line {}: {line}",
                i + 1
            );
        }
        assert_eq!(lines[first - 2], "1. Core Language & Data Structures");
        for (k, q) in qs.iter().enumerate() {
            let title = format!("{}. {}", q.reference.number, q.question);
            assert_eq!(lines[q.line - 1], title);
            assert_eq!(lines[q.line], title);
            let mut end = qs.get(k + 1).map_or(lines.len(), |next| next.line - 1);
            if let Some(next) = qs.get(k + 1).filter(|n| n.section != q.section) {
                let heading = lines[end - 1];
                assert!(heading.ends_with(&format!(". {}", next.section.as_deref().unwrap())));
                end -= 1;
            }
            let mut counts = BTreeMap::new();
            for line in &lines[q.line + 1..end] {
                count_alnum(&mut counts, line, 1);
            }
            let mut fields = vec![q.answer.as_str()];
            fields.extend(q.red_flags.iter().map(String::as_str));
            fields.extend(q.tables.iter().map(String::as_str));
            for f in &q.follow_ups {
                fields.push(&f.question);
                fields.extend(f.answer.as_deref());
            }
            for field in fields {
                assert!(!field.contains(RED_FLAG_LABEL) && !field.contains(FOLLOW_UP_LABEL));
                count_alnum(&mut counts, field, -1);
            }
            counts.retain(|_, n| *n != 0);
            assert!(counts.is_empty(), "{}: {counts:?}", q.reference);
        }
    }

    #[test]
    fn follow_up_bullets_split_question_and_answer() {
        let f = follow_up("“Why (really)?” (Because (reasons).)");
        assert_eq!(f.question, "Why (really)?");
        assert_eq!(f.answer.as_deref(), Some("Because (reasons)."));
        let f = follow_up("“What about `f(x)`?”");
        assert_eq!(
            (f.question.as_str(), f.answer),
            ("What about `f(x)`?", None)
        );
        let f = follow_up("“Cut off?” (Because");
        assert_eq!(f.answer.as_deref(), Some("Because"));
        // A parenthesis that does not follow the closing quote stays in the question.
        let f = follow_up("“A” and B (c)");
        assert_eq!((f.question.as_str(), f.answer), ("“A” and B (c)", None));
        let fs = split_follow_ups("- “One?” (Yes - “quoted” inside.) - “Two?”\n- “Three\nlines?”");
        let qs: Vec<&str> = fs.iter().map(|f| f.question.as_str()).collect();
        assert_eq!(qs, ["One?", "Two?", "Three\nlines?"]);
        assert_eq!(fs[0].answer.as_deref(), Some("Yes - “quoted” inside."));
    }

    #[test]
    fn glued_labels_and_unlabelled_follow_ups_are_split() {
        let qs = parse(
            "1. Section\n1. Topic\n1. Topic\nAnswer text.Red flag answer: bad.Follow-up:- “Q1?” (A1.) - “Q2?”\n\
             2. Other\n2. Other\nSome answer.- “Q3?”\n- “Q4?” (A4.)",
        )
        .unwrap();
        assert_eq!(qs[0].answer, "Answer text.");
        assert_eq!(qs[0].red_flags, ["bad."]);
        assert_eq!(qs[0].follow_ups.len(), 2);
        assert_eq!(qs[1].section.as_deref(), Some("Section"));
        assert_eq!(qs[1].line, 5);
        assert_eq!(qs[1].answer, "Some answer.");
        assert_eq!(qs[1].follow_ups[1].answer.as_deref(), Some("A4."));
        // A quote inside a word is not a bullet.
        let qs = parse("1. T\n1. T\nwell-“known” text").unwrap();
        assert_eq!(qs[0].answer, "well-“known” text");
        assert!(qs[0].follow_ups.is_empty());
    }

    #[test]
    fn missing_and_repeated_numbers_are_errors() {
        let e = error("1. S\n1. A\n1. A\nx\n3. C\n3. C\ny");
        assert_eq!(e.pos.line, 5);
        assert!(e.message.contains("2 is missing"), "{}", e.message);
        let e = error("1. A\n1. A\nx\n2. B\n2. B\ny\n2. C\n2. C\nz");
        assert_eq!(e.pos.line, 7);
        assert!(e.message.contains("repeats"), "{}", e.message);
        let e = error("1. A\n1. A\nx\n3. C\n3. C\ny\n2. B\n2. B\nz");
        assert_eq!(e.pos.line, 4);
    }

    #[test]
    fn a_title_printed_once_or_differently_is_an_error() {
        let e = error("1. S\n1. A\n1. A\nx\n2. B\nbody");
        assert_eq!(e.pos.line, 5);
        assert!(e.message.contains("printed only once"), "{}", e.message);
        let e = error("1. A\n1. A\nx\n2. B\n2. Bee\nbody");
        assert_eq!(e.pos.line, 5);
        assert!(e.message.contains("differs"), "{}", e.message);
    }

    #[test]
    fn section_errors() {
        let e = error("1. S\n1. A\n1. A\nx\n2. S\n2. B\n2. B\ny");
        assert_eq!(e.pos.line, 5);
        assert!(
            e.message.contains("appears twice (first on line 1)"),
            "{}",
            e.message
        );
        let e = error("1. S\n1. A\n1. A\nx\n3. T\n2. B\n2. B\ny");
        assert_eq!(e.pos.line, 5);
        assert!(e.message.contains("out of order"), "{}", e.message);
    }

    #[test]
    fn empty_topics_and_files_without_topics_are_errors() {
        let e = error("1. A\n1. A\n2. B\n2. B\ntext");
        assert_eq!(e.pos.line, 1);
        assert!(e.message.contains("no text"), "{}", e.message);
        let e = error("1. A\n1. A\ntext\n2. B\n2. B\n");
        assert_eq!(e.pos.line, 4);
        assert_eq!(e.hint.as_deref(), Some("the file may be cut off"));
        let e = error("Documentation Index\nUse this file to discover all available pages before exploring further.");
        assert_eq!(e.pos.line, 2);
        assert!(e.message.contains("no topics"), "{}", e.message);
        let e = error("Documentation Index\nstray text\n1. A\n1. A\nx");
        assert_eq!(e.pos.line, 2);
        assert!(
            e.message.contains("before the first topic"),
            "{}",
            e.message
        );
    }
}

#[cfg(test)]
mod proptests {
    //! Robustness: no input makes the `deep-dive` parser panic, and every error
    //! points inside the input.
    use crate::sources::proptest_support::{check_layout, config, mutated, token_soup};
    use crate::sources::{layout, Layout};
    use proptest::prelude::*;

    const GUIDE: &str = include_str!("../../content/sources/deep-dive.txt");

    fn parser() -> &'static dyn Layout {
        layout("deep-dive").expect("registered")
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
