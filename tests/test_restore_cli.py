"""`scrubber restore` from the command line: JSONL corpora record by record, byte for byte; Markdown
and plain text whole; and logs that collect several runs (`clean --append-log`), which `clean --log`
never writes over."""
import json

import pytest

from conftest import CLEAN_DOCS, SEEDS, read
from docgen import TEST_PACK
from scrubber.changes import read_log

PROSE = "The council approved the budget on Tuesday after a long debate about roads and schools."


@pytest.fixture
def pack(tmp_path_factory):
    path = tmp_path_factory.mktemp("pack") / "tst.toml"
    path.write_text(TEST_PACK)
    return path


def tst(pack, select="TST"):
    return ("--isolated", "--select", select, "--rules", str(pack))


def fixture_corpus() -> bytes:
    """A JSONL corpus of fixtures, written in every way a corpus may be: pages with junk and clean
    documents, keys in several orders and spacings, non-ASCII as itself, as \\u escapes and as
    upper-case escapes with escaped slashes, CRLF endings, a record without an id, lines that are
    not records (a blank line, one that is not JSON, one without the field), one last at the end."""
    seeds, clean = [read(p) for p in SEEDS[:4]], [read(p) for p in CLEAN_DOCS[:4]]
    lines = [
        json.dumps({"id": "s0", "url": "https://example.com/0", "text": seeds[0], "n": 1}, ensure_ascii=False),
        json.dumps({"text": clean[0], "id": "c0", "meta": {"lang": "en", "tags": ["a", "b"]}}),
        '{ "url":"u1",  "text" : %s,  "id":"s1" }' % json.dumps(seeds[1]),  # \u escapes
        "",
        json.dumps({"id": 3, "text": seeds[2] + "\nCafé au lait, naïve façade, 東京, emoji 🙂."}, ensure_ascii=False),
        "not json at all",
        json.dumps({"id": "c1", "text": clean[1]}, ensure_ascii=False),
        json.dumps({"text": seeds[3] + "\nPrices in €."}).replace("/", "\\/").replace("\\u20ac", "\\u20AC"),
        json.dumps({"id": "no-text", "title": "no text field"}),
        json.dumps({"id": "s4", "text": "Menu\n" + clean[3]}, separators=(",", ":")),
        json.dumps({"id": "c2", "text": clean[2]}),
        json.dumps({"id": "s5", "text": "Share on Facebook\n" + seeds[0]}, ensure_ascii=False),
    ]
    body = "".join(line + ("\r\n" if k % 3 == 2 else "\n") for k, line in enumerate(lines))
    return (body + "a trailing line that is not a record\n").encode("utf-8")


def test_a_jsonl_corpus_of_fixtures_is_restored_byte_for_byte(run_cli, tmp_path):
    src = tmp_path / "corpus.jsonl"
    original = fixture_corpus()
    src.write_bytes(original)
    log = tmp_path / "log.jsonl"
    code, out, err = run_cli("clean", "--log", log, src)
    assert code == 0, err
    before, after = original.splitlines(keepends=True), out.splitlines(keepends=True)
    assert len(before) == len(after)
    changed = [a for a, b in zip(before, after) if a != b]
    assert 4 <= len(changed) < len([b for b in before if b.startswith(b"{")])  # some records changed, not all
    assert any("東京".encode() in line for line in changed)
    documents = [r for r in map(json.loads, log.read_text(encoding="utf-8").splitlines()) if r["type"] == "document"]
    assert {r.get("json_escapes") for r in documents} >= {"ascii"} and any("json_literal" in r for r in documents)
    # Restored from a file of another name, from stdin, and in place: the original bytes each time.
    cleaned = tmp_path / "cleaned.jsonl"
    cleaned.write_bytes(out)
    code, back, err = run_cli("restore", "--log", log, cleaned)
    assert code == 0, err
    assert back == original
    code, back, err = run_cli("restore", "--log", log, "--format", "jsonl", input=out)
    assert (code, back) == (0, original), err
    log2 = tmp_path / "log2.jsonl"
    code, _, err = run_cli("clean", "--in-place", "--log", log2, src)
    assert code == 0 and src.read_bytes() == out, err
    assert run_cli("restore", "--log", log2, src)[:2] == (0, original)


def test_jsonl_restore_takes_the_field_and_id_options_of_clean(run_cli, tmp_path):
    src = tmp_path / "c.dat"  # not a .jsonl name: --format says it
    original = ('{"key": "k9", "body": "Menu\\n%s", "text": "Menu"}\n'
                '{"key": "k10", "body": "Caf\\u00e9 society.\\nMenu\\n%s"}\n' % (PROSE, PROSE)).encode()
    src.write_bytes(original)
    log = tmp_path / "log.jsonl"
    opts = ("--format", "jsonl", "--field", "body", "--id-field", "key")
    code, out, err = run_cli("clean", *opts, "--log", log, src)
    assert code == 0 and out != original, err
    assert [d.doc for d in read_log(log.read_text().splitlines())] == [f"{src}#k9", f"{src}#k10"]
    code, back, err = run_cli("restore", *opts, "--log", log, input=out)
    assert (code, back) == (0, original), err


