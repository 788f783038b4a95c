//! `content/taxonomy.yaml`: the domains, the difficulty levels with their
//! written definitions, the weighted term rules for both, the mapping from a
//! guide's own sections to domains or levels, and the fallbacks. Parsing and
//! every check that needs only this file; each error names its line.

use super::matcher::Term;
use crate::error::{ConfigError, InputError, Pos};
use crate::model::Difficulty;
use crate::yaml::closest;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// One domain of the project taxonomy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Domain {
    pub slug: String,
    pub title: String,
    pub description: String,
    pub rules: Vec<Rule>,
    /// Line of `slug:` in the taxonomy file.
    pub line: usize,
}

/// One difficulty level: what it means, and the rules that suggest it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Level {
    pub level: Difficulty,
    pub definition: String,
    pub rules: Vec<Rule>,
}

/// Which text of a question a rule reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Scope {
    Question,
    Answer,
    #[default]
    Both,
}

/// A weighted rule: fires when any of its terms occurs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rule {
    pub name: String,
    pub weight: u32,
    pub terms: Vec<Term>,
    pub scope: Scope,
}

/// A guide section that decides a domain and/or a difficulty.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SectionMap {
    pub source: String,
    pub section: String,
    pub domain: Option<String>,
    pub difficulty: Option<Difficulty>,
    pub line: usize,
}

/// How the rules of one label add up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Combine {
    /// Every rule that fires in the question adds to the label's score.
    Sum,
    /// Only the strongest rule in the question counts.
    Max,
}

/// How one kind of label (domains, or difficulties) is scored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Tally {
    /// How the question scores of a label's rules combine.
    pub combine: Combine,
    /// How many distinct terms of one rule count in the question (at least 1).
    pub terms: u32,
}

/// How much a match in the question counts against one in the answer, and
/// how each kind of label tallies its rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scoring {
    pub question: u32,
    pub answer: u32,
    pub domains: Tally,
    pub difficulties: Tally,
}

/// The parsed and checked taxonomy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Taxonomy {
    pub file: PathBuf,
    /// In file order, which is also the tie-break order.
    pub domains: Vec<Domain>,
    /// In file order, which is also the tie-break order.
    pub levels: Vec<Level>,
    pub sections: Vec<SectionMap>,
    pub scoring: Scoring,
    pub fallback_domain: String,
    pub fallback_difficulty: Difficulty,
}

impl Domain {
    /// A domain with no rules (reachable only by section or override).
    pub fn new(
        slug: impl Into<String>,
        title: impl Into<String>,
        description: impl Into<String>,
    ) -> Self {
        Domain {
            slug: slug.into(),
            title: title.into(),
            description: description.into(),
            rules: Vec::new(),
            line: 0,
        }
    }
}

impl Taxonomy {
    /// A taxonomy of bare domains: no rules, no section mappings, every
    /// level defined without rules, falling back to the first domain and
    /// `medium`. For callers that only need slugs and titles (emitters' tests).
    pub fn from_domains(domains: Vec<Domain>) -> Self {
        let tally = Tally {
            combine: Combine::Sum,
            terms: 1,
        };
        Taxonomy {
            file: PathBuf::new(),
            fallback_domain: domains.first().map(|d| d.slug.clone()).unwrap_or_default(),
            domains,
            levels: Difficulty::ALL
                .into_iter()
                .map(|level| Level {
                    level,
                    definition: String::new(),
                    rules: Vec::new(),
                })
                .collect(),
            sections: Vec::new(),
            scoring: Scoring {
                question: 3,
                answer: 1,
                domains: tally,
                difficulties: tally,
            },
            fallback_difficulty: Difficulty::Medium,
        }
    }

    pub fn domain(&self, slug: &str) -> Option<&Domain> {
        self.domains.iter().find(|d| d.slug == slug)
    }

    pub fn level(&self, level: Difficulty) -> Option<&Level> {
        self.levels.iter().find(|l| l.level == level)
    }

