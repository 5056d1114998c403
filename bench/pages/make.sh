#!/bin/sh
# make.sh [DIR]: writes the benchmark's pages into DIR (default: this
# folder): headless Chromium's screenshots of docs/examples/enroll.html
# and of busy.html (a portal page with text, logos, photo-like pictures
# and the QR code at some place and size, one of them dark), at 3840x2160
# and 1920x1080, and one JPEG of a busy page. The PNGs of 4K screenshots
# take megabytes each, so they are made here, reproducibly (the same
# Chromium draws the same pixels), rather than kept in git.
#
# Needs chromium and imagemagick (convert); both are test packages of
# scripts/deps.sh.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
out=${1:-$here}
mkdir -p "$out"
prof=$(mktemp -d "${TMPDIR:-/tmp}/mkpages-chromium.XXXXXX")
trap 'rm -rf "$prof"' EXIT INT TERM

# shot NAME W H URL
shot() {
	[ -s "$out/$1" ] && return 0
	chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --user-data-dir="$prof" \
		--force-device-scale-factor=1 --window-size="$2,$3" --virtual-time-budget=3000 \
		--screenshot="$out/$1" "$4" >/dev/null 2>&1
	[ -s "$out/$1" ] || { echo "make.sh: chromium made no $1" >&2; exit 1; }
}
shot enroll-4k.png 3840 2160 "file://$root/docs/examples/enroll.html"
shot enroll-1080.png 1920 1080 "file://$root/docs/examples/enroll.html"
shot busy-4k.png 3840 2160 "file://$here/busy.html?qr=180&left=78&top=20"
shot busy-1080.png 1920 1080 "file://$here/busy.html?qr=150&left=74&top=33"
shot busy-dark-4k.png 3840 2160 "file://$here/busy.html?dark&qr=200&left=45&top=55"
if [ ! -s "$out/busy-4k.jpg" ]; then
	shot busy-jpeg-src.png 3840 2160 "file://$here/busy.html?qr=190&left=20&top=60"
	convert "$out/busy-jpeg-src.png" -quality 85 "$out/busy-4k.jpg"
	rm -f "$out/busy-jpeg-src.png"
fi
