//! The deck's one note type, and each card's note fields: the field names,
//! the front and back templates, the CSS, and the HTML that fills the fields.
//! The Anki package, Anki's CSV import and any HTML preview share this module,
//! so a card looks the same wherever it is shown. Field HTML comes only from
//! `crate::render` (source text is never put into a field raw).

use super::Build;
use crate::error::EmitError;
use crate::model::{AnswerOrigin, Card};
use crate::render::{escape_text, inline_to_html, markdown_to_html};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::fmt::Write;

/// The note type's name in Anki. Never change it: Anki's CSV import finds
/// the note type by this name.
pub const NOTE_TYPE_NAME: &str = "deckc Python Interview";

/// The note type's id in Anki. Never change it: Anki matches an imported
/// note type to the one a learner already has by this id.
pub const NOTE_TYPE_ID: i64 = 1_767_225_600_001;

/// The note type's modification time (seconds). Anki replaces a learner's
/// copy of the note type only when this is newer, so bump it whenever the
/// templates or the CSS change (a unit test checks that by fingerprint).
pub const NOTE_TYPE_MTIME: i64 = 1_767_225_600;

/// The fields, in order. `Question` is first and is the sort field.
pub const FIELDS: [&str; 7] = [
    "Question",
    "Answer",
    "Details",
    "Domain",
    "Difficulty",
    "Sources",
    "Variants",
];

/// The name of the one card template.
pub const TEMPLATE_NAME: &str = "Question → Answer";

/// The front of the card: labels, then the question.
pub const FRONT: &str = r#"<div class="labels"><span class="label domain">{{Domain}}</span> <span class="label difficulty difficulty-{{text:Difficulty}}">{{Difficulty}}</span></div>
<div class="question">{{Question}}</div>"#;

