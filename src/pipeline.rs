//! The compiler core: from the texts of the content folder to a finished
//! `Build`, stage by stage (parse → normalize → overlay → classify → dedup →
//! assemble → lock). No I/O: the driver reads the files into `Inputs` and
//! writes what the emitters return.

use crate::classify;
use crate::dedup;
use crate::emit::{Build, SourceSummary};
use crate::error::{InputError, Pos};
use crate::lock::{self, Change, Lock};
use crate::manifest::Manifest;
use crate::model::{Question, Ref};
use crate::normalize;
use crate::overlay;
use crate::sources::{self, SourceFile};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// A text file of the content folder: the path shown in messages, and its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextFile {
    pub path: PathBuf,
    pub text: String,
}

impl TextFile {
    pub fn new(path: impl Into<PathBuf>, text: impl Into<String>) -> Self {
        TextFile {
            path: path.into(),
            text: text.into(),
        }
    }
}

/// Everything the pipeline reads, already loaded.
#[derive(Debug, Clone)]
pub struct Inputs {
    pub manifest: Manifest,
    /// One per manifest source, in manifest order.
    pub sources: Vec<SourceFile>,
    pub overlays: Vec<TextFile>,
    pub taxonomy: TextFile,
    pub overrides: Option<TextFile>,
    pub errata: Option<TextFile>,
    pub dedup: Option<TextFile>,
    pub lock: Option<TextFile>,
}

