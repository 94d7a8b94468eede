import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
SEEDS = sorted(p for p in (FIXTURES / "seeds").glob("*.txt") if not p.name.endswith(".clean.txt"))
# Documents written for the tests, each with a curator's version written by hand (fixtures/mixed/README.md)
MIXED = sorted(p for p in (FIXTURES / "mixed").glob("*.txt") if not p.name.endswith(".clean.txt"))
CLEAN_DOCS = (sorted((FIXTURES / "clean").glob("*.txt")) + sorted((FIXTURES / "seeds").glob("*.clean.txt"))
              + sorted((FIXTURES / "mixed").glob("*.clean.txt")) + sorted((FIXTURES / "probes").glob("*.clean.txt")))


def normalized_lines(text: str) -> list[str]:
    """How the curators' versions are compared: lines stripped, white space collapsed, blanks ignored."""
    return [" ".join(line.split()) for line in text.split("\n") if line.strip()]


def read(path: Path) -> str:
    return path.read_bytes().decode("utf-8")


@pytest.fixture
def run_cli():
    """Run the real command line in a subprocess: bytes in, (exit code, stdout bytes, stderr text) out."""
    import subprocess

    def run(*args, input: bytes = b"", cwd=None):
        proc = subprocess.run([sys.executable, "-m", "scrubber", *map(str, args)], input=input,
                              capture_output=True, cwd=cwd)
        return proc.returncode, proc.stdout, proc.stderr.decode("utf-8", "replace")

    return run


@pytest.fixture
def pack(tmp_path_factory):
    """The test pack (docgen.TEST_PACK) in a file: rules of the tests' own, which do not move when the
    built-in packs do. Shared by test_safety, test_compressed and test_streaming."""
    from docgen import TEST_PACK

    path = tmp_path_factory.mktemp("pack") / "tst.toml"  # outside the folders the tests clean
    path.write_text(TEST_PACK)
    return path
