"""The pipeline's heavy stages on Apache Spark (see docs/scaling.md).

``job.run`` runs them and writes Parquet; ``output`` reads that back without Spark. pyspark is
imported only when a session starts (``job.session``), so the rest of storylens does not need it.
"""
