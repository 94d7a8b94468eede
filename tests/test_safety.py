"""Never lose data: bad input gets a clear error, bytes survive exactly, in-place writes are atomic
(tested by killing runs), hostile rule packs cannot hang scrubber, and a wrong log is refused.

Most tests run the real command line in a subprocess. The rules used where exact output matters come
from a small pack of the test's own (TST), so these tests do not move when the built-in packs do.
"""
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import scrubber
from conftest import CLEAN_DOCS, SEEDS
from docgen import TEST_PACK
from scrubber.catalogue import PackError, load_pack
from scrubber.changes import read_log, restore, text_hash
from scrubber.engine import Cleaner, Options
from scrubber.io import TEMP_SUFFIX

PROSE = "The council approved the budget on Tuesday after a long debate about roads and schools."


def tst(pack, *args):
    """Command-line arguments that clean with the test pack only."""
    return ("--isolated", "--select", "TST", "--rules", str(pack), *args)


# -- invalid UTF-8, binary files, missing paths ----------------------------------------------------

BAD = b"Menu\nGood line one.\n\xff\xfe broken bytes here\n"


def test_invalid_utf8_file_is_an_error_naming_the_file_and_byte(run_cli, tmp_path, pack):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(BAD)
    code, out, err = run_cli("clean", *tst(pack), bad)
    assert code == 2 and out == b""
    at = BAD.index(b"\xff")
    assert f"{bad}: not valid UTF-8 at byte {at}" in err
    code, out, err = run_cli("clean", *tst(pack), input=BAD)
    assert code == 2 and out == b"" and f"<stdin>: not valid UTF-8 at byte {at}" in err


def test_invalid_file_does_not_stop_the_others(run_cli, tmp_path, pack):
    bad, good = tmp_path / "a_bad.txt", tmp_path / "b_good.txt"
    bad.write_bytes(BAD)
    good.write_bytes(b"Menu\n" + PROSE.encode() + b"\n")
    code, out, err = run_cli("clean", *tst(pack), bad, good)
    assert code == 2 and out == PROSE.encode() + b"\n" and "a_bad.txt" in err
    code, out, err = run_cli("clean", *tst(pack), "--in-place", tmp_path)
    assert code == 2 and bad.read_bytes() == BAD and good.read_bytes() == PROSE.encode() + b"\n"


def test_surrogateescape_carries_undecodable_bytes_through_and_back(run_cli, tmp_path, pack):
    original = (b"Menu\r\n" + PROSE.encode() + b" caf\xe9 \xff\r\n"
                b"junk \xfe\xfd line with bytes\r\n" + b"Last line \x80 < br > end")
    page = tmp_path / "page.txt"
    page.write_bytes(original)
    log = tmp_path / "log.jsonl"
    code, out, err = run_cli("clean", *tst(pack), "--errors", "surrogateescape", "--log", log, page)
    assert code == 0, err
    assert out == PROSE.encode() + b" caf\xe9 \xff\r\n" + b"Last line \x80 end"
    code, back, err = run_cli("restore", "--errors", "surrogateescape", "--log", log, input=out)
    assert code == 0, err
    assert back == original
    # In place, too (its records added to the same log): the file gets the clean bytes, and the log
    # restores the original.
    code, _, err = run_cli("clean", *tst(pack), "--errors", "surrogateescape", "--in-place", "--log", log,
                           "--append-log", page)
    assert code == 0 and page.read_bytes() == out
    code, back, _ = run_cli("restore", "--errors", "surrogateescape", "--log", log, page)
    assert back == original


def test_undecodable_file_names_are_logged_and_restored(run_cli, tmp_path, pack):
    page = Path(os.fsdecode(bytes(tmp_path) + b"/caf\xe9.txt"))
    original = b"Menu\n" + PROSE.encode() + b"\n"
    page.write_bytes(original)
    log = tmp_path / "log.jsonl"
    code, out, err = run_cli("clean", *tst(pack), "--log", log, page)
    assert code == 0, err
    [doc] = read_log(log.read_text(encoding="utf-8").splitlines())
    assert doc.doc == str(page)
    assert run_cli("restore", "--log", log, input=out)[1] == original


