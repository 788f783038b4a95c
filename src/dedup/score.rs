//! Pair scoring and candidate generation. Each question becomes two sparse
//! vectors: its key terms (IDF-weighted; identifiers weigh more, a heading's
//! tagline less) and its answer's terms (log-TF × IDF). A pair's score is
//!
//! ```text
//! Q_WEIGHT · cos(questions) + A_WEIGHT · cos(answers)
//!   − UNCOVERED_PENALTY · min(uncovered(a→b), uncovered(b→a))
//!   − UNSHARED_PENALTY · max(unshared(a→b), unshared(b→a))
//! ```
//!
//! clamped to 0–1, and 0 when the questions' cosine is under `Q_MIN`.
//! `uncovered(a→b)` is the share of `a`'s question weight whose terms appear
//! nowhere in `b`'s question or answer (a concept `b` never mentions);
//! `unshared(a→b)` the share not in `b`'s question (an angle `b` does not
//! ask about: "decorators" vs "decorator order when stacking"). Candidates come
//! from an inverted index over question terms; terms in more than
//! `DF_CAP` questions are not indexed (they still count in the score), so the
//! work per question is bounded and the whole pass is near-linear.

use super::terms::{split_tagline, terms};
use std::collections::HashMap;

/// Weight of the question-term cosine in a pair's score.
pub const Q_WEIGHT: f32 = 0.8;
/// Weight of the answer-term cosine in a pair's score.
pub const A_WEIGHT: f32 = 0.2;
/// Penalty per unit of question weight the other side never mentions.
pub const UNCOVERED_PENALTY: f32 = 0.3;
/// Penalty per unit of question weight the other question does not share.
pub const UNSHARED_PENALTY: f32 = 0.2;
/// Terms in more questions than this are not used to find candidates.
pub const DF_CAP: usize = 64;
/// Below this question-term cosine a pair scores 0, whatever its answers
/// say: duplicates ask about the same named concept.
pub const Q_MIN: f32 = 0.25;
/// A question term that is a Python identifier counts this much more.
const IDENTIFIER_BOOST: f32 = 1.5;
/// A term from a heading's tagline (after ` — `) counts this much.
const TAGLINE_WEIGHT: f32 = 0.4;

/// A sparse vector: (term id, weight), sorted by term id, unit length.
type Sparse = Vec<(u32, f32)>;

/// The text of one question the scorer needs.
#[derive(Debug, Clone, Copy)]
pub struct Text<'a> {
    pub question: &'a str,
    pub answer: &'a str,
}

/// Every question's vectors, ready to score pairs.
#[derive(Debug, Default)]
pub struct Corpus {
    questions: Vec<Sparse>,
    answers: Vec<Sparse>,
    /// Per question: the length of its vector's part that is not indexed.
    unindexed: Vec<f32>,
    /// Per question: every term of its question and answer, sorted.
    vocabulary: Vec<Vec<u32>>,
}

