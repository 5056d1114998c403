#!/bin/sh
# screenshot.sh OUT.png [LANG]: starts softtoken with demo accounts on a
# private Xvfb display and keyring (via with-services.sh) and saves a
# screenshot of its window. Used for docs/ and to look at the GUI.
set -eu
out=$(realpath -m "$1")
lang=${2:-en_US.UTF-8}
go build -tags no_emoji -o "${TMPDIR:-/tmp}/softtoken-shot" .
LANG="$lang" LANGUAGE="" LC_ALL="" exec "$(dirname "$0")/with-services.sh" sh -c '
	bin="${TMPDIR:-/tmp}/softtoken-shot"
	for link in \
		"otpauth://totp/Stadtverwaltung:max.mustermann?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=Stadtverwaltung" \
		"otpauth://totp/VPN%20Gateway:m.mustermann?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&digits=8" \
		"otpauth://hotp/Fachverfahren:mm0815?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&counter=0"; do
		printf "%s\n" "$link" | "$bin" add - >/dev/null
	done
	"$bin" & pid=$!
	for i in $(seq 1 100); do
		id=$(xwininfo -root -tree | sed -n "s/^ *\(0x[0-9a-f]*\) \"softtoken\": .* \([0-9]*\)x\([0-9]*\)+.*/\1 \2/p" | awk "\$2 > 1 {print \$1; exit}")
		[ -n "$id" ] && break
		sleep 0.2
	done
	sleep "${SHOT_DELAY:-2}"
	import -window "$id" "$0"
	kill $pid
' "$out"
