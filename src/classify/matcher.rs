//! Term matching for classification rules: folds text to a comparable form
//! and finds whole-word terms, phrases, prefix terms (`decorat*`) and terms
//! anchored at the start of the text (`^what is`). Small and explainable on
//! purpose: a reviewer can predict every match from the taxonomy file.

/// Text prepared for matching: lowercased, dashes and quotes folded to ASCII,
/// runs of whitespace collapsed to one space, trimmed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Folded(String);

impl Folded {
    pub fn new(text: &str) -> Self {
        let mut out = String::with_capacity(text.len());
        let mut space = false;
        for c in text.chars() {
            let c = match c {
                '\u{2010}'..='\u{2015}' | '\u{2212}' => '-',
                '\u{2018}' | '\u{2019}' => '\'',
                '\u{201C}' | '\u{201D}' => '"',
                c if c.is_whitespace() => ' ',
                c => c,
            };
            if c == ' ' {
                space = !out.is_empty();
                continue;
            }
            if space {
                out.push(' ');
                space = false;
            }
            out.extend(c.to_lowercase());
        }
        Folded(out)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// One term of a rule, as written in the taxonomy file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Term {
    /// The term as written (shown in bases).
    pub text: String,
    /// Folded body, without `^` or `*`.
    body: String,
    /// `^term`: only at the start of the text.
    anchored: bool,
    /// `term*`: any word continuing the term.
    prefix: bool,
}

impl Term {
    /// Parses a term; `None` if nothing is left to match.
    pub fn parse(text: &str) -> Option<Term> {
        let t = text.trim();
        let (anchored, t) = match t.strip_prefix('^') {
            Some(rest) => (true, rest),
            None => (false, t),
        };
        let (prefix, t) = match t.strip_suffix('*') {
            Some(rest) => (true, rest),
            None => (false, t),
        };
        let body = Folded::new(t).0;
        if body.is_empty() {
            return None;
        }
        Some(Term {
            text: text.trim().to_string(),
            body,
            anchored,
            prefix,
        })
    }

    /// Whether the term occurs in `text` on word boundaries.
    pub fn matches(&self, text: &Folded) -> bool {
        let hay = text.as_str();
        if self.anchored {
            return hay.starts_with(&self.body)
                && (self.prefix || self.end_ok(hay, self.body.len()));
        }
        let mut from = 0;
        while let Some(i) = hay.get(from..).and_then(|h| h.find(&self.body)) {
            let start = from + i;
            let end = start + self.body.len();
            if self.start_ok(hay, start) && (self.prefix || self.end_ok(hay, end)) {
                return true;
            }
            // Step past the first character of this occurrence.
            from = start + hay[start..].chars().next().map_or(1, char::len_utf8);
        }
        false
    }

    /// A term that begins with a word character must not continue a word.
    fn start_ok(&self, hay: &str, start: usize) -> bool {
        let first_is_word = self.body.chars().next().is_some_and(is_word);
        !first_is_word || !hay[..start].chars().next_back().is_some_and(is_word)
    }

    /// A term that ends with a word character must not run into a longer word.
    fn end_ok(&self, hay: &str, end: usize) -> bool {
        let last_is_word = self.body.chars().next_back().is_some_and(is_word);
        !last_is_word || !hay[end..].chars().next().is_some_and(is_word)
    }
}

fn is_word(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(term: &str, text: &str) -> bool {
        Term::parse(term).unwrap().matches(&Folded::new(text))
    }

    #[test]
    fn whole_words_only() {
        assert!(m("is", "What is the GIL?"));
        assert!(!m("is", "This list"));
        assert!(m("gil", "The GIL-free future"));
        assert!(!m("cache", "functools.lru_cache"));
        assert!(m("lru_cache", "functools.lru_cache"));
    }

    #[test]
    fn phrases_fold_case_space_and_dashes() {
        assert!(m("event loop", "How does the asyncio   Event\nLoop work?"));
        assert!(m("pip-tools", "venv, pip\u{2011}tools and poetry"));
        assert!(m("python's", "Python\u{2019}s key features"));
    }

    #[test]
    fn symbols_need_no_boundary() {
        assert!(m("__init__", "`__init__` vs `__new__`"));
        assert!(m("==", "difference between == and is"));
        assert!(m("*args", "How do *args and **kwargs work?"));
        assert!(!m("__init__.py", "`__init__` vs `__new__`"));
    }

    #[test]
    fn prefix_and_anchor() {
        assert!(m("decorat*", "Explain decorator order"));
        assert!(!m("decorat*", "Explain ordering"));
        assert!(m("^what is", "What is a wheel file?"));
        assert!(!m("^what is", "So what is a wheel file?"));
        assert!(!m("^what is", "What isolation level?"));
        assert!(m("^what is*", "What isolation level?"));
    }

    #[test]
    fn empty_terms_are_rejected() {
        assert!(Term::parse("  ").is_none());
        assert!(Term::parse("^*").is_none());
    }
}
