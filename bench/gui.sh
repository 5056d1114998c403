#!/bin/bash
# gui.sh [OUTDIR]: benchmarks the desktop app against Debian's OTPClient and
# a bare Fyne window (bench/barefyne, one label), as issue 5 asks:
#
#   paint  process start to first code painted (softtoken, 20 accounts),
#          to the first window with its account list painted (OTPClient,
#          the same 20 accounts) and to the label painted (bare Fyne);
#          $LAUNCHES launches of each, alternating, after one warm-up
#          launch of each (reported apart as the first start: empty caches).
#   rss    VmRSS of /proc/PID/status $SETTLE s after the paint, same launches.
#   idle   utime+stime of /proc/PID/stat over $IDLE s, the window shown and
#          hidden (softtoken: its "start minimised to the tray" preference;
#          bare Fyne: the window made but never shown, with a tray menu as
#          softtoken has one). The five variants run
#          side by side, each on its own display, so that the load of the
#          shared machine weighs on all alike; $ROUNDS rounds.
#
# Every launch has a fresh Xvfb (-displayfd) and its own XDG_CONFIG_HOME
# and XDG_RUNTIME_DIR, copied from one prepared template. XDG_CACHE_HOME
# is each program's own and kept from launch to launch, as a person's is:
# Fyne keeps its font index there (go-text's font_index_v6.cache) and Mesa
# its compiled shaders; an empty one costs a Fyne program 150 to 450 ms
# more at its start (GTK's font cache is system-wide and warm anyway).
# The warm-up launch starts with it empty: the "first start" line.
# The secrets live in the keyring of the session: run it only through
# scripts/with-services.sh, which gives a private D-Bus, an unlocked
# throw-away gnome-keyring and a temporary HOME:
#
#   scripts/with-services.sh bench/gui.sh [OUTDIR]
#
# Needs (installs nothing): golang, xvfb, x11-utils (xwininfo),
# imagemagick (import, convert), libsecret-tools (secret-tool),
# otpclient (3.1, Debian 12), gnome-keyring and dbus (for with-services.sh).
#
# "Painted" is decided from screenshots: the script polls `import -window`
# of the program's window and counts the pixels of a known area (where the
# first code, the first list row or the label is drawn) that differ from the
# window's background by more than 35% of the grey range; the first
# screenshot with more than a set number of them (see area) ends the clock, at the moment
# that screenshot was finished. Each poll takes ~0.1 s, so the figures are
# upper bounds with that resolution, alike for all three programs. The last
# screenshot of every launch is kept in OUTDIR to check the areas.
set -eu

case "${HOME:-}" in
*/softtoken-test.*/home) ;;
*)
	echo "gui.sh: run me through scripts/with-services.sh (a private keyring and HOME); refusing to touch the real ones" >&2
	exit 2
	;;
esac
[ -n "${DBUS_SESSION_BUS_ADDRESS:-}" ] || { echo "gui.sh: no private session bus; use scripts/with-services.sh" >&2; exit 2; }
for c in go Xvfb xwininfo import convert secret-tool otpclient; do
	command -v "$c" >/dev/null || { echo "gui.sh: $c is missing (see the packages at the top of this script)" >&2; exit 2; }
done

