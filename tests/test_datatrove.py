"""ScrubberStep in a real datatrove pipeline: JsonlReader -> ScrubberStep -> JsonlWriter, several tasks."""
import gzip
import json

import pytest

from conftest import CLEAN_DOCS, SEEDS, read

datatrove = pytest.importorskip(
    "datatrove", reason="datatrove is not installed (pip install -e '.[test]' installs it)")

from datatrove.executor import LocalPipelineExecutor  # noqa: E402
from datatrove.pipeline.readers import JsonlReader  # noqa: E402
from datatrove.pipeline.writers import JsonlWriter  # noqa: E402

import scrubber  # noqa: E402
from scrubber.integrations.datatrove import ScrubberStep  # noqa: E402


def _corpus(folder, docs, shards=4):
    folder.mkdir()
    for s in range(shards):
        with open(folder / f"shard{s}.jsonl", "w", encoding="utf-8") as fh:
            for k, text in enumerate(docs[s::shards]):
                fh.write(json.dumps({"id": f"{s}-{k}", "text": text}, ensure_ascii=False) + "\n")


def _read_output(folder):
    out = {}
    for path in sorted(folder.glob("*.jsonl.gz")):
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            for line in fh:
                record = json.loads(line)
                out[record["id"]] = record
    return out


def test_pipeline_cleans_every_document_and_keeps_the_records(tmp_path):
    docs = [read(p) for p in SEEDS] + [read(p) for p in CLEAN_DOCS[:10]]
    _corpus(tmp_path / "raw", docs)
    step = ScrubberStep()
    LocalPipelineExecutor(
        pipeline=[JsonlReader(str(tmp_path / "raw")), step, JsonlWriter(str(tmp_path / "clean"))],
        tasks=4, workers=2, logging_dir=str(tmp_path / "logs"),
    ).run()
    out = _read_output(tmp_path / "clean")
    originals = {f"{s}-{k}": text for s in range(4) for k, text in enumerate(docs[s::4])}
    assert set(out) == set(originals)
    changed = 0
    for doc_id, record in out.items():
        expected = scrubber.clean(originals[doc_id])
        assert record["text"] == expected.text  # the same cleaning as the library, on any task
        meta = record["metadata"]["scrubber"]
        assert meta["changes"] == len(expected.changes)
        assert [scrubber.Change.from_json(r) for r in meta["records"]] == expected.changes
        # the records restore the original exactly
        restored = scrubber.restore(record["text"], [scrubber.Change.from_json(r) for r in meta["records"]],
                                    bom="\ufeff" if meta["bom"] else "", original_hash=meta["original_sha256"])
        assert restored == originals[doc_id]
        changed += bool(meta["changes"])
    assert changed >= len(SEEDS) // 2  # the seeds are dirty: most of them change
    # counters per rule, summed over the tasks
    stats = json.loads((tmp_path / "logs" / "stats.json").read_text())
    ours = next(s for s in stats if s["name"].endswith(ScrubberStep.name))
    counters = {k: v["total"] if isinstance(v, dict) else v for k, v in ours["stats"].items()}
    assert counters["documents"] == len(docs)
    rule_counts = {k[len("rule_"):]: v for k, v in counters.items() if k.startswith("rule_")}
    expected_counts: dict = {}
    for text in docs:
        for c in scrubber.clean(text).changes:
            expected_counts[c.rule] = expected_counts.get(c.rule, 0) + 1
    assert rule_counts == expected_counts


def test_step_restores_and_checks_its_options(tmp_path):
    with pytest.raises(Exception):
        ScrubberStep(select=("NO_SUCH_RULE",))
    with pytest.raises(ValueError):
        ScrubberStep(metadata_key="other")
    from datatrove.data import Document

    text = read(SEEDS[0])
    step = ScrubberStep(ignore=("PAGE",)) if scrubber.builtin_catalogue().get("PAGE001") else ScrubberStep()
    (doc,) = list(step.run([Document(text=text, id="a")]))
    assert doc.text == step.cleaner.clean(text).text
    assert step.restore(doc) == text
