"""Reading, walking and writing files without losing a byte.

Files are read as bytes and decoded as UTF-8. Invalid UTF-8 is an error that names the byte offset
(nothing is written), unless the caller asks for `surrogateescape`, which carries the undecodable bytes
through cleaning and writes them back exactly. Line endings, a BOM and a missing final newline are kept
by the document model. In-place writes go to a temporary file in the same folder that is renamed over
the original, so a run killed at any moment leaves each file either old or new.
"""
from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path
from typing import Iterable, Iterator

from .compression import CompressionError, compress, decompress

BINARY_SNIFF = 8192
SKIP_DIRS = {".git", ".hg", ".svn", ".scrubber", "__pycache__", "node_modules", ".venv", "venv", ".tox"}


class InputError(Exception):
    """A path that cannot be read as text; the message is ready for stderr."""


def looks_binary(data: bytes) -> bool:
    """Binary if its head has a NUL byte and is not valid UTF-8, or is mostly control bytes."""
    head = data[:BINARY_SNIFF]
    if not head:
        return False
    controls = sum(1 for b in head if b < 9 or 13 < b < 32)
    if controls / len(head) > 0.10:
        return True
    if b"\x00" in head:
        try:
            head.decode("utf-8")
        except UnicodeDecodeError as exc:
            return exc.start < len(head) - 4  # a split character at the cut is not evidence
    return False


def decode(data: bytes, name: str, errors: str = "strict") -> str:
    try:
        return data.decode("utf-8", errors)
    except UnicodeDecodeError as exc:
        raise InputError(f"{name}: not valid UTF-8 at byte {exc.start} "
                         f"(use --errors surrogateescape to carry such bytes through unchanged)") from None


def encode(text: str, errors: str = "strict") -> bytes:
    return text.encode("utf-8", errors)


def read_text(path: Path, errors: str = "strict") -> str:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise InputError(f"{path}: is a directory") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror}") from None
    try:
        data = decompress(path, data)  # .jsonl.gz / .jsonl.zst only; other names pass through
    except CompressionError as exc:
        raise InputError(str(exc)) from None
    if looks_binary(data):
        raise InputError(f"{path}: skipped, looks like a binary file")
    return decode(data, str(path), errors)


def iter_files(paths: Iterable[str]) -> Iterator[Path | InputError]:
    """Files named, and files below folders named (sorted, hidden folders and VCS data skipped).
    A path that does not exist is yielded as an InputError so the caller reports it and goes on."""
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            for root, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS and not d.startswith("."))
                for name in sorted(files):
                    yield Path(root) / name
        elif path.exists() or path.is_symlink():
            yield path
        else:
            yield InputError(f"{path}: no such file or directory")


def atomic_write(path: Path, data: bytes) -> None:
    """Replace `path` with `data`: write a temporary file beside it, keep its permissions, rename.
    A compressed JSONL name (.jsonl.gz, .jsonl.zst) gets `data` compressed the same way."""
    path = Path(path)
    data = compress(path, data)
    mode = stat.S_IMODE(path.stat().st_mode) if path.exists() else None
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".scrubber-tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        if mode is not None:
            os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


def split_lines(text: str) -> list[str]:
    """Lines with their endings, split on "\\n" only (str.splitlines also splits on form feeds,
    vertical tabs and Unicode separators, which are content here)."""
    pieces = text.split("\n")
    lines = [p + "\n" for p in pieces[:-1]]
    if pieces[-1]:
        lines.append(pieces[-1])
    return lines
