"""The pipeline's heavy stages on Apache Spark (see docs/scaling.md); pyspark is imported only by ``run``."""