def test_jsonl_restore_refuses_a_record_the_log_does_not_hold(run_cli, tmp_path, pack):
    src = tmp_path / "c.jsonl"
    records = [json.dumps({"id": "a", "text": "Menu\n" + PROSE}), json.dumps({"id": "b", "text": PROSE})]
    src.write_text("\n".join(records) + "\n")
    log = tmp_path / "log.jsonl"
    code, out, err = run_cli("clean", *tst(pack), "--log", log, src)
    assert code == 0 and out != src.read_bytes(), err
    # An unchanged record is logged too (with no change records): restore finds it like any other.
    assert [d.changes == [] for d in read_log(log.read_text().splitlines())] == [False, True]
    edited = out.replace(b"schools.", b"schools!", 1)  # record a, edited after cleaning
    code, back, err = run_cli("restore", "--log", log, "--format", "jsonl", input=edited)
    assert code == 2 and back == b"" and "-#a" in err and "refusing" in err
    extra = out + json.dumps({"id": "z", "text": PROSE + " More."}).encode() + b"\n"  # a record added since
    code, back, err = run_cli("restore", "--log", log, "--format", "jsonl", input=extra)
    assert code == 2 and back == b"" and "-#z" in err


def test_jsonl_records_with_the_same_clean_text_restore_by_id(run_cli, tmp_path, pack):
    src = tmp_path / "c.jsonl"
    original = "".join(json.dumps({"id": k, "text": junk + PROSE}) + "\n"
                       for k, junk in enumerate(["Menu\n", "Advertisement\n", ""])).encode()
    src.write_bytes(original)
    log = tmp_path / "log.jsonl"
    code, out, err = run_cli("clean", *tst(pack), "--log", log, src)
    assert code == 0 and len({json.loads(line)["text"] for line in out.splitlines()}) == 1, err
    assert run_cli("restore", "--log", log, "--format", "jsonl", input=out)[:2] == (0, original)


def test_markdown_and_plain_text_restore_whole(run_cli, tmp_path):
    page = tmp_path / "notes.md"
    original = ("---\ntitle: Menu\n---\n\nMenu\n\n# Making stock\n\n" + PROSE + "\n\n```\nMenu\n```\n\n"
                "Share this article\n").encode()
    page.write_bytes(original)
    log = tmp_path / "md.jsonl"
    code, out, err = run_cli("clean", "--log", log, page)
    assert code == 0 and out != original and b"```\nMenu\n```" in out, err
    assert run_cli("restore", "--log", log, input=out)[:2] == (0, original)
    cleaned = tmp_path / "clean.md"
    cleaned.write_bytes(out)
    assert run_cli("restore", "--log", log, cleaned)[:2] == (0, original)
    text = tmp_path / "page.txt"
    text.write_bytes(SEEDS[0].read_bytes())
    log = tmp_path / "txt.jsonl"
    code, out, err = run_cli("clean", "--log", log, text)
    assert code == 0 and out != text.read_bytes(), err
    assert run_cli("restore", "--log", log, input=out)[:2] == (0, text.read_bytes())


# -- one log, several runs ---------------------------------------------------------------------------

def test_clean_refuses_to_write_over_a_log(run_cli, tmp_path, pack):
    page = tmp_path / "page.txt"
    dirty = b"Menu\n" + PROSE.encode() + b"\n"
    page.write_bytes(dirty)
    log = tmp_path / "log.jsonl"
    assert run_cli("clean", *tst(pack), "--log", log, page)[0] == 0
    kept = log.read_bytes()
    for args in (("--log", log, page), ("--in-place", "--log", log, page)):
        code, out, err = run_cli("clean", *tst(pack), *args)
        assert code == 2 and out == b"" and str(log) in err and "--append-log" in err
        assert log.read_bytes() == kept and page.read_bytes() == dirty
    empty = tmp_path / "empty.jsonl"
    empty.write_bytes(b"")
    assert run_cli("clean", *tst(pack), "--log", empty, page)[0] == 0 and empty.read_bytes()
    code, _, err = run_cli("clean", *tst(pack), "--append-log", page)
    assert code == 2 and "--append-log needs --log" in err


