#!/bin/sh
# take.sh: the screenshots of the README, taken of the real window under a
# private Xvfb display and keyring (scripts/with-services.sh), in English
# and German: first start (the wizard), one account, five accounts, the
# last five seconds of a period, and the settings.
#
# Run from the repository's root: docs/screenshots/take.sh
set -eu
dir=$(realpath docs/screenshots)
export TMPDIR="${TMPDIR:-/tmp}"
go build -tags no_emoji -o "$TMPDIR/softtoken-shot" .
go build -o "$TMPDIR/guikey" ./bench/guikey
for l in en_US.UTF-8:en de_DE.UTF-8:de; do
	LANG=${l%%:*} LANGUAGE="" LC_ALL="" scripts/with-services.sh sh -c '
		set -eu
		bin="$TMPDIR/softtoken-shot" out="$0" suffix="$1"
		start() {
			"$bin" & pid=$!
			id=""
			for i in $(seq 1 100); do
				id=$(xwininfo -root -tree | sed -n "s/^ *\(0x[0-9a-f]*\) \"softtoken\": .* \([0-9]*\)x\([0-9]*\)+.*/\1 \2/p" | awk "\$2 > 1 {print \$1; exit}")
				[ -n "$id" ] && break
				sleep 0.2
			done
			sleep 2
		}
		shot() { import -window "$id" "$out/$1-$suffix.png"; }
		stop() { kill $pid; wait $pid 2>/dev/null || true; }
		add() { printf "%s\n" "$1" | "$bin" add - >/dev/null; }
		# Wait until the seconds of the minute modulo 30 are between $1 and $2.
		waitsec() { while :; do s=$(( $(date +%s) % 30 )); [ $s -ge $1 ] && [ $s -le $2 ] && break; sleep 0.3; done; }

		start; shot wizard; stop
		add "otpauth://totp/Stadtverwaltung:max.mustermann?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=Stadtverwaltung"
		waitsec 5 15; start; shot one; stop
		add "otpauth://totp/VPN%20Gateway:m.mustermann?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&digits=8"
		add "otpauth://hotp/Fachverfahren:mm0815?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&counter=0"
		add "otpauth://totp/Personalportal:max.mustermann%40stadt.example?secret=KRSXG5CTMVRXEZLUKN2XAZLSKNSWG4TFOQ"
		add "otpauth://totp/E-Akte:mustermann?secret=MFRGGZDFMZTWQ2LKNNWG23TPOBYXE43U&algorithm=SHA256"
		waitsec 5 12; start; shot five
		waitsec 26 27; shot last5
		WINDOW=$id "$TMPDIR/guikey" ctrl comma; sleep 1; shot settings
		stop
	' "$dir" "${l##*:}"
done
