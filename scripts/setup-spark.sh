#!/usr/bin/env bash
# Install what `storylens spark` and tests/test_spark.py need: a Java 17+ runtime (Debian package) and
# pyspark + pyarrow (the `spark` extra) into the project's venv. Safe to run again: it installs only what is missing.
set -euo pipefail

VENV="${VENV:-.venv}"

java_major() {
    java -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -n 1
}

if ! command -v java >/dev/null 2>&1 || [ "$(java_major)" -lt 17 ]; then
    SUDO=""
    if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq openjdk-17-jre-headless
fi

if ! "$VENV/bin/python" -c "import pyspark, pyarrow" >/dev/null 2>&1; then
    "$VENV/bin/python" -m pip install --quiet -e '.[spark]'
fi

"$VENV/bin/python" -c "import pyspark; print('pyspark', pyspark.__version__)"
java -version 2>&1 | head -n 1
