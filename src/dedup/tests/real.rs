//! The scorer and clustering on the real guides, measured against the
//! hand-labelled pairs in `tests/data/dedup-labelled.yaml`.

use super::super::*;
use crate::driver;
use crate::model::Labelled;
use serde::Deserialize;
use std::path::{Path, PathBuf};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LabelledSet {
    duplicates: Vec<Pair>,
    must_not_merge: Vec<Pair>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Pair {
    pair: [Ref; 2],
    note: String,
}

fn content() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("content")
}

/// The real questions through parse → normalize → overlay → classify, and
/// the real curation.
fn real() -> (Vec<Labelled>, Curation) {
    let inputs = driver::load(&content()).unwrap();
    let labelled = crate::pipeline::label(&inputs).unwrap().questions;
    let curation = match &inputs.dedup {
        Some(f) => parse_curation(&f.path, &f.text).unwrap(),
        None => Curation::default(),
    };
    (labelled, curation)
}

fn labelled_pairs() -> LabelledSet {
    let text = include_str!("../../../tests/data/dedup-labelled.yaml");
    crate::yaml::parse(Path::new("tests/data/dedup-labelled.yaml"), text).unwrap()
}

/// (precision on must-not-merge pairs, recall on duplicates, the misses).
fn measure(clusters: &[Cluster], l: &LabelledSet) -> (f64, f64, Vec<String>) {
    let map = super::cluster_of(clusters);
    let mut misses = Vec::new();
    let mut merged_wrongly = 0;
    for p in &l.must_not_merge {
        let [a, b] = &p.pair;
        if super::together(&map, &a.to_string(), &b.to_string()) {
            merged_wrongly += 1;
            misses.push(format!("MERGED must-not-merge {a} {b} ({})", p.note));
        }
    }
    let mut found = 0;
    for p in &l.duplicates {
        let [a, b] = &p.pair;
        if super::together(&map, &a.to_string(), &b.to_string()) {
            found += 1;
        } else {
            misses.push(format!("missed duplicate {a} {b} ({})", p.note));
        }
    }
    let precision = 1.0 - merged_wrongly as f64 / l.must_not_merge.len().max(1) as f64;
    let recall = found as f64 / l.duplicates.len().max(1) as f64;
    (precision, recall, misses)
}

#[test]
fn labelled_set_is_well_formed() {
    let l = labelled_pairs();
    assert!(
        l.duplicates.len() >= 40,
        "{} duplicate pairs",
        l.duplicates.len()
    );
    assert!(
        l.must_not_merge.len() >= 40,
        "{} must-not-merge pairs",
        l.must_not_merge.len()
    );
    let (items, _) = real();
    let known: BTreeSet<String> = items
        .iter()
        .map(|i| i.question.reference.to_string())
        .collect();
    let mut seen = BTreeSet::new();
    for p in l.duplicates.iter().chain(&l.must_not_merge) {
        assert!(!p.note.trim().is_empty());
        let [a, b] = &p.pair;
        assert_ne!(a, b);
        for r in [a, b] {
            assert!(known.contains(&r.to_string()), "{r} is not a question");
        }
        assert!(
            seen.insert((a.min(b).clone(), a.max(b).clone())),
            "{a} {b} listed twice"
        );
    }
}

