//! `content/dedup.yaml`: the curated corrections to automatic merging and the
//! source priority that card ids use. `merge` entries force their references
//! into one card; `keep_apart` entries forbid any two of theirs from sharing
//! one. Every entry gives a `reason`. Parsing checks the file on its own
//! (shape, duplicates, a `keep_apart` that contradicts the `merge`s);
//! `Curation::check_refs` checks the references against the questions.

use crate::error::{ConfigError, InputError, Pos};
use crate::hash::FastSet;
use crate::model::Ref;
use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// A parsed `dedup.yaml`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Curation {
    pub file: PathBuf,
    /// Source ids, highest priority first (see `card_id`).
    pub source_priority: Vec<String>,
    pub merge: Vec<Entry>,
    pub keep_apart: Vec<Entry>,
}

/// One `merge` or `keep_apart` entry and the line it starts on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub line: usize,
    pub refs: Vec<Ref>,
    pub reason: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(default)]
    source_priority: Vec<String>,
    #[serde(default)]
    merge: Vec<RawEntry>,
    #[serde(default)]
    keep_apart: Vec<RawEntry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEntry {
    refs: Vec<Ref>,
    reason: String,
}

/// Parses `dedup.yaml` (read from `file`).
pub fn parse_curation(file: &Path, text: &str) -> Result<Curation, ConfigError> {
    if text.trim().is_empty() {
        return Ok(Curation {
            file: file.to_path_buf(),
            ..Curation::default()
        });
    }
    let raw: File = crate::yaml::parse(file, text)?;
    let at = |line: usize| Pos::new(file, line, 0);
    let mut seen = BTreeSet::new();
    for s in &raw.source_priority {
        if !seen.insert(s) {
            let line = crate::manifest::line_of(text, "source_priority");
            return Err(InputError::new(
                at(line),
                format!("source `{s}` is listed twice in source_priority"),
            ));
        }
    }
    let entries = |key: &str, list: Vec<RawEntry>| -> Result<Vec<Entry>, ConfigError> {
        let lines = item_lines(text, key);
        let key_line = crate::manifest::line_of(text, &format!("{key}:"));
        list.into_iter()
            .enumerate()
            .map(|(i, e)| {
                let line = lines.get(i).copied().unwrap_or(key_line);
                if e.refs.len() < 2 {
                    return Err(InputError::new(
                        at(line),
                        format!("{key} entry needs at least two refs"),
                    ));
                }
                let mut unique = BTreeSet::new();
                if let Some(dup) = e.refs.iter().find(|r| !unique.insert(*r)) {
                    return Err(InputError::new(
                        at(line),
                        format!("{key} entry lists {dup} twice"),
                    ));
                }
                if e.reason.trim().is_empty() {
                    return Err(InputError::new(
                        at(line),
                        format!("{key} entry has an empty reason"),
                    )
                    .with_hint("say why, in a few words, e.g. `same concept, same angle`"));
                }
                Ok(Entry {
                    line,
                    refs: e.refs,
                    reason: e.reason,
                })
            })
            .collect()
    };
    let curation = Curation {
        file: file.to_path_buf(),
        source_priority: raw.source_priority,
        merge: entries("merge", raw.merge)?,
        keep_apart: entries("keep_apart", raw.keep_apart)?,
    };
    curation.check_contradictions()?;
    Ok(curation)
}

impl Curation {
    /// The curated merge groups: `merge` entries that share a reference are
    /// joined. Each group holds its references and the lines of its entries.
    pub fn merge_groups(&self) -> Vec<(BTreeSet<Ref>, Vec<usize>)> {
        let mut groups: Vec<(BTreeSet<Ref>, Vec<usize>)> = Vec::new();
        for e in &self.merge {
            let mut refs: BTreeSet<Ref> = e.refs.iter().cloned().collect();
            let mut lines = vec![e.line];
            let mut kept = Vec::new();
            for (g, l) in groups.drain(..) {
                if g.is_disjoint(&refs) {
                    kept.push((g, l));
                } else {
                    refs.extend(g);
                    lines.extend(l);
                }
            }
            lines.sort_unstable();
            kept.push((refs, lines));
            groups = kept;
        }
        groups.sort();
        groups
    }

