"""scrubber as a datatrove pipeline step, for corpora cleaned on a cluster (Slurm, Ray) or locally.

    from datatrove.executor import LocalPipelineExecutor   # or SlurmPipelineExecutor, RayPipelineExecutor
    from datatrove.pipeline.readers import JsonlReader
    from datatrove.pipeline.writers import JsonlWriter
    from scrubber.integrations.datatrove import ScrubberStep

    LocalPipelineExecutor(pipeline=[JsonlReader("raw/"), ScrubberStep(), JsonlWriter("clean/")],
                          tasks=8, workers=4).run()

Each document's text is cleaned with `scrubber.Cleaner` (built once per task, from the options given
to the step), and what was done is kept in its metadata under `metadata_key` ("scrubber"): the
hashes of the original and clean text, whether it had a BOM, and the change records, enough to
replay the cleaning or restore the original (`ScrubberStep.restore(doc)`). The step's stats count
documents changed, unchanged and left unchanged by the guard ("refused"), and changes per rule
("rule_MENU001", ...). Install with `pip install 'scrubber[datatrove]'`.
"""
from __future__ import annotations

from typing import Sequence

from datatrove.data import DocumentsPipeline
from datatrove.pipeline.base import PipelineStep

from ..changes import Change, restore, text_hash
from ..engine import Cleaner, Options


class ScrubberStep(PipelineStep):
    name = "🧽 scrubber"
    type = "✂️ - FORMAT"

    def __init__(self, select: Sequence[str] = (), ignore: Sequence[str] = (), packs: Sequence[str] = (),
                 max_removed_share: float = Options.max_removed_share, allow_gutting: bool = False,
                 metadata_key: str = "scrubber", keep_changes: bool = True):
        """`select`/`ignore` rules or families, `packs` extra rule pack files, the guard's options, as
        for `scrubber clean`. `keep_changes=False` keeps only the hashes and counts in the metadata."""
        super().__init__()
        if not metadata_key.startswith("scrubber"):
            raise ValueError("metadata_key must start with 'scrubber'")
        self.options = Options(select=tuple(select), ignore=tuple(ignore), packs=tuple(packs),
                               max_removed_share=max_removed_share, allow_gutting=allow_gutting)
        self.metadata_key = metadata_key
        self.keep_changes = keep_changes
        self._cleaner: Cleaner | None = None
        Cleaner(options=self.options)  # a bad pack or rule name fails here, not on the cluster

    def __getstate__(self):
        state = dict(self.__dict__)
        state["_cleaner"] = None  # each task builds its own
        return state

    @property
    def cleaner(self) -> Cleaner:
        if self._cleaner is None:
            self._cleaner = Cleaner(options=self.options)
        return self._cleaner

    def run(self, data: DocumentsPipeline, rank: int = 0, world_size: int = 1) -> DocumentsPipeline:
        cleaner = self.cleaner
        for doc in data:
            self.stat_update("documents")
            with self.track_time():
                result = cleaner.clean(doc.text)
            record = {"original_sha256": result.original_hash, "clean_sha256": text_hash(result.text),
                      "bom": bool(result.bom), "changes": len(result.changes)}
            if self.keep_changes:
                record["records"] = [c.to_json() for c in result.changes]
            if result.refused:
                record["refused"] = result.refused
                record["proposed"] = len(result.proposed)
                self.stat_update("refused")
            if result.unsettled:
                record["unsettled"] = list(result.unsettled)
            self.stat_update("changed" if result.changes else "unchanged")
            for c in result.changes:
                self.stat_update(f"rule_{c.rule}")
            removed = len(doc.text) - len(result.text)
            if removed:
                self.stat_update("chars_removed", value=removed)
            doc.text = result.text
            doc.metadata[self.metadata_key] = record
            yield doc

    def restore(self, doc) -> str:
        """The original text of a document this step cleaned (with keep_changes=True)."""
        record = doc.metadata[self.metadata_key]
        changes = [Change.from_json(r) for r in record["records"]]
        return restore(doc.text, changes, bom="\ufeff" if record.get("bom") else "",
                       original_hash=record["original_sha256"])
