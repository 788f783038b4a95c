//! Tests of the classification engine on synthetic questions and a small
//! taxonomy, plus checks of the project's own taxonomy and overrides files.

use super::*;

const TAXONOMY: &str = "\
scoring:
  question: 3
  answer: 1
  domains: {combine: sum, terms: 1}
  difficulties: {combine: sum, terms: 1}
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
      - name: names
        weight: 3
        terms: [scope, legb]
  - slug: async
    title: Concurrency & async
    description: Threads, processes, asyncio.
    rules:
      - name: asyncio
        weight: 3
        terms: [asyncio, event loop, await]
      - name: threads
        weight: 1
        terms: [thread*]
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
        in: question
sections:
  - source: guide
    section: Asyncio
    domain: async
  - source: guide
    section: Advanced
    difficulty: hard
  - source: guide
    section: Trivia
    note: too broad; rules decide
";

fn taxonomy() -> Taxonomy {
    parse_taxonomy(Path::new("taxonomy.yaml"), TAXONOMY).unwrap()
}

fn q(n: u32, section: Option<&str>, question: &str, answer: &str) -> Question {
    let mut q = Question::new(Ref::new("guide", n), n as usize, question);
    q.section = section.map(str::to_string);
    q.answer = answer.into();
    q
}

/// The taxonomy without section mappings.
fn strip(mut t: Taxonomy) -> Taxonomy {
    t.sections.clear();
    t
}

fn overrides(text: &str) -> Overrides {
    parse_overrides(Path::new("overrides.yaml"), text).unwrap()
}

/// Labels `question` in a set that also holds one question of every mapped
/// section (a mapping that matches no question is an error).
fn one(question: Question, o: &Overrides) -> Labels {
    let mut set = vec![question];
    for (i, s) in ["Asyncio", "Advanced", "Trivia"].into_iter().enumerate() {
        set.push(q(100 + i as u32, Some(s), "Filler", ""));
    }
    classify(set, &taxonomy(), o).unwrap().remove(0).labels
}

#[test]
fn rules_pick_the_best_domain_and_name_the_terms() {
    let l = one(
        q(
            1,
            None,
            "How does the event loop schedule an await?",
            "Threads are not involved.",
        ),
        &Overrides::default(),
    );
    assert_eq!(l.domain, "async");
    assert_eq!(
        l.domain_basis,
        "rule: asyncio (event loop, await); threads (thread*)"
    );
    assert_eq!(l.difficulty, Difficulty::Medium);
    assert_eq!(l.difficulty_basis, "fallback: no difficulty rule matched");
}

#[test]
fn question_text_outweighs_answer_text() {
    // core: syntax 2×3 = 6 from the question; async: asyncio 3×1 = 3 from the answer.
    let l = one(
        q(
            1,
            None,
            "What is the syntax of a lambda?",
            "Unlike asyncio, nothing.",
        ),
        &Overrides::default(),
    );
    assert_eq!(l.domain, "core");
    assert_eq!(l.domain_basis, "rule: syntax (syntax)");
    assert_eq!(l.difficulty, Difficulty::Easy);
    assert_eq!(l.difficulty_basis, "rule: definition (^what is)");
    // The same words only in the answer lose to the question's.
    let l = one(
        q(2, None, "Explain await", "The syntax of a keyword."),
        &Overrides::default(),
    );
    assert_eq!(l.domain, "async");
}

#[test]
fn rule_scores_add_up_across_rules() {
    // async: threads 1×3 + 1×1 = 4; core: scope 3×1 = 3 (answer only).
    let l = one(
        q(1, None, "When do threads help?", "Scope of threading."),
        &Overrides::default(),
    );
    assert_eq!(l.domain, "async");
}

