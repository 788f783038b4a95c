//! `report.md`: the build report, readable on a repository page: cards per
//! domain × difficulty, counts per source, authored answers, overrides and
//! clusters.

use super::{Build, Emitter, Files};
use crate::error::EmitError;
use crate::model::{AnswerOrigin, MergeBasis};
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

    fn emit(&self, build: &Build, files: &mut Files<'_>) -> Result<(), EmitError> {
        files.put("report.md", render(build).as_bytes())
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
    let _ = writeln!(o, "## Sources\n");
    let _ = writeln!(
        o,
        "| source | file | questions | cards holding one |\n|---|---|---:|---:|"
    );
    // Cards holding a question of each source, in one pass over the cards.
    let mut holding: BTreeMap<&str, usize> = BTreeMap::new();
    for c in &b.cards {
        let mut ids: Vec<&str> = c
            .sources
            .iter()
            .map(|q| q.reference.source.as_str())
            .collect();
        ids.sort_unstable();
        ids.dedup();
        for id in ids {
            *holding.entry(id).or_default() += 1;
        }
    }
    for s in &b.sources {
        let cards = holding.get(s.id.as_str()).copied().unwrap_or(0);
        let _ = writeln!(
            o,
            "| `{}` {} | `{}` | {} | {} |",
            s.id,
            s.title,
            s.file.display(),
            s.questions,
            cards
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
    let _ = writeln!(
        o,
        "\n## Authored answers\n\n{authored} source questions carry authored text \
         (`origin: authored`); {authored_cards} cards show an authored primary answer.\n"
    );

    let _ = writeln!(o, "## Overrides in force\n");
    let mut overrides = 0;
    for c in &b.cards {
        for (label, value, basis) in [
            ("domain", c.domain.as_str(), c.domain_basis.as_str()),
            (
                "difficulty",
                c.difficulty.as_str(),
                c.difficulty_basis.as_str(),
            ),
        ] {
            if let Some(i) = basis.find("override:") {
                if overrides == 0 {
                    let _ = writeln!(o, "| card | label | value | reason |\n|---|---|---|---|");
                }
                overrides += 1;
                let mut reason = basis[i + "override:".len()..].trim();
                if basis.starts_with("merged:") {
                    // "merged: from <ref> (override: …)": drop the wrapper's ")".
                    reason = reason.strip_suffix(')').unwrap_or(reason);
                }
                let _ = writeln!(o, "| `{}` | {label} | `{value}` | {} |", c.id, cell(reason));
            }
        }
    }
    if overrides == 0 {
        let _ = writeln!(o, "None.");
    }

    let merged: Vec<_> = b.cards.iter().filter(|c| c.sources.len() > 1).collect();
    let _ = writeln!(
        o,
        "\n## Merged cards\n\n{} cards merge {} source questions.\n",
        merged.len(),
        merged.iter().map(|c| c.sources.len()).sum::<usize>()
    );
    for c in merged {
        let how = match &c.merge {
            Some(m) => format!(
                "{}, score {:.2}",
                match m.basis {
                    MergeBasis::Automatic => "automatic",
                    MergeBasis::Curated => "curated",
                },
                m.score
            ),
            None => "merged".to_string(),
        };
        let _ = writeln!(o, "### `{}` ({how})\n", c.id);
        for q in &c.sources {
            let _ = writeln!(o, "- `{}` {}", q.reference, q.question.trim());
        }
        o.push('\n');
    }
    o
}

/// Text safe inside a Markdown table cell.
fn cell(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}
