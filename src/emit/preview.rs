//! `preview.html`: one self-contained page to look at every card before
//! importing it: the same field HTML, templates and CSS as the Anki note type
//! (`note`), with search, filters by domain, difficulty and source, flip to
//! reveal, and light and night mode. No network and no external assets: the
//! CSS and script are inline, and a Content-Security-Policy forbids loading
//! anything else.

use super::note::{self, NoteFields};
use super::{Build, Emitter, Files, Out};
use crate::error::EmitError;
use crate::render::{escape_text, escape_text_into};
use std::fmt::Write;

/// Writes `preview.html`.
pub struct Preview;

impl Emitter for Preview {
    fn name(&self) -> &'static str {
        "preview"
    }

    fn describe(&self) -> &'static str {
        "preview.html, every card with the Anki note type's HTML and CSS, searchable"
    }

    fn emit(&self, build: &Build, files: &mut Files<'_>) -> Result<(), EmitError> {
        let notes = note::all_fields(build)?;
        files.write("preview.html", |out| page(build, notes, out))
    }
}

/// A parsed Anki template: the syntax the note type's own templates use,
/// `{{Field}}`, `{{text:Field}}`, `{{#Field}}…{{/Field}}` (shown when the
/// field is non-empty) and `{{FrontSide}}`. Parsed once per page, not once
/// per card.
#[derive(Debug, PartialEq)]
enum Segment<'t> {
    Literal(&'t str),
    Field(&'t str),
    Text(&'t str),
    FrontSide,
    Section(&'t str, Vec<Segment<'t>>),
}

/// Parses `template` into its segments. A `{{` with no `}}` after it is
/// literal text to the end; a section with no closing tag runs to the end.
fn parse(template: &str) -> Vec<Segment<'_>> {
    let mut out = Vec::new();
    let mut rest = template;
    while let Some(start) = rest.find("{{") {
        if start > 0 {
            out.push(Segment::Literal(&rest[..start]));
        }
        let after = &rest[start + 2..];
        let Some(end) = after.find("}}") else {
            out.push(Segment::Literal(&rest[start..]));
            return out;
        };
        let tag = after[..end].trim();
        rest = &after[end + 2..];
        if let Some(name) = tag.strip_prefix('#') {
            let close = format!("{{{{/{name}}}}}");
            let (inner, tail) = match rest.find(&close) {
                Some(i) => (&rest[..i], &rest[i + close.len()..]),
                None => (rest, ""),
            };
            out.push(Segment::Section(name, parse(inner)));
            rest = tail;
        } else if tag == "FrontSide" {
            out.push(Segment::FrontSide);
        } else if let Some(name) = tag.strip_prefix("text:") {
            out.push(Segment::Text(name));
        } else {
            out.push(Segment::Field(tag));
        }
    }
    if !rest.is_empty() {
        out.push(Segment::Literal(rest));
    }
    out
}

/// Fills a parsed Anki template (`parse`) into `out`. Field values, looked
/// up by `field`, are inserted as they are (they are HTML already, produced
/// by `render`).
fn fill_into<'f>(
    out: &mut String,
    template: &[Segment<'_>],
    field: &dyn Fn(&str) -> Option<&'f str>,
    front: &str,
) {
    for segment in template {
        match segment {
            Segment::Literal(s) => out.push_str(s),
            Segment::Field(name) => out.push_str(field(name).unwrap_or("")),
            Segment::Text(name) => {
                escape_text_into(out, &note::strip_html(field(name).unwrap_or("")))
            }
            Segment::FrontSide => out.push_str(front),
            Segment::Section(name, inner) => {
                if field(name).is_some_and(|v| !v.trim().is_empty()) {
                    fill_into(out, inner, field, front);
                }
            }
        }
    }
}

/// The value of the note field `name` (`note::FIELDS`).
fn field_of<'f>(f: &'f NoteFields, name: &str) -> Option<&'f str> {
    let i = note::FIELDS.iter().position(|&n| n == name)?;
    f.as_array().get(i).copied()
}