#[test]
fn ties_go_to_the_domain_listed_first() {
    // core: names 3×3 = 9; async: asyncio 3×3 = 9.
    let l = one(q(1, None, "scope and await", ""), &Overrides::default());
    assert_eq!(l.domain, "core", "{l:?}");
    // Difficulty ties go to the level listed first (medium before hard).
    let t = taxonomy();
    let mut t2 = t.clone();
    t2.levels[2].rules[0].weight = 2;
    let l = classify(
        vec![q(1, None, "Compare what happens internally", "")],
        &strip(t2),
        &Overrides::default(),
    )
    .unwrap()
    .remove(0)
    .labels;
    assert_eq!(l.difficulty, Difficulty::Medium, "{l:?}");
    let l = classify(
        vec![q(1, None, "Compare what happens internally", "")],
        &strip(t),
        &Overrides::default(),
    )
    .unwrap()
    .remove(0)
    .labels;
    assert_eq!(l.difficulty, Difficulty::Hard, "{l:?}");
}

/// The test taxonomy with its domain tally replaced.
fn with_domain_tally(tally: &str) -> Taxonomy {
    let text = TAXONOMY.replace(
        "domains: {combine: sum, terms: 1}",
        &format!("domains: {tally}"),
    );
    strip(parse_taxonomy(Path::new("taxonomy.yaml"), &text).unwrap())
}

fn domain_of(t: &Taxonomy, question: &str, answer: &str) -> String {
    classify(vec![q(1, None, question, answer)], t, &Overrides::default())
        .unwrap()
        .remove(0)
        .labels
        .domain
}

#[test]
fn a_second_question_term_counts_only_up_to_the_cap() {
    // core: scope 3×3 = 9; async: `event loop` and `await` are two terms.
    let one_term = with_domain_tally("{combine: sum, terms: 1}");
    assert_eq!(
        domain_of(&one_term, "scope and the event loop await", ""),
        "core"
    );
    let two_terms = with_domain_tally("{combine: sum, terms: 2}");
    assert_eq!(
        domain_of(&two_terms, "scope and the event loop await", ""),
        "async"
    );
}

#[test]
fn max_combine_counts_only_the_strongest_rule() {
    // async: asyncio 9 + threads 3 when summed; core: scope 9.
    let sum = with_domain_tally("{combine: sum, terms: 1}");
    assert_eq!(domain_of(&sum, "scope, await and threads", ""), "async");
    let max = with_domain_tally("{combine: max, terms: 1}");
    assert_eq!(domain_of(&max, "scope, await and threads", ""), "core");
}

#[test]
fn the_answer_counts_once_per_label() {
    // Answer only: async has asyncio (3) and threads (1), core has scope (3).
    // Summed, async would win 4 to 3; counted once, it is a 3–3 tie and the
    // first-listed domain wins.
    let t = with_domain_tally("{combine: sum, terms: 2}");
    assert_eq!(
        domain_of(&t, "Tell me more.", "scope, await, threads"),
        "core"
    );
    assert_eq!(domain_of(&t, "Tell me more.", "await, threads"), "async");
}

#[test]
fn precedence_is_override_then_section_then_rule() {
    let question = q(3, Some("Asyncio"), "What is the syntax of await?", "");
    // Rule alone would say core (syntax, but await is also async): the section decides.
    let l = one(question.clone(), &Overrides::default());
    assert_eq!(l.domain, "async");
    assert_eq!(l.domain_basis, "section: Asyncio");
    let o = overrides(
        "overrides:\n  - ref: guide#3\n    domain: core\n    reason: it is about syntax\n",
    );
    let l = one(question.clone(), &o);
    assert_eq!(l.domain, "core");
    assert_eq!(l.domain_basis, "override: it is about syntax");
    // The override sets no difficulty, so the rules still decide it.
    assert_eq!(l.difficulty, Difficulty::Easy);
    assert_eq!(l.difficulty_basis, "rule: definition (^what is)");
}

