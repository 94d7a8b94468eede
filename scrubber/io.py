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

import codecs
import contextlib
import glob
import itertools
import os
import re
import stat
import tempfile
from pathlib import Path
from typing import Iterable, Iterator

from .compression import CompressionError, codec, compress, compressor, decompress, decompressed

BINARY_SNIFF = 8192
SKIP_DIRS = {".git", ".hg", ".svn", ".scrubber", "__pycache__", "node_modules", ".venv", "venv", ".tox"}
TEMP_SUFFIX = ".scrubber-tmp"
_TEMP_PID = re.compile(r"\.(\d+)-[^.]*" + re.escape(TEMP_SUFFIX) + "$")


class InputError(Exception):
    """A path that cannot be read as text; the message is ready for stderr."""


_CONTROL_BYTES = bytes([*range(9), *range(14, 32)])  # control bytes other than tab, LF, VT, FF, CR


def looks_binary(data: bytes) -> bool:
    """Binary if its head has a NUL byte and is not valid UTF-8, or is mostly control bytes."""
    head = data[:BINARY_SNIFF]
    if not head:
        return False
    controls = len(head) - len(head.translate(None, _CONTROL_BYTES))  # counted in C, not byte by byte
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


@contextlib.contextmanager
def _reading(path: Path):
    """Turn the errors of reading `path` into InputErrors that say what went wrong."""
    try:
        yield
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise InputError(f"{path}: is a directory") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror}") from None


def read_text(path: Path, errors: str = "strict") -> str:
    with _reading(path):
        data = path.read_bytes()
    return _text_of(path, data, errors)


def _text_of(path: Path, data: bytes, errors: str) -> str:
    """The text of a file read whole (decompressed first when its name says so)."""
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
    atomic_write_chunks(path, [data])


def atomic_write_chunks(path: Path, chunks: Iterable[bytes], keep=None, buffer: int = 8_000_000) -> bool:
    """`atomic_write` for data that comes in pieces. Up to `buffer` bytes are gathered first: for such
    a file `keep` (when given) is asked before anything is written, and if it says no nothing is. A
    bigger file streams through a temporary file, and `keep` is asked after its last piece, before
    the rename. Returns whether the file was replaced. A compressed JSONL name is compressed whole
    when small, else as a stream into the temporary file (`compression.compressor`)."""
    path = Path(os.path.realpath(path))  # through a symbolic link: the link stays, its target changes
    chunks = iter(chunks)
    head: list[bytes] = []
    size, ended = 0, True
    for data in chunks:
        head.append(data)
        size += len(data)
        if size >= buffer:
            ended = False
            break
    if ended and keep is not None and not keep():
        return False
    squeeze = None
    if codec(path):
        if ended:
            head = [compress(path, b"".join(head))]
        else:
            squeeze = compressor(path)
    old = path.stat() if path.exists() else None
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.{os.getpid()}-", suffix=TEMP_SUFFIX, dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            for data in itertools.chain(head, chunks):
                fh.write(data if squeeze is None else squeeze.compress(data))
            if squeeze is not None:
                fh.write(squeeze.flush())
            if not ended and keep is not None and not keep():
                os.unlink(tmp)
                return False
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
        return True
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


# -- streaming input ---------------------------------------------------------------------------------

READ_CHUNK = 1 << 20


def _invalid(name: str, offset: int) -> InputError:
    return InputError(f"{name}: not valid UTF-8 at byte {offset} "
                      f"(use --errors surrogateescape to carry such bytes through unchanged)")


def _check_utf8(chunks: Iterable[bytes], name: str) -> None:
    """Raise the InputError `decode` would, naming the byte offset, without holding the data."""
    decoder = codecs.getincrementaldecoder("utf-8")("strict")
    fed = 0
    for chunk in chunks:
        pending = len(decoder.getstate()[0])
        try:
            decoder.decode(chunk)
        except UnicodeDecodeError as exc:
            raise _invalid(name, fed - pending + exc.start) from None
        fed += len(chunk)
    pending = len(decoder.getstate()[0])
    try:
        decoder.decode(b"", final=True)
    except UnicodeDecodeError as exc:
        raise _invalid(name, fed - pending + exc.start) from None


def _read_chunks(fh) -> Iterator[bytes]:
    while True:
        chunk = fh.read(READ_CHUNK)
        if not chunk:
            return
        yield chunk


