//! Deduplication: groups the source questions that one flashcard fully
//! serves (the same concept asked from the same angle) and decides each
//! group's primary member, labels and stable card id.
//!
//! The pass: `terms` normalizes question and answer text to key terms and
//! finds each question's focus (the concept it asks about) and whether it
//! asks for a comparison (its angle); `score` finds candidate pairs through
//! an inverted index and scores them (concept match, answer overlap,
//! penalties for focus terms the other side lacks and for differing angles),
//! and `cluster` (here) groups them so that every member of a cluster
//! matches the cluster's representative (its primary) at or above
//! `THRESHOLD`: a middle question can never chain two unrelated ones.
//! `curation` (`content/dedup.yaml`) forces merges and forbids others.

mod curation;
mod score;
mod terms;

pub use curation::{parse_curation, Curation, Entry};
pub use score::{Corpus, Text};

use crate::error::InputError;
use crate::hash::{FastMap, FastSet};
use crate::model::{Labelled, Merge, MergeBasis, Question, Ref};
use std::borrow::Cow;
use std::cmp::Reverse;
use std::collections::{BTreeMap, BTreeSet};

/// Two questions whose score (see `score`) reaches this are duplicates.
pub const THRESHOLD: f32 = 0.55;

/// A group of source questions that becomes one card.
#[derive(Debug, Clone, PartialEq)]
pub struct Cluster {
    /// The card's stable id (see `card_id`).
    pub id: String,
    /// Members, the primary first.
    pub members: Vec<Labelled>,
    pub merge: Option<Merge>,
}

/// Groups `items` into clusters, sorted by id. The result does not depend
/// on the order of `items`.
pub fn dedup(items: Vec<Labelled>, curation: &Curation) -> Result<Vec<Cluster>, InputError> {
    let grouping = {
        let questions: Vec<&Question> = items.iter().map(|l| &l.question).collect();
        group(&questions, curation)?
    };
    Ok(clusters(items, grouping))
}

/// What dedup decides from the questions alone, before any label is known:
/// which questions share a card, and the primary of each group. Made by
/// `group`, turned into clusters by `clusters`.
#[derive(Debug)]
pub struct Grouping {
    /// Indices into the questions `group` was given.
    groups: Vec<Group>,
    priority: SourcePriority,
}

/// Finds the groups of `questions` (see `dedup`). It reads only the
/// questions' text and references, so it may run while `classify` labels
/// the same questions.
pub fn group(questions: &[&Question], curation: &Curation) -> Result<Grouping, InputError> {
    if curation.refs().next().is_some() {
        let known: FastSet<&Ref> = questions.iter().map(|q| &q.reference).collect();
        curation.check_refs(&known)?;
    }
    let priority = SourcePriority::new(&curation.source_priority);
    // The questions by source priority: the order pairs and ties are
    // decided in, whatever order the questions came in.
    let mut order: Vec<usize> = (0..questions.len()).collect();
    order.sort_by(|&a, &b| {
        let (a, b) = (&questions[a].reference, &questions[b].reference);
        priority.key(a).cmp(&priority.key(b))
    });
    let sorted: Vec<&Question> = order.iter().map(|&i| questions[i]).collect();
    let answers: Vec<Cow<'_, str>> = sorted.iter().map(|q| q.full_answer()).collect();
    let texts: Vec<Text> = sorted
        .iter()
        .zip(&answers)
        .map(|(q, answer)| Text {
            question: &q.question,
            answer,
        })
        .collect();
    let corpus = Corpus::new(&texts);
    let mut groups = cluster(&sorted, &corpus, curation, &priority);
    for g in &mut groups {
        for m in &mut g.members {
            *m = order[*m];
        }
    }
    Ok(Grouping { groups, priority })
}

