"""LEARN001: boilerplate learned from the corpus, with no rule written for it."""
import json
import os
import shutil

import pytest

from conftest import CLEAN_DOCS, FIXTURES
from scrubber import builtin_catalogue, restore
from scrubber.detectors.learned import LearnSettings, count_documents, line_info, normalize, peel
from scrubber.learn import Index, doc_keys

SITE = FIXTURES / "corpus_site"
PAGES = sorted(SITE.glob("*.txt"))
SLOGAN = "The Valley Courier — independent news for the Upper Valley since 1887"
TIP = "Got a story the valley should hear about? Tell our newsroom"


def expected(page_text: str) -> str:
    """The page as a person would clean it: without the site's repeated lines."""
    body = page_text.split(f"{SLOGAN}\n\n", 1)[1]
    return body.split(f"\n\n{TIP}\n", 1)[0] + "\n"


@pytest.fixture
def site(tmp_path):
    dst = tmp_path / "site"
    shutil.copytree(SITE, dst)
    (dst / ".git").mkdir()  # the repository root: the index lives at site/.scrubber/
    return dst


def test_the_rule_is_catalogued():
    rule = builtin_catalogue().get("LEARN001")
    assert rule is not None and rule.category == "learned" and rule.name and rule.doc.strip()
    assert rule.examples_drop and rule.examples_keep


def test_a_repeated_slogan_is_removed_with_no_rule_written(site, run_cli):
    log = site.parent / "log.jsonl"
    code, out, err = run_cli("clean", "--in-place", "--log", log, site)
    assert code == 0, err
    for page in PAGES:
        assert (site / page.name).read_text(encoding="utf-8") == expected(page.read_text(encoding="utf-8")), page.name
    assert (site / "README.md").read_bytes() == (SITE / "README.md").read_bytes()
    records = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]
    changes = [r for r in records if r["type"] != "document"]
    assert changes and {r["rule"] for r in changes} == {"LEARN001"}
    assert {r["category"] for r in changes} == {"learned"}
    assert any("documents of the corpus" in r.get("evidence", "") for r in changes)
    # Every change is logged precisely enough to restore the original.
    from scrubber.changes import Change
    for page in PAGES:
        doc = next(r for r in records if r["type"] == "document" and r["doc"].endswith(page.name))
        mine = [Change.from_json(r) for r in changes if r["doc"] == doc["doc"]]
        assert restore((site / page.name).read_text(encoding="utf-8"), mine,
                       original_hash=doc["original_sha256"]) == page.read_text(encoding="utf-8")


def test_cleaning_twice_changes_nothing(site, run_cli):
    assert run_cli("clean", "--in-place", site)[0] == 0
    once = {p.name: p.read_bytes() for p in site.iterdir() if p.is_file()}
    code, _, err = run_cli("check", site)
    assert code == 0, err
    assert run_cli("clean", "--in-place", site)[0] == 0
    assert {p.name: p.read_bytes() for p in site.iterdir() if p.is_file()} == once


def test_the_result_does_not_depend_on_the_order_of_paths(site, run_cli):
    forward = run_cli("clean", *[site / p.name for p in PAGES])[1]
    backward = run_cli("clean", *[site / p.name for p in reversed(PAGES)])[1]
    pieces = [expected(p.read_text(encoding="utf-8")).encode() for p in PAGES]
    assert forward == b"".join(pieces)
    assert backward == b"".join(reversed(pieces))


def test_too_few_documents_learn_nothing(site, run_cli):
    code, out, _ = run_cli("check", *[site / p.name for p in PAGES[:4]])
    assert code == 0 and out == b""


def test_threshold_is_configurable(site, run_cli):
    (site / ".scrubber.toml").write_text("[learn]\nmin-docs = 9\n")
    assert run_cli("check", site)[0] == 0
    (site / ".scrubber.toml").write_text("[learn]\nmin-docs = 8\n")
    assert run_cli("check", site)[0] == 1
    assert run_cli("check", "--ignore", "LEARN", site)[0] == 0


# -- the safeguards ----------------------------------------------------------------------------------

