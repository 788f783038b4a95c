//! Unicode cleanup applied to every text field of every guide: NFC, the
//! non-breaking hyphen U+2011 becomes `-`, variation selectors (U+FE00–FE0F)
//! go. Curly quotes and dashes are kept: they are the guides' typography.

use unicode_normalization::{is_nfc_quick, IsNormalized, UnicodeNormalization};

/// NFC; U+2011 (non-breaking hyphen) becomes `-`; variation selectors go.
pub fn unicode(text: &str) -> String {
    // ASCII is NFC and holds neither character the rules change.
    if text.is_ascii() {
        return text.to_string();
    }
    // Most fields are already NFC (all ASCII ones are): then only the two
    // character rules apply, without running the composition algorithm.
    if is_nfc_quick(text.chars()) == IsNormalized::Yes {
        if !text.contains(|c: char| matches!(c, '\u{2011}' | '\u{FE00}'..='\u{FE0F}')) {
            return text.to_string();
        }
        return text
            .chars()
            .filter(|c| !matches!(*c, '\u{FE00}'..='\u{FE0F}'))
            .map(|c| if c == '\u{2011}' { '-' } else { c })
            .collect();
    }
    text.nfc()
        .filter(|c| !matches!(*c, '\u{FE00}'..='\u{FE0F}'))
        .map(|c| if c == '\u{2011}' { '-' } else { c })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nfc_hyphen_and_variation_selectors() {
        assert_eq!(unicode("e\u{301}"), "\u{e9}");
        assert_eq!(unicode("time\u{2011}to\u{2011}value"), "time-to-value");
        assert_eq!(unicode("\u{26A0}\u{FE0F} warn"), "\u{26A0} warn");
        assert_eq!(unicode("“quoted” — dash ‘x’"), "“quoted” — dash ‘x’");
        // The NFC fast path applies the same two character rules.
        assert_eq!(unicode("plain ascii"), "plain ascii");
        assert_eq!(unicode("a\u{2011}b\u{FE0F}"), "a-b");
        assert_eq!(unicode("e\u{301}\u{2011}"), "\u{e9}-");
    }
}
