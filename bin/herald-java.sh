#!/usr/bin/env bash
# Sourced by the bin/ scripts: selects a JDK 21+ (JAVA_HOME, then java on the PATH, then the newest under /usr/lib/jvm)
# into HERALD_JAVA, and defines herald_build, which builds the distribution with Maven.

herald_java_major() {
  # Prints the major version of the java binary $1, or 0 when it does not run.
  local v
  v=$("$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = //p' | head -n 1)
  case "$v" in
    1.*) echo "${v#1.}" | cut -d. -f1 ;;
    "") echo 0 ;;
    *) echo "$v" | cut -d. -f1 ;;
  esac
}

herald_find_java() {
  local candidate best="" best_major=0 major
  for candidate in ${JAVA_HOME:+"$JAVA_HOME/bin/java"} "$(command -v java 2>/dev/null || true)"; do
    [ -n "$candidate" ] && [ -x "$candidate" ] || continue
    major=$(herald_java_major "$candidate")
    if [ "$major" -ge 21 ]; then
      echo "$candidate"
      return 0
    fi
  done
  for candidate in /usr/lib/jvm/*/bin/java /opt/java/*/bin/java /opt/*/bin/java; do
    [ -x "$candidate" ] || continue
    major=$(herald_java_major "$candidate")
    if [ "$major" -ge 21 ] && [ "$major" -gt "$best_major" ]; then
      best="$candidate"
      best_major=$major
    fi
  done
  if [ -n "$best" ]; then
    echo "$best"
    return 0
  fi
  return 1
}

if [ -z "${HERALD_JAVA:-}" ]; then
  if ! HERALD_JAVA=$(herald_find_java); then
    echo "Herald needs Java 21 or newer: set JAVA_HOME to a JDK 21+ (none found on the PATH or under /usr/lib/jvm)." >&2
    exit 1
  fi
  export HERALD_JAVA
fi

# Exports JAVA_HOME for $HERALD_JAVA and, on JDK 24+, a MAVEN_OPTS that quiets Maven's own Guava (unless set): what
# every script that runs Maven needs first.
herald_maven_env() {
  JAVA_HOME="$(dirname "$(dirname "$(readlink -f "$HERALD_JAVA")")")"
  export JAVA_HOME
  if [ -z "${MAVEN_OPTS:-}" ] && [ "$(herald_java_major "$HERALD_JAVA")" -ge 24 ]; then
    export MAVEN_OPTS="--sun-misc-unsafe-memory-access=allow"
  fi
}

herald_build() {
  if ! command -v mvn >/dev/null 2>&1; then
    echo "Herald is not built yet and Maven (mvn) is not installed: install Maven, then run this command again." >&2
    exit 1
  fi
  local lock="$HERALD_HOME/herald-dist/target/.build.lock"
  mkdir -p "$HERALD_HOME/herald-dist/target"
  (
    flock 9
    if [ "${HERALD_REBUILD:-0}" = "1" ] || [ ! -f "$HERALD_HOME/herald-dist/target/lib/.complete" ]; then
      echo "Building Herald (first run; this takes a minute)..." >&2
      rm -rf "$HERALD_HOME/herald-dist/target/lib"
      herald_maven_env # in this subshell only
      mvn -q -f "$HERALD_HOME/pom.xml" -DskipTests -Dspotless.check.skip=true package -pl herald-dist -am >&2
    fi
  ) 9>"$lock"
}
