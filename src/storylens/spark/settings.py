"""Settings of a Spark run, apart from the job so that the command line can read their defaults cheaply."""

from __future__ import annotations

from dataclasses import dataclass, field

from storylens.ingest import DEFAULT_MAX_BYTES
from storylens.reuse.sketch import ReuseSettings


@dataclass(frozen=True)
class SparkSettings:
    master: str = "local[2]"  # "" leaves it to spark-submit
    shuffle_partitions: int = 4
    driver_memory: str = "4g"
    max_bytes: int = DEFAULT_MAX_BYTES
    reuse: ReuseSettings = field(default_factory=ReuseSettings)
    # Off: stories in one task, exactly equal to one local run. On: each period (no 72-day gap) in its own
    # task, in parallel; scores near the join threshold can then differ from a local run (docs/scaling.md).
    time_blocks: bool = False
