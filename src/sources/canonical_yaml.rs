//! The `canonical-yaml` layout. (Parser not written yet.)

use super::{Layout, SourceFile};
use crate::error::ParseError;
use crate::model::Question;

/// Parser for the `canonical-yaml` layout.
pub struct CanonicalYaml;

impl Layout for CanonicalYaml {
    fn name(&self) -> &'static str {
        "canonical-yaml"
    }

    fn parse(&self, src: &SourceFile) -> Result<Vec<Question>, ParseError> {
        Err(src.error_at(0, "the `canonical-yaml` parser is not written yet"))
    }
}