LAUNCHES=${LAUNCHES:-5} ROUNDS=${ROUNDS:-3} IDLE=${IDLE:-60} SETTLE=${SETTLE:-5}
out=$(realpath -m "${1:-${TMPDIR:-/tmp}/softtoken-bench-gui}")
mkdir -p "$out"
work=$(mktemp -d "${TMPDIR:-/tmp}/bench-gui.XXXXXX")
pids=""
cleanup() {
	for p in $pids; do kill "$p" 2>/dev/null || true; done
	rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 1' INT TERM
hz=$(getconf CLK_TCK)
log() { echo "$*" >&2; }

# --- Binaries -------------------------------------------------------------
log "building softtoken, bench/barefyne and bench/otpclientdb…"
go build -tags no_emoji -o "$work/softtoken" .
go build -o "$work/barefyne" ./bench/barefyne
go build -o "$work/otpclientdb" ./bench/otpclientdb

# --- Template: 20 accounts for both apps ----------------------------------
links() {
	for c in A B C D E F G H I J K L M N O P Q R S T; do
		printf 'otpauth://totp/Dienst%%20%s:benutzer.%s?secret=JBSWY3DPEHPK3PX%sJBSWY3DPEHPK3PXP&issuer=Dienst%%20%s\n' $c $c $c $c
	done
}
tpl="$work/template"
mkdir -p "$tpl/config"
links | while read -r l; do
	printf '%s\n' "$l" | XDG_CONFIG_HOME="$tpl/config" "$work/softtoken" add - >/dev/null
done
n=$(XDG_CONFIG_HOME="$tpl/config" "$work/softtoken" list --json | grep -o '"id"' | wc -l)
[ "$n" -eq 20 ] || { log "gui.sh: expected 20 softtoken accounts, have $n"; exit 1; }
# OTPClient 3.1 starts to its main window without asking anything when
# its config names a database and the database's password is in the
# Secret Service under its schema, attribute string=main_pwd.
links | "$work/otpclientdb" bench-password "$tpl/otpclient.enc"
printf 'bench-password' | secret-tool store --label='OTPClient (bench)' \
	xdg:schema com.github.paolostivanin.OTPClient string main_pwd
printf '[config]\ndb_path=%s\nuse_secret_service=true\n' "$tpl/otpclient.enc" >"$tpl/config/otpclient.cfg"

# --- One launch -------------------------------------------------------------
# launch NAME KIND: starts KIND (softtoken, softtoken-hidden, otpclient,
# barefyne, barefyne-hidden) on a fresh display; sets L (its folder), XPID,
# PID and T0 (ns).
launch() {
	L="$work/$1"
	rm -rf "$L"
	C="$work/cache-${2%-hidden}"
	mkdir -p "$C"
	mkdir -p "$L"
	mkdir -m 0700 "$L/run"
	cp -r "$tpl/config" "$L/config"
	: >"$L/dpy"
	Xvfb -displayfd 3 -screen 0 1920x1080x24 -nolisten tcp 3>"$L/dpy" 2>/dev/null &
	XPID=$!
	pids="$pids $XPID"
	for _ in $(seq 100); do [ -s "$L/dpy" ] && break; sleep 0.05; done
	local dpy=":$(head -n1 "$L/dpy")"
	local cmd
	case $2 in
	softtoken) cmd="$work/softtoken" ;;
	softtoken-hidden)
		mkdir -p "$L/config/fyne/de.stadtverwaltung.softtoken"
		echo '{"startInTray":true}' >"$L/config/fyne/de.stadtverwaltung.softtoken/preferences.json"
		cmd="$work/softtoken"
		;;
	otpclient) cmd=otpclient ;;
	barefyne) cmd="$work/barefyne" ;;
	barefyne-hidden) cmd="$work/barefyne -hidden" ;;
	esac
	T0=$(date +%s%N)
	DISPLAY=$dpy XDG_CONFIG_HOME="$L/config" XDG_CACHE_HOME="$C" XDG_RUNTIME_DIR="$L/run" \
		$cmd >"$L/log" 2>&1 &
	PID=$!
	pids="$pids $PID"
	DPY=$dpy
}

stop() {
	kill "$PID" 2>/dev/null || true
	wait "$PID" 2>/dev/null || true
	kill "$XPID" 2>/dev/null || true
	wait "$XPID" 2>/dev/null || true
}

# window NAME: the id of the viewable top-level window called NAME that is
# larger than 10x10 on $DPY, or nothing.
window() {
	DISPLAY=$DPY xwininfo -root -tree 2>/dev/null |
		sed -n "s/^ *\(0x[0-9a-f]*\) \"$1\": .*  \([0-9]*\)x\([0-9]*\)+.*/\1 \2 \3/p" |
		awk '$2 > 10 && $3 > 10 {print $1; exit}' |
		while read -r id; do
			if DISPLAY=$DPY xwininfo -id "$id" | grep -q 'Map State: IsViewable'; then echo "$id"; fi
		done || true
}

