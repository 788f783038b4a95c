//! Markdown → HTML for every HTML output (Anki fields, preview), through
//! pulldown-cmark. This module owns the one rule that makes source text
//! inert: raw HTML in the Markdown is shown as text, never passed through,
//! and text that Anki or a browser would treat as markup (`[sound:…]`,
//! `{{Field}}`, NUL) is encoded so it shows as written.

use pulldown_cmark::{html, Event, Options, Parser};

/// The Markdown extensions deckc's content uses.
fn options() -> Options {
    Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH
}

/// Renders Markdown to an HTML fragment. Raw HTML in the input becomes text.
pub fn markdown_to_html(markdown: &str) -> String {
    let events = Parser::new_ext(markdown, options()).map(|event| match event {
        Event::Html(raw) | Event::InlineHtml(raw) => Event::Text(raw),
        Event::Text(t) => Event::Text(t),
        other => other,
    });
    let mut out = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut out, events);
    inert(out)
}

/// Renders inline Markdown (a question) without the wrapping `<p>`.
pub fn inline_to_html(markdown: &str) -> String {
    let html = markdown_to_html(markdown);
    let trimmed = html.trim_end();
    match trimmed
        .strip_prefix("<p>")
        .and_then(|s| s.strip_suffix("</p>"))
    {
        Some(inner) if !inner.contains("<p>") => inner.to_string(),
        _ => html,
    }
}

/// Encodes what Anki or a browser would read as markup inside already
/// escaped HTML text: `[` (Anki's `[sound:…]`), `{{`/`}}` (template syntax)
/// and control characters such as NUL (shown as the visible ␀ symbol).
/// Most fields have none of these: they are returned as they are, without a
/// copy, after one byte scan.
fn inert(html: String) -> String {
    let Some(first) = html.bytes().position(needs_encoding) else {
        return html;
    };
    let mut out = String::with_capacity(html.len() + 64);
    let mut rest = &html[first..];
    out.push_str(&html[..first]);
    // Runs without such a byte are copied whole; `needs_encoding` flags
    // every byte that can start a character encoded here.
    while let Some(c) = rest.chars().next() {
        match c {
            '[' => out.push_str("&#91;"),
            ']' => out.push_str("&#93;"),
            '{' => out.push_str("&#123;"),
            '}' => out.push_str("&#125;"),
            '\0' => out.push('\u{2400}'),
            c if c.is_control() && c != '\n' && c != '\t' => {
                out.push(char::from_u32(0x2400 + c as u32).unwrap_or('\u{FFFD}'))
            }
            c => out.push(c),
        }
        rest = &rest[c.len_utf8()..];
        let run = rest.bytes().position(needs_encoding).unwrap_or(rest.len());
        out.push_str(&rest[..run]);
        rest = &rest[run..];
    }
    out
}

/// Whether a byte may start something `inert` encodes: a bracket or brace,
/// an ASCII control character other than newline and tab, DEL, or 0xC2, the
/// lead byte of the C1 controls U+0080–U+009F (a false alarm on other
/// U+0080–U+00BF characters only costs the slow path).
fn needs_encoding(b: u8) -> bool {
    NEEDS_ENCODING[usize::from(b)]
}

/// `needs_encoding` as a table: the scan is one load per byte.
static NEEDS_ENCODING: [bool; 256] = {
    let mut t = [false; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        t[b] = matches!(c, b'[' | b']' | b'{' | b'}' | 0x7f | 0xc2)
            || (c < 0x20 && c != b'\n' && c != b'\t');
        b += 1;
    }
    t
};

/// Escapes plain text for HTML (attribute-safe), with the same inert rules.
pub fn escape_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    escape_text_into(&mut out, text);
    out
}

