//! Pair scoring and candidate generation. Each question becomes two sparse
//! vectors: its key terms (IDF-weighted; identifiers weigh more, generic
//! head words like "module" and the elaboration — a heading's tagline, the
//! sentences after the first, asides in parentheses — less) and its
//! answer's terms (log-TF × IDF). A pair's score is
//!
//! ```text
//! Q_WEIGHT · cos(questions) + A_WEIGHT · cos(answers)
//!   − UNCOVERED_PENALTY · min(uncovered(a→b), uncovered(b→a))
//!   − UNSHARED_PENALTY · max(unshared(a→b), unshared(b→a))
//!   − ANGLE_PENALTY if exactly one of them asks for a comparison
//! ```
//!
//! clamped to 0–1, and 0 when the questions' cosine is under `Q_MIN`. Both
//! penalties look at a question's *focus* only (its headline or first
//! sentence, see `terms::focus_parts`): `uncovered(a→b)` is the share of
//! `a`'s focus whose terms appear nowhere in `b`'s question or answer (a
//! concept `b` never mentions); `unshared(a→b)` the share not in `b`'s
//! question, where a term only `b`'s answer names counts `ANSWERED_SHARE`
//! (an angle `b` does not ask about: "decorators" vs "decorator order when
//! stacking"). A dotted name counts as present when its last part is
//! (`str.join`, `join`). Candidates come from an inverted index over
//! question terms; terms in more than `DF_CAP` questions are not indexed
//! (they still count in the score), so the work per question is bounded and
//! the whole pass is near-linear.

#[cfg(test)]
use super::terms::terms as terms_of;
use super::terms::{focus_parts, is_comparison, tail, terms_into, FxMap, TermList};

/// Weight of the question-term cosine in a pair's score.
pub const Q_WEIGHT: f32 = 0.8;
/// Weight of the answer-term cosine in a pair's score.
pub const A_WEIGHT: f32 = 0.2;
/// Penalty per unit of question weight the other side never mentions.
pub const UNCOVERED_PENALTY: f32 = 0.3;
/// Penalty per unit of question weight the other question does not share.
pub const UNSHARED_PENALTY: f32 = 0.2;
/// How much a focus term counts as unshared when the other question's
/// answer (not its question) mentions it.
const ANSWERED_SHARE: f32 = 0.3;
/// Penalty when one question asks for a comparison and the other does not.
pub const ANGLE_PENALTY: f32 = 0.2;
/// Terms in more questions than this are not used to find candidates.
pub const DF_CAP: usize = 64;
/// Below this question-term cosine a pair scores 0, whatever its answers
/// say: duplicates ask about the same named concept.
pub const Q_MIN: f32 = 0.25;
/// A question term that is a Python identifier counts this much more.
const IDENTIFIER_BOOST: f32 = 1.5;
/// A term from a question's elaboration (a heading's tagline, the sentences
/// after the first; see `split_focus`) counts this much.
const ELABORATION_WEIGHT: f32 = 0.4;
/// A generic word ("module", "class") counts this much.
const GENERIC_WEIGHT: f32 = 0.3;

/// A candidate pair `(i, j, score)`.
type Pair = (usize, usize, f32);

/// A sparse vector: (term id, weight), sorted by term id, unit length.
type Sparse = Vec<(u32, f32)>;

/// The text of one question the scorer needs.
#[derive(Debug, Clone, Copy)]
pub struct Text<'a> {
    pub question: &'a str,
    pub answer: &'a str,
}

/// One question's part of a `Corpus`, made on any core.
struct PerQuestion {
    question: Sparse,
    answer: Sparse,
    focus: (Sparse, f32),
    /// The unindexed part of `question`, its length and its buckets.
    unindexed: (Vec<(u32, f32)>, Unindexed),
    vocabulary: Vec<u32>,
}

/// Every question's vectors, ready to score pairs.
#[derive(Debug, Default)]
pub struct Corpus {
    questions: Vec<Sparse>,
    answers: Vec<Sparse>,
    /// Per question: the terms of its focus with their weights in
    /// `questions`, and the sum of their squared weights.
    focus: Vec<(Sparse, f32)>,
    /// Per question: whether it asks for a comparison (`is_comparison`).
    comparison: Vec<bool>,
    /// Per term: the term of its last part if it is a dotted name.
    tail_of: Vec<Option<u32>>,
    /// Per question: the length of its vector's part that is not indexed,
    /// and the buckets its terms fall in (`Unindexed`).
    unindexed: Vec<Unindexed>,
    /// Per question: that part itself (the terms in more than `DF_CAP`
    /// questions), all in one array sliced by question
    /// (`unindexed_at[i]..unindexed_at[i + 1]`), so that checking many pairs
    /// reads memory in order.
    unindexed_at: Vec<usize>,
    unindexed_terms: Vec<(u32, f32)>,
    /// Per question: every term of its question and answer, sorted.
    vocabulary: Vec<Vec<u32>>,
}