# lit FILE WxH+X+Y BGX,BGY: how many pixels of the area differ from the
# pixel at BGX,BGY (the background) by more than 35% of the grey range.
lit() {
	local bg
	bg=$(convert "$1" -format "%[fx:p{$3}.intensity]" info: 2>/dev/null) || return 0
	convert "$1" -crop "$2" +repage -colorspace gray -fx "abs(u-$bg)>0.35" \
		-format '%[fx:round(mean*w*h)]' info: 2>/dev/null || true
}

# Where each program draws what counts as painted, in window coordinates
# (Fyne's default scale under Xvfb; OTPClient's GTK window with its
# client-side decorations): the first code of softtoken's list, the first
# row of OTPClient's list, the bare window's label; a background pixel;
# and how many pixels must differ (about a quarter of what the finished
# area has: ~650 for the code, ~500 for the row, ~150 for the label).
area() {
	case $1 in
	softtoken) echo "120x45+8+120 2,600 150" ;;
	otpclient) echo "230x16+12+129 360,300 150" ;;
	barefyne) echo "80x30+4+4 200,600 60" ;;
	esac
}

# paint KIND NAME: launch, wait for the painted area, settle, read VmRSS;
# prints "ms rss_kB".
paint() {
	local kind=$1 name=$2 title
	case $kind in softtoken) title=softtoken ;; otpclient) title=OTPClient ;; barefyne) title=barefyne ;; esac
	set -- $(area "$kind")
	launch "$name" "$kind"
	local id="" t="" px=0 deadline=$((T0 + 30000000000))
	while [ "$(date +%s%N)" -lt $deadline ]; do
		[ -n "$id" ] || id=$(window "$title")
		if [ -n "$id" ] && DISPLAY=$DPY import -window "$id" "$L/shot.png" 2>/dev/null; then
			now=$(date +%s%N)
			px=$(lit "$L/shot.png" "$1" "$2")
			if [ "${px:-0}" -gt "${MINPIX:-$3}" ]; then
				t=$(((now - T0) / 1000000))
				break
			fi
		else
			sleep 0.02
		fi
	done
	sleep "$SETTLE"
	rss=$(awk '/^VmRSS:/ {print $2}' "/proc/$PID/status" 2>/dev/null || echo NA)
	[ -n "$id" ] && DISPLAY=$DPY import -window "$id" "$out/$name.png" 2>/dev/null || true
	stop
	echo "${t:-NA} ${rss:-NA} $px"
}

cpu() { awk '{print $14 + $15}' "/proc/$1/stat"; }

median() { sort -n | awk '{a[NR]=$1} END {if (NR == 0) print "NA"; else if (NR % 2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'; }

# --- Paint and RSS ----------------------------------------------------------
res="$out/results.txt"
: >"$res"
echo "# kind launch first_paint_ms vmrss_kB lit_pixels" >"$out/paint.txt"
log "warm-up launches (the first start, with empty caches)…"
echo "# kind first_start_paint_ms vmrss_kB lit_pixels" >"$out/first.txt"
for k in softtoken otpclient barefyne; do
	r=$(paint $k "warmup-$k")
	log "first start $k: paint_ms rss_kB px = $r"
	echo "$k $r" >>"$out/first.txt"
done
for i in $(seq "$LAUNCHES"); do
	# Alternate the order from launch to launch.
	if [ $((i % 2)) -eq 1 ]; then order="softtoken otpclient barefyne"; else order="barefyne otpclient softtoken"; fi
	for k in $order; do
		r=$(paint $k "paint-$k-$i")
		log "launch $i $k: paint_ms rss_kB px = $r"
		echo "$k $i $r" >>"$out/paint.txt"
	done
done

