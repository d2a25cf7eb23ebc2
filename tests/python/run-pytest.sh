#!/usr/bin/env bash
# Runs the Python tests and the package's doctests from the source tree against the libcgym.so
# that CGYM_LIBRARY names (CTest sets it to this build's library). The interpreter is
# $CGYM_PYTHON, else BUILD/venv/bin/python (which scripts/python-tests.sh creates), else
# python3. Exits 77, which CTest reports as skipped, when it lacks gymnasium, numpy or pytest.
set -euo pipefail
source_dir=${CGYM_SOURCE_DIR:?CGYM_SOURCE_DIR must name the source tree}
python=${CGYM_PYTHON:-}
if [ -z "$python" ] && [ -x "${CGYM_BUILD_DIR:-}/venv/bin/python" ]; then
  python=$CGYM_BUILD_DIR/venv/bin/python
fi
python=${python:-python3}

if ! "$python" -c "import gymnasium, numpy, pytest" 2>/dev/null; then
  echo "skipped: $python lacks gymnasium, numpy or pytest; run scripts/python-tests.sh or" \
       "set CGYM_PYTHON to an interpreter that has them"
  exit 77
fi

export PYTHONPATH=$source_dir/python${PYTHONPATH:+:$PYTHONPATH}
export PYTHONDONTWRITEBYTECODE=1
exec "$python" -m pytest -q -p no:cacheprovider --doctest-modules \
  "$source_dir/python/cgym" "$source_dir/tests/python"