SETTINGS = LearnSettings()
CORPUS = [
    f"Introduction\n{SLOGAN}\nStory number {n} is told here in a sentence long enough to be prose for the rule."
    f"\n{SLOGAN}\n"
    for n in range(6)
]
COUNTS = count_documents(CORPUS)


def drops(text: str, counts=COUNTS) -> list[str]:
    lines = text.split("\n")
    return [lines[i] for i, _ in peel([line_info(line) for line in lines], counts, SETTINGS)]


def test_only_lines_at_the_edges_go():
    assert drops(f"{SLOGAN}\n\nA brand new sentence of the article that nobody else has written before today."
                 f"\n\n{SLOGAN}") == [SLOGAN, SLOGAN]
    # Inside the article, between its own lines, a repeated line is content.
    inside = (f"The editor wrote a sentence of her own that opens this particular story today.\n{SLOGAN}"
              "\nAnd another line of her own closes it.")
    assert drops(inside) == []


def test_short_common_lines_are_never_candidates():
    # "Introduction" is in every document, but a heading is not boilerplate; it also stops the peeling.
    assert drops("Introduction\n" + SLOGAN
                 + "\nA sentence of this article alone, long enough to count as real prose here.") == []


def test_documents_without_prose_of_their_own_are_left_alone():
    assert drops(f"{SLOGAN}\nIntroduction\n{SLOGAN}") == []
    # A page copied into the corpus six times: all its prose is repeated, so nothing says what is chrome.
    assert drops(CORPUS[0]) == [SLOGAN]
    assert drops(CORPUS[0], count_documents([CORPUS[0]] * 6)) == []


def test_normalization_ignores_case_punctuation_and_tags():
    assert normalize("  <b>Independent</b> NEWS, since 1887!  ") == normalize("independent news since 1887")
    assert normalize("* * *") == ""


def test_clean_fixtures_learn_nothing_from_each_other(run_cli):
    # Sixty unrelated clean documents in one run: no line recurs at enough edges to be removed.
    code, _, err = run_cli("check", "--select", "LEARN", *CLEAN_DOCS, *sorted((FIXTURES / "markdown").glob("*.md")))
    assert code == 0, err


# -- the index ----------------------------------------------------------------------------------------

def test_index_lets_a_few_files_benefit(site, run_cli):
    code, _, err = run_cli("learn", site)
    assert code == 0 and f"{len(PAGES) + 1} documents read" in err, err  # the pages and the README
    assert (site / ".scrubber" / "lines.sqlite").is_file()
    assert (site / ".scrubber" / ".gitignore").read_text().strip().endswith("*")
    first = site / PAGES[0].name
    # One file alone: the index knows the slogan recurs.
    code, _, err = run_cli("check", first)
    assert code == 1 and "LEARN001" in err
    assert run_cli("clean", "--in-place", first)[0] == 0
    assert first.read_text(encoding="utf-8") == expected(PAGES[0].read_text(encoding="utf-8"))
    # Clean the others one at a time: cleaned files still count for the lines taken out of them.
    for page in PAGES[1:]:
        assert run_cli("clean", "--in-place", site / page.name)[0] == 0
        assert (site / page.name).read_text(encoding="utf-8") == expected(page.read_text(encoding="utf-8"))
    # A new page of the site, cleaned alone, loses the slogan too; and cleaning again changes nothing.
    new = site / "new_page.txt"
    new.write_text(f"{SLOGAN}\n\nA brand new story about the harbour that nobody has written before this week.\n",
                   encoding="utf-8")
    assert run_cli("clean", "--in-place", new)[0] == 0
    assert new.read_text(encoding="utf-8").startswith("A brand new story")
    assert run_cli("check", site)[0] == 0


def test_index_entries(tmp_path):
    index = Index(tmp_path / ".scrubber" / "lines.sqlite", create=True)
    a, b = doc_keys("one two three\nfour five six"), doc_keys("one two three")
    assert index.put("a.txt", a, set()) and not index.put("a.txt", a, set())  # nothing to write the second time
    index.put("b.txt", b, set())
    key = next(iter(b))
    assert index.counts([key]) == {key: 2}
    index.put("a.txt", a - b, b)  # the line was removed from a.txt by scrubber: it still counts
    assert index.counts([key]) == {key: 2} and index.entry("a.txt")[key] is True
    index.put("b.txt", set(), set())  # a person deleted it from b.txt: forgotten there
    assert index.counts([key]) == {key: 1}
    index.close()


