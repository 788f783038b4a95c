use super::*;
use crate::model::{Authored, Difficulty, Labels, Origin, Question};
use std::path::Path;

fn item(r: &str, q: &str, a: &str) -> Labelled {
    let reference = Ref::parse(r).unwrap();
    let mut question = Question::new(reference, 1, q);
    question.answer = a.into();
    Labelled {
        question,
        labels: Labels {
            domain: format!("domain-of-{r}"),
            domain_basis: "section: Core".into(),
            difficulty: Difficulty::Medium,
            difficulty_basis: "rule: default".into(),
        },
    }
}

fn authored(r: &str, q: &str, a: &str) -> Labelled {
    let mut l = item(r, q, "");
    l.question.authored = Some(Authored {
        origin: Origin::Authored,
        answer: a.into(),
        details: None,
        context_fix: None,
        printed_question: None,
    });
    l
}

fn priority() -> Curation {
    Curation {
        source_priority: ["study-guide", "top-200", "scenarios", "deep-dive", "top-50"]
            .map(String::from)
            .to_vec(),
        ..Curation::default()
    }
}

fn synthetic() -> Vec<Labelled> {
    vec![
        item(
            "scenarios#5",
            "What is the GIL and why does it matter in real systems?",
            "- The Global Interpreter Lock allows only one thread to execute Python bytecode at a time per process.\n- CPU-bound threads do not scale; use processes.",
        ),
        item(
            "deep-dive#22",
            "GIL (Global Interpreter Lock) — The Most Misunderstood Thing in Python",
            "The GIL is a mutex in CPython that lets only one thread execute bytecode at a time. I/O-bound threads release the GIL while waiting; CPU-bound work needs multiprocessing or native extensions that release the GIL. Reference counting is why it exists.",
        ),
        item(
            "top-200#121",
            "Describe the Global Interpreter Lock (GIL).",
            "- Mutex ensuring one thread executes Python bytecode at a time.\n- Simplifies memory management (reference counting).\n- Limits CPU-bound threads; I/O-bound threads release it.",
        ),
        item(
            "deep-dive#66",
            "The GIL-Free Future: Python 3.13+ Free-Threading",
            "PEP 703 makes the GIL optional: a free-threaded build (python3.13t) runs threads in parallel. Extensions must opt in; single-thread code is slower.",
        ),
        item("top-200#51", "How to implement function decorators?", "- Define a wrapper function that calls the original.\n- Use functools.wraps to keep metadata.\n- Apply with @decorator syntax."),
        item("top-200#52", "Explain decorator order when stacking.", "- Decorators apply bottom-up: the one nearest the function wraps first.\n- Calls run top-down through the wrappers."),
        item("deep-dive#5", "Decorators — From Basics to Production Patterns", "A decorator is a function that takes a function and returns a wrapper. Use functools.wraps to keep the name and docstring. Production patterns: retry, timing, caching."),
        item("top-200#13", "What is the difference between == and is?", "- `==` invokes `__eq__` for value equality.\n- `is` checks object identity.\n- Use `is` for singletons like None."),
        item("deep-dive#44", "`is` vs `==` — Identity vs Equality", "`is` compares identity (same object); `==` compares values via `__eq__`. Compare to None with `is`. Small int caching makes `is` look like it works on integers."),
        item("deep-dive#55", "Regular Expressions — Pattern Matching in Python", "The re module: re.compile, re.search, re.match, groups, raw strings for backslashes."),
        item("deep-dive#67", "Pattern Matching (match/case) — Python 3.10+", "Structural pattern matching with match/case destructures sequences, mappings and class patterns; guards with if."),
        authored("top-50#9", "How does CPython handle list growth (amortized complexity) to ensure O(1) appends?", "Lists over-allocate: when full, CPython grows the array by about 12.5% so appends are amortized O(1) despite occasional reallocation and copying."),
        authored("top-50#33", "Analyze the memory growth algorithm of Python lists. Why is `append()` considered an amortized $O(1)$ operation despite occasionally triggering a full memory reallocation?", "CPython over-allocates the list's array in proportion to its size, so most appends write into spare capacity; the rare reallocation copies everything, and amortized over appends the cost is O(1)."),
        authored("top-50#25", "Analyze the performance of collections.deque versus a standard list for implementing a FIFO (First-In-First-Out) queue. Why is list.pop(0) considered an anti-pattern in production?", "list.pop(0) shifts every element: O(n). collections.deque has O(1) popleft and append at both ends, so use deque for FIFO queues."),
    ]
}

fn cluster_of(clusters: &[Cluster]) -> BTreeMap<String, String> {
    clusters
        .iter()
        .flat_map(|c| {
            c.members
                .iter()
                .map(move |m| (m.question.reference.to_string(), c.id.clone()))
        })
        .collect()
}

fn together(map: &BTreeMap<String, String>, a: &str, b: &str) -> bool {
    map.get(a).is_some() && map.get(a) == map.get(b)
}

