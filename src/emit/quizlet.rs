//! `quizlet.txt`: the deck in the text Quizlet's "Import" box accepts. The
//! import box splits cards at a row separator and each card into term and
//! definition at a field separator; its defaults are Tab between term and
//! definition and New line between cards (it also offers comma, semicolon and
//! custom separators, which this content cannot use: its answers are full of
//! commas and semicolons). There is no quoting or escaping, so a field may
//! contain neither a tab nor a line break. This module therefore flattens
//! each card's Markdown into one line of readable plain text: list items
//! become `• item; • item`, table rows `a | b; c | d`, code loses its
//! backticks, a code block's lines are joined with ` ⏎ `, link targets follow
//! their text in parentheses, and every run of whitespace (tab, CR, LF,
//! U+2028/9, other control characters) becomes one space.
//!
//! Term = the card's question; definition = its answer. The details section
//! (tips, follow-ups, the other guides' answers) is left out: a Quizlet card
//! has two sides only, and the full text is in `cards.json`/`cards.csv`.
//! Nothing is cut short: Quizlet's import page does not state a length limit
//! for a term or definition that this module could rely on, so long answers
//! are written whole. Output is UTF-8 without BOM, LF after every card.

use super::{Build, Emitter, Files, Out};
use crate::error::EmitError;
use crate::model::Card;
use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
use std::borrow::Cow;
use std::io::Write;

/// Writes `quizlet.txt`.
pub struct Quizlet;

/// Joins the lines of a code block inside one field.
pub const CODE_LINE_JOINER: &str = " ⏎ ";

impl Emitter for Quizlet {
    fn name(&self) -> &'static str {
        "quizlet"
    }

    fn describe(&self) -> &'static str {
        "quizlet.txt, for Quizlet's Import box (term TAB definition, one card per line)"
    }

    fn emit(&self, build: &Build, files: &mut Files<'_>) -> Result<(), EmitError> {
        files.write("quizlet.txt", |out| write(build, out))
    }
}

fn write(build: &Build, out: &mut Out<'_>) -> std::io::Result<()> {
    // Reused from card to card.
    let (mut f, mut term, mut definition) = (Flattener::default(), String::new(), String::new());
    for c in &build.cards {
        flatten_into(&mut f, &c.question, &mut term);
        if term.is_empty() {
            return Err(super::content_error(EmitError::format(
                "quizlet.txt",
                format!(
                    "card {} has an empty question once flattened to plain text",
                    c.id
                ),
            )));
        }
        flatten_into(&mut f, &answer_text(c), &mut definition);
        if definition.is_empty() {
            flatten_into(&mut f, &no_answer(c), &mut definition);
        }
        out.write_all(term.as_bytes())?;
        out.write_all(b"\t")?;
        out.write_all(definition.as_bytes())?;
        out.write_all(b"\n")?;
    }
    Ok(())
}

/// The text for the back of a two-sided card: the answer; when a card has
/// none (the model promises one, but an upstream gap must not stop every
/// export), its details; failing both, a visible note naming its sources.
pub(super) fn answer_text(c: &Card) -> Cow<'_, str> {
    if !c.answer.trim().is_empty() {
        Cow::Borrowed(&c.answer)
    } else if !c.details.trim().is_empty() {
        Cow::Borrowed(&c.details)
    } else {
        Cow::Owned(no_answer(c))
    }
}

/// The visible stand-in for a card with no answer text at all.
pub(super) fn no_answer(c: &Card) -> String {
    let refs: Vec<String> = c.sources.iter().map(|s| s.reference.to_string()).collect();
    format!("(No answer text in the guides; see {}.)", refs.join(", "))
}

/// Markdown → one line of plain text with no tab or line break.
#[cfg(test)]
fn flatten(markdown: &str) -> String {
    let mut out = String::new();
    flatten_into(&mut Flattener::default(), markdown, &mut out);
    out
}

/// `flatten(markdown)` into `out` (replacing what it held), with `f`'s
/// buffers reused.
fn flatten_into(f: &mut Flattener, markdown: &str, out: &mut String) {
    f.reset();
    let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
    for event in Parser::new_ext(markdown, options) {
        f.event(event);
    }
    out.clear();
    collapse_into(out, &f.out);
}