/// The clusters of `grouping` over `items`: the questions `group` was given,
/// in the same order, now labelled.
pub fn clusters(mut items: Vec<Labelled>, grouping: Grouping) -> Vec<Cluster> {
    let Grouping {
        mut groups,
        priority,
    } = grouping;
    // Each item goes to the first group that lists it.
    let mut claimed = vec![false; items.len()];
    for g in &mut groups {
        g.members.retain(|&i| match claimed.get_mut(i) {
            Some(c) if !*c => {
                *c = true;
                true
            }
            _ => false,
        });
    }
    // The clusters' ids, and the groups in id order: the order the
    // clusters are made and returned in.
    let mut ids: Vec<String> = groups
        .iter()
        .map(|g| {
            let refs = g.members.iter().filter_map(|&i| items.get(i));
            card_id(refs.map(|m| &m.question.reference), &priority)
        })
        .collect();
    let mut by_id: Vec<usize> = (0..groups.len()).collect();
    by_id.sort_by(|&a, &b| ids[a].cmp(&ids[b]));
    // Items in that order, each cluster's members in a row, by moving them
    // within `items` (an item in no group goes last and is dropped).
    let mut dest = vec![usize::MAX; items.len()];
    let mut next = 0;
    for &k in &by_id {
        for &i in &groups[k].members {
            if let Some(d) = dest.get_mut(i) {
                *d = next;
                next += 1;
            }
        }
    }
    for d in dest.iter_mut().filter(|d| **d == usize::MAX) {
        *d = next;
        next += 1;
    }
    permute(&mut items, &mut dest);
    let mut in_order = items.into_iter();
    let mut clusters = Vec::with_capacity(groups.len());
    for k in by_id {
        let g = &groups[k];
        let id = std::mem::take(&mut ids[k]);
        let mut members: Vec<Labelled> = in_order.by_ref().take(g.members.len()).collect();
        let merge = (members.len() > 1).then(|| Merge {
            basis: if g.curated {
                MergeBasis::Curated
            } else {
                MergeBasis::Automatic
            },
            score: f64::from((g.min_score * 1000.0).round() / 1000.0),
        });
        // A merged card's labels are its primary's: their bases say so.
        if let Some(primary) = members.first_mut().filter(|_| merge.is_some()) {
            let from = primary.question.reference.to_string();
            let l = &mut primary.labels;
            l.domain_basis = format!("merged: from {from} ({})", l.domain_basis);
            l.difficulty_basis = format!("merged: from {from} ({})", l.difficulty_basis);
        }
        clusters.push(Cluster { id, members, merge });
    }
    clusters
}

/// Moves `items[i]` to `dest[i]` for every `i`, in place; `dest` must be a
/// permutation of `0..items.len()` (it is left as `0, 1, 2, …`).
fn permute<T>(items: &mut [T], dest: &mut [usize]) {
    for i in 0..items.len().min(dest.len()) {
        // Follow the cycle through `i` until `i` holds its own item.
        while let Some(&d) = dest.get(i).filter(|&&d| d != i && d < items.len()) {
            items.swap(i, d);
            dest.swap(i, d);
        }
    }
}

/// The card id of a cluster: the reference of the member that sorts first
/// by (source priority, number), where source priority is the order of
/// `source_priority` in `dedup.yaml` (sources it does not list come after,
/// by name).
///
/// The id does not change when wording changes, when members are listed in
/// another order, or when a member joins from a lower-priority source or
/// with a higher number. The residual case: a new member that sorts first
/// (from a higher-priority source, or a lower number in the same source)
/// gives the card a new id; `deck.lock` then reports the old id removed and
/// the new one added. Changing `source_priority` can do the same.
pub fn card_id<'a>(refs: impl IntoIterator<Item = &'a Ref>, priority: &SourcePriority) -> String {
    refs.into_iter()
        .min_by(|a, b| priority.key(a).cmp(&priority.key(b)))
        .map(|r| r.to_string())
        .unwrap_or_default()
}

/// Sort keys for references by source priority, then number.
#[derive(Debug, Clone)]
pub struct SourcePriority {
    rank: BTreeMap<String, usize>,
}

