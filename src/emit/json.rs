//! `cards.json` (the canonical export) and `cards.schema.json`, its JSON
//! Schema generated from the types in `model`.

use super::{Build, Emitter, Files};
use crate::error::EmitError;
use crate::model::{Card, CardSet, SCHEMA_VERSION};
use std::io::Write;

/// Writes `cards.json` and `cards.schema.json`.
pub struct Json;

impl Emitter for Json {
    fn name(&self) -> &'static str {
        "json"
    }

    fn describe(&self) -> &'static str {
        "cards.json and its JSON Schema, cards.schema.json"
    }

    fn emit(&self, build: &Build, files: &mut Files<'_>) -> Result<(), EmitError> {
        // `CardSet`'s shape over borrowed cards: the same JSON without a copy
        // of every card (the schema test below holds the two together).
        #[derive(serde::Serialize)]
        struct Borrowed<'a> {
            schema_version: u32,
            cards: Cards<'a>,
        }
        let set = Borrowed {
            schema_version: SCHEMA_VERSION,
            cards: Cards(&build.cards),
        };
        files.write("cards.json", |w| {
            serde_json::to_writer_pretty(&mut *w, &set).map_err(std::io::Error::from)?;
            w.write_all(b"\n")
        })?;
        files.put("cards.schema.json", &schema()?)
    }
}

/// The cards as a JSON array, as a slice serializes, asking for the next
/// card's source text while one is written (`crate::prefetch`).
struct Cards<'a>(&'a [Card]);

impl serde::Serialize for Cards<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeSeq;
        let mut seq = s.serialize_seq(Some(self.0.len()))?;
        for (i, card) in self.0.iter().enumerate() {
            for q in self.0.get(i + 1).into_iter().flat_map(|n| &n.sources) {
                crate::prefetch::question(q);
            }
            seq.serialize_element(card)?;
        }
        seq.end()
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn borrowed_cards_serialize_exactly_as_a_card_set() {
        let b = crate::filter::tests::real_build();
        let out = crate::emit::to_memory(&Json, &b).unwrap();
        let owned = CardSet {
            schema_version: SCHEMA_VERSION,
            cards: b.cards.clone(),
        };
        let mut want = serde_json::to_vec_pretty(&owned).unwrap();
        want.push(b'\n');
        assert_eq!(out[0].path, std::path::Path::new("cards.json"));
        assert!(
            out[0].bytes == want,
            "cards.json differs from CardSet's JSON"
        );
        let back: CardSet = serde_json::from_slice(&out[0].bytes).unwrap();
        assert_eq!(back, owned);
    }
}
