"""Markdown and JSONL: only prose and the chosen field are judged; everything else passes byte for byte."""
import gzip
import json

import pytest

from conftest import FIXTURES
from scrubber.engine import Cleaner
from scrubber.formats import format_for
from scrubber.formats.jsonl import field_span
from scrubber.formats.markdown import protected_lines
from scrubber.io import split_lines
from scrubber.runner import clean_units

MARKDOWN = sorted((FIXTURES / "markdown").glob("*.md"))


def run_format(form, text, source="doc"):
    cleaner = Cleaner()
    return "".join(form.join(clean_units(cleaner, form.split(split_lines(text), source))))


# -- Markdown --------------------------------------------------------------------------------------

def test_markdown_fixtures_exist():
    assert len(MARKDOWN) >= 10


@pytest.mark.parametrize("path", MARKDOWN, ids=lambda p: p.name)
def test_markdown_fixture_passes_unchanged(path):
    text = path.read_bytes().decode("utf-8")
    assert run_format(format_for(str(path)), text, str(path)) == text


def test_markdown_is_chosen_by_extension():
    assert format_for("notes.md").name == "markdown"
    assert format_for("notes.MARKDOWN").name == "markdown"
    assert format_for("notes.txt").name == "text"
    assert format_for("notes.txt", "markdown").name == "markdown"


JUNK_MD = """---
title: Menu
tags: [share, subscribe]
---

Menu

# Making stock

Good stock starts with cold water and takes the whole afternoon, so start early in the day.

```text
Menu
Share this article
```

    Menu
    Subscribe to our newsletter

| Menu | Share |
|------|-------|
| Menu | Share |

[Menu]: https://example.com/menu "Menu"

<div>
Menu
</div>

Share this article
"""


def test_markdown_protects_code_front_matter_tables_links_and_html():
    out = run_format(format_for("x.md"), JUNK_MD)
    # The prose-level junk goes ...
    assert "\nMenu\n\n# Making stock" not in out
    assert not out.rstrip().endswith("Share this article")
    # ... and every protected block is there, byte for byte.
    for block in ("---\ntitle: Menu\ntags: [share, subscribe]\n---\n", "```text\nMenu\nShare this article\n```\n",
                  "    Menu\n    Subscribe to our newsletter\n",
                  "| Menu | Share |\n|------|-------|\n| Menu | Share |\n",
                  '[Menu]: https://example.com/menu "Menu"\n', "<div>\nMenu\n</div>\n"):
        assert block in out, block
    # Plain text would have removed the lines inside the code block.
    assert "```text\nMenu\n" not in run_format(format_for("x.txt"), JUNK_MD)


def test_markdown_protected_line_numbers():
    text = "---\na: 1\n---\nProse here.\n~~~\ncode\n~~~~\nMore prose.\n"
    assert protected_lines(text) == {0, 1, 2, 4, 5, 6}
    # An unclosed fence protects to the end; `---` not at the top is not front matter.
    assert protected_lines("Text\n---\n```\nx\n") == {2, 3}


# -- JSONL -----------------------------------------------------------------------------------------

# Junk above a prose line (a sentence of twelve words or more) is what the built-in rules remove.
BODY = "The council approved the budget on Tuesday after a long debate about the harbour ferry."
CAFE = "prices rose by a tenth this year, the bakers' guild said in its annual report on Monday."
RECORDS = [
    '{"id": "a1", "url": "https://example.com/a", "text": "Menu\\n%s\\n", "n": 1.50}\n' % BODY,
    '{"text": "Nothing to remove here.", "id": 7, "meta": {"lang": "en"}}\n',
    '{ "url":"u",  "text" : "Share this article\\nCaf\\u00e9 %s",  "id":"b2" }\r\n' % CAFE,
    '\n',
    'not json at all\n',
    '{"id": "c3", "title": "no text field"}\n',
]


