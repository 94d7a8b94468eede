"""Scale: --jobs gives the same output as one process, big inputs stream (in windows), bad bytes are
caught before anything is written."""
import json
import os
import subprocess
import sys

import pytest

from conftest import SEEDS, read
from scrubber.changes import read_log, replay, restore, text_hash
from scrubber.formats import PlainText
from scrubber.io import split_lines


def _run(*args, input: bytes = b"", env=None, cwd=None):
    proc = subprocess.run([sys.executable, "-m", "scrubber", *map(str, args)], input=input, capture_output=True,
                          env={**os.environ, **(env or {})}, cwd=cwd)
    return proc.returncode, proc.stdout, proc.stderr.decode("utf-8", "replace")


@pytest.fixture
def corpus(tmp_path):
    folder = tmp_path / "corpus"
    folder.mkdir()
    for p in SEEDS:
        (folder / p.name).write_bytes(p.read_bytes())
    (folder / "notes.txt").write_bytes(b"not utf-8 \xff here\n")  # an input error amid the files
    with open(folder / "docs.jsonl", "w", encoding="utf-8") as fh:
        for p in SEEDS:
            fh.write(json.dumps({"id": p.stem, "text": read(p)}, ensure_ascii=False) + "\n")
    return folder


def test_jobs_give_the_same_output_and_log(corpus, tmp_path):
    runs = []
    for jobs in (1, 3):
        log = tmp_path / f"log{jobs}.jsonl"
        code, out, err = _run("clean", "--jobs", jobs, corpus, "--log", log)
        runs.append((code, out, log.read_bytes(), sorted(err.splitlines())))
    assert runs[0][0] == runs[1][0] == 2  # the bad file is reported, the rest cleaned
    assert runs[0][1] == runs[1][1] and runs[0][1]
    assert runs[0][2] == runs[1][2]
    assert runs[0][3] == runs[1][3]
    code1, _, err1 = _run("check", "--jobs", 1, corpus)
    code2, _, err2 = _run("check", "--jobs", 2, corpus)
    assert (code1, err1) == (code2, err2) and "would clean" in err1


def test_a_big_text_is_cleaned_in_windows_and_logged_as_one_document(tmp_path):
    text = "\ufeff" + "\n\n".join(read(p) for p in SEEDS * 3)
    path = tmp_path / "big.txt"
    path.write_text(text, encoding="utf-8")
    log = tmp_path / "log.jsonl"
    window = 3000
    units = list(PlainText(window).split(split_lines(text), "x"))
    assert len(units) > 5 and "".join(u.text for u in units) == text
    code, out, err = _run("clean", path, "--log", log, env={"SCRUBBER_WINDOW_CHARS": str(window)})
    assert code == 0, err
    clean = out.decode("utf-8")
    assert clean != text
    with open(log, encoding="utf-8") as fh:
        (doc,) = read_log(fh)  # one document record, the changes of all windows under it
    assert json.loads(log.read_text(encoding="utf-8").splitlines()[0])["windows"] == len(units)
    assert replay(text, doc.changes, bom="\ufeff") == clean  # offsets are the document's own
    assert restore(clean, doc.changes, bom="\ufeff", original_hash=doc.original_hash) == text
    code, restored, err = _run("restore", "--log", log, input=out)
    assert code == 0 and restored.decode("utf-8") == text, err


def test_invalid_utf8_late_in_a_big_input_writes_nothing(tmp_path):
    good = ("The council approved the budget on Tuesday after a long debate.\nMenu\n" * 17_000).encode()
    data = good + b"\xc3(" + b"more text\n"
    path = tmp_path / "late.txt"
    path.write_bytes(data)
    assert len(good) > 1024 * 1024  # past the first chunk read
    for args, stdin in ((["clean", path], b""), (["clean"], data), (["clean", "-"], data)):
        code, out, err = _run(*args, input=stdin)
        assert code == 2 and out == b""
        assert f"not valid UTF-8 at byte {len(good)}" in err
    code, out, err = _run("clean", "--errors", "surrogateescape", "--select", "SPACE", path)
    assert code == 0 and out.endswith(b"\xc3(more text\n")


