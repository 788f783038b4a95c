//! `cards.json` (the canonical export) and `cards.schema.json`, its JSON
//! Schema generated from the types in `model`.

use super::{Build, Emitter, Output};
use crate::error::EmitError;
use crate::model::{CardSet, SCHEMA_VERSION};

/// Writes `cards.json` and `cards.schema.json`.
pub struct Json;

impl Emitter for Json {
    fn name(&self) -> &'static str {
        "json"
    }

    fn describe(&self) -> &'static str {
        "cards.json and its JSON Schema, cards.schema.json"
    }

    fn emit(&self, build: &Build) -> Result<Vec<Output>, EmitError> {
        let set = CardSet {
            schema_version: SCHEMA_VERSION,
            cards: build.cards.clone(),
        };
        let mut cards =
            serde_json::to_vec_pretty(&set).map_err(|e| EmitError::format("cards.json", e))?;
        cards.push(b'\n');
        Ok(vec![
            Output::new("cards.json", cards),
            Output::new("cards.schema.json", schema()?),
        ])
    }
}

/// The JSON Schema of `cards.json`.
pub fn schema() -> Result<Vec<u8>, EmitError> {
    let schema = schemars::schema_for!(CardSet);
    let mut bytes = serde_json::to_vec_pretty(&schema)
        .map_err(|e| EmitError::format("cards.schema.json", e))?;
    bytes.push(b'\n');
    Ok(bytes)
}