impl SourcePriority {
    pub fn new(order: &[String]) -> Self {
        SourcePriority {
            rank: order
                .iter()
                .enumerate()
                .map(|(i, s)| (s.clone(), i))
                .collect(),
        }
    }

    /// (rank of the source, source id, number); unlisted sources rank last.
    pub fn key<'a>(&self, r: &'a Ref) -> (usize, &'a str, u32) {
        (
            self.rank.get(&*r.source).copied().unwrap_or(usize::MAX),
            r.source.as_ref(),
            r.number,
        )
    }
}

/// The primary member of a cluster: a member with a guide answer before one
/// whose answer is only authored; among those, the longest guide answer
/// (the most complete); ties go to the reference that sorts first by source
/// priority. Each item's key is worked out once, when first needed.
struct Primaries<'q> {
    items: &'q [&'q Question],
    priority: &'q SourcePriority,
    keys: Vec<Option<PrimaryKey<'q>>>,
}

/// What `Primaries` compares members by: the smallest key wins.
type PrimaryKey<'q> = (bool, Reverse<usize>, Reverse<usize>, (usize, &'q str, u32));

impl<'q> Primaries<'q> {
    fn new(items: &'q [&'q Question], priority: &'q SourcePriority) -> Self {
        Primaries {
            items,
            priority,
            keys: vec![None; items.len()],
        }
    }

    /// The primary of `members` (indices into the items), or `None` when
    /// there are none or one is out of range.
    fn of(&mut self, members: &[usize]) -> Option<usize> {
        // Most groups have one member (no key to compare).
        if let [only] = members {
            return Some(*only);
        }
        let mut best: Option<(PrimaryKey<'q>, usize)> = None;
        for &i in members {
            let key = self.key(i)?;
            if best.as_ref().is_none_or(|(b, _)| key < *b) {
                best = Some((key, i));
            }
        }
        best.map(|(_, i)| i)
    }

    fn key(&mut self, i: usize) -> Option<PrimaryKey<'q>> {
        let slot = self.keys.get_mut(i)?;
        if slot.is_none() {
            let q = self.items.get(i)?;
            let guide = q.answer.trim().chars().count();
            let authored = q.authored.as_ref().map_or(0, |a| a.answer.chars().count());
            *slot = Some((
                guide == 0,
                Reverse(guide),
                Reverse(authored),
                self.priority.key(&q.reference),
            ));
        }
        *slot
    }
}

/// A cluster under construction: item indices, primary first.
#[derive(Debug, Clone)]
struct Group {
    members: Vec<usize>,
    curated: bool,
    /// The lowest score between the primary and another member.
    min_score: f32,
}

