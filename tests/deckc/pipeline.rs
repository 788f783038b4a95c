//! The whole pipeline on the real guides: every source question accounted
//! for, references as specified, answers non-empty, and byte-identical
//! rebuilds.

use crate::{compile, content, deckc_bin};
use std::collections::BTreeMap;
use std::process::Command;

#[test]
fn all_416_source_questions_are_in_exactly_one_card() {
    let build = compile(&content()).build;
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    for c in &build.cards {
        for s in &c.sources {
            *seen.entry(s.reference.to_string()).or_default() += 1;
        }
    }
    assert_eq!(seen.len(), 416);
    assert!(seen.values().all(|&n| n == 1));
    let expected = [
        ("study-guide", 35),
        ("top-200", 200),
        ("scenarios", 60),
        ("deep-dive", 71),
        ("top-50", 50),
    ];
    for (id, n) in expected {
        for i in 1..=n {
            let r = format!("{id}#{i}");
            assert!(seen.contains_key(&r), "{r} missing");
        }
    }
}

#[test]
fn every_card_and_every_guide_answer_is_non_empty() {
    let build = compile(&content()).build;
    for c in &build.cards {
        assert!(!c.answer.trim().is_empty(), "{} has an empty answer", c.id);
        for s in &c.sources {
            if s.reference.source != "top-50" {
                assert!(
                    !s.answer.trim().is_empty() || s.authored.is_some() || !s.red_flags.is_empty(),
                    "{} has no answer text",
                    s.reference
                );
            }
        }
    }
}

#[test]
fn two_builds_are_byte_identical() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("a"), dir.path().join("b"));
    for out in [&a, &b] {
        let status = Command::new(deckc_bin())
            .args(["build", "--quiet", "--content"])
            .arg(content())
            .arg("--out")
            .arg(out)
            .arg("--locked")
            .status()
            .unwrap();
        assert!(status.success());
    }
    let mut names: Vec<_> = std::fs::read_dir(&a)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    names.sort();
    assert!(!names.is_empty());
    for n in names {
        let (x, y) = (a.join(&n), b.join(&n));
        if x.is_file() {
            assert_eq!(
                std::fs::read(&x).unwrap(),
                std::fs::read(&y).unwrap(),
                "{n:?} differs"
            );
        }
    }
}

#[test]
fn a_generated_corpus_compiles_with_every_question_accounted_for() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus");
    let o = Command::new(deckc_bin())
        .args([
            "gen-corpus",
            "--quiet",
            "--questions",
            "1200",
            "--seed",
            "5",
            "--content",
        ])
        .arg(content())
        .arg("--out")
        .arg(&corpus)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let build = compile(&corpus).build;
    let refs: usize = build.cards.iter().map(|c| c.sources.len()).sum();
    assert_eq!(refs, 1200);
    // The same arguments give the same bytes.
    let again = dir.path().join("again");
    let o2 = Command::new(deckc_bin())
        .args([
            "gen-corpus",
            "--quiet",
            "--questions",
            "1200",
            "--seed",
            "5",
            "--content",
        ])
        .arg(content())
        .arg("--out")
        .arg(&again)
        .output()
        .unwrap();
    assert!(o2.status.success());
    for f in [
        "sources.yaml",
        "planted.yaml",
        "sources/top-200.txt",
        "sources/deep-dive.txt",
    ] {
        assert_eq!(
            std::fs::read(corpus.join(f)).unwrap(),
            std::fs::read(again.join(f)).unwrap(),
            "{f}"
        );
    }
}
