# Finds a JDK >= 21 for pipe. Sourced by ./pipe, ./run-tests and .ci/run.
# Order: $JAVA_HOME, the `java` on PATH, then the usual JVM folders. Prints the JDK's home.

PIPE_MIN_JAVA=21

# Major version of the JDK at $1, or nothing.
pipe_jdk_major() {
  local home="$1" v=""
  [ -x "$home/bin/java" ] || return 1
  if [ -f "$home/release" ]; then
    v=$(sed -n 's/^JAVA_VERSION="\([0-9][0-9]*\).*/\1/p' "$home/release" | head -n 1)
  fi
  if [ -z "$v" ]; then
    v=$("$home/bin/java" -version 2>&1 | sed -n 's/.*version "\([0-9][0-9]*\).*/\1/p' | head -n 1)
  fi
  [ "$v" = "1" ] && v=8
  [ -n "$v" ] && echo "$v"
}

# Succeeds when $1 is a JDK home (java and javac) of version >= PIPE_MIN_JAVA.
pipe_jdk_ok() {
  local major
  major=$(pipe_jdk_major "$1") || return 1
  [ -n "$major" ] && [ "$major" -ge "$PIPE_MIN_JAVA" ] && [ -x "$1/bin/javac" ]
}

pipe_find_jdk() {
  local candidate java_on_path
  if [ -n "${JAVA_HOME:-}" ] && pipe_jdk_ok "$JAVA_HOME"; then
    echo "$JAVA_HOME"; return 0
  fi
  java_on_path=$(command -v java 2>/dev/null || true)
  if [ -n "$java_on_path" ]; then
    candidate=$(dirname "$(dirname "$(readlink -f "$java_on_path")")")
    if pipe_jdk_ok "$candidate"; then echo "$candidate"; return 0; fi
  fi
  # Newest first, so that a JDK 25 wins over a JDK 21 when both are installed.
  for candidate in $(ls -d /usr/lib/jvm/*/ /usr/java/*/ /opt/java/*/ /opt/jdk*/ \
      /Library/Java/JavaVirtualMachines/*/Contents/Home/ 2>/dev/null | sed 's:/$::' | sort -rV); do
    if pipe_jdk_ok "$candidate"; then echo "$candidate"; return 0; fi
  done
  return 1
}

pipe_require_jdk() {
  local home
  if ! home=$(pipe_find_jdk); then
    echo "pipe: no JDK $PIPE_MIN_JAVA or newer found (looked at \$JAVA_HOME, the java on PATH and /usr/lib/jvm)." >&2
    echo "pipe: install one (for example Temurin 21 or 25) or set JAVA_HOME to it." >&2
    return 1
  fi
  echo "$home"
}
