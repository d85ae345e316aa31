#!/usr/bin/env bash
# Lint, type-check and run the whole test suite. Starts a throwaway local Neo4j when none
# answers (and stops it afterwards). With INSIKT_REQUIRE_NEO4J=1 (CI), a Neo4j that cannot be
# started fails the run; without it, the Neo4j tests are skipped with a visible reason.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin

echo "== ruff"
"$BIN/ruff" check .
echo "== mypy"
"$BIN/mypy"

port_open() { "$BIN/python" - "$1" "$2" <<'PY'
import socket, sys
s = socket.socket(); s.settimeout(1)
sys.exit(0 if s.connect_ex((sys.argv[1], int(sys.argv[2]))) == 0 else 1)
PY
}

started=""
cleanup() {
  if [ -n "$started" ]; then
    echo "== stopping the test Neo4j"
    INSIKT_NEO4J_HOME="$started" bash scripts/neo4j/neo4j.sh stop || true
    rm -rf "$started"
  fi
}
trap cleanup EXIT

if [ -n "${NEO4J_URI:-}" ]; then
  echo "== using the Neo4j at NEO4J_URI (not starting one)"
else
  # A fresh server on a free port with a random password: nothing leaks between runs.
  port=$("$BIN/python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  home=$(mktemp -d "${TMPDIR:-/tmp}/insikt-neo4j-test.XXXXXX")
  export INSIKT_NEO4J_PORT="$port" INSIKT_NEO4J_HOME="$home"
  export NEO4J_USER=neo4j NEO4J_PASSWORD="$("$BIN/python" -c 'import secrets; print(secrets.token_urlsafe(18))')"
  export NEO4J_URI="bolt://127.0.0.1:$port" NEO4J_DATABASE=neo4j
  echo "== starting a test Neo4j on 127.0.0.1:$port"
  if bash scripts/neo4j/neo4j.sh start; then
    started="$home"
  else
    rm -rf "$home"
    unset NEO4J_URI NEO4J_PASSWORD
    if [ "${INSIKT_REQUIRE_NEO4J:-}" = "1" ]; then
      echo "FAIL: INSIKT_REQUIRE_NEO4J=1 but a local Neo4j could not be started (see above)." >&2
      exit 1
    fi
    export INSIKT_NEO4J_SKIP_REASON="no local Neo4j could be started (needs Java 17 and Maven; see above)"
    echo "== WARNING: $INSIKT_NEO4J_SKIP_REASON; the Neo4j tests will be skipped"
  fi
fi

echo "== pytest"
set +e
"$BIN/python" -m pytest "$@"
code=$?
set -e
if [ "$code" = "5" ]; then
  echo "FAIL: pytest collected no tests" >&2
  exit 1
fi
exit "$code"
