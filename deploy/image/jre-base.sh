#!/usr/bin/env bash
# Builds a minimal base image as a `docker save` tar, offline, from the JDK on this machine: a JRE
# made with jlink under /opt/java/openjdk (the same place as eclipse-temurin images), the shared
# libraries it links against, /etc/passwd with the non-root user 65532, and /tmp. Jib builds the
# server image on top of it (`-Dimage.base=tar://<this tar>`) without pulling anything.
#
#   deploy/image/jre-base.sh [output.tar]      (default target/image-base/quarry-jre-base.tar)
#
# Uses JAVA_HOME, else the newest JDK under /usr/lib/jvm (21+ with jmods, or 24+ linkable from its
# runtime image). Does nothing when the tar is newer than this script and was built from the same
# JDK.
set -euo pipefail
cd "$(dirname "$0")/../.."
out="${1:-target/image-base/quarry-jre-base.tar}"
java_home="${JAVA_HOME:-$(ls -d /usr/lib/jvm/*/ 2>/dev/null | while read -r d; do
  [[ -x "$d/bin/jlink" ]] && echo "$("$d/bin/java" -XshowSettings:properties -version 2>&1 \
    | sed -n 's/ *java.specification.version = //p') ${d%/}"; done | sort -n | tail -1 | cut -d' ' -f2)}"
[[ -x "$java_home/bin/jlink" ]] || { echo "jre-base: needs a JDK with jlink (set JAVA_HOME)" >&2; exit 1; }
stamp="$out.jdk"
if [[ -f "$out" && "$out" -nt "$0" && -f "$stamp" && "$(cat "$stamp")" == "$java_home" ]]; then
  echo "jre-base: $out is up to date"
  exit 0
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
root="$work/rootfs"
mkdir -p "$root/opt/java" "$root/etc" "$root/tmp" "$root/var/lib"

# Every runtime module except the tools that only a JDK needs; worker JVMs run tenant code, which
# may use any of them.
modules=$("$java_home/bin/java" --list-modules | sed 's/@.*//' \
  | grep -Ev '^jdk\.(incubator\..*|jlink|jpackage|javadoc|jdeps|jshell|hotspot\.agent|jstatd|jconsole|compiler|internal\.(ed|le|opt)|editpad|jartool|jcmd|jdi|jdwp\.agent|management\.jfr|jsobject)$' \
  | paste -sd, -)
"$java_home/bin/jlink" --add-modules "$modules" --strip-debug --no-header-files --no-man-pages \
  --output "$root/opt/java/openjdk"

# The shared libraries the JRE links against (glibc and friends), at their usual paths.
libs=$(find "$root/opt/java/openjdk" -type f \( -name '*.so' -o -perm -u+x \) -exec ldd {} \; 2>/dev/null \
  | grep -o '/[^ ]*' | sort -u || true)
for lib in $libs; do
  if [[ -e "$lib" && "$lib" != "$work"/* ]]; then cp --parents -L "$lib" "$root/"; fi
done

printf 'root:x:0:0:root:/root:/sbin/nologin\nquarry:x:65532:0:quarry:/var/lib/quarry:/sbin/nologin\n' > "$root/etc/passwd"
printf 'root:x:0:\nquarry:x:65532:\n' > "$root/etc/group"
chmod 1777 "$root/tmp"

tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner -C "$root" -cf "$work/layer.tar" .
diff_id="sha256:$(sha256sum "$work/layer.tar" | cut -d' ' -f1)"
cat > "$work/config.json" <<JSON
{"architecture":"amd64","os":"linux","created":"1970-01-01T00:00:00Z",
 "config":{"Env":["PATH=/opt/java/openjdk/bin:/usr/local/bin:/usr/bin:/bin","JAVA_HOME=/opt/java/openjdk","LANG=C.UTF-8"],"User":"65532:0"},
 "rootfs":{"type":"layers","diff_ids":["$diff_id"]},
 "history":[{"created":"1970-01-01T00:00:00Z","created_by":"deploy/image/jre-base.sh (jlink from $java_home)"}]}
JSON
echo '[{"Config":"config.json","RepoTags":["quarry-jre-base:local"],"Layers":["layer.tar"]}]' > "$work/manifest.json"
mkdir -p "$(dirname "$out")"
tar -C "$work" -cf "$out.tmp" manifest.json config.json layer.tar
mv "$out.tmp" "$out"
echo "$java_home" > "$stamp"
echo "jre-base: wrote $out ($(du -h "$out" | cut -f1))"
