"""Compressed JSONL corpora (.jsonl.gz, .jsonl.zst) stream in both directions: read piece by piece,
checked whole (container and UTF-8) before anything is written, written through a stream compressor
into the temporary file, with deterministic bytes, in bounded memory."""
import gzip
import hashlib
import json
import os
import subprocess
import sys
import time
import zlib

import pytest

from scrubber.io import TEMP_SUFFIX, InputError, atomic_write_chunks, open_text, read_text
from test_safety import REPORT_PEAK, tst

PROSE = "The council approved the budget on Tuesday after a long debate about roads and schools."


def _run(pack, command, *args, input=b""):
    proc = subprocess.run([sys.executable, "-m", "scrubber", command, *tst(pack, *map(str, args))],
                          input=input, capture_output=True)
    return proc.returncode, proc.stdout, proc.stderr.decode("utf-8", "replace")


def _records(n: int, start: int = 0) -> bytes:
    return "".join(json.dumps({"id": k, "text": f"Menu\n{PROSE} Record {k}.\n"}) + "\n"
                   for k in range(start, start + n)).encode()


def _temps(folder):
    return [p for p in folder.iterdir() if p.name.endswith(TEMP_SUFFIX)]


def _data(size: int) -> bytes:
    """Text-like bytes, compressible but not trivially (so that deflate emits many blocks)."""
    words = [w.encode() for w in PROSE.split()]
    out, k = bytearray(), 1
    while len(out) < size:
        k = (k * 1103515245 + 12345) % (1 << 31)
        out += words[k % len(words)] + (b"\n" if k % 11 == 0 else b" ")
    return bytes(out[:size])


# -- writing -------------------------------------------------------------------------------------------

def test_gzip_written_as_a_stream_has_the_bytes_of_one_shot_compression(tmp_path):
    data = _data(1_500_000)
    streamed, whole = tmp_path / "a.jsonl.gz", tmp_path / "b.jsonl.gz"
    pieces = [data[i:i + 65_537] for i in range(0, len(data), 65_537)]
    assert atomic_write_chunks(streamed, iter(pieces), buffer=100_000)  # past the buffer: streamed
    assert atomic_write_chunks(whole, iter(pieces))  # within it: compressed whole
    assert streamed.read_bytes() == whole.read_bytes() == zlib.compress(data, 9, wbits=31)
    ref = gzip.compress(data, mtime=0)
    # gzip.compress(mtime=0) is that zlib call on Python 3.11-3.12; later versions write 255 ("unknown")
    # in the header's OS byte (offset 9). Every other byte is the same.
    assert streamed.read_bytes()[:9] + streamed.read_bytes()[10:] == ref[:9] + ref[10:]
    assert gzip.decompress(streamed.read_bytes()) == data
    assert not _temps(tmp_path)


def test_zstd_written_as_a_stream_is_deterministic(tmp_path):
    zstd = pytest.importorskip("zstandard")
    data = _data(2_000_000)
    outs = []
    for name in ("a.jsonl.zst", "b.jsonl.zst"):
        path = tmp_path / name
        assert atomic_write_chunks(path, (data[i:i + 50_000] for i in range(0, len(data), 50_000)), buffer=100_000)
        outs.append(path.read_bytes())
    assert outs[0] == outs[1]
    assert zstd.ZstdDecompressor().decompressobj().decompress(outs[0]) == data
    small = tmp_path / "small.jsonl.zst"
    assert atomic_write_chunks(small, [data[:5000]])
    assert small.read_bytes() == zstd.ZstdCompressor(level=3).compress(data[:5000])  # as before: whole


def test_a_file_that_stays_unchanged_is_not_rewritten(tmp_path):
    path = tmp_path / "c.jsonl.gz"
    path.write_bytes(b"old")
    assert not atomic_write_chunks(path, iter([b"x" * 1000] * 300), keep=lambda: False, buffer=10_000)
    assert path.read_bytes() == b"old" and not _temps(tmp_path)


# -- reading -------------------------------------------------------------------------------------------

def test_reading_streams_gzip_members_and_zstd_frames_one_after_another(tmp_path):
    first, second = _records(3), _records(2, start=3)
    gz = tmp_path / "m.jsonl.gz"
    gz.write_bytes(gzip.compress(first) + gzip.compress(second))
    assert "".join(open_text(gz).lines()).encode() == first + second
    zstd = pytest.importorskip("zstandard")
    zst = tmp_path / "m.jsonl.zst"
    cctx = zstd.ZstdCompressor()
    zst.write_bytes(cctx.compress(first) + cctx.compress(second))  # `cat a.zst b.zst`, pzstd
    source = open_text(zst)
    assert "".join(source.lines()).encode() == first + second
    assert read_text(zst).encode() == first + second