/// The finished build and what it changed in the lock.
#[derive(Debug, Clone)]
pub struct Compiled {
    pub build: Build,
    pub lock_changes: Vec<Change>,
    /// Time spent in each stage, for `--verbose` and benchmarks. Never part
    /// of any output.
    pub timings: Vec<(&'static str, Duration)>,
}

/// The labelled questions: everything up to and including classification.
#[derive(Debug, Clone)]
pub struct Labelled {
    pub questions: Vec<crate::model::Labelled>,
    pub taxonomy: classify::Taxonomy,
    pub sources: Vec<SourceSummary>,
    /// Time spent in each stage so far, for `--verbose` and benchmarks.
    pub timings: Vec<(&'static str, Duration)>,
}

/// The stages, in the order they run (and report to an observer).
pub const STAGES: [&str; 7] = [
    "parse",
    "normalize",
    "overlay",
    "classify",
    "dedup",
    "assemble",
    "lock",
];

/// Runs the stages from parsing to classification.
pub fn label(inputs: &Inputs) -> Result<Labelled, InputError> {
    label_observed(inputs, &|_| {})
}

/// `label`, calling `done` with each stage's name as it finishes (for a
/// progress bar).
pub fn label_observed(
    inputs: &Inputs,
    done: &dyn Fn(&'static str),
) -> Result<Labelled, InputError> {
    let Prepared {
        questions,
        sources,
        mut timings,
    } = prepare(inputs, done)?;
    let clock = Instant::now();
    let (taxonomy, overrides) = taxonomy_and_overrides(inputs)?;
    let questions = classify::classify(questions, &taxonomy, &overrides)?;
    timings.push(("classify", clock.elapsed()));
    done("classify");
    Ok(Labelled {
        questions,
        taxonomy,
        sources,
        timings,
    })
}

/// The questions after parse, normalize and overlay.
struct Prepared {
    questions: Vec<Question>,
    sources: Vec<SourceSummary>,
    timings: Vec<(&'static str, Duration)>,
}

/// Runs the stages up to and including overlay.
fn prepare(inputs: &Inputs, done: &dyn Fn(&'static str)) -> Result<Prepared, InputError> {
    let mut timings = Vec::new();
    let mut clock = Instant::now();
    let mut lap = |name: &'static str, timings: &mut Vec<(&'static str, Duration)>| {
        let now = Instant::now();
        timings.push((name, now - clock));
        clock = now;
        done(name);
    };
    let mut questions = Vec::new();
    let mut summaries = Vec::new();
    let specs: Vec<_> = inputs
        .manifest
        .sources
        .iter()
        .zip(&inputs.sources)
        .collect();
    let parse = |(spec, src): (&crate::manifest::SourceSpec, &sources::SourceFile)| {
        let layout = sources::layout(&spec.layout).ok_or_else(|| {
            InputError::new(
                Pos::file(&src.path),
                format!("unknown layout `{}`", spec.layout),
            )
        })?;
        sources::parse_source(layout, src, spec.questions)
    };
    // Big inputs: each source on its own core (below `PARALLEL_PARSE` bytes
    // the threads cost more than they save). The first error in manifest
    // order wins either way, as in one pass.
    let bytes: usize = inputs.sources.iter().map(|s| s.text.len()).sum();
    let parsed_all: Vec<_> = if bytes >= PARALLEL_PARSE {
        crate::par::map_coarse(specs.clone(), parse)
    } else {
        specs.iter().copied().map(parse).collect()
    };
    for ((spec, _), parsed) in specs.into_iter().zip(parsed_all) {
        let parsed = parsed?;
        summaries.push(SourceSummary {
            id: spec.id.clone(),
            title: spec.title.clone().unwrap_or_else(|| spec.id.clone()),
            file: spec.file.clone(),
            questions: parsed.len(),
        });
        questions.extend(parsed);
    }
    lap("parse", &mut timings);
    let errata = match &inputs.errata {
        Some(f) => normalize::parse_errata(&f.path, &f.text)?,
        None => normalize::Errata::default(),
    };
    let options = normalize::Options::from_manifest(&inputs.manifest);
    let questions = normalize::normalize(questions, &options, &errata)?;
    lap("normalize", &mut timings);
    let overlays = inputs
        .overlays
        .iter()
        .map(|f| overlay::parse(&f.path, &f.text))
        .collect::<Result<Vec<_>, _>>()?;
    let questions = overlay::apply(questions, &overlays)?;
    lap("overlay", &mut timings);
    Ok(Prepared {
        questions,
        sources: summaries,
        timings,
    })
}

/// The parsed `taxonomy.yaml` and `overrides.yaml`.
fn taxonomy_and_overrides(
    inputs: &Inputs,
) -> Result<(classify::Taxonomy, classify::Overrides), InputError> {
    let taxonomy = classify::parse_taxonomy(&inputs.taxonomy.path, &inputs.taxonomy.text)?;
    let overrides = match &inputs.overrides {
        Some(f) => classify::parse_overrides(&f.path, &f.text)?,
        None => classify::Overrides::default(),
    };
    Ok((taxonomy, overrides))
}

/// Source text (bytes, all sources) from which the sources are parsed on
/// several cores: the five guides (0.2 MB) parse in 0.7 ms on one.
const PARALLEL_PARSE: usize = 4 << 20;

/// Runs every stage.
pub fn compile(inputs: &Inputs) -> Result<Compiled, InputError> {
    compile_observed(inputs, &|_| {})
}

/// `compile`, calling `done` with each stage's name (`STAGES`) as it
/// finishes (for a progress bar).
///
/// Classification and dedup's grouping both read the questions and neither
/// needs the other's result (`dedup::group` looks at text and references,
/// never at labels), so they run side by side: dedup's stretches on one
/// core (merging the per-stretch vocabularies, clustering) leave the other
/// core to classify. Each stage's time is then its own wall time, and the two
/// overlap. Errors keep the order of a sequential run: classify's first.
pub fn compile_observed(
    inputs: &Inputs,
    done: &dyn Fn(&'static str),
) -> Result<Compiled, InputError> {
    let Prepared {
        questions,
        sources: summaries,
        mut timings,
    } = prepare(inputs, done)?;
    let classified = || {
        let clock = Instant::now();
        let (taxonomy, overrides) = taxonomy_and_overrides(inputs)?;
        let labels = classify::labels(&questions, &taxonomy, &overrides)?;
        Ok::<_, InputError>((taxonomy, labels, clock.elapsed()))
    };
    let grouped = || {
        let clock = Instant::now();
        let curation = match &inputs.dedup {
            Some(f) => dedup::parse_curation(&f.path, &f.text)?,
            None => dedup::Curation::default(),
        };
        let old_lock = match &inputs.lock {
            Some(f) => lock::parse(&f.path, &f.text)?,
            None => Lock::default(),
        };
        let refs: Vec<&crate::model::Question> = questions.iter().collect();
        let grouping = dedup::group(&refs, &curation)?;
        Ok::<_, InputError>((old_lock, grouping, clock.elapsed()))
    };
    let (grouped, classified) = crate::par::join_beside(grouped, classified);
    let (taxonomy, labels, classify_time) = classified?;
    timings.push(("classify", classify_time));
    done("classify");
    let (old_lock, grouping, group_time) = grouped?;
    let all_refs = Refs::of(questions.iter().map(|q| &q.reference));
    let mut clock = Instant::now();
    let items = questions
        .into_iter()
        .zip(labels)
        .map(|(question, labels)| crate::model::Labelled { question, labels })
        .collect();
    let mut clusters = dedup::clusters(items, grouping);
    keep_locked_ids(&mut clusters, &old_lock);
    timings.push(("dedup", group_time + clock.elapsed()));
    done("dedup");
    clock = Instant::now();
    let cards = crate::assemble::cards(clusters);
    account(all_refs, &cards)?;
    timings.push(("assemble", clock.elapsed()));
    done("assemble");
    clock = Instant::now();
    let (lock, lock_changes) = lock::refresh(&old_lock, &cards);
    timings.push(("lock", clock.elapsed()));
    done("lock");
    Ok(Compiled {
        build: Build {
            deck_name: "Python Interview".into(),
            file_stem: "python-interview".into(),
            cards,
            taxonomy,
            lock,
            sources: summaries,
            notes: Default::default(),
        },
        lock_changes,
        timings,
    })
}

/// Keeps card ids stable across rebuilds. A card's id is a member's
/// reference; when dedup's rule would now pick a different member (a new
/// member from a higher-priority source joined, or the algorithm changed) but
/// the cluster holds a reference that is already a card id in `deck.lock`,
/// the locked id is kept, so the learner's note (its GUID) survives. If
/// several members are locked ids (two old cards merged), dedup's own choice
/// wins when it is one of them, else the smallest locked reference.
fn keep_locked_ids(clusters: &mut [dedup::Cluster], lock: &Lock) {
    if lock.cards.is_empty() {
        return; // a first build: nothing to keep
    }
    for c in clusters.iter_mut() {
        if lock.cards.contains_key(&c.id) {
            continue;
        }
        let locked = c
            .members
            .iter()
            .map(|m| m.question.reference.to_string())
            .filter(|r| lock.cards.contains_key(r))
            .min_by(|a, b| {
                let (ra, rb) = (Ref::parse(a), Ref::parse(b));
                ra.cmp(&rb)
            });
        if let Some(id) = locked {
            c.id = id;
        }
    }
}

/// References, compactly: each source id once, and per reference the
/// source's index and the number.
struct Refs {
    sources: Vec<Arc<str>>,
    refs: Vec<(u32, u32)>,
}

impl Refs {
    fn of<'a>(refs: impl Iterator<Item = &'a Ref>) -> Refs {
        let mut out = Refs {
            sources: Vec::new(),
            refs: Vec::new(),
        };
        for r in refs {
            let key = out.key(r);
            out.refs.push(key);
        }
        out
    }

    /// `r`'s source index (added when new) and number. Questions come in
    /// runs of one source, so the last source is tried first.
    fn key(&mut self, r: &Ref) -> (u32, u32) {
        let found = match self.sources.last() {
            Some(last) if *last == r.source => Some(self.sources.len() - 1),
            _ => self.sources.iter().position(|s| *s == r.source),
        };
        let index = found.unwrap_or_else(|| {
            self.sources.push(r.source.clone());
            self.sources.len() - 1
        });
        (index as u32, r.number)
    }

    fn name(&self, (source, number): (u32, u32)) -> String {
        let source = self.sources.get(source as usize).map_or("?", |s| &**s);
        Ref::new(source, number).to_string()
    }
}

/// Every source question must sit in exactly one card.
fn account(mut refs: Refs, cards: &[crate::model::Card]) -> Result<(), InputError> {
    let mut want = std::mem::take(&mut refs.refs);
    let mut got: Vec<(u32, u32)> = Vec::with_capacity(want.len());
    for s in cards.iter().flat_map(|c| &c.sources) {
        let key = refs.key(&s.reference);
        got.push(key);
    }
    want.sort_unstable();
    got.sort_unstable();
    if want == got && want.windows(2).all(|w| w[0] != w[1]) {
        return Ok(());
    }
    // How often each reference is in a card, for the ones that are not
    // exactly once (counted by reference; named in text order).
    let mut counts: std::collections::BTreeMap<(u32, u32), usize> = Default::default();
    for k in want {
        counts.entry(k).or_default();
    }
    for k in got {
        *counts.entry(k).or_default() += 1;
    }
    let mut wrong: Vec<(String, usize)> = counts
        .into_iter()
        .filter(|(_, n)| *n != 1)
        .map(|(k, n)| (refs.name(k), n))
        .collect();
    wrong.sort();
    let wrong: Vec<String> = wrong
        .into_iter()
        .map(|(r, n)| format!("{r} is in {n} cards"))
        .collect();
    if wrong.is_empty() {
        Ok(())
    } else {
        Err(InputError::new(
            Pos::file("content"),
            format!("accounting failed: {}", wrong.join("; ")),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Difficulty, Labels, Question};

    fn member(r: &str) -> crate::model::Labelled {
        crate::model::Labelled {
            question: Question::new(Ref::parse(r).unwrap(), 1, "Q?"),
            labels: Labels {
                domain: "d".into(),
                domain_basis: "b".into(),
                difficulty: Difficulty::Easy,
                difficulty_basis: "b".into(),
            },
        }
    }

    fn lock_with(ids: &[&str]) -> Lock {
        let mut l = Lock::default();
        for id in ids {
            l.cards.insert(
                id.to_string(),
                lock::LockEntry {
                    guid: lock::guid_for(id),
                    hash: "h".into(),
                    mtime: 1,
                },
            );
        }
        l
    }

    #[test]
    fn side_by_side_compile_equals_the_stages_one_after_another() {
        // `compile` runs classify beside dedup's grouping; labelling first
        // and deduplicating the labelled questions after must give the same
        // cards, on the real guides and on a synthetic corpus with planted
        // near-duplicates.
        let content = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("content");
        let seed = crate::driver::load(&content).unwrap();
        let synthetic = {
            let dir = tempfile::tempdir().unwrap();
            let out = dir.path().join("c");
            let spec = crate::corpus::Spec {
                questions: 3000,
                seed: 5,
            };
            crate::driver::gen_corpus(spec, &content, &out).unwrap();
            crate::driver::load(&out).unwrap()
        };
        for inputs in [&seed, &synthetic] {
            let labelled = label(inputs).unwrap().questions;
            let curation = match &inputs.dedup {
                Some(f) => dedup::parse_curation(&f.path, &f.text).unwrap(),
                None => dedup::Curation::default(),
            };
            let clusters = dedup::dedup(labelled, &curation).unwrap();
            assert!(clusters.iter().any(|c| c.members.len() > 1));
            let one_after_another = crate::assemble::cards(clusters);
            let compiled = compile(inputs).unwrap().build.cards;
            assert!(compiled == one_after_another, "the cards differ");
        }
    }

    #[test]
    fn the_questions_of_one_guide_share_its_source_id() {
        // One `Arc` per guide, from the parser to the cards.
        let build = crate::filter::tests::real_build();
        let mut ids: std::collections::BTreeMap<&str, &Arc<str>> = Default::default();
        let mut refs = 0;
        for q in build.cards.iter().flat_map(|c| &c.sources) {
            let id = &q.reference.source;
            let first = *ids.entry(&**id).or_insert(id);
            assert!(
                Arc::ptr_eq(first, id),
                "{} has a copy of its id",
                q.reference
            );
            refs += 1;
        }
        assert_eq!(ids.len(), build.sources.len());
        assert!(refs > 400);
    }

    #[test]
    fn accounting_names_every_question_not_in_exactly_one_card() {
        let card = crate::emit::note::tests::card;
        let refs: Vec<Ref> = [1, 2, 3, 10]
            .iter()
            .map(|&n| Ref::new("guide", n))
            .collect();
        let mut twice = card(3, "d", "Q3?", "A");
        twice
            .sources
            .push(card(1, "d", "Q1?", "A").sources.remove(0));
        let cards = vec![card(1, "d", "Q1?", "A"), twice, card(10, "d", "Q10?", "A")];
        let error = |refs: &[Ref], cards: &[crate::model::Card]| {
            account(Refs::of(refs.iter()), cards)
                .unwrap_err()
                .to_string()
        };
        let e = error(&refs, &cards);
        // In reference order as text: `guide#1` before `guide#10` and `guide#2`.
        assert!(
            e.contains("accounting failed: guide#1 is in 2 cards; guide#2 is in 0 cards"),
            "{e}"
        );
        let fine = vec![
            card(1, "d", "Q1?", "A"),
            card(2, "d", "Q2?", "A"),
            card(3, "d", "Q3?", "A"),
            card(10, "d", "Q10?", "A"),
        ];
        assert!(account(Refs::of(refs.iter()), &fine).is_ok());
        // A reference the guides list twice is one question: in two cards
        // it is named; and a card's member no guide lists is named when it
        // is in two.
        let twice_listed: Vec<Ref> = [1, 2, 2, 3, 10]
            .iter()
            .map(|&n| Ref::new("guide", n))
            .collect();
        assert!(account(Refs::of(twice_listed.iter()), &fine).is_ok());
        let mut doubled = fine.clone();
        doubled.push(card(2, "d", "Q2?", "A"));
        let e = error(&twice_listed, &doubled);
        assert!(
            e.contains("accounting failed: guide#2 is in 2 cards"),
            "{e}"
        );
        let mut stray = fine.clone();
        for c in &mut stray[..2] {
            c.sources.push(card(99, "d", "Q99?", "A").sources.remove(0));
        }
        let e = error(&refs, &stray);
        assert!(e.contains("guide#99 is in 2 cards"), "{e}");
    }

    #[test]
    fn a_locked_member_keeps_its_id_when_dedup_would_pick_another() {
        let mut clusters = vec![dedup::Cluster {
            id: "study-guide#5".into(),
            members: vec![
                member("study-guide#5"),
                member("deep-dive#22"),
                member("scenarios#5"),
            ],
            merge: None,
        }];
        keep_locked_ids(&mut clusters, &lock_with(&["scenarios#5", "deep-dive#22"]));
        assert_eq!(clusters[0].id, "deep-dive#22");
        // Dedup's choice stays when it is locked itself.
        keep_locked_ids(
            &mut clusters,
            &lock_with(&["deep-dive#22", "study-guide#5"]),
        );
        assert_eq!(clusters[0].id, "deep-dive#22");
        let mut fresh = vec![dedup::Cluster {
            id: "top-50#1".into(),
            members: vec![member("top-50#1")],
            merge: None,
        }];
        keep_locked_ids(&mut fresh, &lock_with(&[]));
        assert_eq!(fresh[0].id, "top-50#1");
    }
}
