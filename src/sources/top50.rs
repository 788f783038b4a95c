//! The `top-50` layout. (Parser not written yet.)

use super::{Layout, SourceFile};
use crate::error::ParseError;
use crate::model::Question;

/// Parser for the `top-50` layout.
pub struct Top50;

impl Layout for Top50 {
    fn name(&self) -> &'static str {
        "top-50"
    }

    fn parse(&self, src: &SourceFile) -> Result<Vec<Question>, ParseError> {
        Err(src.error_at(0, "the `top-50` parser is not written yet"))
    }
}
