"""The Spark session of a quotes job: Spark's own settings first, then the few a job of many spaCy workers needs.

Settings come as for any Spark job (spark-defaults.conf, ``spark-submit`` options, ``SPARK_*``
environment variables), then ``--conf`` pairs, which win. What the job sets itself only when
none of those did: Python workers reused between tasks (``spark.python.worker.reuse``: else
every task loads the ~300 MB pipeline again), BLAS and OpenMP threads pinned to one per worker
(Spark runs a worker per core), no console progress bar, and in local mode no web UI and the
workers run by this Python (``PYSPARK_PYTHON``), not by whatever ``python3`` is first on PATH.
"""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Mapping
from typing import TYPE_CHECKING

import pyarrow as pa

from quotes import QuotesError

if TYPE_CHECKING:
    from pyspark.sql import SparkSession
    from pyspark.sql.types import StructType

#: The thread pools of numpy's BLAS and OpenMP, one thread each: Spark already runs a worker per core.
THREADS = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")

#: What the job sets unless the user's Spark configuration says otherwise (see the module docstring).
DEFAULTS = {
    "spark.python.worker.reuse": "true",
    "spark.ui.showConsoleProgress": "false",
    **{f"spark.executorEnv.{name}": "1" for name in THREADS},
}


class SparkUnavailable(QuotesError):
    """The Spark job cannot start here: pyspark (the ``spark`` extra) or Java is missing."""


def _java() -> str | None:
    """The java Spark would run: JAVA_HOME's, else the first on PATH."""
    home = os.environ.get("JAVA_HOME")
    return shutil.which(os.path.join(home, "bin", "java")) if home else shutil.which("java")


def start(master: str | None = None, settings: Mapping[str, str] | None = None) -> SparkSession:
    """The session (the active one if any), its master ``master`` when given, else Spark's (``local[*]`` by default);
    ``settings`` are ``--conf`` pairs. SparkUnavailable, one line, when pyspark or Java is missing."""
    try:
        import pandas  # noqa: F401  (mapInArrow is built on pyspark's pandas support)
        from pyspark import SparkConf
        from pyspark.sql import SparkSession
    except ImportError as exc:
        raise SparkUnavailable(f"the Spark job needs {exc.name}: pip install 'quotes[spark]'") from None
    if _java() is None:
        raise SparkUnavailable("the Spark job needs Java 17: java on PATH, or JAVA_HOME")
    for name in THREADS:
        os.environ.setdefault(name, "1")  # before the JVM starts: local-mode workers inherit its environment
    conf = SparkConf()  # spark-defaults.conf and spark-submit's options, read by the JVM it starts
    if master:
        conf.setMaster(master)
    local = conf.get("spark.master", "local[*]").startswith("local")
    for key, value in {**DEFAULTS, **({"spark.ui.enabled": "false"} if local else {})}.items():
        if not conf.contains(key):
            conf.set(key, value)
    conf.setAll((settings or {}).items())
    if local:
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
        os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
    return SparkSession.builder.config(conf=conf).getOrCreate()


def spark_schema(schema: pa.Schema) -> StructType:
    """The Spark schema of an Arrow schema: what a mapInArrow function yields, declared to Spark."""
    from pyspark.sql.pandas.types import from_arrow_schema

    return from_arrow_schema(schema)
