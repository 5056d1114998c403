#!/bin/sh
# scan-vs-zbar.sh [N]: times `softtoken add --image` on N (default 8)
# 3840x2160 PNG pages, each with one 160-pixel enrollment QR code, as whole
# processes, against zbarimg reading the same files. Goal: softtoken takes
# at most 0.7 times zbarimg's time.
#
# Run it under scripts/with-services.sh, which gives the add a private,
# throw-away keyring and home; the script refuses to run without it, so
# that the user's real keychain is never touched:
#
#	scripts/with-services.sh bench/scan-vs-zbar.sh
#
# Needs hyperfine and zbarimg (Debian: hyperfine, zbar-tools).
set -eu
n=${1:-8}
case "${HOME:-}" in
*/softtoken-test.*/home) ;;
*)
	echo "scan-vs-zbar: run me under scripts/with-services.sh (a private keyring), not against yours" >&2
	exit 2
	;;
esac
for tool in hyperfine zbarimg; do
	command -v "$tool" >/dev/null || {
		echo "scan-vs-zbar: $tool is not installed (Debian: apt-get install hyperfine zbar-tools)" >&2
		exit 2
	}
done

root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/scan-vs-zbar.XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM
mkdir "$work/pages"
(cd "$root" && go build -tags no_emoji -o "$work/softtoken" . && go run ./bench/mkpages "$work/pages" "$n")

# Both must read every page, or the timing means nothing.
XDG_CONFIG_HOME="$work/config" "$work/softtoken" add --image "$work/pages/page01.png" >/dev/null
found=$(zbarimg -q --raw "$work"/pages/*.png 2>/dev/null | grep -c '^otpauth://' || true)
[ "$found" -eq "$n" ] || {
	echo "scan-vs-zbar: zbarimg read $found of $n codes" >&2
	exit 1
}

# One process per page, as a person would run it; the index is emptied
# before each round so that every add enrolls anew.
export XDG_CONFIG_HOME="$work/config"
hyperfine --warmup 1 --runs "${RUNS:-5}" --export-json "$work/result.json" \
	--prepare "rm -rf '$work/config'" \
	-n "softtoken add --image" "for f in '$work'/pages/*.png; do '$work/softtoken' add --image \"\$f\" >/dev/null || exit 1; done" \
	-n "zbarimg" "for f in '$work'/pages/*.png; do zbarimg -q --raw \"\$f\" >/dev/null || exit 1; done"

python3 - "$work/result.json" "$n" <<'PY'
import json, sys
r = {x["command"]: x["mean"] for x in json.load(open(sys.argv[1]))["results"]}
st, zb, n = r["softtoken add --image"], r["zbarimg"], int(sys.argv[2])
print(f"per page: softtoken {st / n * 1000:.0f} ms, zbarimg {zb / n * 1000:.0f} ms; ratio {st / zb:.2f} (goal <= 0.70)")
sys.exit(0 if st <= 0.7 * zb else 1)
PY
