"""The command line, run as a user runs it (a subprocess)."""
import json

from conftest import SEEDS, normalized_lines, read

SEED = SEEDS[2]  # menus at the top, a newsletter box at the end
SEED_BYTES = SEED.read_bytes()


def test_clean_is_a_pipe_filter(run_cli):
    code, out, err = run_cli("clean", input=SEED_BYTES)
    assert code == 0, err
    expected = read(SEED.with_name(SEED.stem + ".clean.txt"))
    assert normalized_lines(out.decode()) == normalized_lines(expected)
    code2, out2, _ = run_cli("clean", "-", input=SEED_BYTES)
    assert (code2, out2) == (0, out)


def test_clean_file_writes_stdout_and_leaves_the_file(run_cli, tmp_path):
    f = tmp_path / "page.txt"
    f.write_bytes(SEED_BYTES)
    code, out, err = run_cli("clean", f)
    assert code == 0 and out and err == ""
    assert f.read_bytes() == SEED_BYTES


def test_in_place_rewrites_dirty_files_only(run_cli, tmp_path):
    dirty, tidy = tmp_path / "d" / "dirty.txt", tmp_path / "d" / "tidy.txt"
    dirty.parent.mkdir()
    dirty.write_bytes(SEED_BYTES)
    tidy.write_bytes(b"A clean paragraph that needs nothing.\n")
    code, out, err = run_cli("clean", "--in-place", tmp_path / "d")
    assert code == 0 and out == b""
    assert "dirty.txt" in err and "tidy.txt" not in err
    assert dirty.read_bytes() != SEED_BYTES
    assert tidy.read_bytes() == b"A clean paragraph that needs nothing.\n"


def test_diff_prints_a_unified_diff(run_cli):
    code, out, _ = run_cli("clean", "--diff", SEED)
    assert code == 0
    text = out.decode()
    assert text.startswith("--- a/") and "\n-Menu\n" in text


def test_log_then_restore_gives_the_original(run_cli, tmp_path):
    log = tmp_path / "log.jsonl"
    code, clean_bytes, _ = run_cli("clean", "--log", log, SEED)
    assert code == 0
    records = [json.loads(line) for line in log.read_text().splitlines()]
    assert records[0]["type"] == "document" and records[0]["changes"] == len(records) - 1
    assert all(r["rule"] and r["category"] for r in records[1:])
    code, original, err = run_cli("restore", "--log", log, input=clean_bytes)
    assert code == 0, err
    assert original == SEED_BYTES
    code, _, err = run_cli("restore", "--log", log, input=b"not the clean text\n")
    assert code == 2 and "refusing" in err


def test_check_exit_codes(run_cli, tmp_path):
    tidy = tmp_path / "tidy.txt"
    tidy.write_text("Nothing to remove here.\n")
    assert run_cli("check", tidy)[0] == 0
    code, out, err = run_cli("check", tidy, SEED)
    assert code == 1 and str(SEED) in err and "tidy.txt" not in err and out == b""


def test_missing_path_is_exit_2_and_other_files_still_run(run_cli, tmp_path):
    code, out, err = run_cli("clean", tmp_path / "nope.txt", SEED)
    assert code == 2 and "nope.txt" in err
    assert out  # the existing file was still cleaned


def test_invalid_utf8_names_the_byte_and_writes_nothing(run_cli):
    code, out, err = run_cli("clean", input=b"caf\xe9 au lait\n")
    assert code == 2 and out == b"" and "byte 3" in err
    code, out, _ = run_cli("clean", "--errors", "surrogateescape", input=b"caf\xe9 au lait\n")
    assert code == 0 and out == b"caf\xe9 au lait\n"


def test_explain_shows_verdict_and_rule(run_cli):
    code, out, _ = run_cli("explain", SEED)
    assert code == 0
    lines = out.decode().splitlines()
    assert any(" drop " in line and "MENU" in line and line.rstrip().endswith("Menu") for line in lines)
    assert any(" keep " in line and "Speaking at a university event" in line for line in lines)


def test_rules_lists_and_documents(run_cli):
    code, out, _ = run_cli("rules")
    listing = out.decode().splitlines()
    assert code == 0 and len(listing) >= 20
    rule_id = listing[1].split()[0]
    code, out, _ = run_cli("rules", rule_id)
    assert code == 0 and out.decode().startswith(rule_id)
    assert run_cli("rules", "NOPE999")[0] == 2


def test_rules_check_runs_a_user_packs_examples(run_cli, tmp_path):
    pack = tmp_path / "site.toml"
    pack.write_text('''
[[rule]]
id = "SITE001"
category = "footer"
doc = "The site's slogan under every article."
pattern = '^Journalism you can trust$'
action = "drop-line"
examples.drop = ["Journalism you can trust"]
examples.keep = ["We want journalism you can trust, she said."]
''')
    code, _, err = run_cli("rules", "--check", pack)
    assert code == 0, err
    pack.write_text(pack.read_text().replace('examples.keep = [', 'examples.keep = ["Journalism you can trust", '))
    code, _, err = run_cli("rules", "--check", pack)
    assert code == 1 and "SITE001" in err
    code, out, _ = run_cli("clean", "--rules", pack, input=b"Body text of the article.\nJournalism you can trust\n")
    assert out == b"Body text of the article.\n"


def test_bad_pack_is_rejected_with_file_rule_and_reason(run_cli, tmp_path):
    pack = tmp_path / "bad.toml"
    pack.write_text('[[rule]]\nid = "BAD001"\ncategory = "footer"\ndoc = "x"\npattern = "(a"\naction = "drop-line"\n')
    code, _, err = run_cli("clean", "--rules", pack, input=b"text\n")
    assert code == 2 and "bad.toml" in err and "BAD001" in err


def test_explain_uses_the_configuration_and_the_format_of_clean(run_cli, tmp_path):
    """`explain` shows what `clean` would do with the same file: the project's configuration (here,
    MENU ignored), a Markdown file's protected code block, and JSONL record by record."""
    (tmp_path / ".scrubber.toml").write_text('ignore = ["MENU"]\n', encoding="utf-8")
    prose = "The council approved the budget on Tuesday after a long debate about roads and schools."
    page = tmp_path / "page.txt"
    page.write_text(f"Menu\n{prose}\nShare on Facebook\n", encoding="utf-8")
    code, out, err = run_cli("explain", page)
    assert code == 0, err
    lines = out.decode().splitlines()
    assert lines[0].split()[:2] == ["1", "keep"] and "SHARE" in lines[2]
    code, cleaned, _ = run_cli("clean", page)
    assert b"Menu" in cleaned and b"Share on Facebook" not in cleaned  # explain said what clean does

    md = tmp_path / "notes.md"
    md.write_text(f"# Notes\n\n{prose}\n\n    Share on Facebook\n\n{prose}\n", encoding="utf-8")
    code, out, err = run_cli("explain", "--isolated", md)
    assert code == 0, err
    assert b"keep*" in out and b"drop" not in out  # the indented code line is protected, as in clean

    data = tmp_path / "pages.jsonl"
    data.write_text(json.dumps({"id": "a", "text": f"{prose}\nShare on Facebook\n"}) + "\n"
                    + json.dumps({"id": "b", "text": f"{prose}\n"}) + "\n", encoding="utf-8")
    code, out, err = run_cli("explain", "--isolated", data)
    assert code == 0, err
    text = out.decode()
    assert f"== {data}#a" in text and f"== {data}#b" in text and "SHARE" in text
