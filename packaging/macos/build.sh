#!/bin/sh
# build.sh OUTDIR APPVERSION VERSION NAME ICON LDFLAGS: builds
# OUTDIR/softtoken.app on a Mac: the program (cgo, with the Xcode command
# line tools: xcode-select --install), Info.plist from Info.plist.in
# (registers the otpauth:// and otpauth-migration:// URL types) and the
# icon converted with sips and iconutil, which only macOS has. It is not
# built or tested on Linux.
#
# Sign and notarize for hand-out (needs an Apple Developer ID):
#   codesign --force --options runtime --timestamp -s "Developer ID Application: …" OUTDIR/softtoken.app
#   ditto -c -k --keepParent OUTDIR/softtoken.app softtoken.zip
#   xcrun notarytool submit softtoken.zip --keychain-profile … --wait
#   xcrun stapler staple OUTDIR/softtoken.app
set -eu
out=$1 appversion=$2 version=$3 name=$4 icon=$5 ldflags=$6
if [ "$(uname -s)" != Darwin ]; then
	echo "make macos: the .app is built on a Mac (see packaging/macos/build.sh and docs/rollout.md)" >&2
	exit 1
fi
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=$(sed -n 's/^ *Build *= *\([0-9][0-9]*\).*/\1/p' "$root/FyneApp.toml")
app="$out/softtoken.app"
rm -rf "$app"
mkdir -p "$app/Contents/MacOS" "$app/Contents/Resources"
(cd "$root" && CGO_ENABLED=1 go build -trimpath -tags "${SOFTTOKEN_TAGS:-no_emoji}" -ldflags "$ldflags" -o "$app/Contents/MacOS/softtoken" .)
esc() { printf '%s' "$1" | sed 's/[&<>]/ /g; s/[|\\]/\\&/g'; }
sed -e "s|@NAME@|$(esc "$name")|g" -e "s|@APPVERSION@|$appversion|g" -e "s|@BUILD@|${build:-1}|g" \
	"$here/Info.plist.in" >"$app/Contents/Info.plist"
plutil -lint "$app/Contents/Info.plist"
set_dir=$(mktemp -d)/icon.iconset
mkdir -p "$set_dir"
for s in 16 32 128 256 512; do
	sips -z $s $s "$icon" --out "$set_dir/icon_${s}x${s}.png" >/dev/null
	sips -z $((s * 2)) $((s * 2)) "$icon" --out "$set_dir/icon_${s}x${s}@2x.png" >/dev/null
done
iconutil -c icns "$set_dir" -o "$app/Contents/Resources/icon.icns"
echo "$app ($version)"