    /// Every pair a `keep_apart` entry separates, smaller reference first.
    pub fn apart_pairs(&self) -> BTreeMap<(Ref, Ref), usize> {
        let mut out = BTreeMap::new();
        for e in &self.keep_apart {
            for (i, a) in e.refs.iter().enumerate() {
                for b in e.refs.iter().skip(i + 1) {
                    let key = if a < b {
                        (a.clone(), b.clone())
                    } else {
                        (b.clone(), a.clone())
                    };
                    out.entry(key).or_insert(e.line);
                }
            }
        }
        out
    }

    /// A `keep_apart` pair that the `merge` entries join is an error naming both lines.
    fn check_contradictions(&self) -> Result<(), ConfigError> {
        let groups = self.merge_groups();
        for e in &self.keep_apart {
            for (i, a) in e.refs.iter().enumerate() {
                for b in e.refs.iter().skip(i + 1) {
                    if let Some((_, lines)) =
                        groups.iter().find(|(g, _)| g.contains(a) && g.contains(b))
                    {
                        let lines: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
                        let which = if lines.len() == 1 { "line" } else { "lines" };
                        return Err(InputError::new(
                            Pos::new(&self.file, e.line, 0),
                            format!(
                                "keep_apart at line {} separates {a} and {b}, but the merge at {which} {} joins them",
                                e.line,
                                lines.join(", ")
                            ),
                        )
                        .with_hint("remove one of the two entries"));
                    }
                }
            }
        }
        Ok(())
    }

    /// Every reference the `merge` and `keep_apart` entries name.
    pub fn refs(&self) -> impl Iterator<Item = &Ref> {
        self.merge
            .iter()
            .chain(&self.keep_apart)
            .flat_map(|e| &e.refs)
    }

    /// Every reference must name a question in `known`.
    pub fn check_refs(&self, known: &FastSet<&Ref>) -> Result<(), InputError> {
        for e in self.merge.iter().chain(&self.keep_apart) {
            for r in &e.refs {
                if !known.contains(r) {
                    let mut err = InputError::new(
                        Pos::new(&self.file, e.line, 0),
                        format!("no source question {r}"),
                    );
                    let same_source = known.iter().filter(|k| k.source == r.source).count();
                    err = if same_source == 0 {
                        err.with_hint(format!(
                            "no source has the id `{}`; see sources.yaml",
                            r.source
                        ))
                    } else {
                        err.with_hint(format!("`{}` has questions 1 to {same_source}", r.source))
                    };
                    return Err(err);
                }
            }
        }
        Ok(())
    }
}

