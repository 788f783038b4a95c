//! `deckc stats`: the domain × difficulty table and the per-source counts as
//! plain terminal text. Pure formatting of a `Build`.

use crate::emit::Build;
use std::collections::BTreeMap;
use std::fmt::Write;

/// The stats text.
pub fn render(b: &Build) -> String {
    let mut o = String::new();
    let width = b
        .taxonomy
        .domains
        .iter()
        .map(|d| d.title.chars().count())
        .max()
        .unwrap_or(6)
        .max(6);
    let _ = writeln!(
        o,
        "{:width$}  {:>5} {:>6} {:>5} {:>6}",
        "domain", "easy", "medium", "hard", "total"
    );
    let mut grid: BTreeMap<&str, [usize; 3]> = BTreeMap::new();
    for c in &b.cards {
        grid.entry(c.domain.as_str()).or_default()[c.difficulty as usize] += 1;
    }
    for d in &b.taxonomy.domains {
        let r = grid.get(d.slug.as_str()).copied().unwrap_or_default();
        let _ = writeln!(
            o,
            "{:width$}  {:>5} {:>6} {:>5} {:>6}",
            d.title,
            r[0],
            r[1],
            r[2],
            r.iter().sum::<usize>()
        );
    }
    let questions: usize = b.cards.iter().map(|c| c.sources.len()).sum();
    let merged = b.cards.iter().filter(|c| c.sources.len() > 1).count();
    let _ = writeln!(
        o,
        "\n{} cards from {} source questions; {} cards merge several questions.",
        b.cards.len(),
        questions,
        merged
    );
    o
}
