"""The code stays lint-clean: ruff with the rules and line length of pyproject.toml's [tool.ruff]."""
import subprocess
import sys

from conftest import ROOT


def test_ruff_finds_nothing():
    proc = subprocess.run([sys.executable, "-m", "ruff", "check", ROOT], capture_output=True, text=True)
    assert proc.returncode == 0, f"ruff check {ROOT} exited with {proc.returncode}:\n{proc.stdout}{proc.stderr}"