def test_in_place_streams_and_leaves_clean_files_alone(tmp_path):
    dirty, tidy = tmp_path / "dirty.txt", tmp_path / "tidy.txt"
    dirty.write_bytes(SEEDS[0].read_bytes())
    tidy.write_text("The council approved the budget on Tuesday after a long debate about the roads.\n")
    before = tidy.stat().st_mtime_ns
    code, out, err = _run("clean", "--in-place", dirty, tidy)
    assert code == 0 and out == b""
    assert dirty.read_bytes() != SEEDS[0].read_bytes() and "cleaned" in err
    assert tidy.stat().st_mtime_ns == before
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".scrubber-tmp")]


def test_jobs_with_learned_boilerplate_give_the_same_output(tmp_path):
    """The learned-boilerplate pre-pass runs in the workers too, and its cached results are reused."""
    folder = tmp_path / "site"
    folder.mkdir()
    words = "river bridge council budget harbour ferry school library market station museum garden".split()
    for k in range(14):
        prose = " ".join(words[(k + i) % len(words)] for i in range(14)).capitalize()
        (folder / f"page{k:02d}.txt").write_text(
            f"Westbrook Evening Gazette Daily Edition\n\n{prose}, the report said on Monday.\n\n"
            f"{prose.upper()[:40].capitalize()} was discussed again later in the week by the board.\n\n"
            "All stories from the Westbrook newsroom team\n", encoding="utf-8")
    outs = []
    for jobs in (1, 2):
        log = tmp_path / f"log{jobs}.jsonl"
        code, out, err = _run("clean", "--jobs", jobs, folder, "--log", log)
        assert code == 0, err
        outs.append((out, log.read_bytes()))
    assert outs[0] == outs[1]
    assert b"LEARN001" in outs[0][1]


def test_jobs_give_the_same_log_for_windows_refusals_and_odd_names(tmp_path):
    """The log lines are made in the worker processes: they are those of one process, for a document
    cleaned in windows, refused documents, a file name that UTF-8 cannot encode, and JSONL fields
    spelled otherwise than `clean` writes them."""
    folder = tmp_path / "mix"
    folder.mkdir()
    seeds = [read(p) for p in SEEDS]
    (folder / "big.txt").write_text("\ufeff" + "\n\n".join(seeds * 2), encoding="utf-8")
    odd = os.fsdecode(bytes(folder) + b"/caf\xe9.txt")  # its name holds a lone surrogate
    with open(odd, "w", encoding="utf-8") as fh:
        fh.write(seeds[0])
    with open(folder / "docs.jsonl", "w", encoding="utf-8") as fh:
        for k, text in enumerate(seeds):
            fh.write(json.dumps({"id": f"a{k}", "text": text}) + "\n")  # \u escapes
            fh.write(json.dumps({"id": f"b{k}", "text": f"{text}\nPaid for by 1/2 of us.\n"}).replace("/", "\\/")
                     + "\n")
    runs = []
    for jobs in (1, 2):
        log = tmp_path / f"log{jobs}.jsonl"
        # A low max-removed-share refuses some documents (and some windows) and lets others be cleaned.
        code, out, err = _run("clean", "--isolated", "--jobs", jobs, "--max-removed-share", "0.15", "--log", log,
                              folder, env={"SCRUBBER_WINDOW_CHARS": "3000"})
        assert code == 0, err
        runs.append((out, log.read_bytes(), err))
    assert runs[0] == runs[1]
    records = [json.loads(line) for line in runs[0][1].splitlines()]
    documents = [r for r in records if r["type"] == "document"]
    assert any(r.get("windows", 0) > 5 for r in documents)
    assert {"change", "refused-change"} <= {r["type"] for r in records}
    assert any(r.get("json_escapes") == "ascii" for r in documents) and any("json_literal" in r for r in documents)
    assert any(r["doc"] == odd for r in records if r["type"] != "document")
    assert b"\\udce9" in runs[0][1]  # written with \u escapes
    (big,) = [d for d in read_log(runs[1][1].decode("utf-8").splitlines()) if d.doc.endswith("big.txt")]
    original = (folder / "big.txt").read_text(encoding="utf-8")
    assert text_hash(replay(original, big.changes, bom="\ufeff")) == big.clean_hash  # the windows' offsets
