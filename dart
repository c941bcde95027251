#!/usr/bin/env bash
# dart's one entry point on a developer machine.
#   ./dart local [--data-dir DIR] [--port PORT]   build what is missing, then run the whole platform locally
#   ./dart test                                   run every test (what CI runs)
#   ./dart bench                                  build, then run the execution benchmark and print its figures
#   ./dart bench-subscriptions [OBJECTS]          build, then run the subscription benchmark (100000 objects)
#   ./dart bench-load [ROWS]                      build, then run the load benchmark (10 million rows, ~0.85 GB CSV)
#   ./dart bench-scale [ACTIONS]                  build, then time the list, search and graph routes on a year of history
#   ./dart bench-ui                               build, then run the web UI benchmark in headless chromium
#   ./dart chaos [--seconds N] [--seed S] [--kills K]  build, then run the platform as separate processes under
#                                                 load while killing them at random; check nothing was lost
set -euo pipefail
cd "$(dirname "$0")"
ROOT="$(pwd)"

usage() {
  sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'
  exit 2
}

jar_is_stale() {
  local jar="$1"
  [ ! -f "$jar" ] && return 0
  [ -n "$(find domain triggers api engines local ui openapi.yaml pom.xml -newer "$jar" \( -path '*/src/*' -o -name pom.xml -o -name openapi.yaml -o -name package-lock.json -o -name index.html \) -not -path '*/node_modules/*' -type f -print -quit 2>/dev/null)" ]
}

cmd="${1:-}"
[ -z "$cmd" ] && usage
shift
case "$cmd" in
  local)
    JAR="$ROOT/local/target/dart-local.jar"
    if jar_is_stale "$JAR"; then
      echo "dart: building (first run, or sources changed)..." >&2
      ./mvnw -B -q -DskipTests -pl ui,local -am install
    fi
    # exec: Ctrl-C and SIGTERM reach the JVM, whose shutdown hook stops the API and the database
    exec java ${DART_JAVA_OPTS:-} -jar "$JAR" "$@"
    ;;
  test)
    # python3 >= 3.9 runs the Python SDK's tests (engines/python, from the local module) and, with PyYAML, checks that
    # openapi.yaml is what tools/openapi/generate.py makes (a hand edit, or a schema changed without regenerating)
    if ! python3 -c 'import sys; sys.exit(0 if sys.version_info >= (3, 9) else 1)' 2>/dev/null; then
      echo "dart: the tests need Python 3.9 or newer as python3 (found: $(python3 --version 2>/dev/null || echo "no python3 on the PATH"));" \
        "install it, e.g. apt-get install python3" >&2
      exit 1
    fi
    if ! python3 -c 'import yaml' 2>/dev/null; then
      echo "dart: the tests need PyYAML for python3 to check openapi.yaml; install it, e.g. apt-get install python3-yaml" >&2
      exit 1
    fi
    python3 tools/openapi/generate.py --check
    exec ./mvnw -B verify "$@"
    ;;
  bench|bench-subscriptions|bench-load|bench-scale)
    JAR="$ROOT/local/target/dart-local.jar"
    if jar_is_stale "$JAR"; then
      ./mvnw -B -q -DskipTests -pl ui,local -am install
    fi
    MAIN=ExecutionBenchmark
    [ "$cmd" = bench-subscriptions ] && MAIN=SubscriptionBenchmark
    [ "$cmd" = bench-load ] && MAIN=LoadBenchmark
    [ "$cmd" = bench-scale ] && MAIN=ScaleBenchmark
    exec java ${DART_JAVA_OPTS:-} -cp "$JAR" "io.dartmart.local.bench.$MAIN" "$@"
    ;;
  chaos)
    JAR="$ROOT/local/target/dart-local.jar"
    if jar_is_stale "$JAR"; then
      ./mvnw -B -q -DskipTests -pl local -am install
    fi
    exec java ${DART_JAVA_OPTS:-} -cp "$JAR" io.dartmart.local.chaos.ChaosMain "$@"
    ;;
  bench-ui)
    JAR="$ROOT/local/target/dart-local.jar"
    if jar_is_stale "$JAR"; then
      ./mvnw -B -q -DskipTests -pl ui,local -am install
    fi
    cd ui && exec node e2e/bench.mjs
    ;;
  *)
    usage
    ;;
esac