def _file_chunks(path: Path, fh) -> Iterator[bytes]:
    """The data of an open file in pieces, decompressed as it comes when its name says so."""
    try:
        yield from decompressed(path, fh, READ_CHUNK)
    except CompressionError as exc:
        raise InputError(str(exc)) from None


def _head(chunks: Iterator[bytes]) -> bytes:
    """The first pieces, at least BINARY_SNIFF bytes of them (or all there is)."""
    head = b""
    for chunk in chunks:
        head += chunk
        if len(head) >= BINARY_SNIFF:
            break
    return head


def iter_lines(chunks: Iterable[bytes], errors: str = "strict") -> Iterator[str]:
    """Decoded lines with their endings (split on "\\n" only, like `split_lines`), from bytes that
    come in pieces: only the current line is held."""
    decoder = codecs.getincrementaldecoder("utf-8")(errors)
    head: list[str] = []  # the current line so far (a long line comes in many pieces)
    for chunk in itertools.chain(chunks, [None]):
        text = decoder.decode(b"", final=True) if chunk is None else decoder.decode(chunk)
        if "\n" not in text:
            head.append(text)
            continue
        pieces = text.split("\n")
        head.append(pieces[0])
        yield "".join(head) + "\n"
        for p in pieces[1:-1]:
            yield p + "\n"
        head = [pieces[-1]]
    rest = "".join(head)
    if rest:
        yield rest


class TextSource:
    """A readable input: its lines, streamed, as often as asked (or all of its text at once)."""

    def __init__(self, name: str, path: Path | None = None, text: str | None = None, errors: str = "strict",
                 temporary: bool = False):
        self.name, self.path, self._text, self.errors, self.temporary = name, path, text, errors, temporary

    def lines(self) -> Iterator[str]:
        if self._text is not None:
            yield from split_lines(self._text)
            return
        with open(self.path, "rb") as fh:
            yield from iter_lines(_file_chunks(self.path, fh), self.errors)

    def text(self) -> str:
        if self._text is not None:
            return self._text
        return "".join(self.lines())

    def close(self) -> None:
        if self.temporary and self.path is not None:
            try:
                os.unlink(self.path)
            except OSError:
                pass


def open_text(path: Path, errors: str = "strict") -> TextSource:
    """Like `read_text`, but the file is only checked here (binary? valid UTF-8? in one streaming
    pass), and read again line by line when cleaned: a file of any size goes through in bounded
    memory, and an invalid byte is reported before anything of the file is written. A compressed
    file (.jsonl.gz, .jsonl.zst) is decompressed as a stream in both passes, and the check pass
    reads it to the end even with --errors surrogateescape, so that a corrupt or truncated file is
    reported before anything is written; byte offsets are those of the decompressed data."""
    with _reading(path), open(path, "rb") as fh:
        if not stat.S_ISREG(os.fstat(fh.fileno()).st_mode):  # a pipe can be read only once
            head = fh.read(BINARY_SNIFF)
            if not codec(path) and looks_binary(head):  # before reading the rest
                raise InputError(f"{path}: skipped, looks like a binary file")
            return TextSource(str(path), text=_text_of(path, head + fh.read(), errors))
        chunks = _file_chunks(path, fh)
        head = _head(chunks)
        if looks_binary(head):
            raise InputError(f"{path}: skipped, looks like a binary file")
        if errors == "strict":
            _check_utf8(itertools.chain([head], chunks), str(path))
        elif codec(path):
            for _ in chunks:
                pass
    return TextSource(str(path), path=path, errors=errors)


def open_stdin(stream, errors: str = "strict", name: str = "<stdin>") -> TextSource:
    """Standard input, copied to a temporary file as it comes (checked on the way), so that it can be
    validated whole before any output, and then read line by line like a file."""
    fd, tmp = tempfile.mkstemp(prefix="scrubber-stdin-")
    try:
        with os.fdopen(fd, "wb") as fh:
            def copied():
                for chunk in _read_chunks(stream):
                    fh.write(chunk)
                    yield chunk
            if errors == "strict":
                _check_utf8(copied(), name)
            else:
                for _ in copied():
                    pass
    except BaseException:
        os.unlink(tmp)
        raise
    return TextSource(name, path=Path(tmp), errors=errors, temporary=True)
