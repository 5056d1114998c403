#!/bin/sh
# build.sh OUT.exe APPVERSION VERSION NAME ICON LDFLAGS: cross-builds
# softtoken for 64-bit Windows with gcc-mingw-w64 (cgo: Fyne's OpenGL
# driver), as a GUI program with the icon, version information and
# manifest built in (a .syso made by go-winres from winres.json.in; the
# version of go-winres is the tool directive of go.mod).
# APPVERSION is numeric (1.2.3, as in FyneApp.toml; the build number of
# FyneApp.toml is its fourth part), VERSION is what `softtoken version`
# prints. The result is not signed: sign.sh does that.
#
# The first build for Windows compiles GLFW and go-gl with mingw: about
# five minutes on two cores; later builds take seconds from Go's cache.
set -eu
out=$1 appversion=$2 version=$3 name=$4 icon=$5 ldflags=$6
company=${COMPANY:-$name}
icon=$(cd "$(dirname "$icon")" && pwd)/$(basename "$icon")
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=$(sed -n 's/^ *Build *= *\([0-9][0-9]*\).*/\1/p' "$root/FyneApp.toml")
fileversion="$appversion.${build:-0}"
case "$fileversion" in
*[!0-9.]* | *..* | .* ) echo "build.sh: version $fileversion is not numeric" >&2; exit 1 ;;
esac

tmp=$(mktemp -d "${TMPDIR:-/tmp}/softtoken-winres.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
(cd "$root" && go run ./packaging/windows/iconset "$icon" "$tmp")
esc() { printf '%s' "$1" | sed 's/[\\"]/\\&/g; s/[|&]/\\&/g'; }
sed -e "s|@FILEVERSION@|$fileversion|g" -e "s|@VERSION@|$(esc "$version")|g" \
	-e "s|@NAME@|$(esc "$name")|g" -e "s|@COMPANY@|$(esc "$company")|g" \
	"$here/winres.json.in" >"$tmp/winres.json"
go -C "$root" tool go-winres make --in "$tmp/winres.json" --arch amd64 --out "$tmp/rsrc"

# Go links a .syso only from the main package's own folder (go build
# -overlay does not take one), and the source tree is to get no generated
# file: the program is built from a copy of the module's sources (1 MB:
# the files git knows, or, outside a git checkout, the folder without
# dist/ and build/), with the .syso beside main.go there. With -trimpath
# the build cache does not depend on the folder: later builds stay quick.
src="$tmp/src"
mkdir "$src"
if git -C "$root" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
	(cd "$root" && git ls-files -z --cached --others --exclude-standard | xargs -0 sh -c 'for f; do [ -f "$f" ] && printf "%s\0" "$f"; done' sh |
		tar --null -T - -cf -) | tar -C "$src" -xf -
else
	tar -C "$root" --exclude=./.git --exclude=./dist --exclude=./build --exclude=./softtoken -cf - . | tar -C "$src" -xf -
fi
mv "$tmp/rsrc_windows_amd64.syso" "$src/zz_winres_windows_amd64.syso"
case "$out" in /*) ;; *) out="$PWD/$out" ;; esac

cd "$src"
CGO_ENABLED=1 CC=${WINDOWS_CC:-x86_64-w64-mingw32-gcc} GOOS=windows GOARCH=amd64 \
	go build -trimpath -tags "${SOFTTOKEN_TAGS:-no_emoji}" -ldflags "$ldflags -H windowsgui" -o "$out" .
