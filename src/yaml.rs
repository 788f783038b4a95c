//! YAML loading for every configuration file: one function that turns
//! serde_yaml_ng's errors into `InputError`s with file, line, column and, for
//! unknown keys, a "did you mean" hint. Pure: it takes text, not paths to read.

use crate::error::{InputError, Pos};
use serde::de::DeserializeOwned;
use std::path::Path;

/// Parses `text` (read from `file`) as a `T`.
/// Positions are taken from the error's byte offset and counted in `\n`
/// lines, as the parsers count them: libyaml's own line also breaks at a lone
/// `\r` and can point one line past the end of the text.
pub fn parse<T: DeserializeOwned>(file: &Path, text: &str) -> Result<T, InputError> {
    serde_yaml_ng::from_str(text).map_err(|e| {
        let mut err = from_yaml_error(file, &e);
        if let Some(l) = e.location() {
            err.pos = Pos::at_offset(file, text, l.index());
        }
        err
    })
}

/// Converts a serde_yaml_ng error into an `InputError` at its location.
pub fn from_yaml_error(file: &Path, e: &serde_yaml_ng::Error) -> InputError {
    let pos = match e.location() {
        Some(l) => Pos::new(file, l.line(), l.column()),
        None => Pos::file(file),
    };
    let message = e.to_string();
    // serde_yaml_ng appends " at line L column C"; the position already says it.
    let message = match message.find(" at line ") {
        Some(i) => message[..i].to_string(),
        None => message,
    };
    let hint = unknown_field_hint(&message);
    let mut err = InputError::new(pos, message);
    err.hint = hint;
    err
}

/// For serde's "unknown field `x`, expected one of `a`, `b`", suggests the
/// closest expected name.
fn unknown_field_hint(message: &str) -> Option<String> {
    let rest = message.split("unknown field `").nth(1)?;
    let (unknown, rest) = rest.split_once('`')?;
    let expected: Vec<&str> = rest.split('`').skip(1).step_by(2).collect();
    let best = closest(unknown, expected.iter().copied())?;
    Some(format!("did you mean `{best}`?"))
}

/// The candidate nearest to `word` by edit distance, if it is near enough to
/// be a plausible typo.
pub fn closest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|c| (edit_distance(word, c), c))
        .filter(|(d, c)| *d <= (c.chars().count().max(word.chars().count()) / 2).max(1))
        .min()
        .map(|(_, c)| c)
}

/// Levenshtein distance over characters.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != *cb);
            cur[j + 1] = sub.min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Entry {
        id: String,
        layout: String,
    }

    #[test]
    fn broken_yaml_reports_line_and_column() {
        let e = parse::<Vec<Entry>>(Path::new("c/s.yaml"), "- id: a\n  layout: [x\n").unwrap_err();
        assert_eq!(e.pos.file, Path::new("c/s.yaml"));
        assert!(e.pos.line >= 2, "{e}");
    }

    #[test]
    fn positions_count_newline_lines_only() {
        // libyaml breaks lines at a lone `\r` too; the position must still
        // name a line of the text as the parsers count lines.
        let e = parse::<Vec<Entry>>(Path::new("s.yaml"), "- id: a\r  layout: [x\r").unwrap_err();
        assert_eq!(e.pos.line, 1, "{e}");
        // A comment-only file: libyaml reports the end as the line after it.
        let e = parse::<Entry>(Path::new("s.yaml"), "# nothing").unwrap_err();
        assert_eq!((e.pos.line, e.pos.column), (1, 10), "{e}");
    }

    #[test]
    fn unknown_key_gets_did_you_mean() {
        let e = parse::<Vec<Entry>>(Path::new("s.yaml"), "- id: a\n  layuot: b\n").unwrap_err();
        assert_eq!(e.pos.line, 2);
        assert_eq!(e.hint.as_deref(), Some("did you mean `layout`?"), "{e}");
    }

    #[test]
    fn closest_ignores_far_candidates() {
        assert_eq!(closest("domian", ["domain", "difficulty"]), Some("domain"));
        assert_eq!(closest("zzzzzz", ["domain", "difficulty"]), None);
    }
}

#[cfg(test)]
mod proptests {
    //! Robustness: the YAML front end never panics, and its errors point
    //! inside the text, for any document and any target type.
    use super::*;
    use crate::sources::proptest_support::{check_error, config, mutated, token_soup};
    use proptest::prelude::*;
    use serde::Deserialize;
    use std::collections::BTreeMap;

    const REAL: &str = include_str!("../content/authored/top-50.yaml");

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Strict {
        answers: Vec<BTreeMap<String, String>>,
    }

    fn check(text: &str) -> Result<(), TestCaseError> {
        let file = Path::new("content/x.yaml");
        if let Err(e) = parse::<serde_yaml_ng::Value>(file, text) {
            check_error(file, text, &e)?;
        }
        if let Err(e) = parse::<Strict>(file, text) {
            check_error(file, text, &e)?;
        }
        Ok(())
    }

    proptest! {
        #![proptest_config(config())]

        #[test]
        fn arbitrary_text(text in "(?s).{0,400}") {
            check(&text)?;
        }

        #[test]
        fn token_soup_text(text in token_soup()) {
            check(&text)?;
        }

        #[test]
        fn damaged_overlay(text in mutated(REAL)) {
            check(&text)?;
        }
    }
}
