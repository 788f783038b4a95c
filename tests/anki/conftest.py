"""Fixtures for testing deckc's Anki outputs against real Anki (the `anki`
package from PyPI, Anki's own engine). Each build runs `$DECKC_BIN build` on
a copy of `content/` in a temporary folder, so the repository is never
touched; each import goes into a fresh collection."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
from anki.collection import Collection, ImportAnkiPackageOptions, ImportAnkiPackageRequest
from anki.import_export_pb2 import ImportCsvRequest

REPO = Path(__file__).resolve().parents[2]
DECK = "Python Interview"
BASE91 = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&()*+,-./:;<=>?@[]^_`{|}~"


def deckc_bin() -> Path:
    path = Path(os.environ.get("DECKC_BIN", REPO / "target" / "release" / "deckc"))
    if not path.is_absolute():
        path = REPO / path
    if not path.exists():
        pytest.fail(f"{path} does not exist: run `cargo build --release` or set DECKC_BIN")
    return path


def guid_for(card_id: str) -> str:
    """The GUID deckc derives from a card id, computed independently here:
    the first 8 bytes of SHA-256("deckc:" + id) in Anki's base91."""
    n = int.from_bytes(hashlib.sha256(f"deckc:{card_id}".encode()).digest()[:8], "big")
    out = []
    while n:
        n, r = divmod(n, 91)
        out.append(BASE91[r])
    return "".join(reversed(out))


def domain_titles(content: Path) -> dict[str, str]:
    """slug -> title from taxonomy.yaml's `domains:` list."""
    text = (content / "taxonomy.yaml").read_text()
    pairs = re.findall(r"^\s*- slug: (\S+)\n\s+title: (.+)$", text, re.M)
    assert pairs, "no domains found in taxonomy.yaml"
    return {slug: title.strip() for slug, title in pairs}


@dataclass
class Build:
    root: Path  # holds content/ and out/

    @property
    def content(self) -> Path:
        return self.root / "content"

    @property
    def out(self) -> Path:
        return self.root / "out"

    @property
    def apkg(self) -> Path:
        return self.out / "python-interview.apkg"

    @property
    def csv(self) -> Path:
        return self.out / "anki.csv"

    def cards(self) -> list[dict]:
        return json.loads((self.out / "cards.json").read_text())["cards"]

    def build(self) -> None:
        subprocess.run(
            [str(deckc_bin()), "build", "--content", str(self.content), "--out", str(self.out)],
            check=True,
            capture_output=True,
            text=True,
        )


def make_build(root: Path) -> Build:
    b = Build(root)
    shutil.copytree(REPO / "content", b.content)
    b.build()
    return b


@pytest.fixture(scope="session")
def built(tmp_path_factory) -> Build:
    """One build of the repository's content, shared by the read-only tests."""
    return make_build(tmp_path_factory.mktemp("build"))


@pytest.fixture
def fresh_build(tmp_path) -> Build:
    """A build of its own, whose content a test may edit."""
    return make_build(tmp_path / "build")


@pytest.fixture
def collection(tmp_path):
    col = Collection(str(tmp_path / "collection.anki2"))
    yield col
    col.close()


def import_apkg(col: Collection, path: Path):
    """Imports a package as Anki does by default; returns the import log."""
    request = ImportAnkiPackageRequest(package_path=str(path), options=ImportAnkiPackageOptions())
    return col.import_anki_package(request).log


def import_csv(col: Collection, path: Path):
    """Imports a text file with the metadata Anki reads from its header."""
    metadata = col.get_csv_metadata(str(path), None)
    return col.import_csv(ImportCsvRequest(path=str(path), metadata=metadata)).log


def snapshot(col: Collection) -> dict:
    """Every note and card row that an import could change."""
    notes = col.db.all("select id, guid, mid, mod, tags, flds from notes order by id")
    cards = col.db.all("select id, nid, did, ord, mod, type, queue, due, ivl, factor, reps, lapses from cards order by id")
    return {"notes": notes, "cards": cards}
