//! Deduplication: groups the source questions that one flashcard fully
//! serves, and decides each group's stable card id. (Scoring not written yet:
//! every question is its own group.)

use crate::error::{ConfigError, InputError};
use crate::model::{Labelled, Merge};
use std::path::Path;

/// `content/dedup.yaml`: curated `merge` and `keep_apart` lists.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Curation {}

pub fn parse_curation(_file: &Path, _text: &str) -> Result<Curation, ConfigError> {
    Ok(Curation::default())
}

/// A group of source questions that becomes one card.
#[derive(Debug, Clone, PartialEq)]
pub struct Cluster {
    /// The card's stable id.
    pub id: String,
    /// Members, the primary first.
    pub members: Vec<Labelled>,
    pub merge: Option<Merge>,
}

/// Groups `items` into clusters.
pub fn dedup(items: Vec<Labelled>, _curation: &Curation) -> Result<Vec<Cluster>, InputError> {
    Ok(items
        .into_iter()
        .map(|l| Cluster {
            id: l.question.reference.to_string(),
            members: vec![l],
            merge: None,
        })
        .collect())
}
