"""Project configuration: found by walking up, flags win, per-path overrides, include/exclude, log."""
import json
from pathlib import Path

import pytest

from scrubber.config import ConfigError, Run, discover, find_config, glob_regex, load_config

# A menu line above a prose line (twelve words or more, a sentence): what the built-in rules remove.
CLEAN = "The council approved the budget on Tuesday after a long debate about the harbour ferry.\n"
DIRTY = "Menu\n" + CLEAN


def make_repo(tmp_path: Path, config: str, name: str = "pyproject.toml") -> Path:
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    (repo / name).write_text(config, encoding="utf-8")
    return repo


def test_found_by_walking_up_to_the_repository_root(tmp_path):
    repo = make_repo(tmp_path, "[tool.scrubber]\nignore = ['MENU']\n")
    deep = repo / "a" / "b"
    deep.mkdir(parents=True)
    assert find_config(deep) == repo / "pyproject.toml"
    # Not above the repository root.
    (tmp_path / ".scrubber.toml").write_text("ignore = ['PROMO']\n")
    (repo / "pyproject.toml").write_text("[project]\nname = 'x'\n")  # no [tool.scrubber]: skipped
    assert find_config(deep) is None
    # .scrubber.toml is found too, and the nearest file wins.
    (repo / "a" / ".scrubber.toml").write_text("ignore = ['SHARE']\n")
    assert find_config(deep) == repo / "a" / ".scrubber.toml"


def test_flags_win_and_packs_add_up(tmp_path):
    repo = make_repo(tmp_path, "[tool.scrubber]\nselect = ['MENU']\nmax-removed-share = 0.5\npacks = ['site.toml']\n")
    config = discover([str(repo)])
    run = Run(config, {})
    options = run.options_for(str(repo / "x.txt"))
    assert options.select == ("MENU",) and options.max_removed_share == 0.5
    assert options.packs == (str(repo / "site.toml"),)
    run = Run(config, {"select": ("PROMO",), "max_removed_share": 0.9, "packs": ("other.toml",)})
    options = run.options_for(str(repo / "x.txt"))
    assert options.select == ("PROMO",) and options.max_removed_share == 0.9
    assert options.packs == (str(repo / "site.toml"), "other.toml")


def test_per_path_overrides(tmp_path, run_cli):
    repo = make_repo(tmp_path, """
[tool.scrubber]
ignore = ["PROMO"]

[[tool.scrubber.overrides]]
paths = ["news/**"]
ignore = ["MENU"]
""")
    (repo / "news").mkdir()
    (repo / "news" / "a.txt").write_text(DIRTY)
    (repo / "b.txt").write_text(DIRTY)
    run = Run(discover([str(repo)]), {})
    assert run.options_for(str(repo / "news" / "a.txt")).ignore == ("PROMO", "MENU")
    assert run.options_for(str(repo / "b.txt")).ignore == ("PROMO",)
    code, _, err = run_cli("clean", "--in-place", repo)
    assert code == 0, err
    assert (repo / "news" / "a.txt").read_text() == DIRTY  # MENU ignored under news/
    assert (repo / "b.txt").read_text() == CLEAN


def test_include_exclude_apply_to_walked_and_named_files(tmp_path, run_cli):
    repo = make_repo(tmp_path, """
include = ["corpus/**/*.txt"]
exclude = ["corpus/drafts/"]
""", name=".scrubber.toml")
    for rel in ("corpus/a.txt", "corpus/drafts/b.txt", "corpus/c.md", "notes.txt"):
        (repo / rel).parent.mkdir(parents=True, exist_ok=True)
        (repo / rel).write_text(DIRTY)
    code, _, err = run_cli("clean", "--in-place", repo)
    assert code == 0, err
    assert (repo / "corpus/a.txt").read_text() == CLEAN
    for rel in ("corpus/drafts/b.txt", "corpus/c.md", "notes.txt"):
        assert (repo / rel).read_text() == DIRTY, rel
    # A file named on the command line (as pre-commit does) is filtered the same way.
    code, _, err = run_cli("clean", "--in-place", repo / "notes.txt", cwd=repo)
    assert code == 0 and (repo / "notes.txt").read_text() == DIRTY
    # --isolated ignores the configuration.
    run_cli("clean", "--in-place", "--isolated", repo / "notes.txt")
    assert (repo / "notes.txt").read_text() == CLEAN


