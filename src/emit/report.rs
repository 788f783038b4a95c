//! `report.md`: the build report, readable on a repository page: cards per
//! domain × difficulty, counts per source, authored answers, overrides and
//! clusters.

use super::{Build, Emitter, Output};
use crate::error::EmitError;
use crate::model::{AnswerOrigin, Difficulty};
use std::collections::BTreeMap;
use std::fmt::Write;

/// Writes `report.md`.
pub struct Report;

impl Emitter for Report {
    fn name(&self) -> &'static str {
        "report"
    }

    fn describe(&self) -> &'static str {
        "report.md, the build report"
    }

    fn emit(&self, build: &Build) -> Result<Vec<Output>, EmitError> {
        Ok(vec![Output::new("report.md", render(build))])
    }
}

fn render(b: &Build) -> String {
    let mut o = String::new();
    let questions: usize = b.cards.iter().map(|c| c.sources.len()).sum();
    let _ = writeln!(o, "# Build report: {}\n", b.deck_name);
    let _ = writeln!(
        o,
        "{} cards from {} source questions.\n",
        b.cards.len(),
        questions
    );

    let _ = writeln!(o, "## Cards per domain and difficulty\n");
    let _ = writeln!(
        o,
        "| domain | easy | medium | hard | total |\n|---|---:|---:|---:|---:|"
    );
    let mut grid: BTreeMap<&str, [usize; 3]> = BTreeMap::new();
    for c in &b.cards {
        grid.entry(c.domain.as_str()).or_default()[c.difficulty as usize] += 1;
    }
    let mut totals = [0usize; 3];
    for d in &b.taxonomy.domains {
        let row = grid.get(d.slug.as_str()).copied().unwrap_or_default();
        for (t, n) in totals.iter_mut().zip(row) {
            *t += n;
        }
        let _ = writeln!(
            o,
            "| {} | {} | {} | {} | {} |",
            d.title,
            row[0],
            row[1],
            row[2],
            row.iter().sum::<usize>()
        );
    }
    let _ = writeln!(
        o,
        "| **total** | {} | {} | {} | {} |\n",
        totals[0],
        totals[1],
        totals[2],
        totals.iter().sum::<usize>()
    );
    let _ = Difficulty::ALL;

    let _ = writeln!(o, "## Sources\n");
    let _ = writeln!(o, "| source | file | questions |\n|---|---|---:|");
    for s in &b.sources {
        let _ = writeln!(
            o,
            "| `{}` {} | `{}` | {} |",
            s.id,
            s.title,
            s.file.display(),
            s.questions
        );
    }
    let authored = b
        .cards
        .iter()
        .flat_map(|c| &c.sources)
        .filter(|q| q.authored.is_some())
        .count();
    let authored_cards = b
        .cards
        .iter()
        .filter(|c| c.answer_origin != AnswerOrigin::Guide)
        .count();
    let _ = writeln!(o, "\n## Authored answers\n\n{authored} source questions carry authored text; {authored_cards} cards show an authored primary answer.");
    o
}