#[test]
fn figures_dedup_precision_recall() {
    let l = labelled_pairs();
    let (items, curation) = real();
    let automatic = Curation {
        source_priority: curation.source_priority.clone(),
        ..Curation::default()
    };
    let clusters = dedup(items.clone(), &automatic).unwrap();
    let (p, r, misses) = measure(&clusters, &l);
    eprintln!(
        "dedup: must-not-merge precision {p:.3} ({} pairs), duplicate recall {r:.3} ({} pairs) (algorithm alone)",
        l.must_not_merge.len(),
        l.duplicates.len()
    );
    for m in &misses {
        eprintln!("  {m}");
    }
    let curated = dedup(items, &curation).unwrap();
    let (cp, cr, cmisses) = measure(&curated, &l);
    eprintln!(
        "dedup: must-not-merge precision {cp:.3} ({} pairs), duplicate recall {cr:.3} ({} pairs) (with dedup.yaml)",
        l.must_not_merge.len(),
        l.duplicates.len()
    );
    for m in &cmisses {
        eprintln!("  {m}");
    }
    if std::env::var_os("DEDUP_SHOW_MERGES").is_some() {
        for c in curated.iter().filter(|c| c.members.len() > 1) {
            eprintln!("{} {:?}", c.id, c.merge);
            for m in &c.members {
                eprintln!("    {} {}", m.question.reference, m.question.question);
            }
        }
    }
    assert_eq!(p, 1.0, "automatic merging joined a must-not-merge pair");
    assert!(r >= 0.9, "automatic duplicate recall {r:.3} is under 0.9");
    assert_eq!(cp, 1.0);
    assert!(cr >= r, "curation lost merges: {cr:.3} < {r:.3}");
}

/// Diagnostics for tuning: `DEDUP_DUMP=1 cargo test --lib dump_scores -- --ignored`.
#[test]
#[ignore]
fn dump_scores() {
    let l = labelled_pairs();
    let (mut items, _) = real();
    items.sort_by(|a, b| a.question.reference.cmp(&b.question.reference));
    let answers: Vec<String> = items
        .iter()
        .map(|l| l.question.full_answer().into_owned())
        .collect();
    let texts: Vec<Text> = items
        .iter()
        .zip(&answers)
        .map(|(l, a)| Text {
            question: &l.question.question,
            answer: a,
        })
        .collect();
    let corpus = Corpus::new(&texts);
    if std::env::var_os("DEDUP_ALL").is_some() {
        for l in &items {
            eprintln!(
                "Q {} | {}",
                l.question.reference,
                l.question.question.replace('\n', " ")
            );
        }
    }
    let idx: BTreeMap<String, usize> = items
        .iter()
        .enumerate()
        .map(|(i, l)| (l.question.reference.to_string(), i))
        .collect();
    let q = |i: usize| {
        items[i]
            .question
            .question
            .chars()
            .take(70)
            .collect::<String>()
    };
    for (name, list) in [("DUP", &l.duplicates), ("NOT", &l.must_not_merge)] {
        for p in list.iter() {
            let (a, b) = (idx[&p.pair[0].to_string()], idx[&p.pair[1].to_string()]);
            let (qs, as_) = corpus.parts(a, b);
            let (ua, ub) = (corpus.uncovered(a, b), corpus.uncovered(b, a));
            let (sa, sb) = (corpus.unshared(a, b), corpus.unshared(b, a));
            eprintln!("{name} {:.3} q={qs:.3} a={as_:.3} u={ua:.2}/{ub:.2} s={sa:.2}/{sb:.2} {} | {} || {} | {}", corpus.score(a, b), p.pair[0], q(a), p.pair[1], q(b));
        }
    }
    let labelled: BTreeSet<(usize, usize)> = l
        .duplicates
        .iter()
        .chain(&l.must_not_merge)
        .map(|p| {
            let (a, b) = (idx[&p.pair[0].to_string()], idx[&p.pair[1].to_string()]);
            (a.min(b), a.max(b))
        })
        .collect();
    let mut c = corpus.candidates(0.0);
    c.sort_by(|a, b| b.2.total_cmp(&a.2));
    for (a, b, s) in c
        .into_iter()
        .filter(|(a, b, _)| !labelled.contains(&(*a, *b)))
        .take(400)
    {
        let (qs, as_) = corpus.parts(a, b);
        let (ua, ub) = (corpus.uncovered(a, b), corpus.uncovered(b, a));
        let (sa, sb) = (corpus.unshared(a, b), corpus.unshared(b, a));
        eprintln!("UNL {s:.3} q={qs:.3} a={as_:.3} u={ua:.2}/{ub:.2} s={sa:.2}/{sb:.2} {} | {} || {} | {}", items[a].question.reference, q(a), items[b].question.reference, q(b));
    }
}