#[derive(Default)]
struct Flattener {
    out: String,
    /// For each open list: the next number (ordered) or `None` (bullets), and
    /// whether an item was already written.
    lists: Vec<(Option<u64>, bool)>,
    /// Text of the open code block, if any.
    code: Option<String>,
    /// Destination of each open link.
    links: Vec<(String, usize)>,
    /// Whether the open table row already has a cell.
    cell_written: bool,
    row_written: bool,
}

impl Flattener {
    /// Ready for a new text: a fresh flattener that keeps the output buffer.
    fn reset(&mut self) {
        let mut out = std::mem::take(&mut self.out);
        out.clear();
        *self = Flattener {
            out,
            ..Flattener::default()
        };
    }

    /// A word break, unless the text already ends in one.
    fn space(&mut self) {
        if !self.out.is_empty() && !self.out.ends_with(char::is_whitespace) {
            self.out.push(' ');
        }
    }

    fn event(&mut self, event: Event<'_>) {
        if let Some(code) = &mut self.code {
            match event {
                Event::Text(t) => code.push_str(&t),
                Event::End(TagEnd::CodeBlock) => {
                    let lines: Vec<&str> = code
                        .lines()
                        .map(str::trim_end)
                        .filter(|l| !l.trim().is_empty())
                        .collect();
                    let joined = lines.join(CODE_LINE_JOINER);
                    self.code = None;
                    self.space();
                    self.out.push_str(&joined);
                }
                _ => {}
            }
            return;
        }
        match event {
            Event::Text(t) | Event::Code(t) | Event::Html(t) | Event::InlineHtml(t) => {
                self.out.push_str(&t)
            }
            Event::InlineMath(t) | Event::DisplayMath(t) => self.out.push_str(&t),
            Event::FootnoteReference(t) => {
                self.out.push('[');
                self.out.push_str(&t);
                self.out.push(']');
            }
            Event::SoftBreak | Event::HardBreak | Event::Rule => self.space(),
            Event::TaskListMarker(done) => self.out.push_str(if done { "[x] " } else { "[ ] " }),
            Event::Start(tag) => self.start(tag),
            Event::End(tag) => self.end(tag),
        }
    }

    fn start(&mut self, tag: Tag<'_>) {
        match tag {
            Tag::CodeBlock(_) => self.code = Some(String::new()),
            Tag::List(first) => {
                self.lists.push((first, false));
            }
            Tag::Item => {
                // The item's number (`None` for a bullet) and whether an
                // item of its list came before.
                let (number, written) = match self.lists.last_mut() {
                    Some((number, written)) => {
                        let this = *number;
                        if let Some(n) = number {
                            *n += 1;
                        }
                        (this, std::mem::replace(written, true))
                    }
                    None => (None, false),
                };
                if written {
                    let trimmed = self.out.trim_end().len();
                    self.out.truncate(trimmed);
                    if !self.out.ends_with(';') {
                        self.out.push(';');
                    }
                }
                self.space();
                match number {
                    Some(n) => {
                        let _ = std::fmt::Write::write_fmt(&mut self.out, format_args!("{n}. "));
                    }
                    None => self.out.push_str("• "),
                }
            }
            Tag::Table(_) => {
                self.space();
                self.row_written = false;
            }
            Tag::TableHead | Tag::TableRow => {
                if self.row_written {
                    self.out.push_str("; ");
                }
                self.row_written = true;
                self.cell_written = false;
            }
            Tag::TableCell => {
                if self.cell_written {
                    self.out.push_str(" | ");
                }
                self.cell_written = true;
            }
            Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. } => {
                self.links.push((dest_url.to_string(), self.out.len()));
            }
            Tag::Paragraph
            | Tag::Heading { .. }
            | Tag::BlockQuote(_)
            | Tag::HtmlBlock
            | Tag::DefinitionList => self.space(),
            _ => {}
        }
    }

    fn end(&mut self, tag: TagEnd) {
        match tag {
            TagEnd::List(_) => {
                self.lists.pop();
            }
            TagEnd::Heading(_) => {
                if !self.out.trim_end().ends_with([':', '?', '.', '!']) {
                    let trimmed = self.out.trim_end().len();
                    self.out.truncate(trimmed);
                    self.out.push(':');
                }
                self.space();
            }
            TagEnd::Link | TagEnd::Image => {
                if let Some((url, start)) = self.links.pop() {
                    let text = self.out.get(start..).unwrap_or_default().trim().to_string();
                    if !url.is_empty() && text != url {
                        self.out.push_str(&format!(" ({url})"));
                    }
                }
            }
            TagEnd::Paragraph | TagEnd::BlockQuote(_) | TagEnd::Table => self.space(),
            _ => {}
        }
    }
}

