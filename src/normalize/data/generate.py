"""Regenerates words.txt and python.txt (run from the repository root).

words.txt: the English words of /usr/share/dict/american-english-large (Debian
`wamerican-large`; three-letter words from the smaller `wamerican` list)
that the guides use, either as a whole word or as the start or end of a run
of letters glued together by the extraction, plus the domain words listed
in extra-words.txt. python.txt: Python keywords, builtins, standard-library
module names and the public names of the modules the guides discuss, plus
code-shaped names from the guides that keep their code marks (backticks).
"""
import builtins, importlib, keyword, re, sys
from pathlib import Path

here = Path(__file__).parent
guides = [p.read_text() for p in sorted(Path("content/sources").glob("*.txt"))]

# Two-letter entries of the dictionary are mostly abbreviations; keep real words.
SHORT = set("a i an as at be by do go he if in is it me my no of on or so to up us we vs ex id".split())
small = set(Path("/usr/share/dict/american-english").read_text().split())
dict_words = set()
for w in Path("/usr/share/dict/american-english-large").read_text().split():
    # Three-letter entries only from the smaller list: the large one has many
    # abbreviations that would split glued names (`f|rom`).
    if len(w) == 3 and w not in small:
        continue
    if w.isalpha() and w.isascii() and w.islower() and (len(w) > 2 or w in SHORT):
        dict_words.add(w)
words = set()
for text in guides:
    for run in re.findall(r"[A-Za-z]+", text):
        low = run.lower()
        if low in dict_words:
            words.add(low)
            continue
        for k in range(2, len(low)):
            if low[:k] in dict_words:
                words.add(low[:k])
            if low[k:] in dict_words:
                words.add(low[k:])
words |= {w.strip() for w in (here / "extra-words.txt").read_text().split() if w.strip() and not w.startswith("#")}
(here / "words.txt").write_text("".join(f"{w}\n" for w in sorted(words)))

names = set(keyword.kwlist) | set(keyword.softkwlist) | set(dir(builtins))
names |= {m for m in sys.stdlib_module_names if not m.startswith("_")}
modules = """os os.path sys asyncio functools itertools collections collections.abc typing
dataclasses contextlib threading multiprocessing json re pathlib subprocess logging
unittest unittest.mock copy gc weakref abc enum heapq bisect io time datetime
concurrent.futures queue inspect pickle sqlite3 struct csv math random string types
operator dis sched signal socket select tempfile shutil zoneinfo importlib site timeit
cProfile pstats tracemalloc pdb traceback warnings array decimal fractions secrets
hashlib uuid argparse statistics textwrap""".split()
for m in modules:
    try:
        mod = importlib.import_module(m)
    except ImportError:
        continue
    names |= {n for n in dir(mod) if not n.startswith("_")}
import collections, pathlib, threading, asyncio, logging, re as re_mod, queue, io
for t in (list, dict, str, set, bytes, bytearray, int, float, tuple, object, type, memoryview, frozenset,
          collections.Counter, collections.deque, collections.OrderedDict, collections.defaultdict,
          pathlib.Path, threading.Thread, asyncio.Task, asyncio.Future, logging.Logger, re_mod.Pattern,
          re_mod.Match, queue.Queue, io.StringIO, type((lambda: (yield))()), threading.Lock().__class__):
    names |= set(dir(t))
code = re.compile(r"`([^`\n]+)`")
for text in guides:
    for span in code.findall(text):
        names |= set(re.findall(r"[A-Za-z_][A-Za-z0-9_]*", span))
names = {n for n in names if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", n)}
(here / "python.txt").write_text("".join(f"{n}\n" for n in sorted(names)))
