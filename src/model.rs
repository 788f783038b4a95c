//! The canonical schema: the one shape every guide is normalized into, and the
//! card shape that the later stages fill in. This module owns the types only;
//! it has no behaviour beyond small accessors, and every other stage speaks
//! in these types.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::fmt;
use std::sync::Arc;

/// The version of the `cards.json` layout. Bump it when a field changes meaning.
pub const SCHEMA_VERSION: u32 = 1;

/// A source question's reference: `<source id>#<number as printed, without leading zeros>`.
/// The source id is shared: the questions of one guide hold one `Arc` of it
/// (`SourceFile::id`), so the stages that read the ids of many questions
/// read a handful of strings, not one per question.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Ref {
    pub source: Arc<str>,
    pub number: u32,
}

impl Ref {
    pub fn new(source: impl Into<Arc<str>>, number: u32) -> Self {
        Ref {
            source: source.into(),
            number,
        }
    }

    /// Parses `"top-200#54"`. Returns `None` for anything else.
    pub fn parse(s: &str) -> Option<Ref> {
        let (source, number) = s.rsplit_once('#')?;
        if source.is_empty() || number.is_empty() || number.starts_with('0') {
            return None;
        }
        if !number.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        Some(Ref::new(source, number.parse().ok()?))
    }
}

impl fmt::Display for Ref {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}#{}", self.source, self.number)
    }
}

impl Serialize for Ref {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Ref {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Ref::parse(&s).ok_or_else(|| {
            serde::de::Error::custom(format!(
                "`{s}` is not a reference; expected `<source id>#<number>`, e.g. `top-200#54`"
            ))
        })
    }
}

impl JsonSchema for Ref {
    fn schema_name() -> String {
        "Ref".into()
    }
    fn json_schema(_: &mut schemars::gen::SchemaGenerator) -> schemars::schema::Schema {
        let mut schema = schemars::schema::SchemaObject {
            instance_type: Some(schemars::schema::InstanceType::String.into()),
            ..Default::default()
        };
        schema.string().pattern = Some("^[a-z0-9][a-z0-9-]*#[1-9][0-9]*$".into());
        schema.metadata().description =
            Some("`<source id>#<number as printed, without leading zeros>`".into());
        schema.into()
    }
}

/// A follow-up question attached to a source question, with its answer when
/// the guide gives one (often in parentheses after the quoted question).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FollowUp {
    pub question: String,
    #[serde(default)]
    pub answer: Option<String>,
}

/// Where a piece of answer text comes from.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Origin {
    /// Printed in the guide.
    Guide,
    /// Written for this project (the guide had none, or lost it).
    Authored,
}

/// What an authored overlay did to make a question stand alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum ContextFix {
    /// The snippet the question refers to was supplied in `details`.
    Snippet,
    /// The question was rephrased so that it needs no snippet.
    Rephrased,
}

/// Text written for this project and attached to a source question.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Authored {
    /// Always `authored`; kept in the data so every consumer sees it.
    pub origin: Origin,
    /// The authored answer (Markdown). For a guide answer that survived in
    /// part, this is the restored remainder, shown after the surviving text.
    pub answer: String,
    /// Context the guide's question refers to but never shows (Markdown).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub details: Option<String>,
    /// How the question was made to stand alone, if it had to be.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub context_fix: Option<ContextFix>,
    /// The question as printed, when `context_fix` is `rephrased`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub printed_question: Option<String>,
}

/// The canonical record: one question of one guide, normalized.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Question {
    /// `<source id>#<number>`.
    #[serde(rename = "ref")]
    pub reference: Ref,
    /// The guide's own section heading, where it has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub section: Option<String>,
    /// 1-based line of the question in its source file.
    pub line: usize,
    /// The question text exactly as extracted, before normalization.
    pub original_question: String,
    /// The normalized question (Markdown, inline).
    pub question: String,
    /// The normalized answer from the guide (Markdown); empty when the guide has none.
    pub answer: String,
    /// The interviewer tip that closes an answer, where the guide has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tip: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub red_flags: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub follow_ups: Vec<FollowUp>,
    /// Markdown pipe tables, header and delimiter rows included.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tables: Vec<String>,
    /// Authored text for this question, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authored: Option<Authored>,
}

impl Question {
    /// A question with only its identity and text; the parsers fill in the rest.
    pub fn new(reference: Ref, line: usize, question: impl Into<String>) -> Self {
        let question = question.into();
        Question {
            reference,
            section: None,
            line,
            original_question: question.clone(),
            question,
            answer: String::new(),
            tip: None,
            red_flags: Vec::new(),
            follow_ups: Vec::new(),
            tables: Vec::new(),
            authored: None,
        }
    }

