"""The pre-commit hooks, for real: `pre-commit try-repo` installs this project into pre-commit's own
environment (pip, from a local copy of the tree) and runs the hooks in a temporary git repository."""
import os
import shutil
import subprocess
import sys

import pytest
import yaml

from conftest import FIXTURES, ROOT

SITE = FIXTURES / "corpus_site"
CLEAN = [FIXTURES / "clean" / "prose_en_gettysburg_address.txt", FIXTURES / "clean" / "doc_letter_formal.txt",
         FIXTURES / "markdown" / "html_nav_tutorial.md", FIXTURES / "markdown" / "indented_code_and_lists.md"]
# What the project needs to be built and installed by pip (the wheel's contents and its metadata).
PROJECT_FILES = ["pyproject.toml", "README.md", ".pre-commit-hooks.yaml", "scrubber", "rules"]

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="pre-commit needs git")


def git(*args, cwd):
    subprocess.run(["git", "-c", "user.name=scrubber tests", "-c", "user.email=tests@example.invalid",
                    "-c", "commit.gpgsign=false", *args], cwd=cwd, check=True, capture_output=True)


@pytest.fixture(scope="module")
def hook_repo(tmp_path_factory):
    """This project's tree as a git repository (try-repo clones a repository, and uncommitted or
    untracked files of the working tree must be part of what is tested)."""
    repo = tmp_path_factory.mktemp("hooks") / "scrubber"
    repo.mkdir()
    for name in PROJECT_FILES:
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(src, repo / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info"))
        else:
            shutil.copy2(src, repo / name)
    git("init", "-q", cwd=repo)
    git("add", ".", cwd=repo)
    git("commit", "-q", "-m", "snapshot for the pre-commit test", cwd=repo)
    return repo


@pytest.fixture
def corpus(tmp_path):
    repo = tmp_path / "corpus"
    shutil.copytree(SITE, repo / "site")
    (repo / "pages").mkdir()
    (repo / "pages" / "menu_page.txt").write_text(
        "Menu\nSearch\n\nThe council approved the budget on Tuesday after a long debate about the harbour.\n",
        encoding="utf-8")
    for path in CLEAN:
        shutil.copy2(path, repo / "pages" / path.name)
    git("init", "-q", cwd=repo)
    git("add", ".", cwd=repo)
    return repo


def try_repo(hook_repo, corpus, hook, home):
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env["PRE_COMMIT_HOME"] = str(home)  # pre-commit's environments stay inside the test's folder
    proc = subprocess.run([sys.executable, "-m", "pre_commit", "try-repo", str(hook_repo), hook, "--all-files",
                           "--color", "never"], cwd=corpus, capture_output=True, text=True, env=env, timeout=900)
    return proc.returncode, proc.stdout + proc.stderr


def snapshot(repo):
    return {p.relative_to(repo).as_posix(): p.read_bytes() for p in repo.rglob("*")
            if p.is_file() and ".git" not in p.relative_to(repo).parts}


def test_hooks_manifest_declares_both_hooks():
    hooks = {h["id"]: h for h in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())}
    assert set(hooks) == {"scrubber", "scrubber-check"}
    for hook in hooks.values():
        assert hook["language"] == "python" and hook["types"] == ["text"] and hook["require_serial"] is True


def test_scrubber_hook_cleans_then_passes(hook_repo, corpus, tmp_path):
    before = snapshot(corpus)
    code, output = try_repo(hook_repo, corpus, "scrubber", tmp_path / "pre-commit-home")
    assert code == 1, output
    assert "files were modified by this hook" in output
    after = snapshot(corpus)
    # The dirty files were cleaned: the menu lines, and the site's slogan that no rule names.
    assert after["pages/menu_page.txt"].startswith(b"The council approved")
    for page in sorted(SITE.glob("*.txt")):
        text = after[f"site/{page.name}"].decode()
        assert "The Valley Courier" not in text and text.startswith(page.read_text(encoding="utf-8").split("\n")[2])
    # The clean files are byte-identical.
    for path in CLEAN:
        assert after[f"pages/{path.name}"] == before[f"pages/{path.name}"], path.name
    assert after["site/README.md"] == before["site/README.md"]
    # The second run finds nothing to do.
    code, output = try_repo(hook_repo, corpus, "scrubber", tmp_path / "pre-commit-home")
    assert code == 0, output
    assert snapshot(corpus) == after


def test_check_hook_changes_nothing_and_names_the_files(hook_repo, corpus, tmp_path):
    before = snapshot(corpus)
    code, output = try_repo(hook_repo, corpus, "scrubber-check", tmp_path / "pre-commit-home")
    assert code == 1, output
    assert "would clean pages/menu_page.txt" in output and "would clean site/old_mill.txt" in output
    assert "prose_en_gettysburg_address.txt" not in output
    assert snapshot(corpus) == before