impl Corpus {
    pub fn new(texts: &[Text<'_>]) -> Corpus {
        let (vocab, texts_ids, tails) = intern(texts);
        // Per text, with the corpus's ids: weights, focus and answer terms.
        let per_text = crate::par::map(texts_ids, |t: TextIds| {
            let mut q: Vec<(u32, f32)> = Vec::with_capacity(t.head.len() + t.elaboration.len());
            let mut f: Vec<u32> = Vec::with_capacity(t.head.len());
            for (in_focus, found, w) in [
                (true, &t.head, 1.0),
                (false, &t.elaboration, ELABORATION_WEIGHT),
            ] {
                // A focus of generic words only ("Protocol Classes") is about them.
                let all_generic = in_focus && found.iter().all(|t| t.generic);
                for term in found {
                    let w = if term.generic && !all_generic {
                        w * GENERIC_WEIGHT
                    } else if term.identifier {
                        w * IDENTIFIER_BOOST
                    } else {
                        w
                    };
                    if in_focus {
                        f.push(term.id);
                    }
                    q.push((term.id, w));
                }
            }
            f.sort_unstable();
            f.dedup();
            let mut a = t.answer;
            (t.comparison, f, max_by_term(&mut q), log_tf(&mut a))
        });
        let mut q_raw: Vec<Vec<(u32, f32)>> = Vec::with_capacity(texts.len());
        let mut a_raw: Vec<Vec<(u32, f32)>> = Vec::with_capacity(texts.len());
        let mut focus_ids: Vec<Vec<u32>> = Vec::with_capacity(texts.len());
        let mut comparison = Vec::with_capacity(texts.len());
        for (c, f, q, a) in per_text {
            comparison.push(c);
            focus_ids.push(f);
            q_raw.push(q);
            a_raw.push(a);
        }
        let n = vocab.len();
        let mut tail_of: Vec<Option<u32>> = vec![None; n];
        for (t, last) in tails {
            if let (Some(slot), Some(&l)) = (tail_of.get_mut(t as usize), vocab.get(&last)) {
                *slot = Some(l);
            }
        }
        drop(vocab);
        let q_idf = idf(&q_raw, n);
        let a_idf = idf(&a_raw, n);
        let mut df = vec![0usize; n];
        for v in &q_raw {
            for &(t, _) in v {
                if let Some(d) = df.get_mut(t as usize) {
                    *d += 1;
                }
            }
        }
        // The rest is per question: on every core, in order.
        let per_question = crate::par::map(
            q_raw.into_iter().zip(a_raw).zip(focus_ids).collect(),
            |((q, a), f): ((Sparse, Sparse), Vec<u32>)| {
                let mut all: Vec<u32> = q.iter().chain(&a).map(|&(t, _)| t).collect();
                all.sort_unstable();
                all.dedup();
                let q = weigh(q, &q_idf);
                let focus: Sparse = q
                    .iter()
                    .copied()
                    .filter(|(t, _)| f.binary_search(t).is_ok())
                    .collect();
                let total = focus.iter().map(|(_, w)| w * w).sum();
                let part: Vec<(u32, f32)> = q
                    .iter()
                    .copied()
                    .filter(|(t, _)| df.get(*t as usize).is_none_or(|&d| d > DF_CAP))
                    .collect();
                let summary = Unindexed::of(&part);
                PerQuestion {
                    question: q,
                    answer: weigh(a, &a_idf),
                    focus: (focus, total),
                    unindexed: (part, summary),
                    vocabulary: all,
                }
            },
        );
        let len = per_question.len();
        let mut corpus = Corpus {
            questions: Vec::with_capacity(len),
            answers: Vec::with_capacity(len),
            focus: Vec::with_capacity(len),
            comparison,
            tail_of,
            unindexed: Vec::with_capacity(len),
            unindexed_at: Vec::with_capacity(len + 1),
            unindexed_terms: Vec::new(),
            vocabulary: Vec::with_capacity(len),
        };
        corpus.unindexed_at.push(0);
        for p in per_question {
            corpus.questions.push(p.question);
            corpus.answers.push(p.answer);
            corpus.focus.push(p.focus);
            corpus.unindexed_terms.extend(p.unindexed.0);
            corpus.unindexed_at.push(corpus.unindexed_terms.len());
            corpus.unindexed.push(p.unindexed.1);
            corpus.vocabulary.push(p.vocabulary);
        }
        corpus
    }

    pub fn len(&self) -> usize {
        self.questions.len()
    }

    pub fn is_empty(&self) -> bool {
        self.questions.is_empty()
    }

    /// The share of `i`'s focus (by squared weight) whose terms appear
    /// nowhere in `j`'s question or answer: a concept `j` does not cover.
    /// A dotted name counts as present when its last part is (`str.join`
    /// and `join`).
    pub fn uncovered(&self, i: usize, j: usize) -> f32 {
        let (Some((f, total)), Some(other)) = (self.focus.get(i), self.vocabulary.get(j)) else {
            return 1.0;
        };
        share(f, *total, |t| {
            if self.present(t, |u| other.binary_search(&u).is_ok()) {
                0.0
            } else {
                1.0
            }
        })
    }

    /// The share of `i`'s focus (by squared weight) whose terms are not in
    /// `j`'s question; a term only `j`'s answer mentions counts `ANSWERED_SHARE`.
    pub fn unshared(&self, i: usize, j: usize) -> f32 {
        let (Some((f, total)), Some(q), Some(all)) = (
            self.focus.get(i),
            self.questions.get(j),
            self.vocabulary.get(j),
        ) else {
            return 1.0;
        };
        share(f, *total, |t| {
            if self.present(t, |u| q.binary_search_by_key(&u, |&(v, _)| v).is_ok()) {
                0.0
            } else if self.present(t, |u| all.binary_search(&u).is_ok()) {
                ANSWERED_SHARE
            } else {
                1.0
            }
        })
    }

    /// Whether term `t` (or, for a dotted name, its last part) passes `has`.
    fn present(&self, t: u32, has: impl Fn(u32) -> bool) -> bool {
        has(t)
            || self
                .tail_of
                .get(t as usize)
                .copied()
                .flatten()
                .is_some_and(has)
    }

    /// Whether exactly one of `i` and `j` asks for a comparison.
    pub fn angles_differ(&self, i: usize, j: usize) -> bool {
        self.comparison.get(i) != self.comparison.get(j)
    }

    /// The question and answer cosines of `i` and `j`, for diagnostics.
    pub fn parts(&self, i: usize, j: usize) -> (f32, f32) {
        let q = match (self.questions.get(i), self.questions.get(j)) {
            (Some(a), Some(b)) => dot(a, b),
            _ => 0.0,
        };
        let a = match (self.answers.get(i), self.answers.get(j)) {
            (Some(a), Some(b)) => dot(a, b),
            _ => 0.0,
        };
        (q, a)
    }

    /// The score of questions `i` and `j` (0–1); 0 for an index out of range.
    pub fn score(&self, i: usize, j: usize) -> f32 {
        self.score_reaching(i, j, 0.0).unwrap_or(0.0)
    }

    /// The score of `i` and `j` if it reaches `threshold`, or `None`; the
    /// penalties' work is skipped when the cosines alone fall short (the
    /// penalties only lower the score). `score_reaching(i, j, 0.0)` is the
    /// score.
    fn score_reaching(&self, i: usize, j: usize, threshold: f32) -> Option<f32> {
        let q = match (self.questions.get(i), self.questions.get(j)) {
            (Some(a), Some(b)) => dot(a, b),
            _ => return None,
        };
        if q < Q_MIN || Q_WEIGHT * q + A_WEIGHT < threshold {
            return None;
        }
        let a = match (self.answers.get(i), self.answers.get(j)) {
            (Some(a), Some(b)) => dot(a, b),
            _ => 0.0,
        };
        if Q_WEIGHT * q + A_WEIGHT * a < threshold {
            return None;
        }
        let uncovered = self.uncovered(i, j).min(self.uncovered(j, i));
        let unshared = self.unshared(i, j).max(self.unshared(j, i));
        let angle = if self.angles_differ(i, j) {
            ANGLE_PENALTY
        } else {
            0.0
        };
        Some(
            (Q_WEIGHT * q + A_WEIGHT * a
                - UNCOVERED_PENALTY * uncovered
                - UNSHARED_PENALTY * unshared
                - angle)
                .clamp(0.0, 1.0),
        )
        .filter(|&s| s >= threshold)
    }

    /// Every pair `(i, j, score)` with `i < j` and score ≥ `threshold` that
    /// shares an indexed question term, sorted by `(i, j)`.
    pub fn candidates(&self, threshold: f32) -> Vec<(usize, usize, f32)> {
        self.candidates_with(threshold, true).0
    }

    /// `candidates`, with or without the cosine check before scoring
    /// (`cosine_may_reach`), and how many pairs that check turned away.
    fn candidates_with(&self, threshold: f32, check: bool) -> (Vec<Pair>, usize) {
        // Postings of the terms in at most DF_CAP questions, as one array
        // sliced by term (`start[t]..start[t + 1]`).
        let terms = self.tail_of.len();
        let mut start = vec![0usize; terms + 1];
        for v in &self.questions {
            for &(t, _) in v {
                if let Some(c) = start.get_mut(t as usize + 1) {
                    *c += 1;
                }
            }
        }
        let rare = self.rare_postings(&start);
        for c in start.iter_mut() {
            if *c > DF_CAP {
                *c = 0;
            }
        }
        for k in 1..start.len() {
            start[k] += start[k - 1];
        }
        let mut fill = start.clone();
        let mut entries: Vec<(u32, f32)> = vec![(0, 0.0); start.last().copied().unwrap_or(0)];
        for (i, v) in self.questions.iter().enumerate() {
            for &(t, w) in v {
                let t = t as usize;
                if start.get(t) == start.get(t + 1) {
                    continue;
                }
                if let Some(slot) = fill.get_mut(t) {
                    if let Some(x) = entries.get_mut(*slot) {
                        *x = (i as u32, w);
                    }
                    *slot += 1;
                }
            }
        }
        let postings = |t: u32| -> Option<&[(u32, f32)]> {
            let (a, b) = (*start.get(t as usize)?, *start.get(t as usize + 1)?);
            entries.get(a..b).filter(|p| !p.is_empty())
        };
        // Each question's pairs with the later ones, on every core; a
        // worker keeps its own accumulator (one slot per question).
        let mut found: Vec<(usize, Vec<Pair>, usize)> =
            (0..self.len()).map(|i| (i, Vec::new(), 0)).collect();
        let n = self.len();
        crate::par::for_each_mut(
            &mut found,
            || (vec![0.0f32; n], Vec::<u32>::new(), vec![0.0f32; terms]),
            |(acc, touched, spread), (i, out, skipped)| {
                let i = *i;
                let Some(v) = self.questions.get(i) else {
                    return;
                };
                // `i`'s unindexed part spread out by term, so that its dot
                // product with another's is a gather (`Spread::dot`).
                let mine = Spread::new(spread, self.unindexed_part(i));
                for &(t, w) in v {
                    let Some(p) = postings(t) else { continue };
                    // Each posting is sorted by question: the later ones.
                    let later = p.get(p.partition_point(|&(j, _)| j as usize <= i)..);
                    for &(j, wj) in later.unwrap_or(&[]) {
                        if let Some(slot) = acc.get_mut(j as usize) {
                            if *slot == 0.0 {
                                touched.push(j);
                            }
                            *slot += w * wj;
                        }
                    }
                }
                // The indexed terms give part of the question cosine. The
                // unindexed parts share terms only in buckets both have, so
                // they add at most the length of `i`'s part in those buckets
                // times the length of `j`'s part, and nothing when they have
                // no bucket in common.
                let in_bucket = BucketWeights::of(self.unindexed_part(i));
                let mask = self.unindexed.get(i).map_or(0, |u| u.buckets);
                for &j in touched.iter() {
                    let j = j as usize;
                    let partial = acc.get(j).copied().unwrap_or(0.0);
                    if let Some(slot) = acc.get_mut(j) {
                        *slot = 0.0;
                    }
                    let Some(uj) = self.unindexed.get(j) else {
                        continue;
                    };
                    let common = mask & uj.buckets;
                    // The cosine itself: the indexed part plus the dot
                    // product of the unindexed parts, which is 0 (and not
                    // computed) when they have no bucket in common.
                    let udot = if common == 0 {
                        0.0
                    } else {
                        let bound = in_bucket.length_in(common) * uj.length;
                        if !cosine_may_reach(partial + bound, threshold) {
                            continue;
                        }
                        mine.dot(self.unindexed_part(j))
                    };
                    if check && !cosine_may_reach(partial + udot, threshold) {
                        *skipped += 1;
                        continue;
                    }
                    out.extend(self.score_reaching(i, j, threshold).map(|s| (i, j, s)));
                }
                touched.clear();
                // Met in posting order: sorted here, where there are far
                // fewer of them.
                out.sort_unstable_by_key(|&(_, j, _)| j);
                // A question with no indexed term meets the others like it
                // through its rarest terms; no indexed term is shared, so the
                // bound is the whole product of the lengths (1), and each pair
                // is scored.
                for &t in rare.terms.get(i).map_or(&[][..], Vec::as_slice) {
                    let Some(p) = rare.postings(t) else { continue };
                    touched.extend(p.iter().copied().filter(|&j| j as usize > i));
                }
                touched.sort_unstable();
                touched.dedup();
                for &j in touched.iter() {
                    let j = j as usize;
                    // All of `i`'s terms are unindexed: this is the cosine.
                    if check && !cosine_may_reach(mine.dot(self.unindexed_part(j)), threshold) {
                        *skipped += 1;
                        continue;
                    }
                    out.extend(self.score_reaching(i, j, threshold).map(|s| (i, j, s)));
                }
                touched.clear();
            },
        );
        // In `(i, j)` order: by question, and each question's pairs come from
        // one of the two indexes only (a question with an indexed term is in
        // no rare posting), each sorted by `j`.
        let skipped = found.iter().map(|f| f.2).sum();
        (found.into_iter().flat_map(|(_, f, _)| f).collect(), skipped)
    }

    /// The part of `k`'s question vector that is not indexed.
    fn unindexed_part(&self, k: usize) -> &[(u32, f32)] {
        let (a, b) = (self.unindexed_at.get(k), self.unindexed_at.get(k + 1));
        match (a, b) {
            (Some(&a), Some(&b)) => self.unindexed_terms.get(a..b).unwrap_or(&[]),
            _ => &[],
        }
    }

    /// The index of the questions none of whose terms is indexed (each in
    /// more than `DF_CAP` questions: "What is the GIL?" in a large corpus).
    /// Without it they could never be candidates, and the duplicates among
    /// them would be missed more often the larger the corpus: each is listed
    /// under its `RAREST` least frequent terms, for the others like it. A
    /// term listed for more than `RARE_CAP` questions is dropped, which
    /// bounds the pairs scored. `df[t + 1]` is term `t`'s question count.
    fn rare_postings(&self, df: &[usize]) -> RarePostings {
        let count = |t: u32| df.get(t as usize + 1).copied().unwrap_or(0);
        let mut terms: Vec<Vec<u32>> = vec![Vec::new(); self.questions.len()];
        let mut listed: Vec<(u32, u32)> = Vec::new();
        for (i, v) in self.questions.iter().enumerate() {
            if v.is_empty() || v.iter().any(|&(t, _)| count(t) <= DF_CAP) {
                continue;
            }
            let mut by_rarity: Vec<u32> = v.iter().map(|&(t, _)| t).collect();
            by_rarity.sort_unstable_by_key(|&t| (count(t), t));
            by_rarity.truncate(RAREST);
            listed.extend(by_rarity.iter().map(|&t| (t, i as u32)));
            terms[i] = by_rarity;
        }
        listed.sort_unstable();
        let mut postings: Vec<(u32, Vec<u32>)> = Vec::new();
        for &(t, i) in &listed {
            match postings.last_mut() {
                Some((last, qs)) if *last == t => qs.push(i),
                _ => postings.push((t, vec![i])),
            }
        }
        postings.retain(|(_, qs)| qs.len() <= RARE_CAP);
        RarePostings { terms, postings }
    }
}

/// Whether a pair whose question cosine is about `q` (summed in another
/// order than `Corpus::score_reaching` sums it, so off by a rounding error)
/// may reach `threshold`: `score_reaching` returns `None` for every pair this
/// rejects, as it needs `q ≥ Q_MIN` and `Q_WEIGHT * q + A_WEIGHT ≥
/// threshold`. `COSINE_SLACK` is far above the rounding error of unit
/// vectors' dot products (about 1e-6).
fn cosine_may_reach(q: f32, threshold: f32) -> bool {
    q >= Q_MIN - COSINE_SLACK && Q_WEIGHT * q + A_WEIGHT >= threshold - COSINE_SLACK
}

/// The unindexed part of a question's vector, summed up for
/// `Corpus::candidates_with`'s bound.
#[derive(Debug, Clone, Copy)]
struct Unindexed {
    /// Its length.
    length: f32,
    /// Bit `bucket(t)` is set for each of its terms `t`.
    buckets: u64,
}

impl Unindexed {
    fn of(part: &[(u32, f32)]) -> Unindexed {
        Unindexed {
            length: part.iter().map(|(_, w)| w * w).sum::<f32>().sqrt(),
            buckets: part.iter().fold(0, |m, &(t, _)| m | 1 << bucket(t)),
        }
    }
}

/// A question's unindexed part, its squared weights summed by bucket. Two
/// parts share terms only in buckets both have, so their dot product is at
/// most this part's `length_in` those buckets times the other's length.
struct BucketWeights([f32; 64]);

impl BucketWeights {
    fn of(part: &[(u32, f32)]) -> BucketWeights {
        let mut w = [0.0f32; 64];
        for &(t, x) in part {
            if let Some(b) = w.get_mut(bucket(t) as usize) {
                *b += x * x;
            }
        }
        BucketWeights(w)
    }

