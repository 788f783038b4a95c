//! Filtered decks: `--domain`, `--difficulty` and `--source` select a subset
//! of a finished `Build` under its own deck name and file stem. This module
//! owns the selection rule (values of one kind are alternatives, kinds must
//! all match), the naming of a filtered deck, and the renaming that keeps a
//! filtered build's files apart from the full deck's. It runs after the
//! pipeline, so card ids, and with them the lock and every GUID, are those of
//! the full build; the lock itself is carried through untouched.

use crate::emit::Build;
use crate::model::Difficulty;
use std::path::{Path, PathBuf};

/// What to keep. Empty lists select everything of that kind.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    /// Taxonomy domain slugs.
    pub domains: Vec<String>,
    pub difficulties: Vec<Difficulty>,
    /// Source ids from `sources.yaml`; a card matches if any of its members
    /// comes from one of them.
    pub sources: Vec<String>,
}

/// Why a filter cannot be applied (a usage error).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FilterError {
    #[error("unknown {kind} `{value}`{}; known {kind}s: {}", did_you_mean(.suggestion), .known.join(", "))]
    Unknown {
        kind: &'static str,
        value: String,
        suggestion: Option<String>,
        known: Vec<String>,
    },
    #[error("the filter {0} selects no cards")]
    Empty(String),
}

fn did_you_mean(s: &Option<String>) -> String {
    s.as_ref()
        .map(|s| format!(" (did you mean `{s}`?)"))
        .unwrap_or_default()
}

/// `value` must be one of `known`; otherwise an error naming the nearest.
pub fn check_known(kind: &'static str, value: &str, known: &[&str]) -> Result<(), FilterError> {
    if known.contains(&value) {
        return Ok(());
    }
    Err(FilterError::Unknown {
        kind,
        value: value.to_string(),
        suggestion: crate::yaml::closest(value, known.iter().copied()).map(str::to_string),
        known: known.iter().map(|s| s.to_string()).collect(),
    })
}

impl Filter {
    /// A filter from command-line strings. Difficulties are checked here, as
    /// they are fixed; domains and sources are checked against the build.
    pub fn new(
        domains: &[String],
        difficulties: &[String],
        sources: &[String],
    ) -> Result<Filter, FilterError> {
        let names: Vec<&str> = Difficulty::ALL.iter().map(|d| d.as_str()).collect();
        let mut parsed = Vec::new();
        for d in difficulties {
            check_known("difficulty", d, &names)?;
            parsed.extend(Difficulty::parse(d));
        }
        Ok(Filter {
            domains: domains.to_vec(),
            difficulties: parsed,
            sources: sources.to_vec(),
        })
    }

    pub fn is_empty(&self) -> bool {
        self.domains.is_empty() && self.difficulties.is_empty() && self.sources.is_empty()
    }
}

/// Domains, difficulties and sources of a filter, in canonical order.
type Canonical = (Vec<String>, Vec<Difficulty>, Vec<String>);

/// The filter in canonical order (taxonomy order for domains, easy → hard,
/// manifest order for sources), without repeats, so that the same selection
/// always gets the same name.
fn canonical(build: &Build, f: &Filter) -> Result<Canonical, FilterError> {
    let domain_slugs: Vec<&str> = build
        .taxonomy
        .domains
        .iter()
        .map(|d| d.slug.as_str())
        .collect();
    for d in &f.domains {
        check_known("domain", d, &domain_slugs)?;
    }
    let source_ids: Vec<&str> = build.sources.iter().map(|s| s.id.as_str()).collect();
    for s in &f.sources {
        check_known("source", s, &source_ids)?;
    }
    let domains = domain_slugs
        .iter()
        .filter(|d| f.domains.iter().any(|x| x == *d))
        .map(|d| d.to_string())
        .collect();
    let difficulties = Difficulty::ALL
        .into_iter()
        .filter(|d| f.difficulties.contains(d))
        .collect();
    let sources = source_ids
        .iter()
        .filter(|s| f.sources.iter().any(|x| x == *s))
        .map(|s| s.to_string())
        .collect();
    Ok((domains, difficulties, sources))
}

/// Keeps the cards the filter selects and renames the deck: "Python Interview
/// (concurrency, hard)", stem "python-interview-concurrency-hard". Several
/// values of one kind are joined with `+`. The taxonomy, sources and lock are
/// the full build's. An empty filter returns the build unchanged.
pub fn apply(build: Build, f: &Filter) -> Result<Build, FilterError> {
    if f.is_empty() {
        return Ok(build);
    }
    let (domains, difficulties, sources) = canonical(&build, f)?;
    let mut parts: Vec<String> = Vec::new();
    if !domains.is_empty() {
        parts.push(domains.join("+"));
    }
    if !difficulties.is_empty() {
        parts.push(
            difficulties
                .iter()
                .map(|d| d.as_str())
                .collect::<Vec<_>>()
                .join("+"),
        );
    }
    if !sources.is_empty() {
        parts.push(sources.join("+"));
    }
    let Build {
        deck_name,
        file_stem,
        cards,
        taxonomy,
        lock,
        sources: summaries,
        notes: _,
    } = build;
    let cards: Vec<_> = cards
        .into_iter()
        .filter(|c| domains.is_empty() || domains.contains(&c.domain))
        .filter(|c| difficulties.is_empty() || difficulties.contains(&c.difficulty))
        .filter(|c| {
            sources.is_empty()
                || c.sources
                    .iter()
                    .any(|q| sources.iter().any(|s| **s == *q.reference.source))
        })
        .collect();
    if cards.is_empty() {
        return Err(FilterError::Empty(format!("({})", parts.join(", "))));
    }
    Ok(Build {
        deck_name: format!("{deck_name} ({})", parts.join(", ")),
        file_stem: format!("{file_stem}-{}", parts.join("-")),
        cards,
        taxonomy,
        lock,
        sources: summaries,
        notes: Default::default(),
    })
}

