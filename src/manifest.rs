//! `content/sources.yaml`: which guides the deck is built from, which layout
//! reads each, how many questions each must yield, and which authored overlays
//! apply. Parsing and validation only; the driver reads the files it names.

use crate::error::{ConfigError, InputError, Pos};
use crate::sources;
use serde::Deserialize;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// One guide.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SourceSpec {
    /// Source id, used in every reference (`<id>#<number>`).
    pub id: String,
    /// Path relative to the content folder.
    pub file: PathBuf,
    /// Name of the parser that reads it (see `sources::LAYOUTS`).
    pub layout: String,
    /// Expected number of questions; a mismatch fails the build.
    pub questions: usize,
    /// Human-readable title.
    #[serde(default)]
    pub title: Option<String>,
    /// Where the guide came from, for the record.
    #[serde(default)]
    pub origin: Option<String>,
    /// Extraction damage the normalizer must repair in this guide.
    #[serde(default)]
    pub repair: Vec<Repair>,
}

/// A kind of extraction damage that `normalize` can repair on request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Repair {
    /// `<code>` spans lost their marks and spacing, and list items were glued.
    CodeSpans,
}

/// The whole manifest.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    pub sources: Vec<SourceSpec>,
    /// Authored overlay files (canonical-yaml answers keyed by reference),
    /// relative to the content folder.
    #[serde(default)]
    pub overlays: Vec<PathBuf>,
}

/// Parses and validates `sources.yaml`.
pub fn parse(file: &Path, text: &str) -> Result<Manifest, ConfigError> {
    let m: Manifest = crate::yaml::parse(file, text)?;
    let mut seen = BTreeSet::new();
    for s in &m.sources {
        let at = || Pos::new(file, line_of(text, &format!("id: {}", s.id)), 0);
        let valid_id = !s.id.is_empty()
            && s.id
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            && !s.id.starts_with('-');
        if !valid_id {
            return Err(
                InputError::new(at(), format!("source id `{}` is not valid", s.id))
                    .with_hint("use lowercase letters, digits and `-`, e.g. `top-200`"),
            );
        }
        if !seen.insert(s.id.clone()) {
            return Err(InputError::new(
                at(),
                format!("source id `{}` is listed twice", s.id),
            ));
        }
        if sources::layout(&s.layout).is_none() {
            let names = sources::LAYOUTS.iter().map(|l| l.name());
            let mut e = InputError::new(
                Pos::new(file, line_of(text, &format!("layout: {}", s.layout)), 0),
                format!("source `{}`: unknown layout `{}`", s.id, s.layout),
            );
            e.hint = Some(match crate::yaml::closest(&s.layout, names.clone()) {
                Some(best) => format!("did you mean `{best}`?"),
                None => format!("known layouts: {}", names.collect::<Vec<_>>().join(", ")),
            });
            return Err(e);
        }
        if s.file.is_absolute() || s.file.components().any(|c| c.as_os_str() == "..") {
            return Err(InputError::new(
                at(),
                format!(
                    "source `{}`: `file` must be relative to the content folder",
                    s.id
                ),
            ));
        }
    }
    Ok(m)
}

/// 1-based line of the first line containing `needle`, or 0.
pub fn line_of(text: &str, needle: &str) -> usize {
    text.lines()
        .position(|l| l.contains(needle))
        .map_or(0, |i| i + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = "sources:\n  - id: top-50\n    file: sources/top-50.txt\n    layout: top-50\n    questions: 50\n";

    #[test]
    fn parses_a_valid_manifest() {
        let m = parse(Path::new("sources.yaml"), GOOD).unwrap();
        assert_eq!(m.sources[0].id, "top-50");
        assert_eq!(m.sources[0].questions, 50);
    }

    #[test]
    fn repair_key_is_optional_and_checked() {
        assert!(parse(Path::new("s"), GOOD).unwrap().sources[0]
            .repair
            .is_empty());
        let t = format!("{GOOD}    repair: [code-spans]\n");
        assert_eq!(
            parse(Path::new("s"), &t).unwrap().sources[0].repair,
            vec![Repair::CodeSpans]
        );
        let t = format!("{GOOD}    repair: [code-span]\n");
        assert!(parse(Path::new("s"), &t).is_err());
    }

    #[test]
    fn unknown_layout_is_an_error_with_hint() {
        let t = GOOD.replace("layout: top-50", "layout: top-5O");
        let e = parse(Path::new("sources.yaml"), &t).unwrap_err();
        assert_eq!(e.pos.line, 4);
        assert!(e.to_string().contains("unknown layout `top-5O`"), "{e}");
        assert!(e.hint.unwrap().contains("top-50"));
    }

    #[test]
    fn duplicate_ids_and_escaping_paths_are_errors() {
        let t = format!("{GOOD}{}", &GOOD["sources:\n".len()..]);
        assert!(parse(Path::new("s"), &t)
            .unwrap_err()
            .message
            .contains("listed twice"));
        let t = GOOD.replace("sources/top-50.txt", "../x.txt");
        assert!(parse(Path::new("s"), &t)
            .unwrap_err()
            .message
            .contains("relative"));
    }
}

#[cfg(test)]
mod proptests {
    //! Robustness: no text makes the manifest loader panic, and every error
    //! points inside the text.
    use super::*;
    use crate::sources::proptest_support::{check_error, config, mutated, token_soup};
    use proptest::prelude::*;

    const REAL: &str = include_str!("../content/sources.yaml");

    fn check(text: &str) -> Result<(), TestCaseError> {
        let file = Path::new("content/sources.yaml");
        match parse(file, text) {
            Ok(m) => {
                prop_assert!(m
                    .sources
                    .iter()
                    .all(|s| sources::layout(&s.layout).is_some()));
                Ok(())
            }
            Err(e) => check_error(file, text, &e),
        }
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
        fn damaged_manifest(text in mutated(REAL)) {
            check(&text)?;
        }
    }
}
