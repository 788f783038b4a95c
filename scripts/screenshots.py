#!/usr/bin/env python3
"""Renders a few cards of the Anki package as Anki shows them, and takes
headless-Chromium screenshots in light and night mode at desktop and phone
width, to look at the note type's templates and CSS.

The card HTML comes from real Anki (the `anki` package in .venv): the package
is imported into a scratch collection and each card's question and answer are
rendered by Anki's own template engine, then wrapped in a page whose <body>
carries the classes Anki gives it (`card card1`, plus `nightMode night_mode`
in night mode).

    .venv/bin/python scripts/screenshots.py                 # docs/screenshots/
    .venv/bin/python scripts/screenshots.py --all --out /tmp/shots
    .venv/bin/python scripts/screenshots.py --apkg output/python-interview.apkg

Without --apkg it builds the deck into a temporary folder with $DECKC_BIN
(default target/release/deckc) from a copy of content/, so the repository is
not touched.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests" / "anki"))

from anki.collection import Collection, ImportAnkiPackageOptions, ImportAnkiPackageRequest  # noqa: E402
from conftest import guid_for  # noqa: E402  (the tests' independent GUID derivation)

# Window sizes (width, height) per width class and side; a screenshot is
# the window, so heights fit the longest card of the set.
WIDTHS = {"desktop": 1000, "phone": 390}
HEIGHTS = {("desktop", "front"): 320, ("phone", "front"): 360, ("desktop", "back"): 1250, ("phone", "back"): 1750}

# The committed set: (card id, side, mode, width).
COMMITTED = [
    ("deep-dive#2", "back", "light", "desktop"),
    ("deep-dive#2", "back", "night", "phone"),
    ("deep-dive#39", "back", "light", "phone"),
    ("top-50#1", "back", "night", "desktop"),
    ("top-200#100", "front", "light", "phone"),
    ("deep-dive#39", "front", "night", "desktop"),
    ("study-guide#5", "back", "light", "desktop"),
]
# Cards for --all: a table, restored code, an authored answer, a short one.
ALL_CARDS = ["deep-dive#2", "deep-dive#39", "top-50#1", "top-200#100"]


def build_apkg(work: Path) -> Path:
    deckc = Path(os.environ.get("DECKC_BIN", REPO / "target" / "release" / "deckc"))
    shutil.copytree(REPO / "content", work / "content")
    subprocess.run(
        [str(deckc), "build", "--content", str(work / "content"), "--out", str(work / "out"), "--format", "apkg"],
        check=True,
    )
    return work / "out" / "python-interview.apkg"


def page(body: str, night: bool) -> str:
    classes = "card card1" + (" nightMode night_mode" if night else "")
    return (
        "<!doctype html>\n<html><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width, initial-scale=1'>"
        "<style>html, body { margin: 0; }</style></head>"
        f"<body class='{classes}'>{body}</body></html>\n"
    )


def shoot(html_path: Path, png: Path, width: str, side: str) -> None:
    w, h = WIDTHS[width], HEIGHTS[(width, side)]
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run(
            [
                "chromium", "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--hide-scrollbars", f"--user-data-dir={profile}", f"--window-size={w},{h}",
                f"--screenshot={png}", html_path.as_uri(),
            ],
            check=True,
            capture_output=True,
        )


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--apkg", type=Path, help="package to render (default: build one)")
    ap.add_argument("--out", type=Path, default=REPO / "docs" / "screenshots")
    ap.add_argument("--all", action="store_true", help="every card × side × mode × width, not just the committed set")
    ap.add_argument("--cards", help="comma-separated card ids for --all (default: a table, code, authored and short card)")
    args = ap.parse_args()

    shots = (
        [(c, s, m, w) for c in (args.cards.split(",") if args.cards else ALL_CARDS) for s in ("front", "back") for m in ("light", "night") for w in WIDTHS]
        if args.all
        else COMMITTED
    )
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        apkg = args.apkg or build_apkg(work)
        col = Collection(str(work / "screens.anki2"))
        try:
            col.import_anki_package(ImportAnkiPackageRequest(package_path=str(apkg), options=ImportAnkiPackageOptions()))
            for card_id, side, mode, width in shots:
                nid = col.db.scalar("select id from notes where guid = ?", guid_for(card_id))
                if not nid:
                    print(f"skipped {card_id}: not in the package", file=sys.stderr)
                    continue
                card = col.get_note(nid).cards()[0]
                body = card.question() if side == "front" else card.answer()
                name = f"{card_id.replace('#', '-')}-{side}-{mode}-{width}"
                html_path = work / f"{name}.html"
                html_path.write_text(page(body, mode == "night"))
                shoot(html_path, args.out / f"{name}.png", width, side)
                print(args.out / f"{name}.png")
        finally:
            col.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
