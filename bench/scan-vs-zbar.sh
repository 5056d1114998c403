#!/bin/sh
# scan-vs-zbar.sh: times `softtoken add --image PAGE` (the whole process:
# decode, search, the keychain write, the index) against `zbarimg` reading
# the same page, as whole processes alternating A B A B (bench/abrun), on
# the pages of bench/pages: Chromium screenshots of docs/examples/enroll.html
# and of a busy portal page at 3840x2160 and 1920x1080, a dark one (the code
# light on dark; zbarimg then needs -Stest-inverted, which it is given
# there), and a JPEG; and, as the figure issue 16 started from, one page of
# bench/mkpages (a plain light page with one 160-pixel code). For each it prints wall and CPU time (median, min,
# max) and the ratios. Goal (issue 16): at most 0.70x zbarimg's wall time
# and 1.0x its CPU time on the 4K pages.
#
# Run it under scripts/with-services.sh, which gives the add a private,
# throw-away keyring and home; the script refuses to run without it, so
# that the user's real keychain is never touched:
#
#	scripts/with-services.sh bench/scan-vs-zbar.sh [SOFTTOKEN_BINARY]
#
# RUNS (default 11) sets the rounds. Needs zbarimg (zbar-tools), chromium
# and imagemagick (bench/pages/make.sh makes the pages once).
set -eu
case "${HOME:-}" in
*/softtoken-test.*/home) ;;
*)
	echo "scan-vs-zbar: run me under scripts/with-services.sh (a private keyring), not against yours" >&2
	exit 2
	;;
esac
command -v zbarimg >/dev/null || {
	echo "scan-vs-zbar: zbarimg is not installed (Debian: apt-get install zbar-tools)" >&2
	exit 2
}

root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/scan-vs-zbar.XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM
"$root/bench/pages/make.sh"
pages="$root/bench/pages"
(cd "$root" && go build -o "$work/abrun" ./bench/abrun && go run ./bench/mkpages "$work" 1)
if [ -n "${1:-}" ]; then
	cp "$1" "$work/softtoken"
else
	(cd "$root" && go build -tags no_emoji -o "$work/softtoken" .)
fi
export XDG_CONFIG_HOME="$work/config"

status=0
cp "$work/page01.png" "$work/mkpages-4k.png"
for p in enroll-4k.png busy-4k.png busy-dark-4k.png busy-4k.jpg enroll-1080.png busy-1080.png mkpages-4k.png; do
	page="$pages/$p"
	[ "$p" = mkpages-4k.png ] && page="$work/$p"
	zopt=""
	case $p in *dark*) zopt="-Stest-inverted" ;; esac
	# Both must read the page, or the timing means nothing.
	rm -rf "$work/config"
	"$work/softtoken" add --image "$page" >/dev/null || { echo "scan-vs-zbar: softtoken did not read $p" >&2; exit 1; }
	zbarimg -q --raw $zopt "$page" 2>/dev/null | grep -q '^otpauth://' || { echo "scan-vs-zbar: zbarimg did not read $p" >&2; exit 1; }
	goals=""
	case $p in *4k*) goals="-goal-wall 0.70 -goal-cpu 1.0" ;; esac
	# The index is emptied before each add, so that every add enrolls anew.
	"$work/abrun" -q -n "${RUNS:-11}" -warmup 1 -label "add --image $p vs zbarimg" $goals \
		-prepare "rm -rf '$work/config'" \
		"softtoken add --image" "$work/softtoken add --image $page" \
		"zbarimg" "zbarimg -q --raw $zopt $page" || status=1
done
exit $status