def test_configuration_files_are_never_cleaned(tmp_path):
    repo = make_repo(tmp_path, "[tool.scrubber]\n")
    run = Run(discover([str(repo)]), {})
    for name in ("pyproject.toml", ".pre-commit-config.yaml", ".scrubber/lines.sqlite"):
        assert not run.accept(repo / name)
    assert run.accept(repo / "page.txt")


def test_log_from_config_collects_runs(tmp_path, run_cli):
    repo = make_repo(tmp_path, "[tool.scrubber]\nlog = '.scrubber/changes.jsonl'\n")
    (repo / ".scrubber").mkdir()
    page = repo / "page.txt"
    page.write_text(DIRTY)
    assert run_cli("clean", "--in-place", page)[0] == 0
    page.write_text(DIRTY)
    assert run_cli("clean", "--in-place", page)[0] == 0
    records = [json.loads(line) for line in (repo / ".scrubber" / "changes.jsonl").read_text().splitlines()]
    assert [r["type"] for r in records].count("document") == 2  # appended, not overwritten
    # --log on the command line wins, and starts a fresh file.
    page.write_text(DIRTY)
    other = tmp_path / "other.jsonl"
    assert run_cli("clean", "--log", other, page)[0] == 0
    assert other.exists() and len((repo / ".scrubber" / "changes.jsonl").read_text().splitlines()) == len(records)


def test_user_pack_from_config_and_cli(tmp_path, run_cli):
    repo = make_repo(tmp_path, "[tool.scrubber]\npacks = ['packs/site.toml']\n")
    (repo / "packs").mkdir()
    (repo / "packs" / "site.toml").write_text('''
[[rule]]
id = "SITE001"
category = "footer"
doc = "The site's sign-off."
pattern = '^Thanks for reading the Gazette$'
action = "drop-line"
examples.drop = ["Thanks for reading the Gazette"]
examples.keep = ["We said thanks for reading the Gazette."]
''')
    page = repo / "page.txt"
    page.write_text("The council met on Tuesday.\nThanks for reading the Gazette\n")
    code, out, err = run_cli("clean", page)
    assert code == 0, err
    assert out == b"The council met on Tuesday.\n"


@pytest.mark.parametrize("config, message", [
    ("[tool.scrubber]\nslect = ['MENU']\n", "unknown key 'slect'"),
    ("[tool.scrubber]\nselect = 'MENU'\n", "'select' must be a list"),
    ("[tool.scrubber]\nselect = ['NOPE']\n", "NOPE"),
    ("[tool.scrubber]\npacks = ['missing.toml']\n", "missing.toml"),
    ("[tool.scrubber.learn]\nmin-docs = 1\n", "min-docs"),
    ("[[tool.scrubber.overrides]]\nignore = ['MENU']\n", "'paths'"),
    ("[tool.scrubber\n", "not valid TOML"),
])
def test_bad_configuration_names_file_and_key(tmp_path, run_cli, config, message):
    repo = make_repo(tmp_path, config)
    (repo / "page.txt").write_text(DIRTY)
    code, out, err = run_cli("clean", repo / "page.txt")
    assert code == 2 and out == b""
    assert "pyproject.toml" in err and message in err, err


def test_glob_semantics():
    def m(pattern, path):
        return bool(glob_regex(pattern).fullmatch(path))
    assert m("*.md", "a/b/c.md") and not m("*.md", "a/b/c.txt")
    assert m("news/**", "news/x/y.txt") and not m("news/**", "old/news/y.txt")
    assert m("drafts", "a/drafts/x.txt") and m("drafts/", "drafts/x.txt")
    assert m("news/*.txt", "news/a.txt") and not m("news/*.txt", "news/a/b.txt")
    assert m("**/*.jsonl.gz", "x.jsonl.gz") and m("data/[ab].txt", "data/a.txt")


def test_load_config_reads_scrubber_toml(tmp_path):
    path = tmp_path / ".scrubber.toml"
    path.write_text("select = ['MENU']\n[learn]\nmin-docs = 3\nindex = 'idx/lines.sqlite'\n")
    config = load_config(path)
    assert config.values["select"] == ["MENU"]
    assert config.learn.min_docs == 3 and config.learn.index == str(tmp_path / "idx/lines.sqlite")
    bad = tmp_path / "bad" / ".scrubber.toml"
    bad.parent.mkdir()
    bad.write_text("x = 1\n")
    with pytest.raises(ConfigError, match="unknown key 'x'"):
        load_config(bad)