impl Corpus {
    pub fn new(texts: &[Text<'_>]) -> Corpus {
        let mut vocab: HashMap<String, u32> = HashMap::new();
        let mut id = |t: String| -> u32 {
            let n = vocab.len() as u32;
            *vocab.entry(t).or_insert(n)
        };
        // Raw term weights before IDF.
        let mut q_raw: Vec<Vec<(u32, f32)>> = Vec::with_capacity(texts.len());
        let mut a_raw: Vec<Vec<(u32, f32)>> = Vec::with_capacity(texts.len());
        for t in texts {
            let (head, tagline) = split_tagline(t.question);
            let mut q: HashMap<u32, f32> = HashMap::new();
            for (part, w) in [(head, 1.0), (tagline, TAGLINE_WEIGHT)] {
                for term in terms(part) {
                    let w = if term.identifier {
                        w * IDENTIFIER_BOOST
                    } else {
                        w
                    };
                    let e = q.entry(id(term.text)).or_insert(0.0);
                    *e = e.max(w);
                }
            }
            q_raw.push(sorted(q));
            let mut a: HashMap<u32, f32> = HashMap::new();
            for term in terms(t.answer) {
                *a.entry(id(term.text)).or_insert(0.0) += 1.0;
            }
            a_raw.push(sorted(
                a.into_iter().map(|(k, tf)| (k, 1.0 + tf.ln())).collect(),
            ));
        }
        let vocabulary = q_raw
            .iter()
            .zip(&a_raw)
            .map(|(q, a)| {
                let mut v: Vec<u32> = q.iter().chain(a).map(|&(t, _)| t).collect();
                v.sort_unstable();
                v.dedup();
                v
            })
            .collect();
        let n = vocab.len();
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
        let questions: Vec<Sparse> = q_raw.into_iter().map(|v| weigh(v, &q_idf)).collect();
        let unindexed = questions
            .iter()
            .map(|v| {
                v.iter()
                    .filter(|(t, _)| df.get(*t as usize).is_none_or(|&d| d > DF_CAP))
                    .map(|(_, w)| w * w)
                    .sum::<f32>()
                    .sqrt()
            })
            .collect();
        Corpus {
            questions,
            answers: a_raw.into_iter().map(|v| weigh(v, &a_idf)).collect(),
            unindexed,
            vocabulary,
        }
    }

    pub fn len(&self) -> usize {
        self.questions.len()
    }

    pub fn is_empty(&self) -> bool {
        self.questions.is_empty()
    }

    /// The share of `i`'s question (by squared weight) whose terms appear
    /// nowhere in `j`'s question or answer: a concept `j` does not cover.
    pub fn uncovered(&self, i: usize, j: usize) -> f32 {
        let (Some(q), Some(other)) = (self.questions.get(i), self.vocabulary.get(j)) else {
            return 1.0;
        };
        q.iter()
            .filter(|(t, _)| other.binary_search(t).is_err())
            .map(|(_, w)| w * w)
            .sum()
    }

    /// The share of `i`'s question (by squared weight) whose terms are not
    /// in `j`'s question.
    pub fn unshared(&self, i: usize, j: usize) -> f32 {
        let (Some(q), Some(other)) = (self.questions.get(i), self.questions.get(j)) else {
            return 1.0;
        };
        q.iter()
            .filter(|(t, _)| other.binary_search_by_key(t, |&(u, _)| u).is_err())
            .map(|(_, w)| w * w)
            .sum()
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
        let q = match (self.questions.get(i), self.questions.get(j)) {
            (Some(a), Some(b)) => dot(a, b),
            _ => return 0.0,
        };
        if q < Q_MIN {
            return 0.0;
        }
        let a = match (self.answers.get(i), self.answers.get(j)) {
            (Some(a), Some(b)) => dot(a, b),
            _ => 0.0,
        };
        let uncovered = self.uncovered(i, j).min(self.uncovered(j, i));
        let unshared = self.unshared(i, j).max(self.unshared(j, i));
        (Q_WEIGHT * q + A_WEIGHT * a - UNCOVERED_PENALTY * uncovered - UNSHARED_PENALTY * unshared)
            .clamp(0.0, 1.0)
    }

    /// Every pair `(i, j, score)` with `i < j` and score ≥ `threshold` that
    /// shares an indexed question term, sorted by `(i, j)`.
    pub fn candidates(&self, threshold: f32) -> Vec<(usize, usize, f32)> {
        let mut postings: HashMap<u32, Vec<(u32, f32)>> = HashMap::new();
        for (i, v) in self.questions.iter().enumerate() {
            for &(t, w) in v {
                postings.entry(t).or_default().push((i as u32, w));
            }
        }
        postings.retain(|_, p| p.len() <= DF_CAP);
        let mut acc: Vec<f32> = vec![0.0; self.len()];
        let mut touched: Vec<u32> = Vec::new();
        let mut out = Vec::new();
        for (i, v) in self.questions.iter().enumerate() {
            for &(t, w) in v {
                let Some(p) = postings.get(&t) else { continue };
                for &(j, wj) in p {
                    if (j as usize) <= i {
                        continue;
                    }
                    if let Some(slot) = acc.get_mut(j as usize) {
                        if *slot == 0.0 {
                            touched.push(j);
                        }
                        *slot += w * wj;
                    }
                }
            }
            touched.sort_unstable();
            for &j in &touched {
                let j = j as usize;
                let partial = acc.get(j).copied().unwrap_or(0.0);
                if let Some(slot) = acc.get_mut(j) {
                    *slot = 0.0;
                }
                // The indexed terms give part of the question cosine; the
                // unindexed parts add at most the product of their lengths.
                let ui = self.unindexed.get(i).copied().unwrap_or(1.0);
                let uj = self.unindexed.get(j).copied().unwrap_or(1.0);
                let bound = (partial + ui * uj).min(1.0);
                if bound < Q_MIN || Q_WEIGHT * bound + A_WEIGHT < threshold {
                    continue;
                }
                let s = self.score(i, j);
                if s >= threshold {
                    out.push((i, j, s));
                }
            }
            touched.clear();
        }
        out
    }
}

fn sorted(m: HashMap<u32, f32>) -> Vec<(u32, f32)> {
    let mut v: Vec<(u32, f32)> = m.into_iter().collect();
    v.sort_unstable_by_key(|&(t, _)| t);
    v
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

/// Dot product of two sorted sparse vectors.
fn dot(a: &Sparse, b: &Sparse) -> f32 {
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
}