def test_binary_files_are_skipped_with_a_message(run_cli, tmp_path, pack):
    png = tmp_path / "image.png"
    png.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8)
    text = tmp_path / "page.txt"
    text.write_bytes(b"Menu\n" + PROSE.encode() + b"\n")
    code, out, err = run_cli("clean", *tst(pack), tmp_path)
    assert code == 0 and out == PROSE.encode() + b"\n"
    assert f"{png}: skipped, looks like a binary file" in err
    before = png.read_bytes()
    code, _, err = run_cli("clean", *tst(pack), "--in-place", tmp_path)
    assert code == 0 and png.read_bytes() == before and "skipped" in err


def test_missing_and_unreadable_paths_exit_2_and_the_rest_is_processed(run_cli, tmp_path, pack):
    good = tmp_path / "good.txt"
    good.write_bytes(b"Menu\n" + PROSE.encode() + b"\n")
    folder = tmp_path / "folder"
    folder.mkdir()
    (folder / "dangling.txt").symlink_to(tmp_path / "nowhere.txt")
    (folder / "ok.txt").write_bytes(PROSE.encode() + b"\n")
    missing = tmp_path / "missing.txt"
    code, out, err = run_cli("clean", *tst(pack), missing, good, folder)
    assert code == 2
    assert f"{missing}: no such file or directory" in err and "dangling.txt: no such file" in err
    assert out == (PROSE + "\n" + PROSE + "\n").encode()
    if os.geteuid() != 0:  # root reads any file
        locked = tmp_path / "locked.txt"
        locked.write_bytes(b"Menu\n")
        locked.chmod(0)
        code, out, err = run_cli("clean", *tst(pack), locked, good)
        assert code == 2 and f"{locked}: cannot read" in err and out == PROSE.encode() + b"\n"


def test_a_fifo_in_a_folder_does_not_block_the_run(tmp_path, pack):
    os.mkfifo(tmp_path / "pipe")
    (tmp_path / "page.txt").write_bytes(b"Menu\n" + PROSE.encode() + b"\n")
    proc = subprocess.run([sys.executable, "-m", "scrubber", "clean", *tst(pack), str(tmp_path)],
                          capture_output=True, timeout=60)
    assert proc.returncode == 0 and proc.stdout == PROSE.encode() + b"\n"
    assert b"pipe: skipped, not a regular file" in proc.stderr


# -- line endings, BOM, NUL, lone CR, final newline, empty files ----------------------------------

P = PROSE.encode()
FORMS = {
    # name: (input bytes, expected clean bytes)
    "lf": (b"Menu\n" + P + b"\nAdvertisement\n" + P + b"\n", P + b"\n" + P + b"\n"),
    "crlf": (b"Menu\r\n" + P + b"\r\nAdvertisement\r\n" + P + b"\r\n", P + b"\r\n" + P + b"\r\n"),
    "mixed": (b"Menu\r\n" + P + b"\nAdvertisement\n" + P + b"\r\n", P + b"\n" + P + b"\r\n"),
    "bom": (b"\xef\xbb\xbfMenu\n" + P + b"\n", b"\xef\xbb\xbf" + P + b"\n"),
    "bom crlf": (b"\xef\xbb\xbf" + P + b"\r\nMenu\r\n", b"\xef\xbb\xbf" + P + b"\r\n"),
    "no final newline, last line kept": (b"Menu\n" + P, P),
    "no final newline, last line dropped": (P + b"\r\nShare on Facebook", P),
    "nul": (b"Menu\n" + P[:10] + b"\x00" + P[10:] + b"\n", P[:10] + b"\x00" + P[10:] + b"\n"),
    # A lone CR is content (old Mac line breaks are not split on); "\rMenu" trims to "Menu".
    "lone cr": (b"Menu\n" + P + b"\rSecond half after a lone CR.\n\rMenu\n", P + b"\rSecond half after a lone CR.\n"),
    "junk with lone cr is one line": (b"junk\rthat is one line\n" + P + b"\n", P + b"\n"),
    "edit keeps crlf": (P + b" < br >\r\n" + P + b"\r\n", P + b"\r\n" + P + b"\r\n"),
    "empty": (b"", b""),
    "only newlines": (b"\n\r\n\n", b"\n\r\n\n"),
    "only a bom": (b"\xef\xbb\xbf", b"\xef\xbb\xbf"),
    "blank lines kept": (P + b"\n\n\n" + P + b"\n", P + b"\n\n\n" + P + b"\n"),
    "blank line left by a drop goes": (P + b"\n\nMenu\n\n" + P + b"\n", P + b"\n\n" + P + b"\n"),
}