/// Writes the page into `out`, a few cards at a time.
fn page(build: &Build, notes: &[note::RenderedNote], out: &mut Out<'_>) -> std::io::Result<()> {
    let mut domains: Vec<(&str, &str)> = build
        .taxonomy
        .domains
        .iter()
        .filter(|d| build.cards.iter().any(|c| c.domain == d.slug))
        .map(|d| (d.slug.as_str(), d.title.as_str()))
        .collect();
    domains.dedup();
    let mut o = String::with_capacity(2 * FLUSH_AT);
    let title = format!("{} — {} cards", build.deck_name, build.cards.len());
    let _ = write!(
        o,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\">\n\
<title>{}</title>\n<style>\n{}\n{}\n</style>\n</head>\n<body>\n",
        escape_text(&title),
        note::CSS,
        PAGE_CSS
    );
    let _ = write!(
        o,
        "<header class=\"bar\">\n<h1>{}</h1>\n<div class=\"controls\">\n\
<input id=\"search\" type=\"search\" placeholder=\"Search questions and answers\" aria-label=\"Search\">\n",
        escape_text(&build.deck_name)
    );
    select(&mut o, "domain", "All domains", domains.iter().copied());
    select(
        &mut o,
        "difficulty",
        "All difficulties",
        crate::model::Difficulty::ALL
            .iter()
            .map(|d| (d.as_str(), d.as_str())),
    );
    select(
        &mut o,
        "source",
        "All sources",
        build
            .sources
            .iter()
            .map(|s| (s.id.as_str(), s.title.as_str())),
    );
    let _ = write!(
        o,
        "<button id=\"flip-all\" type=\"button\">Show all answers</button>\n\
<button id=\"theme\" type=\"button\" aria-pressed=\"false\">Night mode</button>\n\
<span id=\"count\" aria-live=\"polite\">{n} of {n} cards</span>\n</div>\n</header>\n<main id=\"cards\">\n",
        n = build.cards.len()
    );
    let (front, back) = (parse(note::FRONT), parse(note::BACK));
    for (card, (_, fields)) in build.cards.iter().zip(notes) {
        let field = |name: &str| field_of(fields, name);
        o.push_str("<article class=\"item\" id=\"");
        escape_text_into(&mut o, &card.id);
        o.push_str("\" data-domain=\"");
        escape_text_into(&mut o, &card.domain);
        o.push_str("\" data-difficulty=\"");
        o.push_str(card.difficulty.as_str());
        o.push_str("\" data-sources=\"");
        for (k, s) in card.sources.iter().enumerate() {
            if k > 0 {
                o.push(' ');
            }
            escape_text_into(&mut o, &s.reference.source);
        }
        o.push_str("\">\n<div class=\"card face\">");
        fill_into(&mut o, &front, &field, "");
        o.push_str("\n<div class=\"reveal\" hidden>");
        fill_into(&mut o, &back, &field, "");
        o.push_str(
            "</div>\n</div>\n<button class=\"flip\" type=\"button\" aria-expanded=\"false\">Show answer</button>\n</article>\n",
        );
        if o.len() >= FLUSH_AT {
            std::io::Write::write_all(out, o.as_bytes())?;
            o.clear();
        }
    }
    o.push_str("</main>\n<p id=\"empty\" hidden>No card matches.</p>\n<script>\n");
    o.push_str(SCRIPT);
    o.push_str("</script>\n</body>\n</html>\n");
    std::io::Write::write_all(out, o.as_bytes())
}

/// How much of the page `page` builds before it writes it out.
const FLUSH_AT: usize = 64 << 10;

fn select<'a>(
    o: &mut String,
    id: &str,
    all: &str,
    options: impl Iterator<Item = (&'a str, &'a str)>,
) {
    let _ = write!(
        o,
        "<select id=\"{id}\" aria-label=\"{all}\"><option value=\"\">{all}</option>"
    );
    for (value, label) in options {
        let _ = write!(
            o,
            "<option value=\"{}\">{}</option>",
            escape_text(value),
            escape_text(label)
        );
    }
    o.push_str("</select>\n");
}

