//! Assembly: turns each cluster of labelled source questions into the card a
//! learner studies: primary question and answer, the details section (tip,
//! red flags, follow-ups, tables, the other members' answers, each labelled
//! with its source), variants and tags. This is the last stage that decides
//! content; emitters only format what it produces.

use crate::dedup::Cluster;
use crate::model::{Card, Question};
use std::fmt::Write;

/// Builds the cards, sorted by id.
pub fn cards(clusters: Vec<Cluster>) -> Vec<Card> {
    // One card per cluster, on every core (at 100k cards most of the time
    // is copying text into fresh memory).
    let mut cards: Vec<Card> = crate::par::map(clusters, card);
    cards.sort_by(|a, b| a.id.cmp(&b.id));
    cards
}

fn card(cluster: Cluster) -> Card {
    let Cluster {
        id,
        mut members,
        merge,
    } = cluster;
    // Copied below, after the details and the tags (`crate::prefetch`).
    for m in &members {
        crate::prefetch::question_and_answer(&m.question);
    }
    // The card takes the primary's labels' text: the members keep only
    // their questions.
    let l = &mut members[0].labels;
    let (domain, domain_basis, difficulty, difficulty_basis) = (
        std::mem::take(&mut l.domain),
        std::mem::take(&mut l.domain_basis),
        l.difficulty,
        std::mem::take(&mut l.difficulty_basis),
    );
    let primary = &members[0];
    let p = &primary.question;
    let mut details = String::new();
    extras(&mut details, p, None);
    for other in &members[1..] {
        let q = &other.question;
        let _ = writeln!(details, "#### Also asked in {}\n", q.reference);
        let _ = writeln!(details, "*{}*\n", q.question.trim());
        let answer = q.full_answer();
        if !answer.trim().is_empty() {
            if q.authored.is_some() {
                details.push_str("*(answer authored for this deck)*\n\n");
            }
            details.push_str(answer.trim_end());
            details.push_str("\n\n");
        }
        extras(&mut details, q, Some(&q.reference.to_string()));
    }
    let variants: Vec<String> = members[1..]
        .iter()
        .filter(|m| m.question.question != p.question)
        .map(|m| m.question.question.clone())
        .collect();
    // Trimmed in place: the details are the card's longest text.
    details.truncate(details.trim_end().len());
    // Built as a list, then sorted and deduplicated: the order and the set
    // a `BTreeSet` of `format!`ed tags gives, without the tree and the
    // formats (a sixth of assemble's samples at 100k questions).
    let mut tags = Vec::with_capacity(2 + 2 * members.len());
    tags.push(["domain::", &domain].concat());
    tags.push(["difficulty::", difficulty.as_str()].concat());
    for m in &members {
        tags.push(["source::", &m.question.reference.source].concat());
        if m.question.authored.is_some() {
            tags.push("authored".to_string());
        }
    }
    tags.sort_unstable();
    tags.dedup();
    Card {
        id,
        question: p.question.clone(),
        answer: p.full_answer().into_owned(),
        answer_origin: p.answer_origin(),
        details,
        variants,
        domain,
        domain_basis,
        difficulty,
        difficulty_basis,
        tags,
        merge,
        sources: members.into_iter().map(|m| m.question).collect(),
    }
}

/// Appends a question's structured extras as Markdown sections.
fn extras(out: &mut String, q: &Question, from: Option<&str>) {
    let suffix = from.map(|r| format!(" ({r})")).unwrap_or_default();
    if let Some(a) = &q.authored {
        if let Some(d) = &a.details {
            let _ = writeln!(
                out,
                "**Context{suffix}** *(authored)*\n\n{}\n",
                d.trim_end()
            );
        }
    }
    if let Some(tip) = &q.tip {
        let _ = writeln!(out, "**Interview tip{suffix}:** {}\n", tip.trim());
    }
    if !q.red_flags.is_empty() {
        let _ = writeln!(out, "**Red flags{suffix}:**\n");
        for r in &q.red_flags {
            let _ = writeln!(out, "- {}", r.trim());
        }
        out.push('\n');
    }
    if !q.follow_ups.is_empty() {
        let _ = writeln!(out, "**Follow-ups{suffix}:**\n");
        for f in &q.follow_ups {
            match &f.answer {
                Some(a) => {
                    let _ = writeln!(out, "- {}\n  *{}*", f.question.trim(), a.trim());
                }
                None => {
                    let _ = writeln!(out, "- {}", f.question.trim());
                }
            }
        }
        out.push('\n');
    }
    for t in &q.tables {
        out.push_str(t.trim_end());
        out.push_str("\n\n");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Difficulty, FollowUp, Labelled, Labels, Ref};

    fn labelled(r: Ref, q: &str, a: &str) -> Labelled {
        let mut question = Question::new(r, 1, q);
        question.answer = a.into();
        Labelled {
            question,
            labels: Labels {
                domain: "concurrency".into(),
                domain_basis: "rule".into(),
                difficulty: Difficulty::Hard,
                difficulty_basis: "rule".into(),
            },
        }
    }

    #[test]
    fn merged_card_keeps_every_member_and_labels_them() {
        let mut a = labelled(Ref::new("study-guide", 5), "What is the GIL?", "A lock.");
        a.question.tip = Some("Mention 3.13.".into());
        let mut b = labelled(
            Ref::new("scenarios", 5),
            "Why does the GIL matter?",
            "- Threads.",
        );
        b.question.follow_ups.push(FollowUp {
            question: "And asyncio?".into(),
            answer: None,
        });
        let c = cards(vec![Cluster {
            id: "study-guide#5".into(),
            members: vec![a, b],
            merge: None,
        }]);
        let card = &c[0];
        assert_eq!(card.answer, "A lock.");
        assert_eq!(card.variants, vec!["Why does the GIL matter?"]);
        assert!(card.details.contains("**Interview tip:** Mention 3.13."));
        assert!(card.details.contains("#### Also asked in scenarios#5"));
        assert!(card.details.contains("- Threads."));
        assert!(card.details.contains("**Follow-ups (scenarios#5):**"));
        assert_eq!(
            card.tags,
            vec![
                "difficulty::hard",
                "domain::concurrency",
                "source::scenarios",
                "source::study-guide"
            ]
        );
        assert_eq!(card.sources.len(), 2);
    }
}
