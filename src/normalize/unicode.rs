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
    // Most fields are already NFC: then only the two character rules
    // apply, without running the composition algorithm. The guides'
    // typography (Latin letters, quotes, dashes, arrows) is NFC whatever
    // stands around it; other text gets the full quick check.
    if text.chars().all(always_nfc) || is_nfc_quick(text.chars()) == IsNormalized::Yes {
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

/// Characters that are NFC in any context: neither combining nor changed
/// by NFC (every character below U+0300, general punctuation but for the
/// two quads, arrows).
fn always_nfc(c: char) -> bool {
    matches!(c, '\0'..='\u{2FF}' | '\u{2002}'..='\u{206F}' | '\u{2190}'..='\u{21FF}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn always_nfc_characters_pass_the_quick_check_after_any_character() {
        let starters = ['a', 'e', '\u{2014}', '\u{2190}'];
        for c in (0..=0x2200u32)
            .filter_map(char::from_u32)
            .filter(|&c| always_nfc(c))
        {
            assert_eq!(is_nfc_quick([c].into_iter()), IsNormalized::Yes, "{c:?}");
            for s in starters {
                assert_eq!(
                    is_nfc_quick([s, c].into_iter()),
                    IsNormalized::Yes,
                    "{s:?} {c:?}"
                );
            }
        }
        assert!(!always_nfc('\u{301}') && !always_nfc('\u{2000}') && !always_nfc('\u{2126}'));
    }

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
