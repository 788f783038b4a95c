//! Line scanning shared by the plain-text layouts: splitting a file into
//! numbered question lines and the body lines that follow each, reading a
//! printed number, and joining a body back into raw answer text. Structure
//! only; no text here is repaired.

use super::{check_numbering, Line, SourceFile};
use crate::error::{InputError, ParseError, Pos};
use crate::model::Question;

/// A question line found in a file and the lines after it, up to the next
/// question line (or section heading, or the end of the file).
#[derive(Debug, Clone)]
pub(crate) struct Draft<'a> {
    /// The number as printed, leading zeros dropped.
    pub number: u32,
    /// 1-based line of the question.
    pub line: usize,
    /// The question text as printed (not yet trimmed).
    pub text: &'a str,
    pub body: Vec<Line<'a>>,
}

impl<'a> Draft<'a> {
    pub fn new(number: u32, line: usize, text: &'a str) -> Self {
        Draft {
            number,
            line,
            text,
            body: Vec::new(),
        }
    }

    /// The question with its identity and trimmed text; no answer yet.
    pub fn question(&self, src: &SourceFile) -> Question {
        Question::new(src.reference(self.number), self.line, self.text.trim())
    }

    /// True when no body line has any text.
    pub fn body_is_blank(&self) -> bool {
        self.body.iter().all(|l| l.text.trim().is_empty())
    }

    /// The error for a question whose answer is missing.
    pub fn no_answer(&self, src: &SourceFile) -> ParseError {
        src.error_at_line(
            self.line,
            format!("question {} has no answer text", self.number),
        )
        .with_hint("the file may be cut off, or the answer was lost in extraction")
    }
}

/// Splits a leading run of ASCII digits off `s`: `"01 What"` → `("01", " What")`.
pub(crate) fn split_digits(s: &str) -> Option<(&str, &str)> {
    let end = s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
    if end == 0 {
        return None;
    }
    Some((s.get(..end)?, s.get(end..)?))
}

/// The value of a run of ASCII digits (`"07"` → 7); `None` if it does not fit.
pub(crate) fn number(digits: &str) -> Option<u32> {
    digits.parse().ok()
}

/// Splits the file into drafts at every line that `question_line` accepts.
/// `question_line` returns the printed number and the question text. Lines
/// before the first question are the layout's preamble and are dropped.
pub(crate) fn split_questions<'a>(
    src: &'a SourceFile,
    question_line: impl Fn(&'a str) -> Option<(u32, &'a str)>,
) -> Vec<Draft<'a>> {
    let mut drafts: Vec<Draft<'a>> = Vec::new();
    for line in src.lines() {
        if let Some((number, text)) = question_line(line.text) {
            drafts.push(Draft::new(number, line.number, text));
        } else if let Some(d) = drafts.last_mut() {
            d.body.push(line);
        }
    }
    drafts
}

/// Fails on a non-blank line before line `first` that is not one of the
/// layout's `known` preamble lines: text there would otherwise vanish.
pub(crate) fn check_preamble(
    src: &SourceFile,
    known: &[&str],
    first: usize,
) -> Result<(), ParseError> {
    for line in src.lines().take_while(|l| l.number < first) {
        let t = line.text.trim();
        if !t.is_empty() && !known.contains(&t) {
            return Err(src
                .error_at_line(line.number, "unexpected text before the first question")
                .with_hint(
                    "only the guide's known preamble may precede the first question;                      is a question line damaged?",
                ));
        }
    }
    Ok(())
}

/// Fails when there are no questions, when text other than the layout's
/// `preamble` comes before the first, or when the numbers do not run
/// 1, 2, 3, … in document order. `what` shows a question line in the hint.
pub(crate) fn check_drafts(
    src: &SourceFile,
    drafts: &[Draft<'_>],
    preamble: &[&str],
    what: &str,
) -> Result<(), ParseError> {
    let Some(first) = drafts.first() else {
        return Err(InputError::new(Pos::file(&src.path), "no questions found")
            .with_hint(format!("this layout expects question lines like {what}")));
    };
    check_preamble(src, preamble, first.line)?;
    let numbers: Vec<(u32, usize)> = drafts.iter().map(|d| (d.number, d.line)).collect();
    check_numbering(src, &numbers)
}

/// Joins lines with `\n`, dropping blank lines at both ends; the lines in
/// between are kept exactly as they are.
pub(crate) fn join_body(lines: &[Line<'_>]) -> String {
    let blank = |l: &Line<'_>| l.text.trim().is_empty();
    let start = lines.iter().position(|l| !blank(l)).unwrap_or(lines.len());
    let end = lines
        .iter()
        .rposition(|l| !blank(l))
        .map_or(start, |i| i + 1);
    lines
        .get(start..end)
        .unwrap_or_default()
        .iter()
        .map(|l| l.text)
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digits_split_off_the_front() {
        assert_eq!(split_digits("01 What"), Some(("01", " What")));
        assert_eq!(split_digits("200"), Some(("200", "")));
        assert_eq!(split_digits("Q1."), None);
        assert_eq!(number("07"), Some(7));
        assert_eq!(number("99999999999"), None);
    }

    #[test]
    fn bodies_keep_inner_lines_and_drop_outer_blanks() {
        let f = SourceFile::new("x", "x.txt", "\n  \na\n\n b \nc\n\n");
        let lines: Vec<_> = f.lines().collect();
        assert_eq!(join_body(&lines), "a\n\n b \nc");
        assert_eq!(join_body(&lines[..2]), "");
    }

    #[test]
    fn questions_split_at_accepted_lines_and_drop_the_preamble() {
        let f = SourceFile::new("x", "x.txt", "intro\n#1 a\nbody\n#2 b");
        let drafts = split_questions(&f, |l| {
            let rest = l.strip_prefix('#')?;
            let (d, t) = split_digits(rest)?;
            Some((number(d)?, t))
        });
        assert_eq!(drafts.len(), 2);
        assert_eq!((drafts[0].number, drafts[0].line), (1, 2));
        assert_eq!(drafts[0].body.len(), 1);
        assert!(drafts[1].body_is_blank());
        assert!(check_drafts(&f, &drafts, &["intro"], "`#1 text`").is_ok());
        let e = check_drafts(&f, &[], &["intro"], "`#1 text`").unwrap_err();
        assert_eq!(e.pos.line, 0);
        let e = check_drafts(&f, &drafts, &[], "`#1 text`").unwrap_err();
        assert_eq!(e.pos.line, 1);
        assert!(e.message.contains("before the first question"), "{e}");
    }
}