def test_jsonl_keeps_every_other_byte():
    text = "".join(RECORDS)
    out = run_format(format_for("corpus.jsonl"), text, "corpus.jsonl")
    lines = split_lines(out)
    assert len(lines) == len(RECORDS)
    # Unchanged records, blank lines and lines that are not documents: the very same bytes.
    for i in (1, 3, 4, 5):
        assert lines[i] == RECORDS[i]
    # Changed records: the same keys in the same order, the same other values and spacing.
    assert lines[0] == '{"id": "a1", "url": "https://example.com/a", "text": "%s\\n", "n": 1.50}\n' % BODY
    assert lines[2] == '{ "url":"u",  "text" : "Café %s",  "id":"b2" }\r\n' % CAFE
    assert list(json.loads(lines[2])) == ["url", "text", "id"]


def test_jsonl_names_documents_by_id_else_line(run_cli, tmp_path):
    src = tmp_path / "corpus.jsonl"
    src.write_text(RECORDS[0] + '{"text": "Menu\\n%s"}\n' % BODY, encoding="utf-8")
    log = tmp_path / "log.jsonl"
    code, out, err = run_cli("clean", "--log", log, src)
    assert code == 0, err
    docs = [json.loads(line)["doc"] for line in log.read_text().splitlines()
            if json.loads(line)["type"] == "document"]
    assert docs == [f"{src}#a1", f"{src}:2"]


def test_jsonl_other_field_and_id(run_cli, tmp_path):
    src = tmp_path / "c.jsonl"
    src.write_text('{"key": "k9", "body": "Menu\\n%s", "text": "Menu"}\n' % BODY, encoding="utf-8")
    log = tmp_path / "log.jsonl"
    code, out, err = run_cli("clean", "--field", "body", "--id-field", "key", "--log", log, src)
    assert code == 0, err
    assert out.decode() == '{"key": "k9", "body": "%s", "text": "Menu"}\n' % BODY
    assert json.loads(log.read_text().splitlines()[0])["doc"] == f"{src}#k9"


def test_jsonl_from_stdin_with_format_flag(run_cli):
    code, out, err = run_cli("clean", "--format", "jsonl", input=RECORDS[0].encode())
    assert code == 0, err
    assert json.loads(out)["text"] == BODY + "\n"


def test_jsonl_gzip_in_place(run_cli, tmp_path):
    src = tmp_path / "corpus.jsonl.gz"
    src.write_bytes(gzip.compress("".join(RECORDS[:3]).encode()))
    code, out, err = run_cli("clean", "--in-place", src)
    assert code == 0, err
    lines = gzip.decompress(src.read_bytes()).decode().splitlines(keepends=True)
    assert lines[1] == RECORDS[1]
    assert json.loads(lines[0])["text"] == BODY + "\n"
    # stdout gets the decompressed JSON lines.
    code, out, _ = run_cli("clean", src)
    assert out.decode().splitlines(keepends=True) == lines


def test_jsonl_zstd_in_place(run_cli, tmp_path):
    zstd = pytest.importorskip("zstandard")
    src = tmp_path / "corpus.jsonl.zst"
    src.write_bytes(zstd.ZstdCompressor().compress("".join(RECORDS[:2]).encode()))
    code, _, err = run_cli("clean", "--in-place", src)
    assert code == 0, err
    data = zstd.ZstdDecompressor().decompressobj().decompress(src.read_bytes()).decode()
    assert data.splitlines(keepends=True)[1] == RECORDS[1]
    assert "Menu" not in data


def test_field_span_finds_the_last_top_level_key():
    line = '{"text": "a", "meta": {"text": "inner"}, "text": "b"}'
    value, start, end = field_span(line, "text")
    assert value == "b" and line[start:end] == '"b"'
    with pytest.raises(ValueError):
        field_span("[1, 2]", "text")


def test_folders_skip_binary_files_with_a_message(run_cli, tmp_path):
    (tmp_path / "page.txt").write_text(f"Menu\n{BODY}\n")
    (tmp_path / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    code, out, err = run_cli("clean", tmp_path)
    assert code == 0
    assert out.decode() == BODY + "\n"
    assert "image.png" in err and "binary" in err


def test_zst_without_zstandard_names_the_extra(monkeypatch, tmp_path):
    import sys

    from scrubber.io import InputError, read_text

    monkeypatch.setitem(sys.modules, "zstandard", None)  # as if it were not installed
    path = tmp_path / "c.jsonl.zst"
    path.write_bytes(b"\x28\xb5\x2f\xfd")
    with pytest.raises(InputError, match=r"scrubber\[zstd\]"):
        read_text(path)