    /// Where the answer text comes from, taken as a whole.
    pub fn answer_origin(&self) -> AnswerOrigin {
        match (self.answer.trim().is_empty(), &self.authored) {
            (_, None) => AnswerOrigin::Guide,
            (true, Some(_)) => AnswerOrigin::Authored,
            (false, Some(_)) => AnswerOrigin::GuideAndAuthored,
        }
    }

    /// The full answer as Markdown: the guide's text, then the authored part
    /// (borrowed when there is only one of them).
    pub fn full_answer(&self) -> Cow<'_, str> {
        match &self.authored {
            None => Cow::Borrowed(&self.answer),
            Some(a) if self.answer.trim().is_empty() => Cow::Borrowed(&a.answer),
            Some(a) => Cow::Owned(format!("{}\n\n{}", self.answer.trim_end(), a.answer)),
        }
    }
}

/// Where a card's answer comes from.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum AnswerOrigin {
    Guide,
    Authored,
    GuideAndAuthored,
}

impl AnswerOrigin {
    pub fn as_str(self) -> &'static str {
        match self {
            AnswerOrigin::Guide => "guide",
            AnswerOrigin::Authored => "authored",
            AnswerOrigin::GuideAndAuthored => "guide-and-authored",
        }
    }
}

/// One of the three difficulty levels.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Difficulty {
    Easy,
    Medium,
    Hard,
}

impl Difficulty {
    pub const ALL: [Difficulty; 3] = [Difficulty::Easy, Difficulty::Medium, Difficulty::Hard];

    pub fn as_str(self) -> &'static str {
        match self {
            Difficulty::Easy => "easy",
            Difficulty::Medium => "medium",
            Difficulty::Hard => "hard",
        }
    }

    pub fn parse(s: &str) -> Option<Difficulty> {
        Difficulty::ALL.into_iter().find(|d| d.as_str() == s)
    }
}

impl fmt::Display for Difficulty {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A label with the signal that decided it, e.g. `section: Asyncio & Concurrency`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Labels {
    /// Taxonomy domain slug.
    pub domain: String,
    pub domain_basis: String,
    pub difficulty: Difficulty,
    pub difficulty_basis: String,
}

/// A source question with its labels: the unit that deduplication groups.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Labelled {
    pub question: Question,
    pub labels: Labels,
}

/// How a card's members were grouped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum MergeBasis {
    /// Found by the scoring in `dedup`.
    Automatic,
    /// Forced by a `merge` entry in `dedup.yaml`.
    Curated,
}

/// Why several source questions share a card.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Merge {
    pub basis: MergeBasis,
    /// The lowest pairwise score between the representative and a member (0–1).
    pub score: f64,
}

/// A flashcard: one idea, studied once, with every source question that asks it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Card {
    /// Stable key; see ARCHITECTURE.md ("Card identity").
    pub id: String,
    /// The primary question (Markdown, inline).
    pub question: String,
    /// The primary answer (Markdown). Never empty.
    pub answer: String,
    pub answer_origin: AnswerOrigin,
    /// Everything else worth studying (Markdown): tip, red flags, follow-ups,
    /// tables, the other members' answers, each labelled with its source.
    pub details: String,
    /// The other members' wording of the question.
    pub variants: Vec<String>,
    pub domain: String,
    pub domain_basis: String,
    pub difficulty: Difficulty,
    pub difficulty_basis: String,
    pub tags: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub merge: Option<Merge>,
    /// Every source question in this card, the primary first.
    pub sources: Vec<Question>,
}

/// The document written to `cards.json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct CardSet {
    pub schema_version: u32,
    pub cards: Vec<Card>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refs_round_trip_and_reject_padding() {
        let r = Ref::parse("top-200#54").unwrap();
        assert_eq!(r, Ref::new("top-200", 54));
        assert_eq!(r.to_string(), "top-200#54");
        assert_eq!(Ref::parse("study-guide#05"), None);
        assert_eq!(Ref::parse("study-guide#"), None);
        assert_eq!(Ref::parse("#5"), None);
        assert_eq!(Ref::parse("x#5a"), None);
    }

    #[test]
    fn full_answer_joins_guide_and_authored_text() {
        let mut q = Question::new(Ref::new("deep-dive", 28), 1, "Q");
        q.answer = "Survived.".into();
        assert_eq!(q.answer_origin(), AnswerOrigin::Guide);
        q.authored = Some(Authored {
            origin: Origin::Authored,
            answer: "Restored.".into(),
            details: None,
            context_fix: None,
            printed_question: None,
        });
        assert_eq!(q.full_answer(), "Survived.\n\nRestored.");
        assert_eq!(q.answer_origin(), AnswerOrigin::GuideAndAuthored);
        q.answer.clear();
        assert_eq!(q.full_answer(), "Restored.");
        assert_eq!(q.answer_origin(), AnswerOrigin::Authored);
    }
}
