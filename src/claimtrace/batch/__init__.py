"""Batch extraction of corpora on Dask: shards, the worker job, atomic outputs, resumption.

Install the ``batch`` extra (Dask distributed and pyarrow). Only :mod:`.runner` and the worker
job import them, and only when a batch runs, so the rest of claimtrace never pays for them::

    from claimtrace.batch import BatchOptions, run_batch
    summary = run_batch(["corpus/"], BatchOptions(out=Path("out"), workers=4))
"""

from claimtrace.batch.output import Manifest, read_extractions
from claimtrace.batch.runner import BatchOptions, BatchSummary, run_batch
from claimtrace.batch.shards import Shard, plan_shards

__all__ = [
    "BatchOptions",
    "BatchSummary",
    "Manifest",
    "Shard",
    "plan_shards",
    "read_extractions",
    "run_batch",
]
