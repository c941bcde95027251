#!/usr/bin/env bash
# dart's one entry point on a developer machine.
#   ./dart local [--data-dir DIR] [--port PORT]   build what is missing, then run the whole platform locally
#   ./dart test                                   run every test (what CI runs)
#   ./dart bench                                  build, then run the execution benchmark and print its figures
#   ./dart bench-subscriptions [OBJECTS]          build, then run the subscription benchmark (100000 objects)
#   ./dart chaos [--seconds N] [--seed S] [--kills K]  build, then run the platform as separate processes under
#                                                 load while killing them at random; check nothing was lost
set -euo pipefail
cd "$(dirname "$0")"
ROOT="$(pwd)"

usage() {
  sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//'
  exit 2
}

jar_is_stale() {
  local jar="$1"
  [ ! -f "$jar" ] && return 0
  [ -n "$(find domain triggers api engines local openapi.yaml pom.xml -newer "$jar" \( -path '*/src/*' -o -name pom.xml -o -name openapi.yaml \) -type f -print -quit 2>/dev/null)" ]
}

cmd="${1:-}"
[ -z "$cmd" ] && usage
shift
case "$cmd" in
  local)
    JAR="$ROOT/local/target/dart-local.jar"
    if jar_is_stale "$JAR"; then
      echo "dart: building (first run, or sources changed)..." >&2
      ./mvnw -B -q -DskipTests -pl local -am install
    fi
    # exec: Ctrl-C and SIGTERM reach the JVM, whose shutdown hook stops the API and the database
    exec java ${DART_JAVA_OPTS:-} -jar "$JAR" "$@"
    ;;
  test)
    exec ./mvnw -B verify "$@"
    ;;
  bench|bench-subscriptions)
    JAR="$ROOT/local/target/dart-local.jar"
    if jar_is_stale "$JAR"; then
      ./mvnw -B -q -DskipTests -pl local -am install
    fi
    MAIN=ExecutionBenchmark
    [ "$cmd" = bench-subscriptions ] && MAIN=SubscriptionBenchmark
    exec java ${DART_JAVA_OPTS:-} -cp "$JAR" "io.dartmart.local.bench.$MAIN" "$@"
    ;;
  chaos)
    JAR="$ROOT/local/target/dart-local.jar"
    if jar_is_stale "$JAR"; then
      ./mvnw -B -q -DskipTests -pl local -am install
    fi
    exec java ${DART_JAVA_OPTS:-} -cp "$JAR" io.dartmart.local.chaos.ChaosMain "$@"
    ;;
  *)
    usage
    ;;
esac