# --- Idle CPU ---------------------------------------------------------------
echo "# kind round cpu_s_over_${IDLE}s xvfb_cpu_s vmrss_kB window_viewable" >"$out/idle.txt"
kinds="softtoken softtoken-hidden otpclient barefyne barefyne-hidden"
for r in $(seq "$ROUNDS"); do
	log "idle round $r: $IDLE s with all five side by side…"
	declare -A P X D
	for k in $kinds; do
		launch "idle-$k" "$k"
		P[$k]=$PID X[$k]=$XPID D[$k]=$DPY
	done
	sleep $((SETTLE + 5)) # started, codes shown, settled
	declare -A C0 XC0
	for k in $kinds; do C0[$k]=$(cpu "${P[$k]}"); XC0[$k]=$(cpu "${X[$k]}"); done
	sleep "$IDLE"
	for k in $kinds; do
		c=$(($(cpu "${P[$k]}") - C0[$k]))
		xc=$(($(cpu "${X[$k]}") - XC0[$k]))
		rss=$(awk '/^VmRSS:/ {print $2}' "/proc/${P[$k]}/status")
		case $k in softtoken*) t=softtoken ;; otpclient) t=OTPClient ;; barefyne*) t=barefyne ;; esac
		DPY=${D[$k]}
		v=$([ -n "$(window "$t")" ] && echo yes || echo no)
		line="$k $r $(awk -v c=$c -v h=$hz 'BEGIN {printf "%.2f", c/h}') $(awk -v c=$xc -v h=$hz 'BEGIN {printf "%.2f", c/h}') $rss $v"
		log "  $line"
		echo "$line" >>"$out/idle.txt"
	done
	for k in $kinds; do
		PID=${P[$k]} XPID=${X[$k]}
		stop
	done
done

# --- Summary ------------------------------------------------------------------
col() { awk -v k="$1" -v c="$2" '$1 == k && $c != "NA" {print $c}' "$3" | median; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {if (a == "NA" || b == "NA" || b == 0) print "NA"; else printf "%.2f", a/b}'; }
{
	echo "softtoken GUI benchmark $(date -u +%FT%TZ) on $(nproc) cores; $LAUNCHES launches (medians), $ROUNDS idle rounds of $IDLE s (medians)"
	printf '%-28s %12s %12s %12s\n' "" softtoken OTPClient "bare Fyne"
	for m in "first paint ms:3:paint.txt" "VmRSS kB (20 accounts):4:paint.txt"; do
		IFS=: read -r label c f <<<"$m"
		printf '%-28s %12s %12s %12s\n' "$label" "$(col softtoken $c "$out/$f")" "$(col otpclient $c "$out/$f")" "$(col barefyne $c "$out/$f")"
	done
	printf '%-28s %12s %12s %12s\n' "first start ms (cold caches)" "$(col softtoken 2 "$out/first.txt")" "$(col otpclient 2 "$out/first.txt")" "$(col barefyne 2 "$out/first.txt")"
	printf '%-28s %12s %12s %12s\n' "idle CPU s/${IDLE}s shown" "$(col softtoken 3 "$out/idle.txt")" "$(col otpclient 3 "$out/idle.txt")" "$(col barefyne 3 "$out/idle.txt")"
	printf '%-28s %12s %12s %12s\n' "idle CPU s/${IDLE}s hidden" "$(col softtoken-hidden 3 "$out/idle.txt")" "-" "$(col barefyne-hidden 3 "$out/idle.txt")"
	printf '%-28s %12s %12s %12s\n' "Xvfb CPU s/${IDLE}s shown" "$(col softtoken 4 "$out/idle.txt")" "$(col otpclient 4 "$out/idle.txt")" "$(col barefyne 4 "$out/idle.txt")"
	printf '%-28s %12s %12s %12s\n' "Xvfb CPU s/${IDLE}s hidden" "$(col softtoken-hidden 4 "$out/idle.txt")" "-" "$(col barefyne-hidden 4 "$out/idle.txt")"
	echo
	echo "targets (ratio, pass at <= 1.10):"
	echo "  first paint softtoken/OTPClient   $(ratio "$(col softtoken 3 "$out/paint.txt")" "$(col otpclient 3 "$out/paint.txt")")"
	echo "  RSS softtoken/bare Fyne           $(ratio "$(col softtoken 4 "$out/paint.txt")" "$(col barefyne 4 "$out/paint.txt")")"
	echo "  idle CPU shown softtoken/bare     $(ratio "$(col softtoken 3 "$out/idle.txt")" "$(col barefyne 3 "$out/idle.txt")")"
	echo "  idle CPU hidden softtoken/bare    $(ratio "$(col softtoken-hidden 3 "$out/idle.txt")" "$(col barefyne-hidden 3 "$out/idle.txt")")"
} >"$res"
cat "$res"
echo "raw figures and screenshots: $out" >&2