#[test]
fn sections_give_difficulty_and_broad_sections_defer_to_rules() {
    let l = one(
        q(4, Some("Advanced"), "What is scope?", ""),
        &Overrides::default(),
    );
    assert_eq!(l.difficulty, Difficulty::Hard);
    assert_eq!(l.difficulty_basis, "section: Advanced");
    assert_eq!(l.domain, "core");
    assert_eq!(l.domain_basis, "rule: names (scope)");
    let l = one(
        q(5, Some("Trivia"), "Why await?", ""),
        &Overrides::default(),
    );
    assert_eq!(l.domain_basis, "rule: asyncio (await)");
    let o = overrides(
        "overrides:\n  - ref: guide#4\n    difficulty: easy\n    reason: a one-line definition\n",
    );
    let l = one(q(4, Some("Advanced"), "What is scope?", ""), &o);
    assert_eq!(l.difficulty, Difficulty::Easy);
    assert_eq!(l.difficulty_basis, "override: a one-line definition");
}

#[test]
fn sections_of_another_source_do_not_apply() {
    let mut question = q(6, Some("Asyncio"), "What is scope?", "");
    question.reference = Ref::new("other", 6);
    let l = one(question, &Overrides::default());
    assert_eq!(l.domain, "core");
}

#[test]
fn nothing_matching_falls_back_and_says_so() {
    let l = one(
        q(7, None, "Tell me about yourself.", ""),
        &Overrides::default(),
    );
    assert_eq!(l.domain, "core");
    assert_eq!(l.domain_basis, "fallback: no domain rule matched");
    assert_eq!(l.difficulty_basis, "fallback: no difficulty rule matched");
}

#[test]
fn override_with_unknown_domain_is_an_error_at_its_line() {
    let o = overrides("overrides:\n  - ref: guide#1\n    reason: x\n    domain: asynk\n");
    let e = classify(vec![q(1, None, "Q", "")], &taxonomy(), &o).unwrap_err();
    assert_eq!(e.pos, Pos::new("overrides.yaml", 4, 0));
    assert_eq!(e.hint.as_deref(), Some("did you mean `async`?"), "{e}");
}

#[test]
fn override_with_unknown_reference_is_an_error_at_its_line() {
    let o = overrides(
        "overrides:\n  - ref: guide#1\n    domain: core\n    reason: x\n  - ref: guide#9\n    domain: core\n    reason: y\n",
    );
    let e = classify(vec![q(1, None, "Q", "")], &taxonomy(), &o).unwrap_err();
    assert_eq!(e.pos, Pos::new("overrides.yaml", 5, 0));
    assert!(e.message.contains("guide#9"), "{e}");
}

#[test]
fn override_with_unknown_level_is_an_error_with_hint() {
    let e = parse_overrides(
        Path::new("o.yaml"),
        "overrides:\n  - ref: guide#1\n    difficulty: medum\n    reason: x\n",
    )
    .unwrap_err();
    assert_eq!(e.pos, Pos::new("o.yaml", 3, 0));
    assert_eq!(e.hint.as_deref(), Some("did you mean `medium`?"));
}

#[test]
fn malformed_overrides_are_errors_at_their_line() {
    let cases = [
        ("overrides:\n  - ref: guide#1\n    domain: core\n    reason: ''\n", 2, "reason"),
        ("overrides:\n  - ref: guide#1\n    reason: x\n", 2, "neither"),
        (
            "overrides:\n  - ref: guide#1\n    domain: core\n    reason: x\n  - ref: guide#1\n    domain: core\n    reason: y\n",
            5,
            "already overridden at line 2",
        ),
        ("overrides:\n  - ref: guide#01\n    domain: core\n    reason: x\n", 2, "not a reference"),
    ];
    for (text, line, needle) in cases {
        let e = parse_overrides(Path::new("o.yaml"), text).unwrap_err();
        assert_eq!(e.pos.line, line, "{e}");
        assert!(e.message.contains(needle), "{e}");
    }
    let e = parse_overrides(
        Path::new("o.yaml"),
        "overrides:\n  - ref: guide#1\n    domian: core\n    reason: x\n",
    )
    .unwrap_err();
    assert_eq!(e.pos.line, 3);
    assert_eq!(e.hint.as_deref(), Some("did you mean `domain`?"));
}