def test_jsonl_corpus_learns_across_records(tmp_path, run_cli):
    src = tmp_path / "site.jsonl"
    with src.open("w", encoding="utf-8") as fh:
        for n, page in enumerate(PAGES):
            fh.write(json.dumps({"id": f"p{n}", "url": f"https://example.com/{n}",
                                 "text": page.read_text(encoding="utf-8")}, ensure_ascii=False) + "\n")
    log = tmp_path / "log.jsonl"
    code, out, err = run_cli("clean", "--log", log, src)
    assert code == 0, err
    records = [json.loads(line) for line in out.decode().splitlines()]
    assert [r["text"] for r in records] == [expected(p.read_text(encoding="utf-8")) for p in PAGES]
    assert [list(r) for r in records] == [["id", "url", "text"]] * len(PAGES)
    docs = {json.loads(line)["doc"] for line in log.read_text().splitlines()}
    assert f"{src}#p0" in docs


# -- when the rule is not run --------------------------------------------------------------------------

@pytest.mark.parametrize("how", ["ignore", "select", "config"])
def test_without_the_rule_there_is_no_pre_pass(site, run_cli, how):
    """A broken index stops a run that learns (the pre-pass opens it); a run without LEARN001 never
    opens it, nor reads the files before cleaning them."""
    index = site / ".scrubber" / "lines.sqlite"
    index.parent.mkdir()
    index.write_bytes(b"not a database" * 100)
    code, _, err = run_cli("check", site)
    assert code == 2 and "not a scrubber index" in err
    args = {"ignore": ("--ignore", "LEARN001"), "select": ("--select", "MENU", "--select", "SPACE"), "config": ()}[how]
    if how == "config":
        (site / ".scrubber.toml").write_text('ignore = ["LEARN"]\n')
    code, _, err = run_cli("clean", *args, site)
    assert code == 0 and "index" not in err, err


def test_the_pre_pass_reads_no_file_when_no_catalogue_has_the_rule(site, monkeypatch):
    from scrubber import learn
    from scrubber.config import Config, Run

    read = []
    real = learn._documents
    monkeypatch.setattr(learn, "_documents", lambda *a, **k: read.append(1) or real(*a, **k))
    config = Config(root=site)
    assert learn.prepare(Run(config, {}), [str(site)], update_index=False) == "" and read
    run = Run(config, {"ignore": ("LEARN001",)})
    read.clear()
    learn.prepare(run, [str(site)], update_index=False)
    assert not read and run.corpus is None
    # Per-path settings: the rule runs on some files, so the pre-pass does.
    from scrubber.config import Globs, Override
    config = Config(root=site, values={"select": ["MENU"]},
                    overrides=[Override(Globs(["b*.txt"]), {"select": ["LEARN"]})])
    run = Run(config, {})
    learn.prepare(run, [str(site)], update_index=False)
    assert read and run.corpus is not None


# -- memory ---------------------------------------------------------------------------------------------