/// The page's own layout, around the note type's CSS.
const PAGE_CSS: &str = r#"
body { margin: 0; background: #eef0f3; }
body.nightMode { background: #15171a; }
.bar { position: sticky; top: 0; z-index: 1; background: #fff; border-bottom: 1px solid #d0d4da;
  padding: 10px 16px; font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
body.nightMode .bar { background: #202226; border-color: #33363b; color: #e6e6e6; }
.bar h1 { font-size: 18px; margin: 0 0 8px; }
.controls { display: flex; flex-wrap: wrap; gap: 8px; align-items: center; }
.controls input, .controls select, .controls button { font: inherit; font-size: 14px; padding: 6px 8px;
  border: 1px solid #b8bec6; border-radius: 6px; background: inherit; color: inherit; }
.controls input { flex: 1 1 220px; }
#count { font-size: 13px; color: #666; }
main { max-width: 860px; margin: 0 auto; padding: 12px; }
.item { background: #fff; border-radius: 10px; box-shadow: 0 1px 3px rgba(0,0,0,.12); margin: 14px 0; padding: 4px 0 12px; }
body.nightMode .item { background: #1f2125; box-shadow: none; border: 1px solid #30333a; }
.item .card.face { margin: 0; padding: 12px 20px 0; box-shadow: none; background: transparent; min-height: 0; }
.item .flip { margin: 6px 20px 0; font: 13px system-ui, sans-serif; padding: 5px 10px; border-radius: 6px;
  border: 1px solid #b8bec6; background: transparent; color: inherit; cursor: pointer; }
body.nightMode .item .flip { color: #e6e6e6; border-color: #4a4e55; }
#empty { text-align: center; color: #888; font-family: system-ui, sans-serif; }
"#;

/// Search, filters, flip and theme. Filtering only hides articles.
const SCRIPT: &str = r#"(function () {
  var items = Array.prototype.slice.call(document.querySelectorAll('article.item'));
  var q = document.getElementById('search');
  var d = document.getElementById('domain');
  var l = document.getElementById('difficulty');
  var s = document.getElementById('source');
  var count = document.getElementById('count');
  var empty = document.getElementById('empty');
  // What the search matches: the text of the card's question, answer,
  // details and variants (not its labels), lowercased. Read from the page
  // on the first search, not shipped in it a second time.
  function text(it) {
    if (it.searchText === undefined) {
      var parts = [];
      ['.question', '.answer', '.details', '.variants'].forEach(function (sel) {
        var el = it.querySelector(sel);
        if (el) parts.push(el.textContent);
      });
      it.searchText = parts.join(' ').toLowerCase();
    }
    return it.searchText;
  }
  function apply() {
    // Every word must start a word of the card (so "gil" finds GIL, not "fragile").
    var words = q.value.toLowerCase().split(/\s+/).filter(Boolean).map(function (w) {
      return new RegExp('(^|[^a-z0-9_])' + w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
    });
    var shown = 0;
    items.forEach(function (it) {
      var ok = (!d.value || it.dataset.domain === d.value) &&
        (!l.value || it.dataset.difficulty === l.value) &&
        (!s.value || it.dataset.sources.split(' ').indexOf(s.value) >= 0) &&
        words.every(function (w) { return w.test(text(it)); });
      it.hidden = !ok;
      if (ok) shown++;
    });
    count.textContent = shown + ' of ' + items.length + ' cards';
    empty.hidden = shown > 0;
  }
  function flip(it, open) {
    var r = it.querySelector('.reveal');
    var b = it.querySelector('.flip');
    r.hidden = !open;
    b.setAttribute('aria-expanded', String(open));
    b.textContent = open ? 'Hide answer' : 'Show answer';
  }
  items.forEach(function (it) {
    it.querySelector('.flip').addEventListener('click', function () {
      flip(it, it.querySelector('.reveal').hidden);
    });
  });
  var all = document.getElementById('flip-all');
  all.addEventListener('click', function () {
    var open = all.textContent === 'Show all answers';
    items.forEach(function (it) { flip(it, open); });
    all.textContent = open ? 'Hide all answers' : 'Show all answers';
  });
  var theme = document.getElementById('theme');
  theme.addEventListener('click', function () {
    var night = !document.body.classList.contains('nightMode');
    document.body.classList.toggle('nightMode', night);
    document.body.classList.toggle('night_mode', night);
    theme.setAttribute('aria-pressed', String(night));
    theme.textContent = night ? 'Light mode' : 'Night mode';
  });
  [q, d, l, s].forEach(function (el) { el.addEventListener('input', apply); });
  var params = new URLSearchParams(location.search);
  if (params.get('night') === '1') theme.click();
  if (params.get('open') === '1') all.click();
  ['domain', 'difficulty', 'source'].forEach(function (k) {
    if (params.get(k)) { document.getElementById(k).value = params.get(k); }
  });
  if (params.get('q')) q.value = params.get('q');
  apply();
})();
"#;

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    fn fill(template: &str, fields: &BTreeMap<&str, &str>, front: &str) -> String {
        let mut out = String::new();
        let parsed = parse(template);
        fill_into(&mut out, &parsed, &|name| fields.get(name).copied(), front);
        out
    }

    #[test]
    fn fill_supports_the_note_type_syntax() {
        let mut f = BTreeMap::new();
        f.insert("Question", "<b>Q</b>");
        f.insert("Difficulty", "hard");
        f.insert("Details", "");
        let t =
            "{{Question}}|{{text:Difficulty}}|{{#Details}}D{{Details}}{{/Details}}|{{FrontSide}}";
        assert_eq!(fill(t, &f, "FRONT"), "<b>Q</b>|hard||FRONT");
        f.insert("Details", "x");
        assert_eq!(fill("{{#Details}}[{{Details}}]{{/Details}}", &f, ""), "[x]");
    }

    #[test]
    fn unclosed_tags_and_sections_fill_as_before() {
        let mut f = BTreeMap::new();
        f.insert("Question", "Q");
        // A `{{` without `}}` is literal text to the end.
        assert_eq!(fill("a{{Question}}b{{c", &f, ""), "aQb{{c");
        // A section without its closing tag runs to the end.
        assert_eq!(fill("<{{#Question}}[{{Question}}]", &f, ""), "<[Q]");
        assert_eq!(fill("<{{#Answer}}[{{Question}}]", &f, ""), "<");
        // Nested sections, and text after the last tag.
        let t = "{{#Question}}({{#Question}}{{Question}}{{/Question}}){{/Question}}.";
        assert_eq!(fill(t, &f, ""), "(Q).");
    }

    #[test]
    fn the_note_type_templates_parse_into_their_tags() {
        let back = parse(note::BACK);
        assert_eq!(back.first(), Some(&Segment::FrontSide));
        let sections: Vec<&str> = back
            .iter()
            .filter_map(|s| match s {
                Segment::Section(name, _) => Some(*name),
                _ => None,
            })
            .collect();
        assert_eq!(sections, ["Details", "Variants", "Sources"]);
        assert!(parse(note::FRONT).contains(&Segment::Text("Difficulty")));
    }

    #[test]
    fn the_page_is_self_contained() {
        let build = crate::emit::apkg::tests::synthetic(5);
        let out = crate::emit::to_memory(&Preview, &build).unwrap();
        let html = String::from_utf8(out[0].bytes.clone()).unwrap();
        assert!(html.contains("Content-Security-Policy"));
        // The search text is read from the cards' elements by the script
        // (tests/py/test_preview.py), not shipped a second time.
        for forbidden in ["http://", "https://", "<link", "src=\"", "data-text"] {
            assert!(!html.contains(forbidden), "{forbidden}");
        }
        assert_eq!(
            html.matches("<article class=\"item\"").count(),
            build.cards.len()
        );
    }
}