/// `collapse_into` a new string.
#[cfg(test)]
fn collapse(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    collapse_into(&mut out, text);
    out
}

/// Appends `text` to `out` with every run of whitespace or control
/// characters made one space (and none left at either end of `text`).
fn collapse_into(out: &mut String, text: &str) {
    out.reserve(text.len());
    let start = out.len();
    let mut pending = false;
    let bytes = text.as_bytes();
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        let (end, keep) = if b.is_ascii_graphic() {
            // A run of visible ASCII, copied whole.
            let run = bytes[i..]
                .iter()
                .take_while(|b| b.is_ascii_graphic())
                .count();
            (i + run, true)
        } else if b.is_ascii() {
            // ASCII space and control characters: `is_whitespace` or
            // `is_control` holds for every one of them.
            (i + 1, false)
        } else {
            let c = text[i..].chars().next().unwrap_or(' ');
            (i + c.len_utf8(), !(c.is_whitespace() || c.is_control()))
        };
        if keep {
            if pending && out.len() > start {
                out.push(' ');
            }
            pending = false;
            out.push_str(&text[i..end]);
        } else {
            pending = true;
        }
        i = end;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::filter::tests::{build, card};
    use crate::model::Difficulty;

    #[test]
    fn a_reused_flattener_gives_what_a_fresh_one_does() {
        let texts = [
            "1. one\n2. two\n\n| a | b |\n|---|---|\n| 1 | 2 |",
            "```python\nx = 1\n",
            "[open link](https://example.org) and - item",
            "- a\n  - b\n- c",
            "   ",
            "Plain **text**.",
        ];
        let (mut f, mut out) = (Flattener::default(), String::from("stale"));
        for _ in 0..2 {
            for t in texts {
                flatten_into(&mut f, t, &mut out);
                assert_eq!(out, flatten(t), "{t:?}");
            }
        }
        // Appending keeps what `out` held, and its own spacing rules.
        let mut out = String::from("x");
        collapse_into(&mut out, "  a  b ");
        assert_eq!(out, "xa b");
    }

    #[test]
    fn collapse_gives_one_space_per_run_of_whitespace_or_control() {
        // What `collapse` must do, character by character.
        fn reference(text: &str) -> String {
            let mut out = String::new();
            let mut pending = false;
            for c in text.chars() {
                if c.is_whitespace() || c.is_control() {
                    pending = true;
                } else {
                    if pending && !out.is_empty() {
                        out.push(' ');
                    }
                    pending = false;
                    out.push(c);
                }
            }
            out
        }
        let pieces = [
            "a",
            "Zü",
            " ",
            "\t",
            "\n",
            "\r\n",
            "\u{7f}",
            "\u{0}",
            "\u{85}",
            "\u{a0}",
            "\u{2028}",
            "\u{2029}",
            "\u{3000}",
            "é",
            "→",
            "x=1;",
            "`c`",
            "\u{1F600}",
            "\u{9f}",
        ];
        // Every string of up to three pieces.
        let mut texts = vec![String::new()];
        for _ in 0..3 {
            let longer: Vec<String> = texts
                .iter()
                .flat_map(|t| pieces.iter().map(move |p| format!("{t}{p}")))
                .collect();
            texts.extend(longer);
        }
        for t in &texts {
            assert_eq!(collapse(t), reference(t), "{t:?}");
        }
    }

    /// Quizlet's rule for its default separators: each line is one card,
    /// split at the one tab into term and definition, both non-empty.
    fn parse_quizlet(text: &str) -> Vec<(String, String)> {
        assert!(text.ends_with('\n'), "every card line ends with LF");
        assert!(!text.contains('\r'), "no CR anywhere");
        text.lines()
            .map(|line| {
                let fields: Vec<&str> = line.split('\t').collect();
                assert_eq!(fields.len(), 2, "exactly one TAB in {line:?}");
                assert!(
                    fields.iter().all(|f| !f.trim().is_empty()),
                    "empty field in {line:?}"
                );
                assert!(
                    line.chars().all(|c| c == '\t' || !c.is_control()),
                    "control character in {line:?}"
                );
                assert!(!line.contains(['\u{2028}', '\u{2029}']), "{line:?}");
                (fields[0].to_string(), fields[1].to_string())
            })
            .collect()
    }

    #[test]
    fn markdown_flattens_to_readable_text() {
        assert_eq!(flatten("What does `is` compare?"), "What does is compare?");
        assert_eq!(
            flatten("Two kinds:\n\n- `list`: mutable\n- `tuple`: immutable\n\nPick one."),
            "Two kinds: • list: mutable; • tuple: immutable Pick one."
        );
        assert_eq!(flatten("1. first\n2. second"), "1. first; 2. second");
        assert_eq!(
            flatten("Use:\n\n```python\ndef f():\n\n    return 1\n```\n"),
            "Use: def f(): ⏎ return 1"
        );
        assert_eq!(flatten("| a | b |\n|---|---|\n| 1 | 2 |\n"), "a | b; 1 | 2");
        assert_eq!(
            flatten("See [PEP 8](https://peps.python.org/pep-0008/)."),
            "See PEP 8 (https://peps.python.org/pep-0008/)."
        );
        assert_eq!(
            flatten("### Why\nBecause **it** is."),
            "Why: Because it is."
        );
        assert_eq!(flatten("a\tb\r\nc\u{2028}d\u{0}e"), "a b c d e");
        assert_eq!(
            flatten("- outer\n  - inner\n- next"),
            "• outer • inner; • next"
        );
    }

    #[test]
    fn every_card_is_one_line_with_one_tab() {
        let mut cards = vec![
            card("a", "concurrency", Difficulty::Hard, &["top-200"]),
            card("b", "testing", Difficulty::Easy, &["scenarios"]),
            card("c", "testing", Difficulty::Easy, &["scenarios"]),
        ];
        cards[0].question = "What\tdoes\nthis print?".into();
        cards[0].answer =
            "It prints:\n\n```\nx\t= 1\r\n\nprint(x)\n```\n\n- one\n- two\r\n\nDone.".into();
        cards[1].answer = "| col\t1 | col 2 |\n|---|---|\n| a | b |".into();
        cards[2].answer = "Line one  \nline two\u{2029}three".into();
        let b = build(cards);
        let out = crate::emit::to_memory(&Quizlet, &b).unwrap();
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].path, std::path::PathBuf::from("quizlet.txt"));
        let text = String::from_utf8(out[0].bytes.clone()).unwrap();
        let parsed = parse_quizlet(&text);
        assert_eq!(parsed.len(), b.cards.len());
        assert_eq!(parsed[0].0, "What does this print?");
        assert_eq!(
            parsed[0].1,
            "It prints: x = 1 ⏎ print(x) • one; • two Done."
        );
        assert_eq!(parsed[1].1, "col 1 | col 2; a | b");
        assert_eq!(parsed[2].1, "Line one line two three");
    }

    #[test]
    fn real_content_imports_as_one_card_per_line() {
        let b = crate::filter::tests::real_build();
        let text = String::from_utf8(
            crate::emit::to_memory(&Quizlet, &b).unwrap()[0]
                .bytes
                .clone(),
        )
        .unwrap();
        let parsed = parse_quizlet(&text);
        assert_eq!(parsed.len(), b.cards.len());
        for ((term, _), c) in parsed.iter().zip(&b.cards) {
            assert_eq!(term, &flatten(&c.question), "{}", c.id);
        }
    }

    #[test]
    fn a_card_without_answer_falls_back_visibly() {
        let mut a = card("a", "concurrency", Difficulty::Hard, &["top-200"]);
        a.answer = "\n\n   \n".into();
        a.details = "**Interview tip:** mention `asyncio`.".into();
        let mut b = card(
            "b",
            "concurrency",
            Difficulty::Hard,
            &["top-200", "scenarios"],
        );
        b.answer = " ".into();
        let mut c = card("c", "concurrency", Difficulty::Hard, &["top-200"]);
        c.answer = "<!-- -->".into();
        let text = String::from_utf8(
            crate::emit::to_memory(&Quizlet, &build(vec![a, b, c])).unwrap()[0]
                .bytes
                .clone(),
        )
        .unwrap();
        let parsed = parse_quizlet(&text);
        assert_eq!(parsed[0].1, "Interview tip: mention asyncio.");
        assert_eq!(
            parsed[1].1,
            "(No answer text in the guides; see top-200#1, scenarios#2.)"
        );
        assert_eq!(parsed[2].1, "<!-- -->", "raw HTML is shown as text");
    }
}