/// The back: the front, then answer, details, variants and sources.
pub const BACK: &str = r#"{{FrontSide}}
<hr id="answer">
<div class="answer">{{Answer}}</div>
{{#Details}}<div class="details">{{Details}}</div>{{/Details}}
{{#Variants}}<div class="variants"><div class="section-title">Also asked as</div>{{Variants}}</div>{{/Variants}}
{{#Sources}}<div class="sources">{{Sources}}</div>{{/Sources}}"#;

/// The note type's CSS: readable type, code, tables, lists, night mode
/// (`.nightMode` on desktop, `.night_mode` on AnkiDroid) and phone widths.
pub const CSS: &str = include_str!("note.css");

/// One card's field values, HTML, in `FIELDS` order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoteFields {
    pub question: String,
    pub answer: String,
    pub details: String,
    pub domain: String,
    pub difficulty: String,
    pub sources: String,
    pub variants: String,
}

impl NoteFields {
    /// The fields in `FIELDS` order.
    pub fn as_array(&self) -> [&str; 7] {
        [
            &self.question,
            &self.answer,
            &self.details,
            &self.domain,
            &self.difficulty,
            &self.sources,
            &self.variants,
        ]
    }
}

/// The HTML fields of `card`. `titles` maps source ids to guide titles.
pub fn fields(card: &Card, domain_title: &str, titles: &BTreeMap<&str, &str>) -> NoteFields {
    NoteFields {
        question: inline_to_html(card.question.trim()),
        answer: answer_html(card),
        details: if card.details.trim().is_empty() {
            String::new()
        } else {
            markdown_to_html(&card.details)
        },
        domain: escape_text(domain_title),
        difficulty: escape_text(card.difficulty.as_str()),
        sources: sources_html(card, titles),
        variants: variants_html(&card.variants),
    }
}

/// The answer, with authored text visibly marked. When the primary answer
/// is the guide's text followed by an authored remainder, only the
/// remainder is marked.
fn answer_html(card: &Card) -> String {
    const AUTHORED: &str =
        "<div class=\"origin\">Answer written for this deck; the guide gives none</div>\n";
    const COMPLETED: &str =
        "<div class=\"origin\">Completed for this deck; the guide's text was cut short</div>\n";
    match card.answer_origin {
        AnswerOrigin::Guide => markdown_to_html(&card.answer),
        AnswerOrigin::Authored => format!(
            "<div class=\"authored\">{AUTHORED}{}</div>",
            markdown_to_html(&card.answer)
        ),
        AnswerOrigin::GuideAndAuthored => {
            let split = card.sources.first().and_then(|p| {
                let a = p.authored.as_ref()?;
                (p.full_answer() == card.answer && !p.answer.trim().is_empty())
                    .then_some((p.answer.as_str(), a.answer.as_str()))
            });
            match split {
                Some((guide, authored)) => format!(
                    "{}<div class=\"authored\">{COMPLETED}{}</div>",
                    markdown_to_html(guide),
                    markdown_to_html(authored)
                ),
                None => format!(
                    "<div class=\"authored\">{COMPLETED}{}</div>",
                    markdown_to_html(&card.answer)
                ),
            }
        }
    }
}

/// The sources line: each source question's guide title and number.
fn sources_html(card: &Card, titles: &BTreeMap<&str, &str>) -> String {
    let mut out = String::new();
    for (i, q) in card.sources.iter().enumerate() {
        let r = &q.reference;
        let title = titles
            .get(r.source.as_ref())
            .copied()
            .unwrap_or(r.source.as_ref());
        if i > 0 {
            out.push_str(" · ");
        }
        let _ = write!(
            out,
            "<span class=\"source\">{} #{}</span>",
            escape_text(title),
            r.number
        );
    }
    if out.is_empty() {
        return out;
    }
    format!(
        "Source{}: {out}",
        if card.sources.len() > 1 { "s" } else { "" }
    )
}

/// The other wordings of the question, as a list.
fn variants_html(variants: &[String]) -> String {
    if variants.is_empty() {
        return String::new();
    }
    let mut out = String::from("<ul>");
    for v in variants {
        let _ = write!(out, "<li>{}</li>", inline_to_html(v.trim()));
    }
    out.push_str("</ul>");
    out
}

/// One note's deck name ("Python Interview::<domain title>") and fields.
pub type RenderedNote = (String, NoteFields);

/// The rendered notes of a build, filled once by `all_fields`. Rendering the
/// Markdown is the costliest part of the Anki emitters, and three of them
/// (apkg, anki-csv, preview) need the same fields.
#[derive(Debug, Clone, Default)]
pub struct NoteCache(std::sync::OnceLock<Vec<RenderedNote>>);

/// The fields of every card of `build`, in card order, each with its deck
/// name ("Python Interview::<domain title>"). Rendered on every core the
/// first time, then shared through `build.notes`.
pub fn all_fields(build: &Build) -> Result<&[RenderedNote], EmitError> {
    let domains = build
        .cards
        .iter()
        .map(|card| domain_title(build, card))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(build.notes.0.get_or_init(|| {
        let titles: BTreeMap<&str, &str> = build
            .sources
            .iter()
            .map(|s| (s.id.as_str(), s.title.as_str()))
            .collect();
        let cards: Vec<(&Card, &str)> = build.cards.iter().zip(domains).collect();
        crate::par::map(cards, |(card, domain)| {
            (subdeck_name(build, domain), fields(card, domain, &titles))
        })
    }))
}

/// The title of `card`'s domain (an error if the taxonomy lacks it).
pub fn domain_title<'b>(build: &'b Build, card: &Card) -> Result<&'b str, EmitError> {
    match build.taxonomy.domain(&card.domain) {
        Some(domain) => Ok(domain.title.as_str()),
        None => Err(EmitError::format(
            "anki note",
            format!(
                "card {}: domain `{}` is not in the taxonomy",
                card.id, card.domain
            ),
        )),
    }
}

/// The subdeck of a domain: "<deck name>::<domain title>".
pub fn subdeck_name(build: &Build, domain_title: &str) -> String {
    format!("{}::{}", build.deck_name, domain_title.replace("::", ":"))
}

/// Anki tags for a card: Anki separates tags by spaces, so whitespace inside
/// one tag becomes `_`.
pub fn tags(card: &Card) -> Vec<String> {
    card.tags
        .iter()
        .map(|t| t.split_whitespace().collect::<Vec<_>>().join("_"))
        .filter(|t| !t.is_empty())
        .collect()
}

/// A fingerprint of everything in the note type that a learner's Anki
/// keeps a copy of (name, fields, templates, CSS).
pub fn fingerprint() -> String {
    let mut h = Sha256::new();
    for part in [NOTE_TYPE_NAME, TEMPLATE_NAME, FRONT, BACK, CSS]
        .into_iter()
        .chain(FIELDS)
    {
        h.update((part.len() as u64).to_le_bytes());
        h.update(part.as_bytes());
    }
    h.finalize()[..8]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Plain text of a field's HTML, as Anki stores the sort field: tags
/// dropped, entities decoded.
pub fn strip_html(html: &str) -> String {
    let mut text = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(i) = memchr::memchr2(b'<', b'&', rest.as_bytes()) {
        text.push_str(&rest[..i]);
        let tail = &rest[i..];
        if tail.starts_with('<') {
            match tail.find('>') {
                Some(end) => rest = &tail[end + 1..],
                None => {
                    text.push_str(tail);
                    rest = "";
                }
            }
        } else {
            // An entity's `;` is within its first 11 bytes.
            match tail
                .bytes()
                .take(11)
                .position(|b| b == b';')
                .and_then(|e| Some((decode_entity(&tail[1..e])?, e)))
            {
                Some((c, e)) => {
                    text.push(c);
                    rest = &tail[e + 1..];
                }
                None => {
                    text.push('&');
                    rest = &tail[1..];
                }
            }
        }
    }
    text.push_str(rest);
    text
}

fn decode_entity(name: &str) -> Option<char> {
    match name {
        "lt" => Some('<'),
        "gt" => Some('>'),
        "amp" => Some('&'),
        "quot" => Some('"'),
        "apos" | "#39" => Some('\''),
        "nbsp" => Some('\u{a0}'),
        _ => {
            let num = name.strip_prefix('#')?;
            let n = match num.strip_prefix(['x', 'X']) {
                Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                None => num.parse().ok()?,
            };
            char::from_u32(n)
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::classify::{Domain, Taxonomy};
    use crate::emit::SourceSummary;
    use crate::lock;
    use crate::model::{Authored, Difficulty, Origin, Question, Ref};

    /// A card as `assemble` would make it, from one source question.
    pub(crate) fn card(n: u32, domain: &str, question: &str, answer: &str) -> Card {
        let mut q = Question::new(Ref::new("guide", n), n as usize, question);
        q.answer = answer.into();
        Card {
            id: format!("guide#{n}"),
            question: question.into(),
            answer: answer.into(),
            answer_origin: AnswerOrigin::Guide,
            details: String::new(),
            variants: vec![],
            domain: domain.into(),
            domain_basis: "rule".into(),
            difficulty: Difficulty::Medium,
            difficulty_basis: "rule".into(),
            tags: vec![
                format!("domain::{domain}"),
                "difficulty::medium".into(),
                "source::guide".into(),
            ],
            merge: None,
            sources: vec![q],
        }
    }

    /// A small build over two domains, with authored, tricky and merged cards.
    pub(crate) fn build() -> Build {
        let mut cards = vec![
            card(
                1,
                "core",
                "What does `is` compare?",
                "Identity, not equality: `a is b`.",
            ),
            card(
                2,
                "core",
                "Why do stack traces show <lambda>?",
                "Because `a < b < c` chains & Q&A: **bold**.\n\n- one\n- two",
            ),
            card(
                3,
                "async",
                "What is [sound:x.mp3] {{Question}}?",
                "Inert: [sound:x.mp3] and {{Answer}}.",
            ),
            card(4, "async", "What is the event loop?", ""),
        ];
        cards[1].details =
            "**Interview tip:** say `<lambda>`.\n\n| a | b |\n|---|---|\n| 1 | 2 |".into();
        cards[1].variants = vec!["Where does `<lambda>` come from?".into()];
        let c = &mut cards[3];
        c.answer = "It runs coroutines.".into();
        c.answer_origin = AnswerOrigin::Authored;
        c.tags.push("authored".into());
        c.sources[0].authored = Some(Authored {
            origin: Origin::Authored,
            answer: "It runs coroutines.".into(),
            details: None,
            context_fix: None,
            printed_question: None,
        });
        let (lock, _) = lock::refresh(&lock::Lock::default(), &cards);
        Build {
            deck_name: "Python Interview".into(),
            file_stem: "python-interview".into(),
            cards,
            taxonomy: Taxonomy::from_domains(vec![
                Domain::new("core", "Core Language", ""),
                Domain::new("async", "Async & Concurrency", ""),
                Domain::new("empty", "Unused", ""),
            ]),
            lock,
            sources: vec![SourceSummary {
                id: "guide".into(),
                title: "The <Guide>".into(),
                file: "sources/guide.txt".into(),
                questions: 4,
            }],
            notes: Default::default(),
        }
    }

    #[test]
    fn fields_are_rendered_html_never_raw_source() {
        let b = build();
        let all = all_fields(&b).unwrap();
        let (deck, f) = &all[1];
        assert_eq!(deck, "Python Interview::Core Language");
        assert_eq!(f.question, "Why do stack traces show &lt;lambda&gt;?");
        assert!(f.answer.contains("a &lt; b &lt; c"), "{}", f.answer);
        assert!(f.answer.contains("Q&amp;A"), "{}", f.answer);
        assert!(f.answer.contains("<strong>bold</strong>"), "{}", f.answer);
        assert!(f.answer.contains("<li>one</li>"), "{}", f.answer);
        assert!(f.details.contains("<table>"), "{}", f.details);
        assert!(f.details.contains("&lt;lambda&gt;"), "{}", f.details);
        assert_eq!(
            f.variants,
            "<ul><li>Where does <code>&lt;lambda&gt;</code> come from?</li></ul>"
        );
        assert_eq!(
            f.sources,
            "Source: <span class=\"source\">The &lt;Guide&gt; #2</span>"
        );
        assert_eq!(f.difficulty, "medium");
        let (_, f) = &all[2];
        for v in f.as_array() {
            assert!(!v.contains("[sound:") && !v.contains("{{"), "{v}");
        }
        assert_eq!(all[2].1.domain, "Async &amp; Concurrency");
    }

    #[test]
    fn authored_answers_are_marked_and_guide_answers_are_not() {
        let b = build();
        let all = all_fields(&b).unwrap();
        assert!(!all[0].1.answer.contains("class=\"authored\""));
        assert!(all[3]
            .1
            .answer
            .starts_with("<div class=\"authored\"><div class=\"origin\">Answer written"));
        let mut c = b.cards[3].clone();
        c.sources[0].answer = "The guide's start.".into();
        c.answer = c.sources[0].full_answer().into_owned();
        c.answer_origin = AnswerOrigin::GuideAndAuthored;
        let a = answer_html(&c);
        assert!(a.starts_with("<p>The guide's start.</p>\n<div class=\"authored\"><div class=\"origin\">Completed"), "{a}");
    }

    #[test]
    fn unknown_domain_is_an_error_naming_the_card() {
        let mut b = build();
        b.cards[0].domain = "nope".into();
        let e = all_fields(&b).unwrap_err().to_string();
        assert!(e.contains("guide#1") && e.contains("nope"), "{e}");
    }

    #[test]
    fn strip_html_gives_the_visible_text() {
        assert_eq!(
            strip_html("Why <code>&lt;lambda&gt;</code> &amp; &#91;x&#93;?"),
            "Why <lambda> & [x]?"
        );
        assert_eq!(strip_html("a & b < c"), "a & b < c");
        assert_eq!(strip_html("&bogus; &#x41;"), "&bogus; A");
    }

    #[test]
    fn tags_have_no_spaces() {
        let mut c = card(1, "core", "Q", "A");
        c.tags = vec!["a b".into(), " ".into(), "domain::core".into()];
        assert_eq!(tags(&c), vec!["a_b", "domain::core"]);
    }

    /// Changing the templates or the CSS without bumping `NOTE_TYPE_MTIME`
    /// would leave learners on the old note type: Anki keeps its copy unless
    /// the incoming one is newer.
    #[test]
    fn note_type_changes_bump_its_mtime() {
        const RECORDED: (&str, i64) = ("4411d98797670c7b", 1_767_225_600);
        assert_eq!(
            (fingerprint().as_str(), NOTE_TYPE_MTIME),
            RECORDED,
            "the note type changed: bump NOTE_TYPE_MTIME by one and record the new fingerprint here"
        );
    }
}
