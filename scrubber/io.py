"""Reading, walking and writing files without losing a byte.

Files are read as bytes and decoded as UTF-8. Invalid UTF-8 is an error that names the byte offset
(nothing is written), unless the caller asks for `surrogateescape`, which carries the undecodable bytes
through cleaning and writes them back exactly. Line endings, a BOM and a missing final newline are kept
by the document model. In-place writes go to a temporary file in the same folder that is renamed over
the original, so a run killed at any moment leaves each file either old or new.

A run killed between creating its temporary file and renaming it leaves that file behind, named
`.NAME.PID-RANDOM.scrubber-tmp`: hidden, never read as input, and removed by the next `--in-place` run
over the folder once the process that wrote it is gone (`stale_temps`).
"""
from __future__ import annotations

import glob
import os
import re
import stat
import tempfile
from pathlib import Path
from typing import Iterable, Iterator

from .compression import CompressionError, compress, decompress

BINARY_SNIFF = 8192
SKIP_DIRS = {".git", ".hg", ".svn", ".scrubber", "__pycache__", "node_modules", ".venv", "venv", ".tox"}
TEMP_SUFFIX = ".scrubber-tmp"
_TEMP_PID = re.compile(r"\.(\d+)-[^.]*" + re.escape(TEMP_SUFFIX) + "$")


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
    A path that does not exist is yielded as an InputError so the caller reports it and goes on.
    Below a folder, only regular files are read (a FIFO there would block the run forever), and
    scrubber's own temporary files are never taken for input; a path named explicitly is read as it
    is (`scrubber clean <(curl ...)` names a pipe)."""
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            for root, files in _walk(path):
                for name in sorted(files):
                    if name.endswith(TEMP_SUFFIX):
                        continue
                    file = Path(root) / name
                    if file.is_file():
                        yield file
                    elif file.is_symlink() and not file.exists():
                        yield InputError(f"{file}: no such file (a dangling symbolic link)")
                    else:
                        yield InputError(f"{file}: skipped, not a regular file")
        elif path.name.endswith(TEMP_SUFFIX):
            yield InputError(f"{path}: skipped, a scrubber temporary file")
        elif path.exists() or path.is_symlink():
            yield path
        else:
            yield InputError(f"{path}: no such file or directory")


def _walk(path: Path) -> Iterator[tuple[str, list[str]]]:
    for root, dirs, files in os.walk(path):
        dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS and not d.startswith("."))
        yield root, files


def _writer_is_gone(temp: Path) -> bool:
    """True when the temporary file's name carries the id of a process that no longer runs."""
    m = _TEMP_PID.search(temp.name)
    if not m:
        return False
    try:
        os.kill(int(m.group(1)), 0)
    except ProcessLookupError:
        return True
    except (OSError, OverflowError, ValueError):  # someone else's process, or no such id here
        return False
    return False


def stale_temps(paths: Iterable[str]) -> Iterator[Path]:
    """Temporary files that killed in-place runs left below `paths` (or beside the files named)."""
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found = (Path(root) / name for root, files in _walk(path) for name in files if name.endswith(TEMP_SUFFIX))
        else:
            found = (Path(p) for p in glob.glob(os.path.join(glob.escape(str(path.parent)),
                                                             f".{glob.escape(path.name)}.*{TEMP_SUFFIX}")))
        yield from (p for p in found if _writer_is_gone(p))


def atomic_write(path: Path, data: bytes) -> None:
    """Replace `path` with `data`: write a temporary file beside it, keep its permissions, rename.
    A compressed JSONL name (.jsonl.gz, .jsonl.zst) gets `data` compressed the same way."""
    path = Path(os.path.realpath(path))  # through a symbolic link: the link stays, its target changes
    data = compress(path, data)
    old = path.stat() if path.exists() else None
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.{os.getpid()}-", suffix=TEMP_SUFFIX, dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        if old is not None:
            os.chmod(tmp, stat.S_IMODE(old.st_mode))
            if (old.st_uid, old.st_gid) != (os.getuid(), os.getgid()):
                try:  # keep the owner when we may (root cleaning another user's files)
                    os.chown(tmp, old.st_uid, old.st_gid)
                except OSError:
                    pass
        os.replace(tmp, path)
        _sync_dir(path.parent)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


def _sync_dir(folder: Path) -> None:
    """Make a rename durable (the folder's entry), where the platform allows it."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def split_lines(text: str) -> list[str]:
    """Lines with their endings, split on "\\n" only (str.splitlines also splits on form feeds,
    vertical tabs and Unicode separators, which are content here)."""
    pieces = text.split("\n")
    lines = [p + "\n" for p in pieces[:-1]]
    if pieces[-1]:
        lines.append(pieces[-1])
    return lines