@pytest.mark.parametrize("form", FORMS, ids=list(FORMS))
def test_line_endings_bom_and_final_newline_are_kept_exactly(run_cli, tmp_path, pack, form):
    original, expected = FORMS[form]
    page = tmp_path / "page.txt"
    page.write_bytes(original)
    log = tmp_path / "log.jsonl"
    code, out, err = run_cli("clean", *tst(pack), "--log", log, page)
    assert code == 0, err
    assert out == expected
    code, back, err = run_cli("restore", "--log", log, input=out)
    assert (code, back) == (0, original), err
    code, _, err = run_cli("clean", *tst(pack), "--in-place", page)
    assert code == 0 and page.read_bytes() == expected


def test_line_endings_bom_and_final_newline_never_change_the_verdict():
    """Each clean document that the built-in rules leave alone (test_untouched.py wants all of them)
    is also left alone converted to CRLF, given a BOM, and cut before its final newline."""
    cleaner = Cleaner()
    checked = 0
    for path in CLEAN_DOCS:
        text = path.read_bytes().decode("utf-8")
        if cleaner.clean(text).changes:
            continue  # a failure of test_untouched.py, not of line endings
        checked += 1
        for variant in (text.replace("\r\n", "\n").replace("\n", "\r\n"), "\ufeff" + text.lstrip("\ufeff"),
                        text.rstrip("\r\n"), text.replace("\r\n", "\n")):
            result = cleaner.clean(variant)
            assert result.text == variant, f"{path.name}: {[(c.rule, c.before) for c in result.changes][:3]}"
    assert checked >= len(CLEAN_DOCS) // 2


# -- big input ---------------------------------------------------------------------------------------

BIG_MB = int(os.environ.get("SCRUBBER_BIG_MB", "20"))


# The child reports its own peak (VmHWM of its address space) as it exits. Neither RUSAGE_CHILDREN
# nor wait4's ru_maxrss will do: Linux keeps the high-water mark across fork and exec, so a child
# of a pytest process that has grown to 330 MB "peaks" at 330 MB before it does anything.
REPORT_PEAK = (
    "import runpy, sys\n"
    "try:\n"
    "    runpy.run_module('scrubber', run_name='__main__')\n"
    "finally:\n"
    "    hwm = next(l for l in open('/proc/self/status') if l.startswith('VmHWM')).split()[1]\n"
    "    sys.stderr.write('\\nVmHWM_KB=' + hwm + '\\n')\n"
)