/// Groups item indices. Curated merges are seeded first; then candidate
/// pairs are taken best first, and two groups join only if every member of
/// the union scores at least `THRESHOLD` against the union's primary (a
/// curated member is exempt against another member of its curated group)
/// and no `keep_apart` pair would end up together.
fn cluster(
    items: &[&Question],
    corpus: &Corpus,
    curation: &Curation,
    priority: &SourcePriority,
) -> Vec<Group> {
    // The positions of the questions the curation names.
    let named: BTreeSet<&Ref> = curation.refs().collect();
    let index: BTreeMap<&Ref, usize> = if named.is_empty() {
        BTreeMap::new()
    } else {
        items
            .iter()
            .enumerate()
            .filter(|(_, q)| named.contains(&q.reference))
            .map(|(i, q)| (&q.reference, i))
            .collect()
    };
    let apart: BTreeSet<(usize, usize)> = curation
        .apart_pairs()
        .keys()
        .filter_map(|(a, b)| {
            let (a, b) = (*index.get(a)?, *index.get(b)?);
            Some((a.min(b), a.max(b)))
        })
        .collect();
    // group of each item, and each item's curated group number
    let mut group_of: Vec<usize> = (0..items.len()).collect();
    let mut groups: Vec<Option<Vec<usize>>> = (0..items.len()).map(|i| Some(vec![i])).collect();
    let mut curated_id: Vec<Option<usize>> = vec![None; items.len()];
    for (n, (refs, _)) in curation.merge_groups().into_iter().enumerate() {
        let members: Vec<usize> = refs.iter().filter_map(|r| index.get(r).copied()).collect();
        let Some(&first) = members.first() else {
            continue;
        };
        for &m in &members {
            if let Some(c) = curated_id.get_mut(m) {
                *c = Some(n);
            }
            if m != first {
                join(&mut groups, &mut group_of, first, m);
            }
        }
    }
    let mut edges = corpus.candidates(THRESHOLD);
    edges.sort_by(|a, b| b.2.total_cmp(&a.2).then((a.0, a.1).cmp(&(b.0, b.1))));
    // The candidates' scores, known already: most members scored against a
    // primary below are a candidate pair (a pair's score does not depend on
    // its order).
    let known: FastMap<(usize, usize), f32> = edges
        .iter()
        .map(|&(i, j, s)| ((i.min(j), i.max(j)), s))
        .collect();
    let score = |a: usize, b: usize| {
        known
            .get(&(a.min(b), a.max(b)))
            .copied()
            .unwrap_or_else(|| corpus.score(a, b))
    };
    let mut primaries = Primaries::new(items, priority);
    for (i, j, _) in edges {
        let (gi, gj) = (group_of[i], group_of[j]);
        if gi == gj {
            continue;
        }
        let union: Vec<usize> = groups[gi]
            .iter()
            .chain(groups[gj].iter())
            .flatten()
            .copied()
            .collect();
        let together_ok = union.iter().enumerate().all(|(k, &a)| {
            union
                .iter()
                .skip(k + 1)
                .all(|&b| !apart.contains(&(a.min(b), a.max(b))))
        });
        if !together_ok {
            continue;
        }
        let Some(p) = primaries.of(&union) else {
            continue;
        };
        let all_match = union
            .iter()
            .all(|&m| m == p || same_curated(&curated_id, m, p) || score(m, p) >= THRESHOLD);
        if all_match {
            join(&mut groups, &mut group_of, i, j);
        }
    }
    let mut out = Vec::new();
    for g in groups.into_iter().flatten() {
        let Some(p) = primaries.of(&g) else {
            continue;
        };
        let curated = g.iter().any(|&m| m != p && same_curated(&curated_id, m, p))
            || g.iter()
                .any(|&m| curated_id.get(m).copied().flatten().is_some())
                && g.len() > 1;
        let members = if g.len() == 1 {
            g
        } else {
            let mut members = vec![p];
            members.extend(g.iter().copied().filter(|&m| m != p));
            members
        };
        let min_score = members
            .iter()
            .skip(1)
            .map(|&m| score(m, p))
            .fold(f32::INFINITY, f32::min);
        out.push(Group {
            members,
            curated,
            min_score: if min_score.is_finite() {
                min_score
            } else {
                1.0
            },
        });
    }
    out
}

fn same_curated(curated_id: &[Option<usize>], a: usize, b: usize) -> bool {
    matches!((curated_id.get(a), curated_id.get(b)), (Some(Some(x)), Some(Some(y))) if x == y)
}

/// Moves `b`'s group into `a`'s.
fn join(groups: &mut [Option<Vec<usize>>], group_of: &mut [usize], a: usize, b: usize) {
    let (ga, gb) = (group_of[a], group_of[b]);
    if ga == gb {
        return;
    }
    let moved = groups
        .get_mut(gb)
        .and_then(Option::take)
        .unwrap_or_default();
    for &m in &moved {
        group_of[m] = ga;
    }
    if let Some(Some(g)) = groups.get_mut(ga) {
        g.extend(moved);
        g.sort_unstable();
    }
}

#[cfg(test)]
mod tests;
