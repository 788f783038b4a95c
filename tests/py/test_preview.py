"""output/preview.html in Debian's headless Chromium: it renders every card,
a filter changes what is shown, and markup in the content stays inert.

Chromium runs with the project's standard flags and a fresh profile; the page
runs its own script (filters are applied through the page's URL parameters,
which set the same controls a reader uses).
"""
import html.parser
import json
import pathlib
import re
import shutil
import subprocess
import tempfile
import urllib.parse

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
PREVIEW = ROOT / "output" / "preview.html"
SHOTS = pathlib.Path(tempfile.gettempdir()) / "deckc-preview-shots"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium(*args):
    exe = shutil.which("chromium")
    if exe is None:
        pytest.fail("Debian's chromium is not installed (scripts/test.sh installs it)")
    with tempfile.TemporaryDirectory() as profile:
        out = subprocess.run(
            [exe, *FLAGS, f"--user-data-dir={profile}", "--virtual-time-budget=5000", *args],
            capture_output=True,
            text=True,
            timeout=120,
        )
    assert out.returncode == 0, out.stderr[-2000:]
    return out.stdout


def dom(query=""):
    return chromium("--dump-dom", PREVIEW.as_uri() + query)


def articles(html):
    return re.findall(r"<article [^>]*>", html)


def visible(html):
    return [a for a in articles(html) if " hidden=\"\"" not in a]


def cards():
    return json.loads((ROOT / "output" / "cards.json").read_text(encoding="utf-8"))["cards"]


def test_every_card_is_in_the_rendered_dom():
    html = dom()
    assert len(articles(html)) == len(cards())
    assert len(visible(html)) == len(cards())
    assert re.search(r'id="count"[^>]*>%d of %d cards<' % (len(cards()), len(cards())), html)


def test_a_filter_changes_the_count():
    all_cards = cards()
    expected = [c for c in all_cards if c["domain"] == "concurrency" and c["difficulty"] == "hard"]
    assert 0 < len(expected) < len(all_cards)
    html = dom("?domain=concurrency&difficulty=hard")
    shown = visible(html)
    assert len(shown) == len(expected)
    assert {re.search(r'id="([^"]+)"', a).group(1) for a in shown} == {c["id"] for c in expected}


def test_search_matches_word_starts():
    html = dom("?q=gil")
    shown = len(visible(html))
    assert 0 < shown < len(cards())


class SearchText(html.parser.HTMLParser):
    """Each article's search text, read from the page's HTML with Python's
    parser: the text of its question, answer, details and variants, joined
    by spaces and lowercased."""

    FIELDS = {"question", "answer", "details", "variants"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.texts = {}
        self.card = None
        self.parts = []
        self.depth = 0  # open divs inside the field being read

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "article":
            self.card, self.parts = attrs["id"], []
        elif tag == "div" and self.depth:
            self.depth += 1
        elif tag == "div" and self.card and set((attrs.get("class") or "").split()) & self.FIELDS:
            self.depth = 1
            self.parts.append("")

    def handle_endtag(self, tag):
        if tag == "article" and self.card:
            self.texts[self.card] = " ".join(self.parts).lower()
            self.card = None
        elif tag == "div" and self.depth:
            self.depth -= 1

    def handle_data(self, data):
        if self.depth:
            self.parts[-1] += data


def expected_matches(texts, query):
    words = query.lower().split()
    return {
        card
        for card, text in texts.items()
        if all(re.search("(^|[^a-z0-9_])" + re.escape(w), text) for w in words)
    }


def test_search_matches_the_cards_text_and_nothing_else():
    parser = SearchText()
    parser.feed(PREVIEW.read_text(encoding="utf-8"))
    texts = parser.texts
    assert len(texts) == len(cards())
    by_id = {c["id"]: c for c in cards()}
    # A word found only in the hidden answers of some cards, not in their
    # questions: the search reads the back too.
    answer_only = next(
        w
        for w in ["mutable", "descriptor", "bytecode", "reference", "thread"]
        if any(
            w in by_id[c]["answer"].lower() and w not in by_id[c]["question"].lower()
            for c in expected_matches(texts, w)
        )
    )
    # "hard", "medium" and "concurrency" are also labels on the cards
    # (difficulty, domain): a label alone must not match a card.
    # "<lambda>" is written &lt;lambda&gt; in the page.
    queries = [answer_only, "hard", "medium", "concurrency", "<lambda>", "gil thread"]
    for query in queries:
        expected = expected_matches(texts, query)
        assert 0 < len(expected) < len(texts), query
        html = dom("?q=" + urllib.parse.quote(query))
        shown = {re.search(r'id="([^"]+)"', a).group(1) for a in visible(html)}
        assert shown == expected, query
    for label, query in [("difficulty", "hard"), ("domain", "concurrency")]:
        labelled = {c["id"] for c in cards() if c[label] == query}
        assert not labelled <= expected_matches(texts, query), query


def test_screenshots_light_and_night():
    SHOTS.mkdir(exist_ok=True)
    for name, query, size in [
        ("light-desktop", "?open=1&domain=concurrency", "1100,1400"),
        ("night-phone", "?night=1&q=decorator", "390,1400"),
    ]:
        png = SHOTS / f"preview-{name}.png"
        chromium(f"--window-size={size}", f"--screenshot={png}", PREVIEW.as_uri() + query)
        data = png.read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 20_000, png


def test_markup_in_content_is_inert_text():
    html = PREVIEW.read_text(encoding="utf-8")
    # Content such as <lambda> is shown as text, never parsed as a tag.
    assert "&lt;lambda&gt;" in html
    assert "<lambda>" not in html
    rendered = dom()
    assert "<lambda>" not in rendered