@pytest.mark.parametrize("around", [(b"", b""), (b"Menu\n", b"\nShare on Facebook\n")], ids=["alone", "with junk"])
def test_a_huge_single_line_passes_through_in_sane_time_and_memory(tmp_path, pack, around):
    """A line of BIG_MB megabytes (100 in the measurement in docs/safety.md), alone or between two
    junk lines: no rule runs on a line longer than max_line_chars, so it is copied through, and
    time and memory stay linear (a few copies of the file, never a list of its words)."""
    sentence = b"The quick brown fox jumps over the lazy dog, and the council approved the budget. "
    line = sentence * (BIG_MB * 1_000_000 // len(sentence))
    big = tmp_path / "big.txt"
    big.write_bytes(around[0] + line + around[1])
    out, log = tmp_path / "out.txt", tmp_path / "log.jsonl"
    t0 = time.monotonic()
    with out.open("wb") as fh:
        proc = subprocess.Popen([sys.executable, "-c", REPORT_PEAK, "clean", *tst(pack), "--log", str(log), str(big)],
                                stdout=fh, stderr=subprocess.PIPE)
        _, err = proc.communicate(timeout=30 + 6 * BIG_MB)
    seconds = time.monotonic() - t0
    assert proc.returncode == 0, err
    assert out.read_bytes() == line + (b"\n" if around[1] else b"")
    assert seconds < 10 + 3 * BIG_MB, seconds
    peak_mb = int(err.rsplit(b"VmHWM_KB=", 1)[1]) / 1024
    assert peak_mb < 100 + 8 * BIG_MB, peak_mb
    code = subprocess.run([sys.executable, "-m", "scrubber", "restore", "--log", str(log), str(out)],
                          capture_output=True)
    assert code.returncode == 0 and code.stdout == big.read_bytes()


def test_long_lines_are_left_alone_and_the_rest_is_cleaned():
    long_line = ("Words and more words with a broken tag < br > in them. " * 500).strip()
    assert len(long_line) > Options().max_line_chars
    text = "Menu\n" + long_line + "\n" + PROSE + " < br >\n"
    rules = load_pack_text(TEST_PACK)
    result = Cleaner(rules).clean(text)
    assert result.text == long_line + "\n" + PROSE + "\n"
    assert scrubber.restore(result.text, result.changes) == text


ADVERSARIAL = {
    "spaces": " " * 19_990 + "x li >",
    "escaped tags": "&lt;" * 4_999,
    "spaced commas": "a ," * 6_666,
    "dots": "." * 19_999,
    "tags": "< br >" * 3_333,
    "dashes": "- " * 9_999,
    "quotes": "'\"" * 9_999,
}


@pytest.mark.parametrize("shape", ADVERSARIAL, ids=list(ADVERSARIAL))
def test_no_built_in_rule_takes_long_on_an_adversarial_line(shape):
    """Lines just under max_line_chars in shapes that make backtracking regexes slow. A regression
    here means a built-in rule has become quadratic (or worse) in the line length."""
    text = ADVERSARIAL[shape] + "\n"
    t0 = time.monotonic()
    result = Cleaner(options=Options(allow_gutting=True)).clean(text)
    assert time.monotonic() - t0 < 15
    assert scrubber.restore(result.text, result.changes) == text


def load_pack_text(text):
    import tempfile

    from scrubber.catalogue import Catalogue

    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "pack.toml"
        path.write_text(text)
        return Catalogue(load_pack(path))


# -- in-place writes --------------------------------------------------------------------------------

def test_in_place_keeps_permissions_and_symbolic_links(run_cli, tmp_path, pack):
    content = b"Menu\n" + PROSE.encode() + b"\n"
    folder = tmp_path / "corpus"
    folder.mkdir()
    private, script = folder / "private.txt", folder / "script.txt"
    for f, mode in ((private, 0o640), (script, 0o755)):
        f.write_bytes(content)
        f.chmod(mode)
    target = tmp_path / "elsewhere.txt"
    target.write_bytes(content)
    link = folder / "link.txt"
    link.symlink_to(target)
    code, _, err = run_cli("clean", *tst(pack), "--in-place", folder)
    assert code == 0, err
    assert (private.stat().st_mode & 0o777, script.stat().st_mode & 0o777) == (0o640, 0o755)
    assert private.read_bytes() == PROSE.encode() + b"\n"
    assert link.is_symlink() and os.readlink(link) == str(target)
    assert target.read_bytes() == PROSE.encode() + b"\n"
    assert not list(folder.glob("*" + TEMP_SUFFIX)) and not list(tmp_path.glob(".*" + TEMP_SUFFIX))


def test_a_log_inside_the_folder_being_cleaned_is_not_cleaned(run_cli, tmp_path, pack):
    folder = tmp_path / "corpus"
    folder.mkdir()
    page = folder / "page.txt"
    original = b"Menu\n" + PROSE.encode() + b" < br >\n"
    page.write_bytes(original)
    log = folder / "zz_log.txt"  # a name that sorts after the page: it exists when the walk gets there
    code, _, err = run_cli("clean", *tst(pack), "--in-place", "--log", log, folder)
    assert code == 0, err
    assert "zz_log" not in err
    [doc] = read_log(log.read_text().splitlines())
    assert run_cli("restore", "--log", log, page)[1] == original


def _dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def test_temporary_files_of_killed_runs_are_ignored_and_swept(run_cli, tmp_path, pack):
    page = tmp_path / "page.txt"
    page.write_bytes(b"Menu\n" + PROSE.encode() + b"\n")
    stale = tmp_path / f".page.txt.{_dead_pid()}-abc123{TEMP_SUFFIX}"
    stale.write_bytes(b"Menu\nhalf a fi")
    live = tmp_path / f".page.txt.{os.getpid()}-def456{TEMP_SUFFIX}"  # a running writer's: kept
    live.write_bytes(b"Menu\n")
    code, out, err = run_cli("clean", *tst(pack), tmp_path)  # not in place: nothing is removed
    assert out == PROSE.encode() + b"\n" and stale.exists()
    code, _, err = run_cli("clean", *tst(pack), "--in-place", tmp_path)
    assert code == 0, err
    assert not stale.exists() and f"{stale}: removed" in err
    assert live.exists() and live.read_bytes() == b"Menu\n"


KILL_RUNS = int(os.environ.get("SCRUBBER_KILL_RUNS", "10"))


def _make_corpus(folder: Path) -> None:
    """Small pages (the seeds and clean fixtures, some with junk added) and a few files of several
    megabytes whose writes take long enough for kills to land inside them."""
    folder.mkdir()
    pages = [p.read_bytes() for p in SEEDS] + [p.read_bytes() for p in CLEAN_DOCS[:16]]
    for k, data in enumerate(pages):
        junk = b"Menu\n" if k % 3 else b""
        (folder / f"page{k:03d}.txt").write_bytes(junk + data)
    for k in range(4):
        body = (PROSE + "\n") * (1_000 + 1_000 * k)
        (folder / f"big{k}.txt").write_bytes(("Menu\n" + body + "Share on Facebook\n").encode())


def test_killed_in_place_runs_leave_every_file_old_or_new(tmp_path, pack):
    """SIGKILL `clean --in-place --log` at random moments, KILL_RUNS times (SCRUBBER_KILL_RUNS; see
    docs/safety.md for a long run): every file is byte for byte its old or its new version, at most
    one temporary file is left (the write in flight), and every file already rewritten has its
    original in that run's log, restorable."""
    rng = random.Random(int(os.environ.get("SCRUBBER_KILL_SEED", "20240601")))
    orig = tmp_path / "orig"
    _make_corpus(orig)
    old = {p.name: p.read_bytes() for p in orig.iterdir()}
    ref = tmp_path / "ref"
    shutil.copytree(orig, ref)
    cmd = [sys.executable, "-m", "scrubber", "clean", *tst(pack), "--in-place"]
    # A complete run gives the new versions, and the moment the rewriting starts (the first
    # "cleaned NAME" message): before it the run reads and cleans, which kills also hit, but
    # rarely need to.
    t0 = time.monotonic()
    proc = subprocess.Popen([*cmd, str(ref)], stderr=subprocess.PIPE, text=True)
    first_write = None
    for line in proc.stderr:
        if first_write is None and line.startswith("cleaned "):
            first_write = time.monotonic() - t0
    assert proc.wait() == 0
    full = time.monotonic() - t0
    startup = max(0.0, (first_write or 0.0) - 0.25 * (full - (first_write or 0.0)))
    new = {p.name: p.read_bytes() for p in ref.iterdir()}
    changed = sum(new[n] != old[n] for n in old)
    assert changed >= len(old) // 2
    work = tmp_path / "work"
    seen_new, in_flight = set(), 0
    run = 0
    # Even runs are killed by the clock, at times spread over the run (one per slice of it), so kills
    # land while reading, cleaning and inside the writes of big files. Odd runs are killed as soon as
    # the run reports its k-th rewritten file: the clock alone cannot promise a kill between the first
    # and the last rename on a machine faster or slower than the reference run (CI found one).
    while run < KILL_RUNS or (not any(0 < n < changed for n in seen_new) and run < 3 * KILL_RUNS):
        if work.exists():
            shutil.rmtree(work)
        shutil.copytree(orig, work)
        log = tmp_path / f"log{run}.jsonl"
        by_clock = run % 2 == 0
        proc = subprocess.Popen([*cmd, "--log", str(log), str(work)], stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL if by_clock else subprocess.PIPE, text=True)
        if by_clock:
            slot = run % KILL_RUNS
            time.sleep(startup + (full - startup) * (slot + rng.random()) / KILL_RUNS)
        else:
            target, reported = rng.randint(1, changed - 2), 0
            for line in proc.stderr:
                reported += line.startswith("cleaned ")
                if reported == target:
                    break
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        if proc.stderr:
            proc.stderr.close()
        now = {p.name: p.read_bytes() for p in work.iterdir() if not p.name.endswith(TEMP_SUFFIX)}
        assert set(now) == set(old)
        for name, data in now.items():
            assert data in (old[name], new[name]), f"run {run}: {name} is neither old nor new"
        temps = list(work.glob("*" + TEMP_SUFFIX))
        assert len(temps) <= 1, temps
        in_flight += len(temps)
        rewritten = [n for n in now if now[n] != old[n]]
        seen_new.add(len(rewritten))
        if rewritten:
            docs = {d.doc: d for d in read_log(log.read_text(encoding="utf-8").splitlines())}
            for name in rewritten:
                d = docs[str(work / name)]
                text = now[name].decode("utf-8")
                assert restore(text, d.changes, bom="\ufeff" if d.bom else "",
                               original_hash=d.original_hash).encode("utf-8") == old[name]
        run += 1
    # The kills landed at different stages, one at least in the middle of the rewriting.
    assert any(0 < n < changed for n in seen_new), seen_new
    print(f"{run} kills between {startup:.2f}s and {full:.2f}s into the run: rewritten files at the kill "
          f"{sorted(seen_new)} of {len(old)}, {in_flight} kills inside a write")


KILL_POINTS = {
    # where the process kills itself inside atomic_write, and what the file must then be
    "half written": ("""
real_fdopen = os.fdopen
class Half:
    def __init__(self, fh): self.fh = fh
    def __enter__(self): return self
    def __exit__(self, *a): return False
    def write(self, data):
        self.fh.write(data[: len(data) // 2]); self.fh.flush(); os.kill(os.getpid(), signal.SIGKILL)
os.fdopen = lambda fd, mode: Half(real_fdopen(fd, mode))
""", "old"),
    "log synced, no temporary file yet": ("""
real_fsync = os.fsync
def fsync(fd):
    real_fsync(fd); os.kill(os.getpid(), signal.SIGKILL)
os.fsync = fsync
""", "old, no temp"),
    "written, before its fsync": ("""
real_fsync, calls = os.fsync, []
def fsync(fd):
    calls.append(fd)
    if len(calls) == 2: os.kill(os.getpid(), signal.SIGKILL)
    real_fsync(fd)
os.fsync = fsync
""", "old"),
    "before the rename": ("os.replace = lambda a, b: os.kill(os.getpid(), signal.SIGKILL)", "old"),
    "after the rename": ("scrubber.io._sync_dir = lambda d: os.kill(os.getpid(), signal.SIGKILL)", "new"),
}


@pytest.mark.parametrize("point", KILL_POINTS, ids=list(KILL_POINTS))
def test_a_kill_at_each_step_of_a_write_leaves_the_file_old_or_new(tmp_path, pack, point):
    """The random kills above rarely land inside a write; here the run kills itself at each step of
    one. The file is then exactly old or new, the temporary file is the only trace, the log already
    holds the original, and the next run sweeps the temporary file and finishes the job."""
    patch, expect = KILL_POINTS[point]
    page = tmp_path / "corpus" / "page.txt"
    page.parent.mkdir()
    original = b"Menu\n" + PROSE.encode() + b"\n"
    page.write_bytes(original)
    log = tmp_path / "log.jsonl"
    script = ("import os, signal, sys\nimport scrubber.io\n" + patch
              + "\nfrom scrubber.cli import main\nsys.argv[0] = 'scrubber'\nmain()\n")
    proc = subprocess.run([sys.executable, "-c", script, "clean", *tst(pack), "--in-place", "--log", str(log),
                           str(page.parent)], capture_output=True)
    assert proc.returncode == -signal.SIGKILL, proc.stderr
    assert page.read_bytes() == (PROSE.encode() + b"\n" if expect == "new" else original)
    temps = list(page.parent.glob("*" + TEMP_SUFFIX))
    assert len(temps) == (1 if expect == "old" else 0)
    [doc] = read_log(log.read_text().splitlines())
    assert doc.original_hash == text_hash(original.decode())
    done = subprocess.run([sys.executable, "-m", "scrubber", "clean", *tst(pack), "--in-place", str(page.parent)],
                          capture_output=True)
    assert done.returncode == 0
    assert page.read_bytes() == PROSE.encode() + b"\n"
    assert not list(page.parent.glob("*" + TEMP_SUFFIX))


# -- rule packs are data, and cannot hang scrubber -------------------------------------------------

def _pack(tmp_path, body: str) -> Path:
    path = tmp_path / "user.toml"
    path.write_text(body)
    return path


def _rule(rule_id: str, pattern: str, action: str = "drop-line", extra: str = "") -> str:
    return (f'[[rule]]\nid = "{rule_id}"\ncategory = "learned"\naction = "{action}"\n'
            f"pattern = '''{pattern}'''\ndoc = \"test\"\n{extra}")


def test_catastrophic_pattern_in_a_user_pack_runs_in_linear_time(run_cli, tmp_path):
    pack = _pack(tmp_path, _rule("USR001", r"^(a+)+$") + _rule("USR002", r"(x+x+)+y", "strip"))
    text = ("a" * 100_000 + "!\n" + "x" * 50_000 + "\n").encode()
    t0 = time.monotonic()
    code, out, err = run_cli("clean", "--isolated", "--select", "USR", "--rules", pack, input=text)
    assert code == 0 and out == text, err
    assert time.monotonic() - t0 < 20  # Python's re would need longer than the universe's age


@pytest.mark.parametrize("body, reason", [
    (_rule("USR003", r"^(a)\1$"), "not valid RE2"),
    (_rule("USR004", r"(?<=a)b", "strip"), "not valid RE2"),
    (_rule("USR005", "foo(", "strip"), "not valid RE2"),
    (_rule("USR006", "(foo)", "replace", "replace = '\\2'\n"), "not a valid template"),
    (_rule("USR007", "(foo)", "replace", "replace = '\\g<name>'\n"), "not a valid template"),
    (_rule("USR008", "foo", "replace", 'replace = "a\\nb"\n'), "line break"),
    (_rule("USR009", "foo", "replace", "replace = 'a\\nb'\n"), "line break"),
    (_rule("USR010", "(?P<x>foo)", "strip"), "named groups"),
])
def test_bad_user_patterns_are_refused_at_load_with_the_rule_id(run_cli, tmp_path, body, reason):
    pack = _pack(tmp_path, body)
    rule_id = body.split('id = "')[1][:6]
    with pytest.raises(PackError) as exc:
        load_pack(pack)
    assert rule_id in str(exc.value) and reason in str(exc.value) and str(pack) in str(exc.value)
    code, out, err = run_cli("clean", "--isolated", "--rules", pack, input=b"foo\n")
    assert code == 2 and out == b"" and rule_id in err


def test_without_re2_nested_quantifiers_are_refused(monkeypatch, tmp_path):
    from scrubber import patterns

    monkeypatch.setattr(patterns, "_re2", None)
    with pytest.raises(PackError, match="USR011.*nested quantifiers"):
        load_pack(_pack(tmp_path, _rule("USR011", r"^(a+)+$")))


def test_packs_are_data_nothing_in_them_runs(run_cli, tmp_path):
    marker = tmp_path / "pwned"
    code_like = f"__import__('os').system('touch {marker}')"
    pack = _pack(tmp_path, _rule("USR012", r"^never matches this$", extra=f'examples.drop = ["{code_like}"]\n')
                 .replace('doc = "test"', f'doc = "{code_like}"'))
    code, _, _ = run_cli("clean", "--isolated", "--rules", pack, input=b"hello\n")
    run_cli("rules", "--check", pack)
    run_cli("rules", "--rules", pack, "USR012")
    assert code == 0 and not marker.exists()


# -- restore refuses what does not fit ---------------------------------------------------------------

def test_restore_refuses_a_wrong_or_broken_log(run_cli, tmp_path, pack):
    page = tmp_path / "page.txt"
    original = b"Menu\n" + PROSE.encode() + b"\n"
    page.write_bytes(original)
    log = tmp_path / "log.jsonl"
    code, clean, _ = run_cli("clean", *tst(pack), "--log", log, page)
    assert run_cli("restore", "--log", log, input=clean)[:2] == (0, original)
    code, out, err = run_cli("restore", "--log", log, input=clean + b"edited\n")
    assert code == 2 and out == b"" and "refusing to guess" in err
    records = [json.loads(line) for line in log.read_text().splitlines()]
    tampered = tmp_path / "tampered.jsonl"
    records[0]["original_sha256"] = text_hash("something else")
    tampered.write_text("\n".join(json.dumps(r) for r in records) + "\n")
    code, out, err = run_cli("restore", "--log", tampered, input=clean)
    assert code == 2 and out == b"" and "hash" in err
    for name, body in {"garbage": b"not json\n", "latin1": b"\xff\xfe\n", "list": b"[1, 2]\n",
                       "types": (json.dumps(records[0]) + "\n"
                                 + json.dumps({**records[1], "start": "0"})).encode()}.items():
        broken = tmp_path / f"{name}.jsonl"
        broken.write_bytes(body)
        code, out, err = run_cli("restore", "--log", broken, input=clean)
        assert code == 2 and out == b"" and "not a scrubber change log" in err, (name, err)


def test_restore_refuses_to_guess_between_documents_with_the_same_clean_text(run_cli, tmp_path, pack):
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_bytes(b"Menu\n" + PROSE.encode() + b"\n")
    b.write_bytes(b"Advertisement\n" + PROSE.encode() + b"\n")
    log = tmp_path / "log.jsonl"
    code, clean, _ = run_cli("clean", *tst(pack), "--log", log, a, b)
    clean = clean[: len(clean) // 2]
    code, out, err = run_cli("restore", "--log", log, input=clean)
    assert code == 2 and out == b"" and "--doc" in err
    assert run_cli("restore", "--log", log, "--doc", str(b), input=clean)[1] == b.read_bytes()
    # In place, the clean file carries the logged name: no --doc needed.
    assert run_cli("clean", *tst(pack), "--in-place", "--log", log, "--append-log", a, b)[0] == 0
    assert run_cli("restore", "--log", log, a)[1] == b"Menu\n" + PROSE.encode() + b"\n"
    assert run_cli("restore", "--log", log, b)[1] == b"Advertisement\n" + PROSE.encode() + b"\n"