#[test]
fn merges_duplicates_and_keeps_near_misses_apart() {
    let clusters = dedup(synthetic(), &priority()).unwrap();
    let map = cluster_of(&clusters);
    assert!(together(&map, "scenarios#5", "deep-dive#22"));
    assert!(together(&map, "scenarios#5", "top-200#121"));
    assert!(together(&map, "top-200#13", "deep-dive#44"));
    assert!(
        !together(&map, "deep-dive#22", "deep-dive#66"),
        "GIL vs free-threading"
    );
    assert!(
        !together(&map, "top-200#51", "top-200#52"),
        "decorators vs stacking order"
    );
    assert!(
        !together(&map, "deep-dive#5", "top-200#52"),
        "decorators vs stacking order"
    );
    assert!(
        !together(&map, "deep-dive#55", "deep-dive#67"),
        "regex vs match/case"
    );
    assert!(
        !together(&map, "top-50#25", "top-50#9"),
        "deque FIFO vs list growth"
    );
    assert!(
        !together(&map, "top-50#25", "top-50#33"),
        "deque FIFO vs list growth"
    );
    // every source question is in exactly one cluster
    let total: usize = clusters.iter().map(|c| c.members.len()).sum();
    assert_eq!(total, synthetic().len());
}

#[test]
fn id_primary_labels_and_merge_follow_the_stated_rules() {
    let clusters = dedup(synthetic(), &priority()).unwrap();
    let gil = clusters
        .iter()
        .find(|c| {
            c.members
                .iter()
                .any(|m| m.question.reference == Ref::new("deep-dive", 22))
        })
        .unwrap();
    // id: smallest by (priority, number): top-200 ranks above scenarios and deep-dive
    assert_eq!(gil.id, "top-200#121");
    // primary: the longest guide answer
    assert_eq!(gil.members[0].question.reference, Ref::new("deep-dive", 22));
    assert_eq!(gil.members[0].labels.domain, "domain-of-deep-dive#22");
    assert_eq!(
        gil.members[0].labels.domain_basis,
        "merged: from deep-dive#22 (section: Core)"
    );
    let m = gil.merge.as_ref().unwrap();
    assert_eq!(m.basis, MergeBasis::Automatic);
    assert!(m.score >= f64::from(THRESHOLD) && m.score <= 1.0);
    // singletons carry no merge and keep their labels
    let single = clusters.iter().find(|c| c.id == "deep-dive#66").unwrap();
    assert!(single.merge.is_none());
    assert_eq!(single.members[0].labels.domain_basis, "section: Core");
}

#[test]
fn authored_answers_rank_below_guide_answers_for_primary() {
    let a = authored(
        "top-50#45",
        "Compare `functools.lru_cache` and `functools.cache`.",
        &"lru_cache bounds the cache with maxsize; cache is unbounded. ".repeat(10),
    );
    let b = item(
        "top-200#119",
        "How does functools.cache differ from lru_cache?",
        "- cache is lru_cache(maxsize=None): unbounded.",
    );
    let clusters = dedup(vec![a, b], &priority()).unwrap();
    assert_eq!(clusters.len(), 1, "{clusters:?}");
    assert_eq!(
        clusters[0].members[0].question.reference,
        Ref::new("top-200", 119)
    );
    assert_eq!(clusters[0].id, "top-200#119");
}

#[test]
fn output_does_not_depend_on_input_order() {
    let forward = dedup(synthetic(), &priority()).unwrap();
    let mut items = synthetic();
    items.reverse();
    items.rotate_left(5);
    assert_eq!(dedup(items, &priority()).unwrap(), forward);
}

#[test]
fn ids_survive_rewording_and_lower_priority_members() {
    let base = dedup(synthetic(), &priority()).unwrap();
    let mut reworded = synthetic();
    for l in &mut reworded {
        if l.question.reference == Ref::new("top-200", 13) {
            l.question.question = "How is `is` different from `==`?".into();
        }
    }
    reworded.push(authored(
        "top-50#50",
        "Compare `is` with `==` for identity and equality.",
        "`is` tests identity; `==` tests equality via __eq__.",
    ));
    let after = dedup(reworded, &priority()).unwrap();
    let find = |cs: &[Cluster]| {
        cs.iter()
            .find(|c| {
                c.members
                    .iter()
                    .any(|m| m.question.reference == Ref::new("deep-dive", 44))
            })
            .map(|c| c.id.clone())
    };
    assert_eq!(find(&base), Some("top-200#13".into()));
    assert_eq!(find(&after), Some("top-200#13".into()));
}

#[test]
fn no_chaining_through_a_middle_question() {
    // b is close to a and to c; a and c share little. b joins one side only.
    let items = vec![
        item(
            "x#1",
            "How does asyncio event loop scheduling work?",
            "The event loop runs ready callbacks and polls selectors.",
        ),
        item(
            "x#2",
            "How does the asyncio event loop schedule tasks and futures?",
            "The event loop runs ready callbacks; tasks wrap coroutines; futures hold results.",
        ),
        item(
            "x#3",
            "What are asyncio tasks and futures?",
            "Tasks wrap coroutines and schedule them; futures hold results set later.",
        ),
    ];
    let corpus = Corpus::new(
        &items
            .iter()
            .map(|l| Text {
                question: &l.question.question,
                answer: &l.question.answer,
            })
            .collect::<Vec<_>>(),
    );
    let clusters = dedup(items, &Curation::default()).unwrap();
    for c in &clusters {
        let idx: Vec<usize> = c
            .members
            .iter()
            .map(|m| m.question.reference.number as usize - 1)
            .collect();
        for &m in &idx[1..] {
            assert!(corpus.score(m, idx[0]) >= THRESHOLD, "{:?}", c.id);
        }
    }
    let a_c_score = corpus.score(0, 2);
    if a_c_score < THRESHOLD {
        let map = cluster_of(&clusters);
        assert!(!together(&map, "x#1", "x#3"));
    }
}

