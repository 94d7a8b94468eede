"""Compressed JSONL corpora, read and written transparently: `.jsonl.gz` and `.jsonl.zst`.

Only files whose names say they are compressed JSON lines are (de)compressed, so a stray `.tar.gz` in
a folder is still skipped as binary rather than unpacked. zstandard is an optional dependency
(`pip install 'scrubber[zstd]'`); without it a `.zst` file is an input error that says so.

Both directions stream: `decompressed` yields the data in pieces (gzip members and zstd frames one
after another, as the command-line tools read them), and raises a CompressionError for a file that
is corrupt or cut short, at whatever point that shows; `compressor` gives an object that compresses a
stream piece by piece. The output is deterministic: gzip is written with a zero timestamp and no file
name, at level 9, the bytes of `zlib.compress(data, 9, wbits=31)` (which is `gzip.compress(data,
mtime=0)` on Python 3.11) however the data is cut into pieces; zstd at level 3, as one frame.
"""
from __future__ import annotations

import gzip
import io
import zlib
from pathlib import Path
from typing import BinaryIO, Iterator

JSONL_NAMES = (".jsonl", ".ndjson")
CODECS = (".gz", ".zst")
GZIP_LEVEL = 9
ZSTD_LEVEL = 3
ZSTD_READ = 1 << 16  # compressed bytes fed to the zstd decoder at a time: its output comes in one piece


class CompressionError(Exception):
    """A compressed file that cannot be read or written; the message is ready for stderr."""


def codec(path: str | Path) -> str:
    """".gz" or ".zst" for a compressed JSONL file name, else ""."""
    name = str(path).lower()
    for suffix in CODECS:
        if name.endswith(suffix) and name[: -len(suffix)].endswith(JSONL_NAMES):
            return suffix
    return ""


def _zstd():
    try:
        import zstandard
    except ImportError:
        raise CompressionError("reading and writing .zst files needs the zstandard package: "
                               "pip install 'scrubber[zstd]'") from None
    return zstandard


def decompressed(path: str | Path, fh: BinaryIO, size: int = 1 << 20) -> Iterator[bytes]:
    """The data of the open file `fh` (named `path`, which chooses the codec), in pieces of about
    `size` bytes. Raises CompressionError, naming the file, when the data is not valid."""
    kind = codec(path)
    if kind == ".gz":
        yield from _gzip_pieces(path, fh, size)
    elif kind == ".zst":
        yield from _zstd_pieces(path, fh)
    else:
        while True:
            piece = fh.read(size)
            if not piece:
                return
            yield piece


def _gzip_pieces(path, fh: BinaryIO, size: int) -> Iterator[bytes]:
    reader = gzip.GzipFile(fileobj=fh, mode="rb")
    while True:
        try:
            piece = reader.read(size)
        except (OSError, EOFError, zlib.error) as exc:  # gzip.BadGzipFile is an OSError
            raise CompressionError(f"{path}: not a valid gzip file: {exc}") from None
        if not piece:
            return
        yield piece


def _zstd_pieces(path, fh: BinaryIO) -> Iterator[bytes]:
    zstd = _zstd()
    dctx = zstd.ZstdDecompressor()
    frame = None  # the decoder of the frame under way
    while True:
        data = fh.read(ZSTD_READ)
        if not data:
            break
        while data:
            if frame is None:
                frame = dctx.decompressobj()
            try:
                piece = frame.decompress(data)
            except zstd.ZstdError as exc:
                raise CompressionError(f"{path}: not a valid zstd file: {exc}") from None
            if piece:
                yield piece
            if frame.eof:  # the next frame starts in what is left
                data, frame = frame.unused_data, None
            else:
                data = b""
    if frame is not None:
        raise CompressionError(f"{path}: not a valid zstd file: it ends in the middle of a frame (cut short?)")


def decompress(path: str | Path, data: bytes) -> bytes:
    """`decompressed` for data held whole (a pipe); other names pass through."""
    if not codec(path):
        return data
    return b"".join(decompressed(path, io.BytesIO(data)))


def compressor(path: str | Path):
    """An object whose compress(bytes) and flush() give `path`'s codec for a stream written in pieces
    (the same bytes whatever the pieces); None for a name that is not compressed."""
    kind = codec(path)
    if kind == ".gz":
        return zlib.compressobj(GZIP_LEVEL, zlib.DEFLATED, 31)  # wbits 31: a gzip member, mtime 0, no name
    if kind == ".zst":
        return _zstd().ZstdCompressor(level=ZSTD_LEVEL).compressobj()
    return None


def compress(path: str | Path, data: bytes) -> bytes:
    """`data` compressed whole. gzip gives the bytes `compressor` gives; zstd's one-shot frame also
    records the content size (a stream's frame cannot), so it differs from the streamed one."""
    kind = codec(path)
    if kind == ".zst":
        return _zstd().ZstdCompressor(level=ZSTD_LEVEL).compress(data)
    squeeze = compressor(path)
    return data if squeeze is None else squeeze.compress(data) + squeeze.flush()
