"""Compressed JSONL corpora, read and written transparently: `.jsonl.gz` and `.jsonl.zst`.

Only files whose names say they are compressed JSON lines are (de)compressed, so a stray `.tar.gz` in
a folder is still skipped as binary rather than unpacked. gzip output is written with a zero
timestamp, so cleaning the same corpus twice gives the same bytes. zstandard is an optional
dependency (`pip install 'scrubber[zstd]'`); without it a `.zst` file is an input error that says so.
"""
from __future__ import annotations

import gzip
import zlib
from pathlib import Path

JSONL_NAMES = (".jsonl", ".ndjson")
CODECS = (".gz", ".zst")


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


def decompress(path: str | Path, data: bytes) -> bytes:
    kind = codec(path)
    try:
        if kind == ".gz":
            return gzip.decompress(data)
        if kind == ".zst":
            zstd = _zstd()
            # Frames written in streaming mode carry no content size: read them as a stream.
            return zstd.ZstdDecompressor().decompressobj().decompress(data)
    except (OSError, EOFError, zlib.error) as exc:
        raise CompressionError(f"{path}: not a valid gzip file: {exc}") from None
    except CompressionError:
        raise
    except Exception as exc:  # zstandard.ZstdError
        raise CompressionError(f"{path}: not a valid zstd file: {exc}") from None
    return data


def compress(path: str | Path, data: bytes) -> bytes:
    kind = codec(path)
    if kind == ".gz":
        return gzip.compress(data, mtime=0)
    if kind == ".zst":
        return _zstd().ZstdCompressor(level=3).compress(data)
    return data
