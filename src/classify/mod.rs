//! Classification: gives every question one taxonomy domain and one
//! difficulty, and records which signal decided each. The signals, strongest
//! first: an explicit per-reference override (`content/overrides.yaml`), the
//! guide's own section as mapped in `content/taxonomy.yaml`, then the
//! taxonomy's weighted term rules over the question and answer text, then
//! the taxonomy's stated fallback. Domain and difficulty are decided
//! independently. Pure: text in, labels out.

mod matcher;
mod taxonomy;

pub use matcher::{Folded, Term, TermSet};
pub use taxonomy::{
    find_line, parse_taxonomy, Combine, Domain, Level, Rule, Scope, Scoring, SectionMap, Tally,
    Taxonomy,
};

use crate::error::{ConfigError, InputError, Pos};
use crate::model::{Difficulty, Labelled, Labels, Question, Ref};
use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// One entry of `content/overrides.yaml`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Override {
    pub reference: Ref,
    pub domain: Option<String>,
    pub difficulty: Option<Difficulty>,
    pub reason: String,
    /// Line of the entry's `ref:`.
    pub line: usize,
    /// Line of the entry's `domain:` (its `ref:` line when not found).
    pub domain_line: usize,
}

/// `content/overrides.yaml`: labels forced per reference, each with a reason.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Overrides {
    pub file: PathBuf,
    pub entries: Vec<Override>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawOverrides {
    #[serde(default)]
    overrides: Vec<RawOverride>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawOverride {
    #[serde(rename = "ref")]
    reference: Ref,
    #[serde(default)]
    domain: Option<String>,
    #[serde(default)]
    difficulty: Option<String>,
    reason: String,
}

/// Parses and checks `content/overrides.yaml`. Domains and references are
/// checked by `classify`, which has the taxonomy and the questions.
pub fn parse_overrides(file: &Path, text: &str) -> Result<Overrides, ConfigError> {
    let raw: RawOverrides = crate::yaml::parse(file, text)?;
    let mut entries: Vec<Override> = Vec::with_capacity(raw.overrides.len());
    let mut cursor = 0;
    for o in raw.overrides {
        let reference = o.reference.to_string();
        let line = find_line(text, cursor, "ref", &reference);
        if line > 0 {
            cursor = line + 1;
        }
        let at = |l: usize| Pos::new(file, if l > 0 { l } else { line }, 0);
        if o.reason.trim().is_empty() {
            return Err(InputError::new(
                at(line),
                format!("override for {reference} needs a `reason`"),
            ));
        }
        if o.domain.is_none() && o.difficulty.is_none() {
            return Err(InputError::new(
                at(line),
                format!("override for {reference} sets neither `domain` nor `difficulty`"),
            ));
        }
        let difficulty = match &o.difficulty {
            Some(name) => Some(taxonomy::parse_level(
                name,
                at(find_line(text, line, "difficulty", name)),
            )?),
            None => None,
        };
        if let Some(first) = entries.iter().find(|e| e.reference == o.reference) {
            return Err(InputError::new(
                at(line),
                format!("{reference} is already overridden at line {}", first.line),
            ));
        }
        let domain_line = match &o.domain {
            Some(slug) => match find_line(text, line, "domain", slug) {
                0 => line,
                l => l,
            },
            None => line,
        };
        entries.push(Override {
            domain_line,
            reference: o.reference,
            domain: o.domain,
            difficulty,
            reason: o.reason.trim().to_string(),
            line,
        });
    }
    Ok(Overrides {
        file: file.to_path_buf(),
        entries,
    })
}

/// A rule that fired, with what it added to its label's score.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Hit<'a> {
    rule: &'a Rule,
    score: u32,
    terms: Vec<&'a str>,
}

/// Which terms of the taxonomy the question's text and its answer's hold,
/// indexed like `Compiled::terms` (the question's text and its answer are
/// folded once).
struct Texts {
    question: Vec<bool>,
    answer: Vec<bool>,
}

