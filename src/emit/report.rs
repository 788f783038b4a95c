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
        // Streamed into the file's buffer as it is rendered: at 100k
        // questions the report is 3 MB, which a `String` would grow into by
        // doubling, out of the caches, before the write copied it again.
        files.write("report.md", |out| {
            let mut o = Streamed { out, error: None };
            render_into(build, &mut o);
            o.error.map_or(Ok(()), Err)
        })
    }
}

/// `fmt::Write` into an `io::Write`, keeping the first I/O error (which
/// `fmt::Error` cannot carry) for the caller.
struct Streamed<W> {
    out: W,
    error: Option<std::io::Error>,
}

impl<W: std::io::Write> Write for Streamed<W> {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        if self.error.is_some() {
            return Err(std::fmt::Error);
        }
        self.out.write_all(s.as_bytes()).map_err(|e| {
            self.error = Some(e);
            std::fmt::Error
        })
    }
}

/// The report as one string.
#[cfg(test)]
fn render(b: &Build) -> String {
    let mut o = String::new();
    render_into(b, &mut o);
    o
}

/// Writes the report into `o`. An error of `o`'s stops nothing here: `o`
/// keeps it for the caller (`Streamed`).
fn render_into(b: &Build, o: &mut impl Write) {
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
            .map(|q| q.reference.source.as_ref())
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
            if let Some(reason) = override_reason(basis) {
                if overrides == 0 {
                    let _ = writeln!(o, "| card | label | value | reason |\n|---|---|---|---|");
                }
                overrides += 1;
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
        let _ = o.write_char('\n');
    }
}

/// The reason of an override, from a label's basis: `override: <reason>`,
/// or `merged: from <ref> (override: <reason>)` on a merged card's primary.
/// Only where classify and dedup put it: a section title or a rule's term
/// that mentions "override:" is not an override.
fn override_reason(basis: &str) -> Option<&str> {
    const OVERRIDE: &str = "override:";
    if let Some(reason) = basis.strip_prefix(OVERRIDE) {
        return Some(reason.trim());
    }
    let inner = basis.strip_prefix("merged: from ")?;
    let (_, wrapped) = inner.split_once(" (")?;
    let reason = wrapped.strip_prefix(OVERRIDE)?.trim();
    Some(reason.strip_suffix(')').unwrap_or(reason))
}

/// Text safe inside a Markdown table cell.
fn cell(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_override_is_read_only_where_classify_and_dedup_put_it() {
        assert_eq!(override_reason("override: a fact"), Some("a fact"));
        assert_eq!(
            override_reason("merged: from deep-dive#3 (override: a fact)"),
            Some("a fact")
        );
        for basis in [
            "section: Notes on override: and friends",
            "rule: override: (x2)",
            "merged: from deep-dive#3 (section: override: here)",
            "merged: from deep-dive#3 (rule: async (x2))",
            "fallback: no domain rule matched",
            "",
        ] {
            assert_eq!(override_reason(basis), None, "{basis}");
        }
    }

    /// The overrides table of the real build, under its heading.
    fn overrides_table(report: &str) -> Vec<&str> {
        report
            .split("## Overrides in force\n")
            .nth(1)
            .and_then(|rest| rest.split("\n## ").next())
            .map(|t| t.lines().filter(|l| l.starts_with("| `")).collect())
            .unwrap_or_default()
    }

    #[test]
    fn the_overrides_table_lists_each_override_with_its_reason() {
        let real = crate::filter::tests::real_build();
        let before = overrides_table(&render(&real)).len();
        assert!(before > 0, "the real build has overrides in force");
        // A merged primary's override is listed without the wrapper's ")";
        // a section that only mentions the word is not an override.
        let mut b = real.clone();
        b.cards[0].domain_basis = "merged: from x#1 (override: why | not)".into();
        b.cards[1].difficulty_basis = "section: override: not one".into();
        let report = render(&b);
        let rows = overrides_table(&report);
        let (first, second) = (&b.cards[0], &b.cards[1]);
        let row = format!(
            "| `{}` | domain | `{}` | why \\| not |",
            first.id, first.domain
        );
        assert!(rows.contains(&row.as_str()), "{rows:#?}");
        let second_row = format!("| `{}` | difficulty", second.id);
        assert!(!rows.iter().any(|r| r.starts_with(&second_row)));
        let was = |basis: &str| usize::from(override_reason(basis).is_some());
        let expected =
            before + 1 - was(&real.cards[0].domain_basis) - was(&real.cards[1].difficulty_basis);
        assert_eq!(rows.len(), expected);
    }

    #[test]
    fn the_streamed_report_is_the_rendered_one_and_keeps_the_writers_error() {
        let real = crate::filter::tests::real_build();
        let files = super::super::to_memory(&Report, &real).unwrap();
        assert_eq!(files.len(), 1);
        assert_eq!(files[0].path, std::path::Path::new("report.md"));
        assert_eq!(files[0].bytes, render(&real).into_bytes());

        let mut o = Streamed {
            out: crate::emit::tests::Full::new(100),
            error: None,
        };
        render_into(&real, &mut o);
        assert_eq!(o.error.map(|e| e.to_string()).as_deref(), Some("disk full"));
        // Nothing is written after the first error.
        assert_eq!(o.out.refused, 1);
    }
}