#[test]
fn a_section_mapping_that_matches_nothing_is_an_error() {
    let t = parse_taxonomy(
        Path::new("taxonomy.yaml"),
        &TAXONOMY.replace("section: Asyncio", "section: Asyncoi"),
    )
    .unwrap();
    let e = classify(
        vec![q(1, Some("Asyncio"), "Q", "")],
        &t,
        &Overrides::default(),
    )
    .unwrap_err();
    assert_eq!(e.pos, Pos::new("taxonomy.yaml", 54, 0));
    assert_eq!(e.hint.as_deref(), Some("did you mean `Asyncio`?"), "{e}");
}

mod project_files {
    //! The shipped `content/taxonomy.yaml` and `content/overrides.yaml`.
    use super::*;

    const PROJECT_TAXONOMY: &str = include_str!("../../content/taxonomy.yaml");
    const PROJECT_OVERRIDES: &str = include_str!("../../content/overrides.yaml");

    fn project() -> Taxonomy {
        parse_taxonomy(Path::new("content/taxonomy.yaml"), PROJECT_TAXONOMY).unwrap()
    }

    #[test]
    fn taxonomy_parses_with_ten_to_fourteen_domains_that_all_have_rules() {
        let t = project();
        assert!((10..=14).contains(&t.domains.len()), "{}", t.domains.len());
        for d in &t.domains {
            assert!(!d.rules.is_empty(), "{} has no rules", d.slug);
        }
        for l in &t.levels {
            assert!(!l.rules.is_empty(), "{} has no rules", l.level);
        }
    }

    #[test]
    fn guide_sections_map_as_the_guides_intend() {
        let t = project();
        let m = |s: &str, sec: &str| {
            t.section(s, sec)
                .unwrap_or_else(|| panic!("{s} / {sec} unmapped"))
        };
        assert_eq!(
            m("deep-dive", "Python Medium Level Questions").difficulty,
            Some(Difficulty::Medium)
        );
        assert_eq!(
            m("deep-dive", "Python Advanced Level Questions").difficulty,
            Some(Difficulty::Hard)
        );
        assert_eq!(
            m("deep-dive", "Asyncio & Concurrency").domain.as_deref(),
            Some("concurrency")
        );
        assert_eq!(
            m("study-guide", "Testing & Quality").domain.as_deref(),
            Some("testing")
        );
        assert_eq!(
            t.sections
                .iter()
                .filter(|s| s.source == "study-guide")
                .count(),
            7
        );
        assert_eq!(
            t.sections
                .iter()
                .filter(|s| s.source == "deep-dive")
                .count(),
            9
        );
    }

    #[test]
    fn overrides_parse_and_name_known_domains() {
        let t = project();
        let o = parse_overrides(Path::new("content/overrides.yaml"), PROJECT_OVERRIDES).unwrap();
        for e in &o.entries {
            if let Some(d) = &e.domain {
                assert!(t.domain(d).is_some(), "line {}: {d}", e.line);
            }
        }
    }

    #[test]
    fn rules_label_typical_questions_as_a_reviewer_would() {
        let t = project();
        let cases = [
            ("How does asyncio event loop function?", "concurrency"),
            ("What is a wheel file?", "packaging"),
            ("Why prefer pytest fixtures?", "testing"),
            ("What are metaclasses?", "oop"),
            ("Explain typing.TypedDict.", "typing"),
            ("How to connect to databases?", "data"),
            ("Explain closures.", "functions"),
            ("Explain containerizing Python apps.", "devops"),
        ];
        for (i, (text, want)) in cases.into_iter().enumerate() {
            let question = Question::new(Ref::new("x", i as u32 + 1), 1, text);
            let l = classify(vec![question], &t, &Overrides::default())
                .unwrap()
                .remove(0)
                .labels;
            assert_eq!(l.domain, want, "{text}: {}", l.domain_basis);
        }
    }
}
