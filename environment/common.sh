# Shared by ./amface, .ci/run and the notebook scripts: Java checks, the ND4J native classifier, the build.
# shellcheck shell=bash

AMFACE_HOME="${AMFACE_HOME:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}"

amface_die() { echo "amface: $*" >&2; exit 1; }

amface_require_java() {
  command -v java >/dev/null 2>&1 || amface_die "no 'java' on PATH: install a JDK 17 or newer (for example 'apt install openjdk-17-jdk')"
  local v
  v=$(java -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -1)
  [ -n "$v" ] && [ "$v" -ge 17 ] || amface_die "Java 17 or newer is needed, found: $(java -version 2>&1 | head -1)"
  command -v javac >/dev/null 2>&1 || amface_die "a JDK (with javac) is needed, not only a JRE"
}

# The oneDNN build of libnd4j that fits this CPU: avx512 needs the F/BW/DQ/VL subsets, else avx2.
# AMFACE_ND4J_CLASSIFIER overrides; AMFACE_BACKEND=cuda selects the GPU profile instead.
amface_nd4j_classifier() {
  if [ -n "${AMFACE_ND4J_CLASSIFIER:-}" ]; then echo "$AMFACE_ND4J_CLASSIFIER"; return; fi
  if [ "${AMFACE_BACKEND:-cpu}" = "cuda" ]; then echo "linux-x86_64-cudnn"; return; fi
  local flags
  flags=$(grep -m1 '^flags' /proc/cpuinfo 2>/dev/null || true)
  if [[ $flags == *avx512f* && $flags == *avx512bw* && $flags == *avx512dq* && $flags == *avx512vl* ]]; then
    echo "linux-x86_64-onednn-avx512"
  elif [[ $flags == *avx2* ]]; then
    echo "linux-x86_64-onednn-avx2"
  else
    echo "linux-x86_64"
  fi
}

amface_maven_flags() {
  if [ "${AMFACE_BACKEND:-cpu}" = "cuda" ]; then
    echo "-Pcuda"
  else
    echo "-Dnd4j.classifier=$(amface_nd4j_classifier)"
  fi
}

# Off-heap memory (ND4J arrays) is capped by JavaCPP, the heap by -Xmx; both can be raised for big runs.
amface_jvm_opts() {
  echo "-Xmx${AMFACE_XMX:-4g} -Dorg.bytedeco.javacpp.maxbytes=${AMFACE_MAXBYTES:-10G} -Dorg.bytedeco.javacpp.maxphysicalbytes=${AMFACE_MAXPHYSICALBYTES:-16G} -Djava.awt.headless=true ${AMFACE_JAVA_OPTS:-}"
}

amface_stamp() { echo "$AMFACE_HOME/lib/target/.amface-build"; }

# Rebuild (without tests) when a source or pom is newer than the last build, or the backend changed.
amface_build_if_stale() {
  local stamp want
  stamp=$(amface_stamp)
  want="$(amface_maven_flags)"
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] \
     && [ -f "$AMFACE_HOME/lib/target/classpath.txt" ] \
     && [ -z "$(find "$AMFACE_HOME/lib/src/main" "$AMFACE_HOME/lib/pom.xml" "$AMFACE_HOME/pom.xml" -newer "$stamp" -print -quit 2>/dev/null)" ]; then
    return 0
  fi
  echo "amface: building the library ($want) ..." >&2
  (cd "$AMFACE_HOME" && ./mvnw -q -B $want -DskipTests package) >&2 || amface_die "the build failed (run './mvnw $want package' to see why)"
  echo "$want" > "$stamp"
}

amface_classpath() {
  local jar
  jar=$(ls "$AMFACE_HOME"/lib/target/amface-lib-*.jar 2>/dev/null | grep -v -- '-tests.jar' | head -1)
  [ -n "$jar" ] || amface_die "the library jar is missing; run ./mvnw package"
  echo "$jar:$(cat "$AMFACE_HOME/lib/target/classpath.txt")"
}
