# Shared by ./tollgate and ./dev: finds the Java 25 runtime Tollgate needs.
tollgate_java() {
  local candidate
  for candidate in "${TOLLGATE_JAVA_HOME:-}" "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25-jdk-amd64; do
    if [[ -n "$candidate" && -x "$candidate/bin/java" ]] \
        && "$candidate/bin/java" -version 2>&1 | grep -qE 'version "2[5-9]'; then
      echo "$candidate/bin/java"
      return 0
    fi
  done
  echo "tollgate: Java 25 not found (looked at \$TOLLGATE_JAVA_HOME, \$JAVA_HOME and /usr/lib/jvm/temurin-25-jdk-amd64);" \
       "install a Java 25 JDK (e.g. Temurin 25) and point JAVA_HOME at it" >&2
  return 1
}