def test_a_corpus_run_keeps_nothing_between_its_two_passes(tmp_path):
    """Without an index the pre-pass only counts lines (after the editing rules): nothing of a
    document is kept for the main pass, so a corpus far bigger than a page list goes through at the
    memory of a small one. (It used to keep up to 32M characters of cleaned results, about 150 MB.)"""
    import subprocess
    import sys

    from test_safety import REPORT_PEAK

    def write(path, copies):
        with path.open("w", encoding="utf-8") as fh:
            for k in range(copies):
                for n, page in enumerate(PAGES):
                    # every document its own prose (a copied page is left alone), the site's lines shared
                    text = "\n".join(line + f" (Edition {k}.)" if len(line.split()) >= 12 else line
                                     for line in page.read_text(encoding="utf-8").split("\n"))
                    fh.write(json.dumps({"id": f"{k}-{n}", "text": text}) + "\n")

    def peak_mb(path) -> float:
        proc = subprocess.run([sys.executable, "-c", REPORT_PEAK, "clean", "--isolated", "--select", "LEARN001",
                               "--jobs", "1", str(path)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=300)
        assert proc.returncode == 0, proc.stderr[-2000:]
        texts = [json.loads(line)["text"] for line in proc.stdout.decode().splitlines()]
        assert texts and not any(SLOGAN in t for t in texts)  # learned, and removed from every record
        return int(proc.stderr.rsplit(b"VmHWM_KB=", 1)[1]) / 1024

    small, big = tmp_path / "small.jsonl", tmp_path / "big.jsonl"
    write(small, 1)
    write(big, 3_000)
    assert big.stat().st_size > 15_000_000
    # measured: 31 MB for the small corpus; the big one 51 MB now (the counts), 100 MB when it was kept
    assert peak_mb(big) < peak_mb(small) + 40


def test_counts_past_the_memory_limit_go_to_disk_and_add_up():
    import random
    from collections import Counter

    from scrubber.learn import _KeyCounts

    rng = random.Random(3)
    counts, expected = _KeyCounts(limit=50), Counter()
    for _ in range(300):
        keys = {rng.randrange(-2**63, 2**63) if rng.random() < 0.5 else rng.randrange(40) for _ in range(10)}
        counts.add(keys)
        expected.update(keys)
    assert counts.spilled()
    got = list(counts.items())
    assert len(got) == len(expected) and dict(got) == expected
    folder = counts._dir.name
    counts.close()
    assert not os.path.exists(folder)


def test_a_run_whose_counts_went_to_disk_learns_the_same(site, monkeypatch):
    from click.testing import CliRunner

    import scrubber.learn
    from scrubber.cli import cli

    def clean() -> bytes:
        result = CliRunner().invoke(cli, ["clean", "--isolated", str(site)], catch_exceptions=False)
        assert result.exit_code == 0, result.output
        return result.stdout_bytes

    in_memory = clean()
    monkeypatch.setattr(scrubber.learn, "COUNTS_IN_MEMORY", 3)
    assert clean() == in_memory
    assert SLOGAN.encode() not in in_memory and TIP.encode() not in in_memory


def test_a_run_whose_line_infos_went_to_disk_updates_the_index_the_same(site, tmp_path, monkeypatch, run_cli):
    """With an index, each document's line infos wait for the run's counts; past INFOS_IN_MEMORY
    lines they wait in a temporary file, and the index and the output are the same."""
    import sqlite3

    from click.testing import CliRunner

    import scrubber.learn
    from scrubber.cli import cli

    spooled = []
    real = scrubber.learn._Spool.append

    def watched(self, item, lines):
        real(self, item, lines)
        spooled.append(self.file is not None)

    monkeypatch.setattr(scrubber.learn._Spool, "append", watched)

    def run(limit: int):
        copy = tmp_path / f"site-{limit}"
        shutil.copytree(site, copy)
        assert run_cli("learn", copy)[0] == 0
        first = copy / PAGES[0].name  # changed since the index was built: its entry is replaced
        first.write_text(first.read_text(encoding="utf-8").replace(
            f"{SLOGAN}\n\n", f"{SLOGAN}\n\nA new first paragraph for this page, so that it is counted again.\n\n", 1),
            encoding="utf-8")
        monkeypatch.setattr(scrubber.learn, "INFOS_IN_MEMORY", limit)
        result = CliRunner().invoke(cli, ["clean", str(copy)], catch_exceptions=False)
        assert result.exit_code == 0, result.output
        db = sqlite3.connect(copy / ".scrubber" / "lines.sqlite")
        tables = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
        rows = {t: sorted(db.execute(f"SELECT * FROM {t}")) for t in tables}
        db.close()
        return result.stdout_bytes, rows

    in_memory = run(10 ** 9)
    assert spooled and not any(spooled)
    spooled.clear()
    on_disk = run(5)
    assert spooled and all(spooled[1:])  # past the first document, every one went to the file
    assert on_disk == in_memory
    assert SLOGAN.encode() not in in_memory[0]
