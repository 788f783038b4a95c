//! Classification: gives every question one taxonomy domain and one
//! difficulty, and records which signal decided each. (Rules not written yet.)

use crate::error::{ConfigError, InputError};
use crate::model::{Difficulty, Labelled, Labels, Question};
use serde::Deserialize;
use std::path::Path;

/// One domain of the project taxonomy.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Domain {
    pub slug: String,
    pub title: String,
    pub description: String,
}

/// `content/taxonomy.yaml`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Taxonomy {
    pub domains: Vec<Domain>,
}

impl Taxonomy {
    pub fn domain(&self, slug: &str) -> Option<&Domain> {
        self.domains.iter().find(|d| d.slug == slug)
    }
}

/// `content/overrides.yaml`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Overrides {}

pub fn parse_taxonomy(file: &Path, text: &str) -> Result<Taxonomy, ConfigError> {
    crate::yaml::parse(file, text)
}

pub fn parse_overrides(_file: &Path, _text: &str) -> Result<Overrides, ConfigError> {
    Ok(Overrides::default())
}

/// Labels every question.
pub fn classify(
    questions: Vec<Question>,
    taxonomy: &Taxonomy,
    _overrides: &Overrides,
) -> Result<Vec<Labelled>, InputError> {
    let first = taxonomy
        .domains
        .first()
        .map(|d| d.slug.clone())
        .unwrap_or_default();
    Ok(questions
        .into_iter()
        .map(|question| Labelled {
            question,
            labels: Labels {
                domain: first.clone(),
                domain_basis: "default".into(),
                difficulty: Difficulty::Medium,
                difficulty_basis: "default".into(),
            },
        })
        .collect())
}