/// The path a filtered build gives an output, named after its stem:
/// `cards.json` becomes `<stem>.cards.json`; a path with a component that is
/// the stem or starts with `<stem>.` (`<stem>.apkg`, `obsidian/<stem>/x.md`)
/// is kept. So a filtered build never overwrites the full deck's files in
/// the same folder.
pub fn rename(stem: &str, path: &Path) -> PathBuf {
    let dotted = format!("{stem}.");
    let named = path.components().any(|c| {
        let c = c.as_os_str().to_string_lossy();
        c == stem || c.starts_with(&dotted)
    });
    if named {
        return path.to_path_buf();
    }
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let renamed = format!("{stem}.{name}");
    match path.parent() {
        Some(p) => p.join(renamed),
        None => PathBuf::from(renamed),
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::classify::{Domain, Taxonomy};
    use crate::emit::Output;
    use crate::emit::SourceSummary;
    use crate::lock;
    use crate::model::{AnswerOrigin, Card, Question, Ref};

    pub(crate) fn card(id: &str, domain: &str, difficulty: Difficulty, sources: &[&str]) -> Card {
        Card {
            id: id.into(),
            question: format!("Question {id}?"),
            answer: format!("Answer {id}."),
            answer_origin: AnswerOrigin::Guide,
            details: String::new(),
            variants: vec![],
            domain: domain.into(),
            domain_basis: "test".into(),
            difficulty,
            difficulty_basis: "test".into(),
            tags: vec![],
            merge: None,
            sources: sources
                .iter()
                .enumerate()
                .map(|(i, s)| Question::new(Ref::new(*s, i as u32 + 1), 1, "q"))
                .collect(),
        }
    }

    pub(crate) fn build(cards: Vec<Card>) -> Build {
        let (lock, _) = lock::refresh(&lock::Lock::default(), &cards);
        let domain = |slug: &str| Domain::new(slug, slug, "");
        Build {
            deck_name: "Python Interview".into(),
            file_stem: "python-interview".into(),
            cards,
            taxonomy: Taxonomy::from_domains(vec![
                domain("core-language"),
                domain("concurrency"),
                domain("testing"),
            ]),
            lock,
            sources: ["top-200", "scenarios"]
                .iter()
                .map(|id| SourceSummary {
                    id: id.to_string(),
                    title: id.to_string(),
                    file: "x".into(),
                    questions: 1,
                })
                .collect(),
            notes: Default::default(),
        }
    }

    /// The full build of the real `content/` folder (read, not written).
    pub(crate) fn real_build() -> Build {
        let content = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("content");
        let inputs = crate::driver::load(&content).unwrap_or_else(|e| panic!("{e}"));
        crate::pipeline::compile(&inputs)
            .unwrap_or_else(|e| panic!("{e}"))
            .build
    }

    fn sample() -> Build {
        build(vec![
            card("a", "concurrency", Difficulty::Hard, &["top-200"]),
            card("b", "concurrency", Difficulty::Easy, &["scenarios"]),
            card("c", "testing", Difficulty::Hard, &["scenarios", "top-200"]),
            card("d", "core-language", Difficulty::Medium, &["scenarios"]),
        ])
    }

    fn ids(b: &Build) -> Vec<&str> {
        b.cards.iter().map(|c| c.id.as_str()).collect()
    }

    #[test]
    fn kinds_are_anded_and_values_ored() {
        let f = Filter::new(&["concurrency".into()], &["hard".into()], &[]).unwrap();
        let b = apply(sample(), &f).unwrap();
        assert_eq!(ids(&b), ["a"]);
        assert_eq!(b.deck_name, "Python Interview (concurrency, hard)");
        assert_eq!(b.file_stem, "python-interview-concurrency-hard");

        let f = Filter::new(
            &["testing".into(), "concurrency".into()],
            &[],
            &["top-200".into()],
        )
        .unwrap();
        let b = apply(sample(), &f).unwrap();
        assert_eq!(ids(&b), ["a", "c"], "a member from top-200 is enough");
        assert_eq!(
            b.deck_name,
            "Python Interview (concurrency+testing, top-200)"
        );
        assert_eq!(b.file_stem, "python-interview-concurrency+testing-top-200");
    }

    #[test]
    fn name_does_not_depend_on_argument_order_or_repeats() {
        let f1 = Filter::new(
            &["testing".into(), "concurrency".into()],
            &["hard".into(), "easy".into()],
            &[],
        )
        .unwrap();
        let f2 = Filter::new(
            &["concurrency".into(), "testing".into(), "testing".into()],
            &["easy".into(), "hard".into()],
            &[],
        )
        .unwrap();
        let (b1, b2) = (apply(sample(), &f1).unwrap(), apply(sample(), &f2).unwrap());
        assert_eq!(
            (b1.deck_name.as_str(), b1.file_stem.as_str()),
            (b2.deck_name.as_str(), b2.file_stem.as_str())
        );
        assert_eq!(
            b1.file_stem,
            "python-interview-concurrency+testing-easy+hard"
        );
    }

    #[test]
    fn filtered_build_keeps_the_full_lock_and_guids() {
        let full = sample();
        let f = Filter::new(&[], &["hard".into()], &[]).unwrap();
        let b = apply(full.clone(), &f).unwrap();
        assert_eq!(b.lock, full.lock);
        for c in &b.cards {
            assert_eq!(b.lock.guid(&c.id), full.lock.guid(&c.id));
            assert_eq!(b.lock.guid(&c.id), Some(lock::guid_for(&c.id).as_str()));
        }
        assert_eq!(b.lock.cards.len(), 4, "the lock still covers every card");
    }

    #[test]
    fn unknown_values_suggest_the_nearest() {
        let e = Filter::new(&[], &["hrad".into()], &[]).unwrap_err();
        assert!(e.to_string().contains("did you mean `hard`"), "{e}");
        let e = apply(
            sample(),
            &Filter::new(&["concurency".into()], &[], &[]).unwrap(),
        )
        .unwrap_err();
        assert!(
            e.to_string()
                .starts_with("unknown domain `concurency` (did you mean `concurrency`?)"),
            "{e}"
        );
        let e = apply(
            sample(),
            &Filter::new(&[], &[], &["top200".into()]).unwrap(),
        )
        .unwrap_err();
        assert!(e.to_string().contains("did you mean `top-200`"), "{e}");
        let e = apply(
            sample(),
            &Filter::new(&[], &[], &["zzzzzzzz".into()]).unwrap(),
        )
        .unwrap_err();
        assert!(!e.to_string().contains("did you mean"), "{e}");
        assert!(
            e.to_string().contains("known sources: top-200, scenarios"),
            "{e}"
        );
    }

    #[test]
    fn real_content_filters_by_source_and_keeps_every_lock_entry() {
        let full = real_build();
        let f = Filter::new(&[], &[], &["top-50".into()]).unwrap();
        let b = apply(full.clone(), &f).unwrap();
        let expected = full
            .cards
            .iter()
            .filter(|c| c.sources.iter().any(|q| &*q.reference.source == "top-50"))
            .count();
        assert!(expected > 0);
        assert_eq!(b.cards.len(), expected);
        assert!(b.cards.len() < full.cards.len());
        assert_eq!(b.lock, full.lock);
        assert_eq!(b.file_stem, "python-interview-top-50");
    }

    #[test]
    fn selecting_nothing_is_an_error() {
        let f = Filter::new(&["core-language".into()], &["hard".into()], &[]).unwrap();
        let e = apply(sample(), &f).unwrap_err();
        assert_eq!(e, FilterError::Empty("(core-language, hard)".into()));
    }

    #[test]
    fn empty_filter_is_the_identity() {
        let b = apply(sample(), &Filter::default()).unwrap();
        assert_eq!(ids(&b), ["a", "b", "c", "d"]);
        assert_eq!(b.file_stem, "python-interview");
    }

    #[test]
    fn renamed_outputs_never_collide_with_the_full_decks() {
        let full = [
            Output::new("cards.json", "x"),
            Output::new("python-interview.apkg", "x"),
            Output::new("obsidian/python-interview/testing.md", "x"),
            Output::new("quizlet.txt", "x"),
        ];
        let stem = "python-interview-concurrency-hard";
        let filtered: Vec<Output> = [
            Output::new("cards.json", "y"),
            Output::new(format!("{stem}.apkg"), "y"),
            Output::new(format!("obsidian/{stem}/testing.md"), "y"),
            Output::new("quizlet.txt", "y"),
        ]
        .into_iter()
        .map(|o| Output::new(rename(stem, &o.path), o.bytes))
        .collect();
        let paths: Vec<_> = filtered
            .iter()
            .map(|o| o.path.to_string_lossy().into_owned())
            .collect();
        assert_eq!(
            paths,
            [
                format!("{stem}.cards.json"),
                format!("{stem}.apkg"),
                format!("obsidian/{stem}/testing.md"),
                format!("{stem}.quizlet.txt")
            ]
        );
        for o in &filtered {
            assert!(
                full.iter().all(|f| f.path != o.path),
                "{}",
                o.path.display()
            );
        }
    }
}