def test_a_truncated_zstd_file_is_an_error_not_a_shorter_corpus(tmp_path, pack):
    zstd = pytest.importorskip("zstandard")
    data = _records(2000)
    path = tmp_path / "t.jsonl.zst"
    whole = zstd.ZstdCompressor().compress(data)
    path.write_bytes(whole[:len(whole) // 2])
    with pytest.raises(InputError, match="zstd"):
        open_text(path)
    code, out, err = _run(pack, "clean", "--in-place", path)
    assert code == 2 and "not a valid zstd file" in err, err
    assert path.read_bytes() == whole[:len(whole) // 2] and not _temps(tmp_path)


@pytest.mark.parametrize("errors", ["strict", "surrogateescape"])
def test_a_truncated_or_corrupt_gzip_file_is_reported_and_left_as_it_is(tmp_path, pack, errors):
    data = _records(40_000)  # several MB: the damage lies past the first pieces read
    assert len(data) > 3 * (1 << 20)
    whole = gzip.compress(data, mtime=0)
    truncated, corrupt, good = tmp_path / "t.jsonl.gz", tmp_path / "c.jsonl.gz", tmp_path / "g.jsonl.gz"
    truncated.write_bytes(whole[:-5000])
    broken = bytearray(whole)
    broken[-8] ^= 0xFF  # the CRC: every byte decodes, and the error shows only at the very end
    corrupt.write_bytes(bytes(broken))
    good.write_bytes(gzip.compress(_records(3), mtime=0))
    code, out, err = _run(pack, "clean", "--errors", errors, "--in-place", tmp_path)
    assert code == 2, err
    assert f"{truncated}: not a valid gzip file" in err and f"{corrupt}: not a valid gzip file" in err
    assert truncated.read_bytes() == whole[:-5000] and corrupt.read_bytes() == bytes(broken)
    assert "Menu" not in gzip.decompress(good.read_bytes()).decode()  # the other file is cleaned
    assert not _temps(tmp_path)
    code, out, err = _run(pack, "clean", "--errors", errors, truncated)
    assert code == 2 and out == b"" and "not a valid gzip file" in err


def test_invalid_utf8_in_a_compressed_file_names_the_byte_of_the_decompressed_data(tmp_path, pack):
    good = _records(30_000)
    assert len(good) > 2 * (1 << 20)  # past the first piece read
    data = good + b'{"id": "x", "text": "bad \xc3( byte"}\n'
    path = tmp_path / "u.jsonl.gz"
    path.write_bytes(gzip.compress(data, mtime=0))
    before = path.read_bytes()
    for args in (["--in-place", path], [path]):
        code, out, err = _run(pack, "clean", *args)
        assert code == 2 and out == b"", err
        assert f"{path}: not valid UTF-8 at byte {len(good) + 25}" in err
    assert path.read_bytes() == before and not _temps(tmp_path)


def test_a_compressed_corpus_cleaned_in_place_is_restored_record_by_record(tmp_path, pack):
    data = _records(50)
    path = tmp_path / "r.jsonl.gz"
    path.write_bytes(gzip.compress(data, mtime=0))
    log = tmp_path / "log.jsonl"
    code, _, err = _run(pack, "clean", "--in-place", "--log", log, path)
    assert code == 0 and "cleaned" in err, err
    assert b"Menu" not in gzip.decompress(path.read_bytes())
    proc = subprocess.run([sys.executable, "-m", "scrubber", "restore", "--log", str(log), str(path)],
                          capture_output=True)
    assert proc.returncode == 0 and proc.stdout == data, proc.stderr


# -- memory --------------------------------------------------------------------------------------------

COMPRESSED_MB = int(os.environ.get("SCRUBBER_COMPRESSED_MB", "120"))


def _peak_mb(pack, *args, stdout) -> float:
    # The child reports its own high-water mark (VmHWM) as it exits (see test_safety).
    proc = subprocess.run([sys.executable, "-c", REPORT_PEAK, "clean", *tst(pack, "--jobs", "1", *map(str, args))],
                          stdout=stdout, stderr=subprocess.PIPE, timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return int(proc.stderr.rsplit(b"VmHWM_KB=", 1)[1]) / 1024


def _gzip_sha(path) -> tuple[str, int]:
    digest, lines = hashlib.sha256(), 0
    with gzip.open(path, "rb") as fh:
        for line in fh:
            digest.update(line)
            lines += 1
    return digest.hexdigest(), lines


def test_a_compressed_corpus_far_bigger_than_the_memory_bound_streams_through(tmp_path, pack):
    """COMPRESSED_MB megabytes of JSON lines, gzipped (about 1 MB on disk), through `clean` to stdout
    and `clean --in-place`: the peak stays within 40 MB of the same command's on a tiny corpus.
    Reading or writing the corpus whole would take several times its size."""
    body = (PROSE + " ") * 16 + "\n"
    body = body * (200_000 // len(body))
    path = tmp_path / "big.jsonl.gz"
    with gzip.open(path, "wt", encoding="utf-8", compresslevel=1) as fh:
        k = size = 0
        while size < COMPRESSED_MB * 1_000_000:
            line = json.dumps({"id": k, "text": f"Menu\n{body}Record {k}.\n"}) + "\n"
            fh.write(line)
            size += len(line)
            k += 1
    records = k
    tiny = tmp_path / "tiny.jsonl.gz"
    tiny.write_bytes(gzip.compress(_records(3)))
    with open(os.devnull, "wb") as null:
        baseline = _peak_mb(pack, tiny, stdout=null)
    t0 = time.monotonic()
    out = tmp_path / "out.jsonl"
    with open(out, "wb") as fh:
        to_stdout = _peak_mb(pack, path, stdout=fh)
    in_place = _peak_mb(pack, "--in-place", path, stdout=subprocess.DEVNULL)
    seconds = time.monotonic() - t0
    assert to_stdout < baseline + 40 and in_place < baseline + 40, (baseline, to_stdout, in_place, seconds)
    # The same records, cleaned, both ways.
    digest, lines = _gzip_sha(path)
    assert lines == records
    with open(out, "rb") as fh:
        assert hashlib.sha256(fh.read()).hexdigest() == digest
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        first = json.loads(fh.readline())
    assert first["id"] == 0 and not first["text"].startswith("Menu")