    /// The section mapping for a question's source and section, if any.
    pub fn section(&self, source: &str, section: &str) -> Option<&SectionMap> {
        self.sections
            .iter()
            .find(|s| s.source == source && s.section == section)
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTaxonomy {
    scoring: Scoring,
    fallback: RawFallback,
    domains: Vec<RawDomain>,
    difficulties: Vec<RawLevel>,
    #[serde(default)]
    sections: Vec<RawSection>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFallback {
    domain: String,
    difficulty: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDomain {
    slug: String,
    title: String,
    description: String,
    #[serde(default)]
    rules: Vec<RawRule>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLevel {
    level: String,
    definition: String,
    #[serde(default)]
    rules: Vec<RawRule>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRule {
    name: String,
    weight: u32,
    terms: Vec<String>,
    #[serde(default, rename = "in")]
    scope: Scope,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSection {
    source: String,
    section: String,
    #[serde(default)]
    domain: Option<String>,
    #[serde(default)]
    difficulty: Option<String>,
    /// Why the section maps as it does (or to nothing).
    #[serde(default)]
    #[allow(dead_code)]
    note: Option<String>,
}

/// Line (1-based) of the first line at or after `from` (1-based; 0 = start)
/// that reads `key: value`, optionally as a list item and with the value
/// quoted. 0 when not found.
pub fn find_line(text: &str, from: usize, key: &str, value: &str) -> usize {
    text.lines()
        .enumerate()
        .skip(from.saturating_sub(1))
        .find(|(_, l)| {
            let l = l.trim_start();
            let l = l.strip_prefix("- ").unwrap_or(l).trim_start();
            let Some(v) = l.strip_prefix(key).and_then(|r| r.strip_prefix(':')) else {
                return false;
            };
            let v = v.trim();
            let v = v.split(" #").next().unwrap_or(v).trim();
            let unquoted = v
                .strip_prefix('"')
                .and_then(|s| s.strip_suffix('"'))
                .or_else(|| v.strip_prefix('\'').and_then(|s| s.strip_suffix('\'')))
                .unwrap_or(v);
            unquoted == value
        })
        .map_or(0, |(i, _)| i + 1)
}

/// Line of the first line starting with `key:` (a top-level key).
fn key_line(text: &str, key: &str) -> usize {
    text.lines()
        .position(|l| l.strip_prefix(key).is_some_and(|r| r.starts_with(':')))
        .map_or(0, |i| i + 1)
}

/// Parses a level name, with a "did you mean" for near misses.
pub fn parse_level(name: &str, at: Pos) -> Result<Difficulty, InputError> {
    Difficulty::parse(name).ok_or_else(|| {
        let err = InputError::new(
            at,
            format!("unknown difficulty `{name}`; expected `easy`, `medium` or `hard`"),
        );
        match closest(name, Difficulty::ALL.iter().map(|d| d.as_str())) {
            Some(best) => err.with_hint(format!("did you mean `{best}`?")),
            None => err,
        }
    })
}

/// An "unknown domain" error with a "did you mean" when one is near.
pub fn unknown_domain(slug: &str, domains: &[Domain], at: Pos) -> InputError {
    let err = InputError::new(at, format!("unknown domain `{slug}`"));
    match closest(slug, domains.iter().map(|d| d.slug.as_str())) {
        Some(best) => err.with_hint(format!("did you mean `{best}`?")),
        None => err.with_hint(format!(
            "the domains are: {}",
            domains
                .iter()
                .map(|d| d.slug.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        )),
    }
}

fn build_rules(
    file: &Path,
    text: &str,
    from: usize,
    raw: Vec<RawRule>,
) -> Result<Vec<Rule>, InputError> {
    let mut cursor = from;
    let mut seen = BTreeMap::new();
    let mut rules = Vec::with_capacity(raw.len());
    for r in raw {
        let line = find_line(text, cursor, "name", &r.name);
        if line > 0 {
            cursor = line;
        }
        let at = || Pos::new(file, line, 0);
        if r.name.trim().is_empty() {
            return Err(InputError::new(at(), "a rule needs a `name`"));
        }
        if let Some(prev) = seen.insert(r.name.clone(), line) {
            return Err(InputError::new(
                at(),
                format!("rule `{}` is already defined here at line {prev}", r.name),
            ));
        }
        if r.weight == 0 {
            return Err(InputError::new(
                at(),
                format!(
                    "rule `{}` has weight 0; it could never decide anything",
                    r.name
                ),
            )
            .with_hint("give it a weight of 1 or more, or delete it"));
        }
        if r.terms.is_empty() {
            return Err(InputError::new(
                at(),
                format!("rule `{}` has no terms", r.name),
            ));
        }
        let mut terms = Vec::with_capacity(r.terms.len());
        for t in &r.terms {
            let term = Term::parse(t).ok_or_else(|| {
                InputError::new(at(), format!("rule `{}` has an empty term `{t}`", r.name))
            })?;
            terms.push(term);
        }
        rules.push(Rule {
            name: r.name,
            weight: r.weight,
            terms,
            scope: r.scope,
        });
    }
    Ok(rules)
}

/// Parses and checks `content/taxonomy.yaml`.
pub fn parse_taxonomy(file: &Path, text: &str) -> Result<Taxonomy, ConfigError> {
    let raw: RawTaxonomy = crate::yaml::parse(file, text)?;
    let at = |line: usize| Pos::new(file, line, 0);

    if raw.domains.is_empty() {
        return Err(
            InputError::new(at(key_line(text, "domains")), "the taxonomy has no domains")
                .with_hint(
                    "define at least one domain with `slug`, `title`, `description` and `rules`",
                ),
        );
    }
    let mut domains: Vec<Domain> = Vec::with_capacity(raw.domains.len());
    let mut cursor = key_line(text, "domains");
    for d in raw.domains {
        let line = find_line(text, cursor, "slug", &d.slug);
        if line > 0 {
            cursor = line + 1;
        }
        let valid = !d.slug.is_empty()
            && d.slug
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        if !valid {
            return Err(InputError::new(
                at(line),
                format!(
                    "domain slug `{}` must be lowercase letters, digits and `-`",
                    d.slug
                ),
            ));
        }
        if let Some(first) = domains.iter().find(|x| x.slug == d.slug) {
            return Err(InputError::new(
                at(line),
                format!(
                    "duplicate domain slug `{}` (first defined at line {})",
                    d.slug, first.line
                ),
            ));
        }
        if d.title.trim().is_empty() || d.description.trim().is_empty() {
            return Err(InputError::new(
                at(line),
                format!("domain `{}` needs a title and a description", d.slug),
            ));
        }
        let rules = build_rules(file, text, line, d.rules)?;
        domains.push(Domain {
            slug: d.slug,
            title: d.title,
            description: d.description,
            rules,
            line,
        });
    }

    let mut levels: Vec<Level> = Vec::with_capacity(3);
    let mut cursor = key_line(text, "difficulties");
    for l in raw.difficulties {
        let line = find_line(text, cursor, "level", &l.level);
        if line > 0 {
            cursor = line + 1;
        }
        let level = parse_level(&l.level, at(line))?;
        if levels.iter().any(|x| x.level == level) {
            return Err(InputError::new(
                at(line),
                format!("difficulty `{level}` is defined twice"),
            ));
        }
        if l.definition.trim().is_empty() {
            return Err(InputError::new(
                at(line),
                format!("difficulty `{level}` needs a written `definition`"),
            ));
        }
        let rules = build_rules(file, text, line, l.rules)?;
        levels.push(Level {
            level,
            definition: l.definition,
            rules,
        });
    }
    if let Some(missing) = Difficulty::ALL
        .into_iter()
        .find(|d| !levels.iter().any(|l| l.level == *d))
    {
        return Err(InputError::new(
            at(key_line(text, "difficulties")),
            format!("difficulty `{missing}` is not defined"),
        )
        .with_hint("define all of `easy`, `medium` and `hard`, each with a definition"));
    }

    let mut sections: Vec<SectionMap> = Vec::with_capacity(raw.sections.len());
    let mut cursor = key_line(text, "sections");
    for s in raw.sections {
        let line = find_line(text, cursor, "section", &s.section);
        if line > 0 {
            cursor = line + 1;
        }
        if let Some(slug) = &s.domain {
            if !domains.iter().any(|d| &d.slug == slug) {
                let dline = find_line(text, line, "domain", slug);
                return Err(unknown_domain(
                    slug,
                    &domains,
                    at(if dline > 0 { dline } else { line }),
                ));
            }
        }
        let difficulty = match &s.difficulty {
            Some(name) => {
                let dline = find_line(text, line, "difficulty", name);
                Some(parse_level(name, at(if dline > 0 { dline } else { line }))?)
            }
            None => None,
        };
        if let Some(first) = sections
            .iter()
            .find(|x| x.source == s.source && x.section == s.section)
        {
            return Err(InputError::new(
                at(line),
                format!(
                    "section `{}` of `{}` is already mapped at line {}",
                    s.section, s.source, first.line
                ),
            ));
        }
        sections.push(SectionMap {
            source: s.source,
            section: s.section,
            domain: s.domain,
            difficulty,
            line,
        });
    }

    let fallback_line = key_line(text, "fallback");
    if !domains.iter().any(|d| d.slug == raw.fallback.domain) {
        let line = find_line(text, fallback_line, "domain", &raw.fallback.domain);
        return Err(unknown_domain(&raw.fallback.domain, &domains, at(line)));
    }
    let fallback_difficulty = parse_level(
        &raw.fallback.difficulty,
        at(find_line(
            text,
            fallback_line,
            "difficulty",
            &raw.fallback.difficulty,
        )),
    )?;

    for (key, tally) in [
        ("domains", raw.scoring.domains),
        ("difficulties", raw.scoring.difficulties),
    ] {
        if tally.terms == 0 {
            return Err(InputError::new(
                at(key_line(text, "scoring")),
                format!("scoring.{key}.terms must be at least 1"),
            ));
        }
    }

    Ok(Taxonomy {
        file: file.to_path_buf(),
        domains,
        levels,
        sections,
        scoring: raw.scoring,
        fallback_domain: raw.fallback.domain,
        fallback_difficulty,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(crate) const SMALL: &str = "\
scoring:
  question: 3
  answer: 1
  domains: {combine: sum, terms: 2}
  difficulties: {combine: max, terms: 1}
fallback:
  domain: core
  difficulty: medium
domains:
  - slug: core
    title: Core language
    description: Syntax and semantics.
    rules:
      - name: syntax
        weight: 2
        terms: [syntax, keyword]
  - slug: async
    title: Concurrency & async
    description: Threads, processes, asyncio.
    rules:
      - name: asyncio
        weight: 3
        terms: [asyncio, event loop, await]
difficulties:
  - level: medium
    definition: A comparison or mechanism.
    rules:
      - name: comparison
        weight: 2
        terms: [vs, compare]
        in: question
  - level: easy
    definition: A definition.
    rules:
      - name: definition
        weight: 2
        terms: ['^what is']
        in: question
  - level: hard
    definition: Internals.
    rules:
      - name: internals
        weight: 3
        terms: [internally, under the hood]
sections:
  - source: guide
    section: Asyncio
    domain: async
  - source: guide
    section: Advanced
    difficulty: hard
";

    fn err(text: &str) -> InputError {
        parse_taxonomy(Path::new("taxonomy.yaml"), text).unwrap_err()
    }

    #[test]
    fn parses_domains_levels_and_sections_with_lines() {
        let t = parse_taxonomy(Path::new("taxonomy.yaml"), SMALL).unwrap();
        assert_eq!(t.domains.len(), 2);
        assert_eq!(t.domain("async").map(|d| d.line), Some(17));
        assert_eq!(t.domain("async").unwrap().title, "Concurrency & async");
        assert_eq!(
            t.levels.iter().map(|l| l.level).collect::<Vec<_>>(),
            [Difficulty::Medium, Difficulty::Easy, Difficulty::Hard]
        );
        assert_eq!(
            t.section("guide", "Advanced").unwrap().difficulty,
            Some(Difficulty::Hard)
        );
        assert_eq!(t.section("guide", "Asyncio").unwrap().line, 47);
        assert_eq!(
            t.level(Difficulty::Medium).unwrap().rules[0].scope,
            Scope::Question
        );
    }

    #[test]
    fn no_domains_is_an_error() {
        // The same file with its domain list emptied.
        let start = SMALL.find("\ndomains:").unwrap() + 1;
        let end = SMALL.find("\ndifficulties:").unwrap() + 1;
        let text = format!("{}domains: []\n{}", &SMALL[..start], &SMALL[end..]);
        let e = err(&text);
        assert!(e.message.contains("no domains"), "{e}");
        assert_eq!(e.pos.line, 9);
    }

    #[test]
    fn duplicate_slug_is_an_error_at_the_second() {
        let e = err(&SMALL.replace("- slug: async", "- slug: core"));
        assert!(
            e.message
                .contains("duplicate domain slug `core` (first defined at line 10)"),
            "{e}"
        );
        assert_eq!(e.pos.line, 17);
    }

    #[test]
    fn section_to_unknown_domain_is_an_error_with_hint() {
        let e = err(&SMALL.replace("    domain: async\n", "    domain: asyncc\n"));
        assert_eq!(e.pos.line, 48, "{e}");
        assert!(e.message.contains("unknown domain `asyncc`"));
        assert_eq!(e.hint.as_deref(), Some("did you mean `async`?"));
    }

    #[test]
    fn unknown_or_missing_level_is_an_error() {
        let e = err(&SMALL.replace("level: hard", "level: hrad"));
        assert_eq!(e.pos.line, 39, "{e}");
        assert_eq!(e.hint.as_deref(), Some("did you mean `hard`?"));
        let e = err(&SMALL.replace("difficulty: hard", "difficulty: harder"));
        assert_eq!(e.pos.line, 51, "{e}");
        let e = err(&SMALL.replace("level: hard", "level: easy"));
        assert!(e.message.contains("defined twice"), "{e}");
    }

    #[test]
    fn unknown_key_gets_did_you_mean() {
        let e = err(&SMALL.replace(
            "        weight: 3\n        terms: [asyncio",
            "        wieght: 3\n        terms: [asyncio",
        ));
        assert_eq!(e.hint.as_deref(), Some("did you mean `weight`?"), "{e}");
        assert_eq!(e.pos.line, 22);
    }

    #[test]
    fn bad_rules_are_errors_at_their_line() {
        let e = err(&SMALL.replace(
            "weight: 3\n        terms: [asyncio",
            "weight: 0\n        terms: [asyncio",
        ));
        assert_eq!(e.pos.line, 21, "{e}");
        let e = err(&SMALL.replace("terms: [asyncio, event loop, await]", "terms: []"));
        assert!(e.message.contains("no terms"), "{e}");
        let e = err(&SMALL.replace(
            "terms: [asyncio, event loop, await]",
            "terms: [asyncio, '*']",
        ));
        assert!(e.message.contains("empty term"), "{e}");
        let e = err(&SMALL.replace(
            "  domain: core\n  difficulty: medium",
            "  domain: nowhere\n  difficulty: medium",
        ));
        assert_eq!(e.pos.line, 7, "{e}");
    }

    #[test]
    fn find_line_accepts_list_items_and_quotes() {
        let text = "a:\n  - slug: x\n    title: 'T'\n  - slug: \"y\"\n";
        assert_eq!(find_line(text, 0, "slug", "y"), 4);
        assert_eq!(find_line(text, 0, "title", "T"), 3);
        assert_eq!(find_line(text, 3, "slug", "x"), 0);
    }
}

#[cfg(test)]
mod proptests {
    //! Robustness: no text makes `parse_taxonomy` panic, and every error points inside
    //! the text.
    use super::parse_taxonomy;
    use crate::sources::proptest_support::{check_loader, config, mutated, token_soup};
    use proptest::prelude::*;

    const REAL: &str = include_str!("../../content/taxonomy.yaml");

    proptest! {
        #![proptest_config(config())]

        #[test]
        fn arbitrary_text(text in "(?s).{0,400}") {
            check_loader(parse_taxonomy, &text)?;
        }

        #[test]
        fn token_soup_text(text in token_soup()) {
            check_loader(parse_taxonomy, &text)?;
        }

        #[test]
        fn damaged_taxonomy(text in mutated(REAL)) {
            check_loader(parse_taxonomy, &text)?;
        }
    }
}
