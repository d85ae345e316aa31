#!/usr/bin/env bash
# Local Neo4j 5.26 LTS (Community, embedded DBMS + Bolt) for development and CI.
#
# Usage: scripts/neo4j/neo4j.sh start|stop|status|restart
#
# Needs java (17+) and mvn; the first start fetches Neo4j from Maven Central into
# the default local repo (~/.m2) and compiles insikt.Neo4jServer (see pom.xml).
#
# Environment:
#   INSIKT_NEO4J_HOME           run directory (data/, logs/, server.log, pid file);
#                               default: scripts/neo4j/run (git-ignored)
#   INSIKT_NEO4J_PORT           Bolt port on 127.0.0.1, default 7687
#   INSIKT_NEO4J_START_TIMEOUT  seconds to wait for readiness, default 180
#   INSIKT_NEO4J_STOP_TIMEOUT   seconds to wait for a clean stop before SIGKILL, default 60
#   INSIKT_NEO4J_PAGECACHE      page cache size, default 256m
#   INSIKT_NEO4J_HEAP           JVM heap (-Xmx), default 1g; e.g. 512m for the benchmark's
#                               half-heap run (docs/benchmarks.md). The initial heap (-Xms)
#                               is 512m, or the heap when that is smaller
#   INSIKT_NEO4J_JAVA_OPTS      extra JVM options (appended; e.g. -Xmx2g overrides the heap)
#   INSIKT_NEO4J_REBUILD=1      force the Maven build even if target/ looks current
#   INSIKT_NEO4J_CDS=0          disable the class-data-sharing archive (see below)
#   INSIKT_NEO4J_CACHE          where CDS archives are kept, default ~/.cache/insikt-neo4j
#   INSIKT_NEO4J_SECURITY_CONF  the server-side walls of the Cypher console (LOAD CSV, procedures,
#                               time and memory limits); default scripts/neo4j/security.conf
#   INSIKT_NEO4J_TX_TIMEOUT     overrides db.transaction.timeout (e.g. 300s) for big loads
#   INSIKT_NEO4J_TX_MEMORY      overrides db.memory.transaction.max (e.g. 1g)
#   NEO4J_PASSWORD              initial password of user neo4j, applied when the store is
#                               created (default insikt-dev-password); never printed
#
# Connect with bolt://127.0.0.1:7687 or neo4j://127.0.0.1:7687, user neo4j.
#
# Start-up speed: class loading dominates a warm start (~8-15 s on 2 cores). A start
# without a class-data-sharing (CDS) archive runs with -XX:ArchiveClassesAtExit, so its
# clean `stop` takes some seconds longer while the JVM writes a dynamic archive (~100 MB)
# to the cache; later starts map it (~5-6 s on an idle 2-core machine). The archive is
# keyed by the JDK version and the exact classpath (jar paths, sizes, mtimes), so other
# clones on the same machine reuse it, and it is re-made when anything changes.
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)"
RUN_DIR="${INSIKT_NEO4J_HOME:-$SCRIPT_DIR/run}"
case "$RUN_DIR" in /*) ;; *) RUN_DIR="$PWD/$RUN_DIR" ;; esac
PORT="${INSIKT_NEO4J_PORT:-7687}"
START_TIMEOUT="${INSIKT_NEO4J_START_TIMEOUT:-180}"
STOP_TIMEOUT="${INSIKT_NEO4J_STOP_TIMEOUT:-60}"

PID_FILE="$RUN_DIR/neo4j.pid"
READY_FILE="$RUN_DIR/ready"
LOG_FILE="$RUN_DIR/server.log"
BUILD_LOG="$RUN_DIR/build.log"
TARGET="$SCRIPT_DIR/target"
CP_FILE="$TARGET/classpath.txt"
SERVER_JAR="$TARGET/insikt-neo4j-server.jar"
CACHE_DIR="${INSIKT_NEO4J_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/insikt-neo4j}"
CDS_PENDING="$RUN_DIR/cds-pending"
STAMP="$TARGET/.insikt-build-stamp"
MAIN_CLASS="insikt.Neo4jServer"
SECURITY_CONF="${INSIKT_NEO4J_SECURITY_CONF:-$SCRIPT_DIR/security.conf}"

# Flags Neo4j's own launcher passes on Java 17 (server.jvm.additional in neo4j.conf):
# without the --add-opens the page cache falls back to slower buffers and the
# transaction-log native accessors log "Incorrect file descriptor" warnings.
HEAP="${INSIKT_NEO4J_HEAP:-1g}"
[[ "$HEAP" =~ ^[0-9]+[kKmMgG]?$ ]] || { printf 'neo4j.sh: INSIKT_NEO4J_HEAP=%s is not a heap size such as 512m or 2g\n' "$HEAP" >&2; exit 2; }
heap_bytes() { # 512m -> bytes, for comparing with the initial heap
  local n="${1%[kKmMgG]}" unit="${1##*[0-9]}"
  case "$unit" in k|K) echo $((n * 1024)) ;; m|M) echo $((n * 1048576)) ;;
                  g|G) echo $((n * 1073741824)) ;; *) echo "$n" ;; esac
}
INITIAL_HEAP=512m
[ "$(heap_bytes "$HEAP")" -lt "$(heap_bytes "$INITIAL_HEAP")" ] && INITIAL_HEAP="$HEAP"
JAVA_OPTS=(
  "-Xms$INITIAL_HEAP" "-Xmx$HEAP"
  -XX:+UseG1GC
  -XX:-OmitStackTraceInFastThrow
  -XX:+ExitOnOutOfMemoryError
  -Djdk.nio.maxCachedBufferSize=1024
  -Dio.netty.tryReflectionSetAccessible=true
  -Dlog4j2.disable.jmx=true
  -Dfile.encoding=UTF-8
  --add-opens=java.base/java.nio=ALL-UNNAMED
  --add-opens=java.base/java.io=ALL-UNNAMED
  --add-opens=java.base/java.lang=ALL-UNNAMED
  --add-opens=java.base/sun.nio.ch=ALL-UNNAMED
  --add-exports=java.base/sun.nio.ch=ALL-UNNAMED
)

say() { printf 'neo4j.sh: %s\n' "$*"; }
die() { printf 'neo4j.sh: %s\n' "$*" >&2; exit 1; }

now() { # seconds with decimals
  if [ -n "${EPOCHREALTIME:-}" ]; then printf '%s' "${EPOCHREALTIME/,/.}"; else date +%s; fi
}
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; }

# PID from the pid file if that process is alive and is our server, else empty.
server_pid() {
  local pid
  [ -f "$PID_FILE" ] || return 0
  pid="$(tr -dc '0-9' <"$PID_FILE")"
  [ -n "$pid" ] || return 0
  kill -0 "$pid" 2>/dev/null || return 0
  if [ -r "/proc/$pid/cmdline" ]; then
    tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q "$MAIN_CLASS" || return 0
  else
    ps -p "$pid" -o args= 2>/dev/null | grep -q "$MAIN_CLASS" || return 0
  fi
  printf '%s' "$pid"
}

show_log_tail() {
  if [ -f "$LOG_FILE" ]; then
    echo "---- last lines of $LOG_FILE ----" >&2
    tail -n 40 "$LOG_FILE" >&2
    echo "---- (Neo4j's own log: $RUN_DIR/logs/debug.log) ----" >&2
  fi
}

require_tools() {
  local missing=()
  command -v java >/dev/null 2>&1 || missing+=("java (JDK/JRE 17 or 21)")
  command -v mvn >/dev/null 2>&1 || missing+=("mvn (Apache Maven)")
  if [ "${#missing[@]}" -gt 0 ]; then
    local m
    for m in "${missing[@]}"; do printf 'neo4j.sh: required tool not found on PATH: %s\n' "$m" >&2; done
    exit 1
  fi
}

needs_build() {
  [ "${INSIKT_NEO4J_REBUILD:-0}" = 1 ] && return 0
  [ -s "$CP_FILE" ] && [ -f "$STAMP" ] && [ -f "$SERVER_JAR" ] || return 0
  [ -z "$(find "$SCRIPT_DIR/pom.xml" "$SCRIPT_DIR/src" -newer "$STAMP" -print -quit)" ] || return 0
  local jar
  while IFS= read -r jar; do   # e.g. ~/.m2 was wiped
    [ -z "$jar" ] || [ -f "$jar" ] || return 0
  done < <(tr ':' '\n' <"$CP_FILE")
  return 1
}

build() {
  local t0 repo
  t0="$(now)"
  repo="${HOME}/.m2/repository"
  say "building (Maven) ..."
  if [ -d "$repo/org/neo4j/neo4j" ] && mvn -B -q -o -f "$SCRIPT_DIR/pom.xml" process-classes >"$BUILD_LOG" 2>&1; then
    :
  elif mvn -B -q -f "$SCRIPT_DIR/pom.xml" process-classes >"$BUILD_LOG" 2>&1; then
    :
  else
    echo "---- last lines of $BUILD_LOG ----" >&2
    tail -n 40 "$BUILD_LOG" >&2
    die "Maven build failed (see $BUILD_LOG)"
  fi
  touch "$STAMP"
  say "build done in $(elapsed "$t0") s"
}

# Sets SERVER_CP (classpath) and CDS_OPTS (class-data-sharing flags; may be empty).
prepare_launch() {
  local deps jar_hash stable stats key archive tmp
  deps="$(cat "$CP_FILE")"
  SERVER_CP="$SERVER_JAR:$deps"
  CDS_OPTS=()
  discard_cds_pending
  [ "${INSIKT_NEO4J_CDS:-1}" != 0 ] || return 0
  command -v sha256sum >/dev/null 2>&1 && mkdir -p "$CACHE_DIR" 2>/dev/null || return 0
  # A CDS archive only matches the same jar paths/mtimes: run our (reproducible) jar
  # from a content-addressed copy in the cache so every clone shares one archive.
  jar_hash="$(sha256sum "$SERVER_JAR" | cut -c1-16)"
  stable="$CACHE_DIR/insikt-neo4j-server-$jar_hash.jar"
  if [ ! -f "$stable" ]; then
    cp "$SERVER_JAR" "$stable.$$.tmp" && mv -f "$stable.$$.tmp" "$stable" || return 0
  fi
  stats="$(tr ':' '\n' <<<"$stable:$deps" | xargs stat -c '%n %s %Y' 2>/dev/null)" || return 0
  SERVER_CP="$stable:$deps"
  key="$( { java -version 2>&1; printf '%s\n' "$stats"; } | sha256sum | cut -c1-16)"
  archive="$CACHE_DIR/cds-$key.jsa"
  if [ -s "$archive" ]; then
    CDS_OPTS=("-XX:SharedArchiveFile=$archive" "-Xshare:auto" "-Xlog:cds*=off")
  else
    tmp="$archive.$$.tmp"
    printf '%s\n%s\n' "$tmp" "$archive" >"$CDS_PENDING"
    CDS_OPTS=("-XX:ArchiveClassesAtExit=$tmp" "-Xlog:cds*=off")
  fi
}

# After the server exited: keep a freshly dumped CDS archive only after a clean stop.
finalize_cds() {
  local tmp final
  [ -f "$CDS_PENDING" ] || return 0
  { read -r tmp; read -r final; } <"$CDS_PENDING" || true
  rm -f "$CDS_PENDING"
  if [ "$1" = clean ] && [ -n "${tmp:-}" ] && [ -s "$tmp" ]; then
    mv -f "$tmp" "$final"
    # keep the three newest archives (~100 MB each)
    # shellcheck disable=SC2012  # our own fixed-pattern names
    ls -1t "$CACHE_DIR"/cds-*.jsa 2>/dev/null | tail -n +4 | while IFS= read -r old; do rm -f "$old"; done
    say "saved class-data-sharing archive for faster starts ($final)"
  else
    rm -f "${tmp:-/nonexistent}"
  fi
}
discard_cds_pending() { finalize_cds discard; }

# Wait until the ready marker exists and the Bolt port accepts connections.
wait_ready() {
  local pid="$1" t0="$2" deadline
  deadline=$(( $(date +%s) + START_TIMEOUT ))
  while :; do
    if [ -f "$READY_FILE" ] && port_open; then
      say "Neo4j ready at bolt://127.0.0.1:$PORT (pid $pid, home $RUN_DIR) - started in $(elapsed "$t0") s"
      return 0
    fi
    if ! kill -0 "$pid" 2>/dev/null; then
      show_log_tail
      rm -f "$PID_FILE" "$READY_FILE"
      discard_cds_pending
      die "server process exited during startup"
    fi
    if [ "$(date +%s)" -ge "$deadline" ]; then
      show_log_tail
      say "not ready after ${START_TIMEOUT} s; stopping it" >&2
      stop_pid "$pid" >/dev/null 2>&1 || true
      exit 1
    fi
    sleep 0.2
  done
}

cmd_start() {
  local pid t0
  t0="$(now)"
  pid="$(server_pid)"
  if [ -n "$pid" ]; then
    if [ -f "$READY_FILE" ] && port_open; then
      say "already running at bolt://127.0.0.1:$PORT (pid $pid)"
      return 0
    fi
    say "server (pid $pid) is starting; waiting for it"
    wait_ready "$pid" "$t0"
    return 0
  fi
  if port_open; then
    die "port $PORT on 127.0.0.1 is already in use by another process (set INSIKT_NEO4J_PORT)"
  fi
  require_tools
  mkdir -p "$RUN_DIR"
  if needs_build; then build; fi

  rm -f "$READY_FILE" "$PID_FILE"
  [ -f "$LOG_FILE" ] && mv -f "$LOG_FILE" "$LOG_FILE.prev"
  prepare_launch
  # shellcheck disable=SC2086  # INSIKT_NEO4J_JAVA_OPTS is a word list on purpose
  INSIKT_NEO4J_PORT="$PORT" INSIKT_NEO4J_SECURITY_CONF="$SECURITY_CONF" nohup java "${JAVA_OPTS[@]}" "${CDS_OPTS[@]}" ${INSIKT_NEO4J_JAVA_OPTS:-} \
    -cp "$SERVER_CP" "$MAIN_CLASS" "$RUN_DIR" >"$LOG_FILE" 2>&1 </dev/null &
  pid=$!
  echo "$pid" >"$PID_FILE"
  say "starting Neo4j (pid $pid, log $LOG_FILE) ..."
  wait_ready "$pid" "$t0"
}

# Send SIGTERM (clean shutdown via the JVM shutdown hook), escalate to SIGKILL.
stop_pid() {
  local pid="$1" t0 deadline how=clean
  t0="$(now)"
  # An archive dumped before the server was ready would miss most classes: keep only
  # one from a server that got ready.
  if [ ! -f "$READY_FILE" ]; then
    how=not-ready
  elif [ -f "$CDS_PENDING" ]; then
    say "stopping; the JVM writes its class-data-sharing archive first (one-time, a few seconds)"
  fi
  kill -TERM "$pid" 2>/dev/null || true
  deadline=$(( $(date +%s) + STOP_TIMEOUT ))
  while kill -0 "$pid" 2>/dev/null; do
    if [ "$(date +%s)" -ge "$deadline" ]; then
      say "pid $pid did not exit within ${STOP_TIMEOUT} s; sending SIGKILL" >&2
      kill -KILL "$pid" 2>/dev/null || true
      how=killed
      sleep 1
      break
    fi
    sleep 0.2
  done
  rm -f "$PID_FILE" "$READY_FILE"
  say "stopped (pid $pid) in $(elapsed "$t0") s"
  finalize_cds "$how"
}

cmd_stop() {
  local pid
  pid="$(server_pid)"
  if [ -z "$pid" ]; then
    rm -f "$PID_FILE" "$READY_FILE"
    discard_cds_pending
    say "not running"
    return 0
  fi
  stop_pid "$pid"
}

cmd_status() {
  local pid
  pid="$(server_pid)"
  if [ -n "$pid" ] && [ -f "$READY_FILE" ] && port_open; then
    say "running at bolt://127.0.0.1:$PORT (pid $pid, home $RUN_DIR)"
    return 0
  elif [ -n "$pid" ]; then
    say "not running: process $pid exists but is not ready (starting or stopping)"
    return 3
  fi
  say "not running"
  return 3
}

case "${1:-}" in
  start) cmd_start ;;
  stop) cmd_stop ;;
  status) cmd_status ;;
  restart) cmd_stop; cmd_start ;;
  *) echo "usage: $0 start|stop|status|restart" >&2; exit 2 ;;
esac