/// The 1-based lines on which the items of the top-level list `key` start
/// (block style: `key:` at column 0, then `- ` items at one indentation).
fn item_lines(text: &str, key: &str) -> Vec<usize> {
    let header = format!("{key}:");
    let mut inside = false;
    let mut indent: Option<usize> = None;
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let trimmed = line.trim_start();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let this_indent = line.len() - trimmed.len();
        if this_indent == 0 && !trimmed.starts_with('-') {
            inside = trimmed.starts_with(&header);
            indent = None;
            continue;
        }
        if inside && trimmed.starts_with("- ") {
            let level = *indent.get_or_insert(this_indent);
            if level == this_indent {
                out.push(i + 1);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = "\
source_priority: [study-guide, top-200]
merge:
  # same concept
  - refs: [top-200#13, deep-dive#44]
    reason: identity vs equality
  - refs:
      - top-50#9
      - top-50#33
    reason: list growth
keep_apart:
  - refs: [top-200#51, top-200#52]
    reason: what vs stacking order
";

    #[test]
    fn entries_carry_their_lines() {
        let c = parse_curation(Path::new("dedup.yaml"), GOOD).unwrap();
        assert_eq!(c.source_priority, vec!["study-guide", "top-200"]);
        assert_eq!(
            c.merge.iter().map(|e| e.line).collect::<Vec<_>>(),
            vec![4, 6]
        );
        assert_eq!(c.keep_apart[0].line, 11);
        assert_eq!(
            c.merge[1].refs,
            vec![Ref::new("top-50", 9), Ref::new("top-50", 33)]
        );
    }

    #[test]
    fn contradiction_names_both_lines() {
        let text = "\
merge:
  - refs: [a#1, b#2]
    reason: x
  - refs: [b#2, c#3]
    reason: y
keep_apart:
  - refs: [c#3, a#1]
    reason: z
";
        let e = parse_curation(Path::new("d.yaml"), text).unwrap_err();
        assert_eq!(e.pos.line, 7);
        assert!(
            e.message.contains("line 7") && e.message.contains("lines 2, 4"),
            "{e}"
        );
    }

    #[test]
    fn bad_entries_are_errors_at_their_line() {
        let e = parse_curation(
            Path::new("d.yaml"),
            "merge:\n  - refs: [a#1]\n    reason: x\n",
        )
        .unwrap_err();
        assert_eq!(e.pos.line, 2);
        let e = parse_curation(
            Path::new("d.yaml"),
            "merge:\n  - refs: [a#1, b#1]\n    reason: ' '\n",
        )
        .unwrap_err();
        assert!(e.message.contains("empty reason"));
        let e = parse_curation(
            Path::new("d.yaml"),
            "keep_apart:\n  - refs: [a#1, a#01]\n    reason: x\n",
        )
        .unwrap_err();
        assert_eq!(e.pos.line, 2, "{e}");
        let e = parse_curation(
            Path::new("d.yaml"),
            "merge:\n  - refs: [a#1, b#2]\n    reasn: x\n",
        )
        .unwrap_err();
        assert_eq!(e.hint.as_deref(), Some("did you mean `reason`?"));
    }

    #[test]
    fn unknown_refs_are_errors_at_the_entry() {
        let c = parse_curation(Path::new("dedup.yaml"), GOOD).unwrap();
        let refs = [
            Ref::new("top-200", 13),
            Ref::new("top-200", 51),
            Ref::new("top-200", 52),
        ];
        let known: FastSet<&Ref> = refs.iter().collect();
        let e = c.check_refs(&known).unwrap_err();
        assert_eq!(e.pos.line, 4);
        assert!(e.message.contains("deep-dive#44"));
        assert!(e.hint.unwrap().contains("no source has the id `deep-dive`"));
    }

    #[test]
    fn merge_entries_sharing_a_ref_form_one_group() {
        let text = "merge:\n  - refs: [a#1, b#2]\n    reason: x\n  - refs: [c#1, d#1]\n    reason: y\n  - refs: [b#2, c#1]\n    reason: z\n";
        let c = parse_curation(Path::new("d.yaml"), text).unwrap();
        let g = c.merge_groups();
        assert_eq!(g.len(), 1);
        assert_eq!(g[0].0.len(), 4);
        assert_eq!(g[0].1, vec![2, 4, 6]);
    }
}

#[cfg(test)]
mod proptests {
    //! Robustness: no text makes `parse_curation` panic, and every error points inside
    //! the text.
    use super::parse_curation;
    use crate::sources::proptest_support::{check_loader, config, mutated, token_soup};
    use proptest::prelude::*;

    const REAL: &str = include_str!("../../content/dedup.yaml");

    proptest! {
        #![proptest_config(config())]

        #[test]
        fn arbitrary_text(text in "(?s).{0,400}") {
            check_loader(parse_curation, &text)?;
        }

        #[test]
        fn token_soup_text(text in token_soup()) {
            check_loader(parse_curation, &text)?;
        }

        #[test]
        fn damaged_curation(text in mutated(REAL)) {
            check_loader(parse_curation, &text)?;
        }
    }
}