/// `escape_text(text)`, appended to `out`.
pub fn escape_text_into(out: &mut String, text: &str) {
    let start = out.len();
    pulldown_cmark_escape::escape_html(&mut *out, text).ok();
    if out.as_bytes()[start..].iter().any(|&b| needs_encoding(b)) {
        let escaped = out.split_off(start);
        out.push_str(&inert(escaped));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raw_html_and_comparisons_stay_visible_text() {
        let h = markdown_to_html("Stack traces show <lambda>; a < b < c; Q&A");
        assert_eq!(
            h,
            "<p>Stack traces show &lt;lambda&gt;; a &lt; b &lt; c; Q&amp;A</p>\n"
        );
        let h = markdown_to_html("<script>alert(1)</script>");
        assert!(!h.contains("<script>"), "{h}");
        assert!(h.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "{h}");
    }

    #[test]
    fn escaping_into_a_buffer_appends_what_escape_text_gives() {
        for text in [
            "",
            "plain",
            "a < b & c",
            "[sound:x.mp3] {{Q}}",
            "nul\0 and \u{85}",
            "é — ‘q’",
        ] {
            let mut out = String::from("<p>");
            escape_text_into(&mut out, text);
            assert_eq!(out, format!("<p>{}", escape_text(text)), "{text:?}");
        }
    }

    #[test]
    fn anki_syntax_is_encoded() {
        let h = markdown_to_html("[sound:x.mp3] and {{Question}} and a\0b");
        assert!(!h.contains("[sound:"), "{h}");
        assert!(!h.contains("{{"), "{h}");
        assert!(h.contains("&#91;sound:x.mp3&#93;"), "{h}");
        assert!(h.contains("a\u{2400}b"), "{h}");
    }

    #[test]
    fn inert_encodes_every_control_character_and_only_those() {
        // The fast path must agree with the character rules on every
        // character class it screens: ASCII controls, DEL, C1 controls
        // (two UTF-8 bytes starting 0xC2), and their neighbours.
        for c in (0u32..0x300).filter_map(char::from_u32) {
            let s = format!("a{c}b");
            let out = inert(s.clone());
            let encoded =
                matches!(c, '[' | ']' | '{' | '}') || (c.is_control() && c != '\n' && c != '\t');
            assert_eq!(out != s, encoded, "U+{:04X} -> {out:?}", c as u32);
            if c.is_control() && encoded {
                assert_eq!(
                    out,
                    format!("a{}b", char::from_u32(0x2400 + c as u32).unwrap())
                );
            }
        }
        assert_eq!(
            inert("plain <b>text</b> é ü".into()),
            "plain <b>text</b> é ü"
        );
    }

    /// Runs between encoded characters are copied whole: the result is
    /// what encoding character by character gives.
    #[test]
    fn inert_copies_runs_between_encoded_characters() {
        let by_char = |s: &str| -> String {
            s.chars()
                .map(|c| match c {
                    '[' => "&#91;".to_string(),
                    ']' => "&#93;".to_string(),
                    '{' => "&#123;".to_string(),
                    '}' => "&#125;".to_string(),
                    c if c.is_control() && c != '\n' && c != '\t' => {
                        char::from_u32(0x2400 + c as u32).unwrap().to_string()
                    }
                    c => c.to_string(),
                })
                .collect()
        };
        for s in [
            "x = [1, 2]; d = {'a': [3]} ends",
            "[[{{}}]]",
            "lead \u{85}é·©\u{9f}ü\0tail\u{7f}\u{1b}[0m",
            "ok ] then a long run of text without any of them, é ü → ✓",
        ] {
            assert_eq!(inert(s.to_string()), by_char(s), "{s:?}");
        }
    }

    #[test]
    fn code_lists_and_tables_render() {
        let h = markdown_to_html("- `__init__` runs\n- two\n\n| a | b |\n|---|---|\n| 1 | 2 |\n");
        assert!(h.contains("<li><code>__init__</code> runs</li>"), "{h}");
        assert!(h.contains("<table>"), "{h}");
        assert_eq!(inline_to_html("What is `is`?"), "What is <code>is</code>?");
    }
}
