"""Markup-looking content is inert in the Anki package, proven by importing
it into real Anki and rendering each card with Anki's own template engine:
`<script>` and `<img onerror>` stay text, `{{Question}}` and `{{c1::…}}` are
not expanded, `[sound:…]` and `[anki:tts]` make no audio tags, and NUL, RTL
and zero-width characters stay visible."""

from __future__ import annotations

import shutil
import subprocess

from conftest import REPO, deckc_bin, import_apkg


def build_hostile(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(REPO / "tests" / "fixtures" / "hostile", content)
    shutil.copy(REPO / "content" / "taxonomy.yaml", content / "taxonomy.yaml")
    out = tmp_path / "out"
    subprocess.run(
        [str(deckc_bin()), "build", "--quiet", "--content", str(content), "--out", str(out)],
        check=True,
        capture_output=True,
        text=True,
    )
    return out / "python-interview.apkg"


def test_markup_is_inert_text_in_real_anki(tmp_path, collection):
    import_apkg(collection, build_hostile(tmp_path))
    cids = collection.find_cards("")
    assert len(cids) == 3
    seen = ""
    for cid in cids:
        card = collection.get_card(cid)
        q, a = card.question(), card.answer()
        html = q + a
        seen += html
        # No audio or TTS tags were made from the text.
        assert card.question_av_tags() == [] and card.answer_av_tags() == []
        assert "[anki:play" not in html
        # No live markup from the content.
        assert "<script>alert" not in html
        assert "<img src=x" not in html
        assert "<b>not bold</b>" not in html
        # Nothing was expanded as a template or a cloze.
        assert "cloze" not in html.replace("c1::cloze", "")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in seen
    assert "&lt;img src=x onerror=alert(1)&gt;" in seen
    assert "&#123;&#123;Question&#125;&#125;" in seen or "{{Question}}" in seen.replace("&#123;", "{").replace("&#125;", "}")
    assert "&#91;sound:x.mp3&#93;" in seen
    assert "&#93;&#93;&gt;" in seen  # "]]>" shown as text
    assert "\u2400" in seen  # NUL shown as the visible NUL symbol
    assert "\u202egnp.exe" in seen and "zero\u200bwidth" in seen


def test_hostile_fields_survive_a_round_trip_through_the_collection(tmp_path, collection):
    import_apkg(collection, build_hostile(tmp_path))
    flds = "".join(collection.db.list("select flds from notes"))
    assert "&lt;script&gt;" in flds and "<script>" not in flds
    assert "[sound:" not in flds