impl Texts {
    fn of(q: &Question, terms: &TermSet) -> Self {
        let mut answer = q.full_answer();
        if let Some(tip) = &q.tip {
            let answer = answer.to_mut();
            answer.push('\n');
            answer.push_str(tip);
        }
        Texts {
            question: terms.find(&Folded::new(&q.question)),
            answer: terms.find(&Folded::new(&answer)),
        }
    }
}

/// The taxonomy's terms compiled once: every rule's terms, in file order
/// (domains, then levels), and where each label's terms start.
struct Compiled<'a> {
    terms: TermSet<'a>,
    domains: Vec<usize>,
    levels: Vec<usize>,
}

impl<'a> Compiled<'a> {
    fn new(taxonomy: &'a Taxonomy) -> Self {
        let mut all: Vec<&'a Term> = Vec::new();
        let starts = |rules: &'a [Rule], all: &mut Vec<&'a Term>| {
            let start = all.len();
            all.extend(rules.iter().flat_map(|r| &r.terms));
            start
        };
        let domains = taxonomy
            .domains
            .iter()
            .map(|d| starts(&d.rules, &mut all))
            .collect();
        let levels = taxonomy
            .levels
            .iter()
            .map(|l| starts(&l.rules, &mut all))
            .collect();
        Compiled {
            terms: TermSet::new(all),
            domains,
            levels,
        }
    }
}

/// A question's `Texts`, found when a rule decision first needs them (an
/// override or a mapped section decides without them).
struct Lazy<'c, 'a> {
    compiled: &'c Compiled<'a>,
    texts: Option<Texts>,
}

impl<'c, 'a> Lazy<'c, 'a> {
    fn get(&mut self, q: &Question) -> (&Texts, &'c Compiled<'a>) {
        let compiled = self.compiled;
        (
            self.texts
                .get_or_insert_with(|| Texts::of(q, &compiled.terms)),
            compiled,
        )
    }
}

/// Scores one label's rules; the hits are ordered strongest first (stable).
///
/// A rule adds `weight × scoring.question` for each distinct term found in
/// the question, up to `tally.terms`, and `weight × scoring.answer` if any
/// term is found in the answer. The question parts of the label's rules are
/// combined by `tally.combine` (summed, or the strongest taken); the answer counts once per
/// label, with its strongest rule, so a long answer cannot outvote the
/// question through many weak rules.
///
/// `first` is the index of the rules' first term in `texts`.
fn score<'a>(
    rules: &'a [Rule],
    texts: &Texts,
    first: usize,
    scoring: Scoring,
    tally: Tally,
) -> (u32, Vec<Hit<'a>>) {
    let mut hits = Vec::new();
    let (mut question_total, mut answer_best) = (0u32, 0u32);
    let mut next = first;
    for rule in rules {
        let ids = next..next + rule.terms.len();
        next = ids.end;
        let found_in = |flags: &[bool]| -> Vec<&'a str> {
            // Most rules find nothing in a text: look at their flags first.
            let (a, b) = (ids.start.min(flags.len()), ids.end.min(flags.len()));
            if !flags[a..b].contains(&true) {
                return Vec::new();
            }
            rule.terms
                .iter()
                .zip(ids.clone())
                .filter(|&(_, id)| flags.get(id).copied().unwrap_or(false))
                .map(|(t, _)| t.text.as_str())
                .collect()
        };
        let in_question: Vec<&str> = match rule.scope {
            Scope::Answer => Vec::new(),
            _ => found_in(&texts.question),
        };
        let in_answer: Vec<&str> = match rule.scope {
            Scope::Question => Vec::new(),
            _ => found_in(&texts.answer),
        };
        let counted = u32::try_from(in_question.len())
            .unwrap_or(u32::MAX)
            .min(tally.terms);
        let q = rule.weight * scoring.question * counted;
        let a = if in_answer.is_empty() {
            0
        } else {
            rule.weight * scoring.answer
        };
        if q + a == 0 {
            continue;
        }
        question_total = match tally.combine {
            Combine::Sum => question_total + q,
            Combine::Max => question_total.max(q),
        };
        answer_best = answer_best.max(a);
        let mut terms = in_question;
        for t in in_answer {
            if !terms.contains(&t) {
                terms.push(t);
            }
        }
        hits.push(Hit {
            rule,
            score: q + a,
            terms,
        });
    }
    hits.sort_by_key(|h| std::cmp::Reverse(h.score));
    (question_total + answer_best, hits)
}