    /// The length of the part in the buckets whose bits `buckets` sets.
    fn length_in(&self, mut buckets: u64) -> f32 {
        let mut sum = 0.0f32;
        while buckets != 0 {
            sum += self
                .0
                .get(buckets.trailing_zeros() as usize)
                .copied()
                .unwrap_or(1.0);
            buckets &= buckets - 1;
        }
        sum.sqrt()
    }
}

/// A term's bucket of 64 (`Unindexed::buckets`): Fibonacci hashing of its id.
fn bucket(t: u32) -> u32 {
    t.wrapping_mul(0x9E37_79B9) >> 26
}

/// See `cosine_may_reach`.
const COSINE_SLACK: f32 = 1e-4;

/// How many of its rarest terms a question with no indexed term is listed
/// under (`Corpus::rare_postings`).
const RAREST: usize = 2;
/// The most questions one term of `RarePostings` lists.
pub const RARE_CAP: usize = 16 * DF_CAP;

/// `Corpus::rare_postings`: per question, the terms it is listed under;
/// per term, the questions listed, sorted.
struct RarePostings {
    terms: Vec<Vec<u32>>,
    postings: Vec<(u32, Vec<u32>)>,
}

impl RarePostings {
    fn postings(&self, t: u32) -> Option<&[u32]> {
        let k = self
            .postings
            .binary_search_by_key(&t, |(term, _)| *term)
            .ok()?;
        self.postings.get(k).map(|(_, qs)| qs.as_slice())
    }
}

/// A question term with its id in the corpus.
struct TermId {
    id: u32,
    identifier: bool,
    generic: bool,
}

/// One text's terms as ids: its question's head and elaboration, and its
/// answer's term ids in order.
struct TextIds {
    comparison: bool,
    head: Vec<TermId>,
    elaboration: Vec<TermId>,
    answer: Vec<u32>,
}

/// What `intern` returns: the vocabulary (term → id), every text's ids, and
/// each dotted term's id with its last part.
type Interned = (FxMap<String, u32>, Vec<TextIds>, Vec<(u32, String)>);

/// Extracts every text's terms and gives each distinct term an id, in order
/// of first occurrence (texts in order; in a text its head, elaboration and
/// answer terms in order), exactly as one pass would. The work runs on
/// every core: each contiguous stretch of texts numbers its own distinct
/// terms in their first-occurrence order, and the stretches' numbers are
/// then mapped to the corpus's in stretch order, which is the same order.
fn intern(texts: &[Text<'_>]) -> Interned {
    // A few stretches per core: enough to even out the work, few enough
    // that mapping their terms costs little.
    let size = texts.len().div_ceil(4 * crate::par::threads()).max(256);
    intern_by(texts, size)
}

/// `intern` over stretches of `size` texts (any size gives the same ids).
fn intern_by(texts: &[Text<'_>], size: usize) -> Interned {
    /// One stretch: its distinct terms (local id = index) and its texts.
    struct Stretch {
        terms: Vec<String>,
        texts: Vec<TextIds>,
    }
    let local = |stretch: &[Text<'_>]| -> Stretch {
        let mut ids: FxMap<String, u32> = FxMap::default();
        // A term's text is copied once, when the stretch first meets it.
        let mut id = |t: &str| -> u32 {
            if let Some(&n) = ids.get(t) {
                return n;
            }
            let n = ids.len() as u32;
            ids.insert(t.to_string(), n);
            n
        };
        let mut found = TermList::default();
        let mut out = Vec::with_capacity(stretch.len());
        for t in stretch {
            let (head, elaboration) = focus_parts(t.question);
            let mut with_ids = |text: &str, found: &mut TermList| -> Vec<TermId> {
                terms_into(text, found);
                found
                    .iter()
                    .map(|(text, identifier, generic)| TermId {
                        identifier,
                        generic,
                        id: id(text),
                    })
                    .collect()
            };
            let head = with_ids(&head, &mut found);
            let elaboration = with_ids(&elaboration, &mut found);
            terms_into(t.answer, &mut found);
            let answer = found.iter().map(|(text, _, _)| id(text)).collect();
            out.push(TextIds {
                comparison: is_comparison(t.question),
                head,
                elaboration,
                answer,
            });
        }
        // The distinct terms by local id.
        let mut terms = vec![String::new(); ids.len()];
        for (t, n) in ids {
            if let Some(slot) = terms.get_mut(n as usize) {
                *slot = t;
            }
        }
        Stretch { terms, texts: out }
    };
    let stretches = crate::par::map_coarse(texts.chunks(size.max(1)).collect(), local);
    let mut vocab: FxMap<String, u32> = FxMap::default();
    let mut tails: Vec<(u32, String)> = Vec::new();
    // Per stretch: its local ids' corpus ids, and its texts.
    let mut mapped: Vec<(Vec<u32>, Vec<TextIds>)> = Vec::with_capacity(stretches.len());
    for s in stretches {
        let mut map = Vec::with_capacity(s.terms.len());
        for term in s.terms {
            let next = vocab.len() as u32;
            let id = match vocab.get(term.as_str()) {
                Some(&id) => id,
                None => {
                    if let Some(last) = tail(&term) {
                        tails.push((next, last.to_string()));
                    }
                    vocab.insert(term, next);
                    next
                }
            };
            map.push(id);
        }
        mapped.push((map, s.texts));
    }
    let remapped = crate::par::map_coarse(mapped, |(map, texts): (Vec<u32>, Vec<TextIds>)| {
        let to = |local: u32| map.get(local as usize).copied().unwrap_or(local);
        texts
            .into_iter()
            .map(|mut t| {
                for term in t.head.iter_mut().chain(t.elaboration.iter_mut()) {
                    term.id = to(term.id);
                }
                for a in &mut t.answer {
                    *a = to(*a);
                }
                t
            })
            .collect::<Vec<_>>()
    });
    (vocab, remapped.into_iter().flatten().collect(), tails)
}

/// The share of `total` that the terms of `v` carry, each counted by
/// `missing` (0 present, 1 missing).
fn share(v: &Sparse, total: f32, missing: impl Fn(u32) -> f32) -> f32 {
    if total <= 0.0 {
        return 0.0;
    }
    v.iter().map(|&(t, w)| w * w * missing(t)).sum::<f32>() / total
}

/// `v` sorted by term, each term once with its highest weight.
fn max_by_term(v: &mut [(u32, f32)]) -> Vec<(u32, f32)> {
    v.sort_unstable_by_key(|&(t, _)| t);
    let mut out: Vec<(u32, f32)> = Vec::with_capacity(v.len());
    for &(t, w) in v.iter() {
        match out.last_mut() {
            Some(last) if last.0 == t => last.1 = last.1.max(w),
            _ => out.push((t, w)),
        }
    }
    out
}

/// Each term of `v` once, sorted, weighted 1 + ln(its count).
fn log_tf(v: &mut [u32]) -> Vec<(u32, f32)> {
    v.sort_unstable();
    let mut out: Vec<(u32, f32)> = Vec::with_capacity(v.len());
    for chunk in v.chunk_by(|a, b| a == b) {
        if let Some(&t) = chunk.first() {
            out.push((t, 1.0 + (chunk.len() as f32).ln()));
        }
    }
    out
}

/// Smoothed inverse document frequency over the given vectors.
fn idf(vectors: &[Vec<(u32, f32)>], vocab: usize) -> Vec<f32> {
    let mut df = vec![0u32; vocab];
    for v in vectors {
        for &(t, _) in v {
            if let Some(d) = df.get_mut(t as usize) {
                *d += 1;
            }
        }
    }
    let n = vectors.len() as f32;
    df.into_iter()
        .map(|d| ((n + 1.0) / (d as f32 + 1.0)).ln() + 1.0)
        .collect()
}

fn weigh(v: Vec<(u32, f32)>, idf: &[f32]) -> Sparse {
    let mut v: Sparse = v
        .into_iter()
        .map(|(t, w)| (t, w * idf.get(t as usize).copied().unwrap_or(1.0)))
        .collect();
    let norm = v.iter().map(|(_, w)| w * w).sum::<f32>().sqrt();
    if norm > 0.0 {
        for (_, w) in &mut v {
            *w /= norm;
        }
    }
    v
}

/// A sparse vector written out by term into a worker's zeroed buffer, and
/// cleared again when dropped: its dot product with another sorted sparse
/// vector is then one lookup per term of the other. The products are added
/// in the same (term) order as `dot` adds them, and a term the two do not
/// share adds `+0.0`, so the result is `dot`'s to the bit.
struct Spread<'b> {
    buffer: &'b mut [f32],
    terms: &'b [(u32, f32)],
}

impl<'b> Spread<'b> {
    fn new(buffer: &'b mut [f32], terms: &'b [(u32, f32)]) -> Self {
        for &(t, w) in terms {
            if let Some(slot) = buffer.get_mut(t as usize) {
                *slot = w;
            }
        }
        Spread { buffer, terms }
    }

    fn dot(&self, other: &[(u32, f32)]) -> f32 {
        let mut s = 0.0;
        for &(t, w) in other {
            s += self.buffer.get(t as usize).copied().unwrap_or(0.0) * w;
        }
        s
    }
}

impl Drop for Spread<'_> {
    fn drop(&mut self) {
        for &(t, _) in self.terms {
            if let Some(slot) = self.buffer.get_mut(t as usize) {
                *slot = 0.0;
            }
        }
    }
}

/// Dot product of two sorted sparse vectors.
fn dot(a: &[(u32, f32)], b: &[(u32, f32)]) -> f32 {
    let (mut i, mut j, mut s) = (0, 0, 0.0);
    while let (Some(&(ta, wa)), Some(&(tb, wb))) = (a.get(i), b.get(j)) {
        match ta.cmp(&tb) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                s += wa * wb;
                i += 1;
                j += 1;
            }
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The next number of a deterministic xorshift sequence.
    fn xorshift(seed: &mut u64) -> u64 {
        *seed ^= *seed << 13;
        *seed ^= *seed >> 7;
        *seed ^= *seed << 17;
        *seed
    }

    /// A pseudo-random sparse vector: up to `n` terms below `terms`, sorted.
    fn random_sparse(seed: &mut u64, terms: u64, n: usize) -> Vec<(u32, f32)> {
        let mut v: Vec<(u32, f32)> = (0..n)
            .map(|_| {
                let t = (xorshift(seed) % terms) as u32;
                (t, (xorshift(seed) % 10_000) as f32 / 7_919.0)
            })
            .collect();
        v.sort_by_key(|&(t, _)| t);
        v.dedup_by_key(|&mut (t, _)| t);
        v
    }

    #[test]
    fn a_spread_vector_gives_dot_to_the_bit() {
        // Deterministic pseudo-random sparse vectors over 64 terms.
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        let mut sparse = |n: usize| random_sparse(&mut seed, 64, n);
        let mut buffer = vec![0.0f32; 64];
        for _ in 0..500 {
            let (a, b) = (sparse(12), sparse(12));
            let want = dot(&a, &b);
            let got = Spread::new(&mut buffer, &a).dot(&b);
            assert_eq!(got.to_bits(), want.to_bits(), "{a:?} · {b:?}");
            // Dropped, the spread leaves the buffer zeroed for the next.
            assert!(buffer.iter().all(|&w| w == 0.0));
        }
    }

    fn corpus(items: &[(&str, &str)]) -> Corpus {
        let texts: Vec<Text> = items
            .iter()
            .map(|&(question, answer)| Text { question, answer })
            .collect();
        Corpus::new(&texts)
    }

    #[test]
    fn synonyms_and_answers_raise_the_score() {
        let c = corpus(&[
            (
                "What is the GIL and why does it matter?",
                "Only one thread runs bytecode at a time; use processes for CPU work.",
            ),
            (
                "Describe the Global Interpreter Lock.",
                "A mutex: one thread executes bytecode at a time; CPU-bound threads do not scale.",
            ),
            (
                "What is a decorator?",
                "A function that wraps another function.",
            ),
        ]);
        assert!(c.score(0, 1) > 0.6, "{}", c.score(0, 1));
        assert!(c.score(0, 2) < 0.1, "{}", c.score(0, 2));
        assert!((c.score(0, 1) - c.score(1, 0)).abs() < 1e-6);
        assert_eq!(c.score(0, 9), 0.0);
    }

    #[test]
    fn questions_with_only_frequent_terms_still_meet() {
        // `gil` ends up in more than DF_CAP questions, so no term of the
        // first two is indexed; they are still duplicates.
        let mut items: Vec<(String, String)> = vec![
            (
                "What is the GIL?".into(),
                "one thread runs bytecode at a time".into(),
            ),
            (
                "Explain the Global Interpreter Lock.".into(),
                "only one thread runs bytecode at a time".into(),
            ),
        ];
        for k in 0..DF_CAP + 6 {
            items.push((
                format!("How does `tool_{k}` release the GIL?"),
                format!("`tool_{k}` releases it around I/O"),
            ));
        }
        let refs: Vec<(&str, &str)> = items
            .iter()
            .map(|(q, a)| (q.as_str(), a.as_str()))
            .collect();
        let c = corpus(&refs);
        assert!(
            c.score(0, 1) >= crate::dedup::THRESHOLD,
            "{}",
            c.score(0, 1)
        );
        let found = c.candidates(crate::dedup::THRESHOLD);
        assert!(found.iter().any(|&(i, j, _)| (i, j) == (0, 1)), "{found:?}");
        let brute: Vec<(usize, usize)> = (0..items.len())
            .flat_map(|i| (i + 1..items.len()).map(move |j| (i, j)))
            .filter(|&(i, j)| c.score(i, j) >= crate::dedup::THRESHOLD)
            .collect();
        assert!(found.iter().all(|&(i, j, _)| brute.contains(&(i, j))));
    }

    #[test]
    fn candidates_match_brute_force() {
        let items = [
            ("What is the GIL?", "one thread at a time"),
            (
                "Describe the Global Interpreter Lock.",
                "one thread executes bytecode",
            ),
            ("How do decorators work?", "wrap a function"),
            (
                "Explain decorator order when stacking.",
                "bottom-up application of decorators",
            ),
            ("What is a decorator?", "a function wrapping a function"),
            ("When to use deque?", "O(1) pops at both ends"),
        ];
        let c = corpus(&items);
        let threshold = 0.3;
        let mut brute = Vec::new();
        for i in 0..items.len() {
            for j in i + 1..items.len() {
                if c.score(i, j) >= threshold {
                    brute.push((i, j));
                }
            }
        }
        let got: Vec<(usize, usize)> = c
            .candidates(threshold)
            .into_iter()
            .map(|(i, j, _)| (i, j))
            .collect();
        assert_eq!(got, brute);
        assert!(!got.is_empty());
    }

    /// The cosine check before scoring only turns away pairs that would not
    /// reach the threshold: in a corpus where many terms are in more than
    /// `DF_CAP` questions (unindexed), the candidates are the same with and
    /// without it, scores included, and at dedup's threshold it did turn
    /// pairs away.
    #[test]
    fn the_cosine_check_changes_no_candidate() {
        let (a, b, c) = (
            [
                "cache", "queue", "lock", "pool", "thread", "socket", "buffer", "worker", "parser",
                "router",
            ],
            [
                "retry",
                "timeout",
                "shutdown",
                "backpressure",
                "logging",
                "metrics",
                "tracing",
            ],
            ["service", "pipeline", "client"],
        );
        let mut items = Vec::new();
        for (k, x) in a.iter().enumerate() {
            for (l, y) in b.iter().enumerate() {
                for (m, z) in c.iter().enumerate() {
                    let q = if (k + l + m) % 2 == 0 {
                        format!("How does the {x} handle {y} in a {z}?")
                    } else {
                        format!("Explain {y} for a {x} inside the {z}.")
                    };
                    let ans = format!("The {x} applies {y} per {z}; see {x}_{l} and {z}{m}.");
                    items.push((q, ans));
                }
            }
        }
        let texts: Vec<Text> = items
            .iter()
            .map(|(question, answer)| Text { question, answer })
            .collect();
        let c = Corpus::new(&texts);
        assert!(
            c.unindexed_terms.len() > items.len(),
            "{} unindexed terms in {} questions",
            c.unindexed_terms.len(),
            items.len()
        );
        for threshold in [0.3, crate::dedup::THRESHOLD, 0.7] {
            let (checked, skipped) = c.candidates_with(threshold, true);
            let (all, none) = c.candidates_with(threshold, false);
            assert_eq!(checked, all, "threshold {threshold}");
            assert_eq!(none, 0);
            assert!(!all.is_empty(), "threshold {threshold}");
            if threshold == crate::dedup::THRESHOLD {
                assert!(skipped > 0, "the check turned no pair away");
            }
        }
    }

    /// The bounds in the candidate loop turn away no pair that shares an
    /// indexed term and reaches the threshold: the candidates are exactly
    /// those pairs. The corpus has words of every frequency, below and
    /// above `DF_CAP`, and near-copies.
    #[test]
    fn candidates_are_every_pair_an_indexed_term_finds() {
        let mut seed = 0x9e37_79b9_7f4a_7c15u64;
        let mut next = move |below: usize| (xorshift(&mut seed) % below as u64) as usize;
        let syllables = ["ba", "ko", "ti", "mu", "re", "da", "fi", "lo", "ne", "gu"];
        let word = |k: usize| {
            format!(
                "{}{}{}",
                syllables[k % 10],
                syllables[k / 10 % 10],
                syllables[k / 100 % 10]
            )
        };
        // Skewed: low word numbers are common, high ones rare.
        let pick = |next: &mut dyn FnMut(usize) -> usize| {
            let r = next(1000);
            word(r * r / 2500)
        };
        let mut words: Vec<Vec<String>> = Vec::new();
        for _ in 0..500 {
            let n = 3 + next(4);
            words.push((0..n).map(|_| pick(&mut next)).collect());
        }
        for k in 0..100 {
            let mut w = words[k * 5].clone();
            let at = next(w.len());
            w[at] = pick(&mut next);
            words.push(w);
        }
        let items: Vec<(String, String)> = words
            .iter()
            .map(|w| {
                let q = format!("How does {} work?", w.join(" "));
                let a = format!("{} then {}.", w[0], pick(&mut next));
                (q, a)
            })
            .collect();
        let texts: Vec<Text> = items
            .iter()
            .map(|(question, answer)| Text { question, answer })
            .collect();
        let c = Corpus::new(&texts);
        let mut df = vec![0usize; c.tail_of.len()];
        for v in &c.questions {
            for &(t, _) in v {
                df[t as usize] += 1;
            }
        }
        let indexed = |t: u32| df[t as usize] <= DF_CAP;
        assert!(df.iter().any(|&d| d > DF_CAP) && df.iter().any(|&d| d > 1 && d <= DF_CAP));
        let has_indexed = |i: usize| c.questions[i].iter().any(|&(t, _)| indexed(t));
        let share_indexed = |i: usize, j: usize| {
            c.questions[i]
                .iter()
                .any(|&(t, _)| indexed(t) && c.questions[j].iter().any(|&(u, _)| u == t))
        };
        for threshold in [0.0, 0.3, crate::dedup::THRESHOLD, 0.7] {
            let mut want = Vec::new();
            for i in 0..items.len() {
                for j in i + 1..items.len() {
                    if share_indexed(i, j) {
                        want.extend(c.score_reaching(i, j, threshold).map(|s| (i, j, s)));
                    }
                }
            }
            let (got, _) = c.candidates_with(threshold, true);
            let got: Vec<Pair> = got
                .into_iter()
                .filter(|&(i, _, _)| has_indexed(i))
                .collect();
            assert_eq!(got, want, "threshold {threshold}");
            assert!(
                want.len() >= 10,
                "threshold {threshold}: {} pairs",
                want.len()
            );
        }
    }

    /// The bucket bound holds: two sparse vectors' dot product is at most
    /// the length of the first's part in the buckets both have times the
    /// second's length, and 0 when they have none in common.
    #[test]
    fn the_bucket_bound_is_an_upper_bound() {
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        let mut sparse = |n: usize| random_sparse(&mut seed, 400, n);
        let (mut disjoint, mut tight) = (0, 0);
        for _ in 0..5_000 {
            let (a, b) = (sparse(6), sparse(6));
            let (sa, sb) = (Unindexed::of(&a), Unindexed::of(&b));
            let common = sa.buckets & sb.buckets;
            let shared = BucketWeights::of(&a).length_in(common);
            let d = dot(&a, &b);
            if common == 0 {
                assert_eq!(d, 0.0, "{a:?} · {b:?}");
                disjoint += 1;
            }
            assert!(d <= shared * sb.length + 1e-5, "{a:?} · {b:?}");
            if shared < sa.length * 0.9 {
                tight += 1;
            }
        }
        // Over 400 terms, most pairs share a bucket or two at most.
        assert!(disjoint > 500 && tight > 2_500, "{disjoint} {tight}");
    }

    /// Term ids are numbered in order of first occurrence over the texts
    /// (head, elaboration, answer), whatever the stretches the work is cut
    /// into.
    #[test]
    fn term_ids_do_not_depend_on_the_stretches() {
        let items = [
            (
                "How does functools.cache work?",
                "It memoizes calls; see lru_cache.",
            ),
            (
                "What is the GIL?",
                "One thread runs bytecode; the GIL is released on I/O.",
            ),
            (
                "Explain functools.cache vs lru_cache.",
                "cache is lru_cache(maxsize=None).",
            ),
            (
                "When to use a deque?",
                "O(1) appends and pops at both ends.",
            ),
            (
                "How do decorators work? Explain the order.",
                "They wrap functions.",
            ),
        ];
        let texts: Vec<Text> = items
            .iter()
            .map(|&(question, answer)| Text { question, answer })
            .collect();
        // The reference: one pass, in order.
        let mut want: Vec<String> = Vec::new();
        for t in &texts {
            let (head, elaboration) = focus_parts(t.question);
            for term in terms_of(&head)
                .into_iter()
                .chain(terms_of(&elaboration))
                .chain(terms_of(t.answer))
            {
                if !want.contains(&term.text) {
                    want.push(term.text);
                }
            }
        }
        let flat = |(vocab, texts, tails): Interned| {
            let mut names = vec![String::new(); vocab.len()];
            for (name, id) in vocab {
                names[id as usize] = name;
            }
            let ids: Vec<Vec<u32>> = texts
                .into_iter()
                .map(|t| {
                    let mut all: Vec<u32> = t.head.iter().map(|x| x.id).collect();
                    all.extend(t.elaboration.iter().map(|x| x.id));
                    all.extend(t.answer);
                    all
                })
                .collect();
            (names, ids, tails)
        };
        let whole = flat(intern_by(&texts, texts.len()));
        assert_eq!(whole.0, want);
        assert!(
            whole.2.iter().any(|(_, last)| last == "cache"),
            "{:?}",
            whole.2
        );
        for size in [1, 2, 3] {
            assert_eq!(flat(intern_by(&texts, size)), whole, "stretches of {size}");
        }
    }

    /// At the cosines where `score_reaching` starts to accept a pair, the
    /// check lets it through even a rounding error below, and it turns away
    /// what is clearly below.
    #[test]
    fn the_cosine_check_keeps_the_edge() {
        for threshold in [0.3, crate::dedup::THRESHOLD, 0.7] {
            let edge = ((threshold - A_WEIGHT) / Q_WEIGHT).max(Q_MIN);
            assert!(cosine_may_reach(edge, threshold), "{threshold}");
            assert!(cosine_may_reach(edge - 1e-6, threshold), "{threshold}");
            assert!(!cosine_may_reach(edge - 0.01, threshold), "{threshold}");
        }
    }
}