#[test]
fn curation_forces_and_forbids() {
    let text = "\
source_priority: [study-guide, top-200, scenarios, deep-dive, top-50]
merge:
  - refs: [top-200#52, deep-dive#67]
    reason: test only
keep_apart:
  - refs: [top-200#13, deep-dive#44]
    reason: test only
";
    let c = parse_curation(Path::new("dedup.yaml"), text).unwrap();
    let clusters = dedup(synthetic(), &c).unwrap();
    let map = cluster_of(&clusters);
    assert!(together(&map, "top-200#52", "deep-dive#67"));
    assert!(!together(&map, "top-200#13", "deep-dive#44"));
    let forced = clusters.iter().find(|c| c.id == "top-200#52").unwrap();
    assert_eq!(forced.merge.as_ref().unwrap().basis, MergeBasis::Curated);
}

#[test]
fn unknown_reference_in_curation_is_an_error_at_its_line() {
    let text = "merge:\n  - refs: [top-200#13, deep-dive#44]\n    reason: a\n  - refs: [top-200#999, deep-dive#5]\n    reason: b\n";
    let c = parse_curation(Path::new("content/dedup.yaml"), text).unwrap();
    let e = dedup(synthetic(), &c).unwrap_err();
    assert_eq!(e.pos.file, Path::new("content/dedup.yaml"));
    assert_eq!(e.pos.line, 4);
    assert!(e.message.contains("top-200#999"), "{e}");
}

#[test]
fn empty_input_gives_no_clusters() {
    assert!(dedup(Vec::new(), &Curation::default()).unwrap().is_empty());
}

mod real;

#[test]
fn permute_moves_every_item_to_its_place() {
    // Every permutation of five items, and a few longer cycles.
    fn perms(n: usize) -> Vec<Vec<usize>> {
        if n == 0 {
            return vec![vec![]];
        }
        let mut out = Vec::new();
        for p in perms(n - 1) {
            for at in 0..=p.len() {
                let mut q = p.clone();
                q.insert(at, n - 1);
                out.push(q);
            }
        }
        out
    }
    let mut cases = perms(5);
    cases.push((1..100).chain([0]).collect());
    cases.push((0..100).rev().collect());
    for dest in cases {
        let items: Vec<String> = (0..dest.len()).map(|i| format!("item {i}")).collect();
        let mut want = vec![String::new(); items.len()];
        for (i, &d) in dest.iter().enumerate() {
            want[d] = items[i].clone();
        }
        let (mut got, mut d) = (items, dest.clone());
        permute(&mut got, &mut d);
        assert_eq!(got, want, "dest {dest:?}");
        assert!(d.iter().enumerate().all(|(i, &x)| i == x));
    }
}

#[test]
fn every_item_lands_in_exactly_one_cluster_in_member_order() {
    // Questions that merge pairwise, interleaved with ones that stand alone,
    // so that clusters take items from all over the input.
    let mut items = Vec::new();
    for n in 1..=6 {
        items.push(item(
            &format!("a#{n}"),
            &format!("What does functools.lru_cache{n} do?"),
            &format!("It memoizes calls by argument tuple {n}."),
        ));
        items.push(item(
            &format!("b#{n}"),
            &format!("How does asyncio task group {n} cancel?"),
            &format!("Cancelling one task cancels the rest of group {n}."),
        ));
        items.push(item(
            &format!("c#{n}"),
            &format!("What does functools.lru_cache{n} do?"),
            &format!("It memoizes calls by argument tuple {n}."),
        ));
    }
    let clusters = dedup(items.clone(), &Curation::default()).unwrap();
    let mut seen: Vec<String> = clusters
        .iter()
        .flat_map(|c| &c.members)
        .map(|m| m.question.reference.to_string())
        .collect();
    seen.sort();
    let mut all: Vec<String> = items
        .iter()
        .map(|i| i.question.reference.to_string())
        .collect();
    all.sort();
    assert_eq!(seen, all);
    for c in &clusters {
        if c.members[0]
            .question
            .reference
            .to_string()
            .starts_with("a#")
        {
            // Each `a` question merges with its `c` twin, the primary first.
            let refs: Vec<String> = c
                .members
                .iter()
                .map(|m| m.question.reference.to_string())
                .collect();
            let n = &refs[0][2..];
            assert_eq!(refs, [format!("a#{n}"), format!("c#{n}")]);
            // The member's own text came along, not another item's.
            assert!(c.members[1]
                .question
                .answer
                .ends_with(&format!("tuple {n}.")));
        }
    }
}