/// `rule: asyncio (event loop, await); threads (gil)`: the winner's two
/// strongest rules and the terms that matched.
fn rule_basis(hits: &[Hit]) -> String {
    let parts: Vec<String> = hits
        .iter()
        .take(2)
        .map(|h| format!("{} ({})", h.rule.name, h.terms.join(", ")))
        .collect();
    format!("rule: {}", parts.join("; "))
}

/// The best-scoring candidate; ties go to the earliest in file order.
fn best<'a, T>(
    candidates: impl Iterator<Item = (T, u32, Vec<Hit<'a>>)>,
) -> Option<(T, Vec<Hit<'a>>)> {
    let mut winner: Option<(T, u32, Vec<Hit<'a>>)> = None;
    for (c, total, hits) in candidates {
        if total > 0 && winner.as_ref().is_none_or(|(_, best, _)| total > *best) {
            winner = Some((c, total, hits));
        }
    }
    winner.map(|(c, _, hits)| (c, hits))
}

fn decide_domain(
    q: &Question,
    texts: &mut Lazy,
    taxonomy: &Taxonomy,
    forced: Option<&Override>,
) -> (String, String) {
    if let Some((o, slug)) = forced.and_then(|o| o.domain.as_ref().map(|d| (o, d))) {
        return (slug.clone(), format!("override: {}", o.reason));
    }
    if let Some(section) = &q.section {
        if let Some(slug) = taxonomy
            .section(&q.reference.source, section)
            .and_then(|m| m.domain.as_ref())
        {
            return (slug.clone(), format!("section: {section}"));
        }
    }
    let (texts, compiled) = texts.get(q);
    let scored = taxonomy
        .domains
        .iter()
        .zip(&compiled.domains)
        .map(|(d, &first)| {
            let (total, hits) = score(
                &d.rules,
                texts,
                first,
                taxonomy.scoring,
                taxonomy.scoring.domains,
            );
            (d, total, hits)
        });
    match best(scored) {
        Some((d, hits)) => (d.slug.clone(), rule_basis(&hits)),
        None => (
            taxonomy.fallback_domain.clone(),
            "fallback: no domain rule matched".into(),
        ),
    }
}

fn decide_difficulty(
    q: &Question,
    texts: &mut Lazy,
    taxonomy: &Taxonomy,
    forced: Option<&Override>,
) -> (Difficulty, String) {
    if let Some((o, level)) = forced.and_then(|o| o.difficulty.map(|d| (o, d))) {
        return (level, format!("override: {}", o.reason));
    }
    if let Some(section) = &q.section {
        if let Some(level) = taxonomy
            .section(&q.reference.source, section)
            .and_then(|m| m.difficulty)
        {
            return (level, format!("section: {section}"));
        }
    }
    let (texts, compiled) = texts.get(q);
    let scored = taxonomy
        .levels
        .iter()
        .zip(&compiled.levels)
        .map(|(l, &first)| {
            let (total, hits) = score(
                &l.rules,
                texts,
                first,
                taxonomy.scoring,
                taxonomy.scoring.difficulties,
            );
            (l, total, hits)
        });
    match best(scored) {
        Some((l, hits)) => (l.level, rule_basis(&hits)),
        None => (
            taxonomy.fallback_difficulty,
            "fallback: no difficulty rule matched".into(),
        ),
    }
}

/// Checks the overrides against the taxonomy and the question set, and the
/// section mappings against the sections the questions actually carry.
fn check(
    questions: &[Question],
    taxonomy: &Taxonomy,
    overrides: &Overrides,
) -> Result<(), InputError> {
    let refs: BTreeSet<&Ref> = questions.iter().map(|q| &q.reference).collect();
    for o in &overrides.entries {
        if let Some(slug) = &o.domain {
            if taxonomy.domain(slug).is_none() {
                let at = Pos::new(&overrides.file, o.domain_line, 0);
                return Err(taxonomy::unknown_domain(slug, &taxonomy.domains, at));
            }
        }
        if !refs.contains(&o.reference) {
            let same_source: Vec<String> = refs
                .iter()
                .filter(|r| r.source == o.reference.source)
                .map(|r| r.to_string())
                .collect();
            let err = InputError::new(
                Pos::new(&overrides.file, o.line, 0),
                format!(
                    "override names {}, which no source question has",
                    o.reference
                ),
            );
            let err = if same_source.is_empty() {
                err.with_hint(format!(
                    "no question comes from a source `{}`",
                    o.reference.source
                ))
            } else {
                err.with_hint(format!(
                    "`{}` has {} questions",
                    o.reference.source,
                    same_source.len()
                ))
            };
            return Err(err);
        }
    }
    let mut present: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for q in questions {
        let sections = present.entry(q.reference.source.as_ref()).or_default();
        if let Some(s) = &q.section {
            sections.insert(s.as_str());
        }
    }
    for m in &taxonomy.sections {
        let Some(sections) = present.get(m.source.as_str()) else {
            continue; // that guide is not part of this build
        };
        if !sections.contains(m.section.as_str()) {
            let err = InputError::new(
                Pos::new(&taxonomy.file, m.line, 0),
                format!("no `{}` question has the section `{}`", m.source, m.section),
            );
            let err = match crate::yaml::closest(&m.section, sections.iter().copied()) {
                Some(best) => err.with_hint(format!("did you mean `{best}`?")),
                None => err,
            };
            return Err(err);
        }
    }
    Ok(())
}

/// Labels every question.
pub fn classify(
    questions: Vec<Question>,
    taxonomy: &Taxonomy,
    overrides: &Overrides,
) -> Result<Vec<Labelled>, InputError> {
    let labels = labels(&questions, taxonomy, overrides)?;
    Ok(questions
        .into_iter()
        .zip(labels)
        .map(|(question, labels)| Labelled { question, labels })
        .collect())
}

/// The labels of every question, in order: `classify` without taking the
/// questions, so that another stage may read them meanwhile.
pub fn labels(
    questions: &[Question],
    taxonomy: &Taxonomy,
    overrides: &Overrides,
) -> Result<Vec<Labels>, InputError> {
    check(questions, taxonomy, overrides)?;
    let forced: BTreeMap<&Ref, &Override> = overrides
        .entries
        .iter()
        .map(|o| (&o.reference, o))
        .collect();
    let compiled = Compiled::new(taxonomy);
    // Each question is labelled on its own: on every core, in order.
    Ok(crate::par::map(questions.iter().collect(), |question| {
        let mut texts = Lazy {
            compiled: &compiled,
            texts: None,
        };
        let o = forced.get(&question.reference).copied();
        let (domain, domain_basis) = decide_domain(question, &mut texts, taxonomy, o);
        let (difficulty, difficulty_basis) = decide_difficulty(question, &mut texts, taxonomy, o);
        Labels {
            domain,
            domain_basis,
            difficulty,
            difficulty_basis,
        }
    }))
}

#[cfg(test)]
mod tests;

#[cfg(test)]
mod proptests {
    //! Robustness: no text makes `parse_overrides` panic, and every error points inside
    //! the text.
    use super::parse_overrides;
    use crate::sources::proptest_support::{check_loader, config, mutated, token_soup};
    use proptest::prelude::*;

    const REAL: &str = include_str!("../../content/overrides.yaml");

    proptest! {
        #![proptest_config(config())]

        #[test]
        fn arbitrary_text(text in "(?s).{0,400}") {
            check_loader(parse_overrides, &text)?;
        }

        #[test]
        fn token_soup_text(text in token_soup()) {
            check_loader(parse_overrides, &text)?;
        }

        #[test]
        fn damaged_overrides(text in mutated(REAL)) {
            check_loader(parse_overrides, &text)?;
        }
    }
}
