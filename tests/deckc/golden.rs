//! Golden JSON for a handful of cards that exercise each layout's traps.

use crate::{assert_golden, compile, content};

/// References whose cards are pinned: the first and a damaged question of
/// each guide.
const PINNED: &[&str] = &[
    "study-guide#1",
    "study-guide#5",
    "top-200#3",
    "top-200#6",
    "top-200#200",
    "scenarios#1",
    "deep-dive#3",
    "deep-dive#28",
    "top-50#14",
    "top-50#33",
];

#[test]
fn pinned_cards_match_their_golden_json() {
    let build = compile(&content()).build;
    for r in PINNED {
        let card = build
            .cards
            .iter()
            .find(|c| c.sources.iter().any(|s| s.reference.to_string() == *r))
            .unwrap_or_else(|| panic!("no card holds {r}"));
        let json = serde_json::to_string_pretty(card).unwrap() + "\n";
        assert_golden(&format!("cards/{}.json", r.replace('#', "-")), &json);
    }
}