def test_restore_walks_back_through_appended_runs(run_cli, tmp_path, pack):
    page = tmp_path / "page.txt"
    original = b"Menu\njunk one\n" + PROSE.encode() + b" < br >\n"
    page.write_bytes(original)
    log = tmp_path / "log.jsonl"
    assert run_cli("clean", *tst(pack, "TST001"), "--in-place", "--log", log, page)[0] == 0
    first = page.read_bytes()
    assert first == b"junk one\n" + PROSE.encode() + b" < br >\n"
    code, _, err = run_cli("clean", *tst(pack), "--in-place", "--log", log, "--append-log", page)
    assert code == 0, err
    second = page.read_bytes()
    assert second == PROSE.encode() + b"\n"
    # A third run changes nothing; it is logged, but undoing it would undo nothing.
    assert run_cli("clean", *tst(pack), "--in-place", "--log", log, "--append-log", page)[0] == 0
    records = [json.loads(line) for line in log.read_text().splitlines()]
    assert [r["type"] for r in records if r["type"] != "change"] == ["document", "run", "document", "run", "document"]
    assert [d.run for d in read_log(log.read_text().splitlines())] == [0, 1, 2]
    code, back, err = run_cli("restore", "--log", log, page)
    assert (code, back) == (0, first), err
    assert run_cli("restore", "--log", log, input=first)[:2] == (0, original)


def test_restore_walks_back_through_appended_runs_of_a_jsonl_file(run_cli, tmp_path, pack):
    src = tmp_path / "c.jsonl"
    texts = {"a": "Menu\n" + PROSE, "b": "junk\n" + PROSE, "c": PROSE + " < br >", "d": PROSE}
    original = "".join(json.dumps({"id": k, "text": v}, ensure_ascii=False) + "\n" for k, v in texts.items()).encode()
    src.write_bytes(original)
    log = tmp_path / "log.jsonl"
    assert run_cli("clean", *tst(pack, "TST001"), "--in-place", "--log", log, src)[0] == 0
    first = src.read_bytes()  # a cleaned; the second run leaves it, cleans b and c
    assert run_cli("clean", *tst(pack), "--in-place", "--log", log, "--append-log", src)[0] == 0
    second = src.read_bytes()
    assert len({original, first, second}) == 3
    code, back, err = run_cli("restore", "--log", log, src)
    assert (code, back) == (0, first), err
    code, back, err = run_cli("restore", "--log", log, "--format", "jsonl", input=first)
    assert (code, back) == (0, original), err


def test_an_appended_run_starts_on_a_line_of_its_own(run_cli, tmp_path, pack):
    page = tmp_path / "page.txt"
    page.write_bytes(b"Menu\n" + PROSE.encode() + b"\n")
    log = tmp_path / "log.jsonl"
    log.write_bytes(b'{"type": "document", "doc": "cut sh')  # a run killed in the middle of a line
    code, out, err = run_cli("clean", *tst(pack), "--log", log, "--append-log", page)
    assert code == 0, err
    lines = log.read_text().splitlines()
    assert lines[0] == '{"type": "document", "doc": "cut sh'
    assert [json.loads(line)["type"] for line in lines[1:]] == ["run", "document", "change"]


def test_restore_leaves_out_a_last_line_cut_short_and_says_so(run_cli, tmp_path, pack):
    """A later run killed while writing its first record leaves a last line with no line feed: the
    runs before it still restore, with a warning. The same line anywhere else is an error."""
    page = tmp_path / "page.txt"
    original = b"Menu\n" + PROSE.encode() + b"\n"
    page.write_bytes(original)
    log = tmp_path / "log.jsonl"
    assert run_cli("clean", *tst(pack), "--in-place", "--log", log, page)[0] == 0
    whole = log.read_bytes()
    cut = b'{"type": "run"}\n{"type": "document", "doc": "cut sh'
    log.write_bytes(whole + cut)
    code, back, err = run_cli("restore", "--log", log, page)
    assert (code, back) == (0, original), err
    assert f"{log}: log line {len(whole.splitlines()) + 2}: not JSON" in err and "cut short" in err
    for broken_log in (whole + cut + b"\n", whole + cut + b"\n\n", cut + b"\n" + whole):
        log.write_bytes(broken_log)
        code, back, err = run_cli("restore", "--log", log, page)
        assert code == 2 and back == b"" and "not a scrubber change log" in err and "not JSON" in err


# -- generated corpora -------------------------------------------------------------------------------

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from fuzzchecks import _invoke  # noqa: E402
from test_fuzz import damaged, encoded, jsonl  # noqa: E402


@st.composite
def corpora(draw) -> bytes:
    data = encoded(draw(jsonl()))
    return draw(damaged(data)) if draw(st.booleans()) else data


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(corpora())
def test_generated_jsonl_corpora_restore_byte_for_byte(data):
    """Generated corpora (ids or none, other keys, \\u escapes or not, lines that are not records,
    damaged bytes carried by surrogateescape): the CLI restores each exactly from its log."""
    import tempfile

    opts = ["--isolated", "--format", "jsonl", "--errors", "surrogateescape"]
    with tempfile.TemporaryDirectory() as tmp:
        log = f"{tmp}/log.jsonl"
        cleaned = _invoke(["clean", *opts, "--log", log], data)
        assert cleaned.exit_code == 0, cleaned.stderr_bytes
        back = _invoke(["restore", *opts, "--log", log], cleaned.stdout_bytes)
        assert back.exit_code == 0, back.stderr_bytes
        assert back.stdout_bytes == data
