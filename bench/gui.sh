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
#          focused (xdotool windowfocus) and then left alone, focused and
#          in use (the pointer moved over it every 3 s, as by someone
#          reading the codes with the mouse in hand: softtoken counts every
#          second while touched, see ui/quiet.go), shown without the focus
#          (the focus given to the root window, as when the person works
#          in another window beside it or over it: X tells a program
#          nothing of being covered, Fyne paints alike), and hidden
#          (softtoken: its "start minimised to the tray" preference, with a
#          real tray panel, gtk-sni-tray-standalone, on a display of its
#          own, since without a tray softtoken shows its window anyway;
#          bare Fyne: the window made but never shown, with a tray menu as
#          softtoken has one). The nine variants run side by side, each on
#          its own display, so that the load of the shared machine weighs
#          on all alike; $ROUNDS rounds.
#   trace  softtoken's first start and one warm start run with
#          SOFTTOKEN_TRACE=1: its phases, in-process (trace-*.txt).
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
# SOFTTOKEN_BIN=FILE times that build of softtoken instead of this tree's;
# SOFTTOKEN_BASE=FILE times that build too ("base", e.g. main's), beside
# it in the same alternating first starts and launches: before and after
# in one run.
# LAUNCHES, ROUNDS, IDLE, SETTLE and FIRST set the counts (see below).
#
# Needs (installs nothing): golang, xvfb, x11-utils (xwininfo), xdotool,
# imagemagick (import, convert), libsecret-tools (secret-tool),
# otpclient (3.1, Debian 12), gnome-keyring and dbus (for with-services.sh),
# haskell-gtk-sni-tray-utils (the tray panel); scripts/deps.sh bench.
#
# "Painted" is decided from the X server's pixels: bench/paintwait reads
# a known area of the program's window (where the first code, the first
# list row or the label is drawn) with GetImage every ~3 ms and counts the
# pixels that differ from the window's background by more than 35% of the
# grey range; the first read with more than a set number of them (see
# area) ends the clock. The figures are upper bounds by a few ms, alike
# for all three programs (the `import` and `convert` polls used before
# took ~200 ms each). The last screenshot of every launch is kept in
# OUTDIR to check the areas, with its count of such pixels.
set -eu

case "${HOME:-}" in
*/softtoken-test.*/home) ;;
*)
	echo "gui.sh: run me through scripts/with-services.sh (a private keyring and HOME); refusing to touch the real ones" >&2
	exit 2
	;;
esac
[ -n "${DBUS_SESSION_BUS_ADDRESS:-}" ] || { echo "gui.sh: no private session bus; use scripts/with-services.sh" >&2; exit 2; }
for c in go Xvfb xwininfo xdotool import convert secret-tool otpclient gtk-sni-tray-standalone gdbus; do
	command -v "$c" >/dev/null || { echo "gui.sh: $c is missing (see the packages at the top of this script)" >&2; exit 2; }
done

LAUNCHES=${LAUNCHES:-5} ROUNDS=${ROUNDS:-3} IDLE=${IDLE:-60} SETTLE=${SETTLE:-5} FIRST=${FIRST:-3}
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
if [ -n "${SOFTTOKEN_BIN:-}" ]; then
	cp "$SOFTTOKEN_BIN" "$work/softtoken" # another build, e.g. main's, to compare
else
	go build -tags no_emoji -o "$work/softtoken" .
fi
base=""
if [ -n "${SOFTTOKEN_BASE:-}" ]; then
	cp "$SOFTTOKEN_BASE" "$work/softtoken-base"
	base=base
fi
go build -o "$work/barefyne" ./bench/barefyne
go build -o "$work/otpclientdb" ./bench/otpclientdb
go build -o "$work/paintwait" ./bench/paintwait

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
	C="$work/cache-${2%-*}"
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
	base) cmd="$work/softtoken-base" ;;
	softtoken-hidden)
		mkdir -p "$L/config/fyne/de.stadtverwaltung.softtoken"
		echo '{"startInTray":true}' >"$L/config/fyne/de.stadtverwaltung.softtoken/preferences.json"
		cmd="$work/softtoken"
		;;
	softtoken-unfocused | softtoken-inuse) cmd="$work/softtoken" ;;
	otpclient) cmd=otpclient ;;
	barefyne | barefyne-unfocused | barefyne-inuse) cmd="$work/barefyne" ;;
	barefyne-hidden) cmd="$work/barefyne -hidden" ;;
	esac
	T0=$(date +%s%N)
	DISPLAY=$dpy XDG_CONFIG_HOME="$L/config" XDG_CACHE_HOME="$C" XDG_RUNTIME_DIR="$L/run" SOFTTOKEN_TRACE=${TRACE:-} \
		$cmd >"$L/log" 2>&1 &
	PID=$!
	pids="$pids $PID"
	DPY=$dpy
}

# stop ends the launch: TERM, and KILL 5 s later. Fyne 2.8 can hang at
# its exit: the stop hook goes through the event queue to the main loop
# while the loop drains and closes its queue, and a hook that lands
# between is never run, and Run waits for it forever (seen once in
# ~40 launches).
stop() {
	kill "$PID" 2>/dev/null || true
	for _ in $(seq 50); do kill -0 "$PID" 2>/dev/null || break; sleep 0.1; done
	kill -9 "$PID" 2>/dev/null || true
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
	softtoken | base) echo "120x45+8+120 2,600 150" ;;
	otpclient) echo "230x16+12+129 360,300 150" ;;
	barefyne) echo "80x30+4+4 200,600 60" ;;
	esac
}

# paint KIND NAME: launch, wait for the painted area, settle, read VmRSS;
# prints "ms rss_kB".
paint() {
	local kind=$1 name=$2 title
	case $kind in softtoken | base) title=softtoken ;; otpclient) title=OTPClient ;; barefyne) title=barefyne ;; esac
	set -- $(area "$kind")
	launch "$name" "$kind"
	local t px=""
	t=$(DISPLAY=$DPY "$work/paintwait" -title "$title" -area "$1" -bg "$2" -min "${MINPIX:-$3}" -t0 "$T0") || t=""
	sleep "$SETTLE"
	rss=$(awk '/^VmRSS:/ {print $2}' "/proc/$PID/status" 2>/dev/null || echo NA)
	local id
	id=$(window "$title")
	rm -f "$out/$name.png"
	[ -n "$id" ] && DISPLAY=$DPY import -window "$id" "$out/$name.png" 2>/dev/null || true
	stop
	[ -s "$out/$name.png" ] && px=$(lit "$out/$name.png" "$1" "$2")
	echo "${t:-NA} ${rss:-NA} ${px:-NA}"
}

cpu() { awk '{print $14 + $15}' "/proc/$1/stat"; }

median() { sort -n | awk '{a[NR]=$1} END {if (NR == 0) print "NA"; else if (NR % 2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'; }

# --- Paint and RSS ----------------------------------------------------------
res="$out/results.txt"
: >"$res"
echo "# kind launch first_paint_ms vmrss_kB lit_pixels" >"$out/paint.txt"
# The session's services start at the first program that asks for them
# (D-Bus activates xdg-desktop-portal for Fyne, the accessibility bus for
# GTK) and take seconds to: on a desktop they run already. One untimed
# launch of each starts them, so that the first starts below measure the
# programs' own caches only.
log "starting the session's services (one untimed launch of each)…"
for k in softtoken $base otpclient barefyne; do
	paint $k "session-$k" >/dev/null
done
log "first starts, with empty caches ($FIRST of each, alternating)…"
echo "# kind launch first_start_paint_ms vmrss_kB lit_pixels" >"$out/first.txt"
for i in $(seq "$FIRST"); do
	if [ $((i % 2)) -eq 1 ]; then order="softtoken $base otpclient barefyne"; else order="barefyne otpclient $base softtoken"; fi
	for k in $order; do
		rm -rf "$work/cache-$k"
		r=$(TRACE=1 paint $k "warmup-$k")
		log "first start $i $k: paint_ms rss_kB px = $r"
		echo "$k $i $r" >>"$out/first.txt"
		[ "$k" = softtoken ] && { grep '^softtoken trace' "$work/warmup-softtoken/log" >"$out/trace-first-$i.txt" || true; }
	done
done
for i in $(seq "$LAUNCHES"); do
	# Alternate the order from launch to launch.
	if [ $((i % 2)) -eq 1 ]; then order="softtoken $base otpclient barefyne"; else order="barefyne otpclient $base softtoken"; fi
	for k in $order; do
		if [ "$i" -eq 1 ] && [ "$k" = softtoken ]; then
			r=$(TRACE=1 paint $k "paint-$k-$i")
			grep '^softtoken trace' "$work/paint-$k-$i/log" >"$out/trace-warm.txt" || true
		else
			r=$(paint $k "paint-$k-$i")
		fi
		log "launch $i $k: paint_ms rss_kB px = $r"
		echo "$k $i $r" >>"$out/paint.txt"
	done
done

# --- Idle CPU ---------------------------------------------------------------
# A tray panel for the hidden variants, on a display of its own; it owns
# the StatusNotifierWatcher of the session bus (all launches share it).
log "starting a tray panel (gtk-sni-tray-standalone)…"
tp="$work/tray-panel"
mkdir -p "$tp"
: >"$tp/dpy"
Xvfb -displayfd 3 -screen 0 800x600x24 -nolisten tcp 3>"$tp/dpy" 2>/dev/null &
pids="$pids $!"
for _ in $(seq 100); do [ -s "$tp/dpy" ] && break; sleep 0.05; done
DISPLAY=":$(head -n1 "$tp/dpy")" HOME="$tp" gtk-sni-tray-standalone --watcher --bottom --size 40 >"$tp/log" 2>&1 &
pids="$pids $!"
for _ in $(seq 600); do
	gdbus call --session -d org.freedesktop.DBus -o /org/freedesktop/DBus -m org.freedesktop.DBus.NameHasOwner org.kde.StatusNotifierWatcher 2>/dev/null | grep -q true && break
	sleep 0.1
done
gdbus call --session -d org.freedesktop.DBus -o /org/freedesktop/DBus -m org.freedesktop.DBus.NameHasOwner org.kde.StatusNotifierWatcher 2>/dev/null | grep -q true ||
	{ log "gui.sh: the tray panel's watcher did not come up in 60 s; its output:"; cat "$tp/log" >&2; exit 1; }

# nudge DPY WINDOW SECONDS: moves the pointer over the window every 3 s,
# between two points over labels (not buttons), for SECONDS.
nudge() {
	local end=$(($(date +%s) + $3)) x=100
	while [ "$(date +%s)" -lt $end ]; do
		DISPLAY=$1 xdotool mousemove --window "$2" $x 300 2>/dev/null || true
		x=$((220 - x))
		sleep 3
	done
}

echo "# kind round cpu_s_over_${IDLE}s xvfb_cpu_s vmrss_kB window_viewable" >"$out/idle.txt"
kinds="softtoken softtoken-inuse softtoken-unfocused softtoken-hidden otpclient barefyne barefyne-inuse barefyne-unfocused barefyne-hidden"
for r in $(seq "$ROUNDS"); do
	log "idle round $r: $IDLE s with all nine side by side…"
	declare -A P X D
	for k in $kinds; do
		launch "idle-$k" "$k"
		P[$k]=$PID X[$k]=$XPID D[$k]=$DPY
	done
	sleep $((SETTLE + 5)) # started, codes shown, settled
	# The focus: on the window, or on the root window (nobody's).
	for k in $kinds; do
		case $k in softtoken*) t=softtoken ;; otpclient) t=OTPClient ;; barefyne*) t=barefyne ;; esac
		DPY=${D[$k]}
		case $k in
		*-hidden) ;;
		*-unfocused) DISPLAY=$DPY xdotool windowfocus --sync "$(DISPLAY=$DPY xwininfo -root | awk '/Window id:/ {print $4}')" 2>/dev/null || true ;;
		*)
			id=$(window "$t")
			[ -n "$id" ] && DISPLAY=$DPY xdotool windowfocus --sync "$id" 2>/dev/null || true
			;;
		esac
	done
	sleep 2
	declare -A C0 XC0
	for k in $kinds; do C0[$k]=$(cpu "${P[$k]}"); XC0[$k]=$(cpu "${X[$k]}"); done
	nudges=""
	for k in softtoken-inuse barefyne-inuse; do
		case $k in softtoken*) t=softtoken ;; barefyne*) t=barefyne ;; esac
		DPY=${D[$k]}
		id=$(window "$t")
		[ -n "$id" ] || { log "gui.sh: no $t window for $k"; exit 1; }
		nudge "$DPY" "$id" "$IDLE" &
		nudges="$nudges $!"
	done
	sleep "$IDLE"
	wait $nudges
	for k in $kinds; do
		c=$(($(cpu "${P[$k]}") - C0[$k]))
		xc=$(($(cpu "${X[$k]}") - XC0[$k]))
		rss=$(awk '/^VmRSS:/ {print $2}' "/proc/${P[$k]}/status")
		case $k in softtoken*) t=softtoken ;; otpclient) t=OTPClient ;; barefyne*) t=barefyne ;; esac
		DPY=${D[$k]}
		id=$(window "$t")
		v=$([ -n "$id" ] && echo yes || echo no)
		[ -n "$id" ] && DISPLAY=$DPY import -window "$id" "$out/idle-$k-$r.png" 2>/dev/null || true
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
# stat KIND COL FILE: "median [min-max]"
stat() {
	awk -v k="$1" -v c="$2" '$1 == k && $c != "NA" {print $c}' "$3" | sort -n |
		awk '{a[NR]=$1} END {if (NR == 0) print "NA"; else {m = (NR % 2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2; printf "%s [%s-%s]", m, a[1], a[NR]}}'
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {if (a == "NA" || b == "NA" || b == 0) print "NA"; else printf "%.2f", a/b}'; }
# pairs A B COL FILE: the ratio of medians, and min-max of the ratios of the
# rounds (column 2 numbers the round; A and B ran in the same one).
pairs() {
	local m
	m=$(ratio "$(col "$1" "$3" "$4")" "$(col "$2" "$3" "$4")")
	awk -v a="$1" -v b="$2" -v c="$3" '$1 == a && $c != "NA" {x[$2] = $c} $1 == b && $c != "NA" {y[$2] = $c}
		END {lo = ""; for (r in x) if ((r in y) && y[r] > 0) {q = x[r] / y[r]; if (lo == "" || q < lo) lo = q; if (hi == "" || q > hi) hi = q}
		if (lo == "") print "'"$m"'x"; else printf "%sx (rounds %.2f-%.2f)\n", "'"$m"'", lo, hi}' "$4"
}
{
	echo "softtoken GUI benchmark $(date -u +%FT%TZ) on $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg); medians [min-max]: $FIRST first starts, $LAUNCHES launches, $ROUNDS idle rounds of $IDLE s"
	printf '%-30s %-22s %-22s %-22s\n' "" softtoken OTPClient "bare Fyne"
	printf '%-30s %-22s %-22s %-22s\n' "first start ms (empty caches)" "$(stat softtoken 3 "$out/first.txt")" "$(stat otpclient 3 "$out/first.txt")" "$(stat barefyne 3 "$out/first.txt")"
	printf '%-30s %-22s %-22s %-22s\n' "first code painted ms (warm)" "$(stat softtoken 3 "$out/paint.txt")" "$(stat otpclient 3 "$out/paint.txt")" "$(stat barefyne 3 "$out/paint.txt")"
	printf '%-30s %-22s %-22s %-22s\n' "VmRSS kB (20 accounts)" "$(stat softtoken 4 "$out/paint.txt")" "$(stat otpclient 4 "$out/paint.txt")" "$(stat barefyne 4 "$out/paint.txt")"
	printf '%-30s %-22s %-22s %-22s\n' "idle CPU s/${IDLE}s focused" "$(stat softtoken 3 "$out/idle.txt")" "$(stat otpclient 3 "$out/idle.txt")" "$(stat barefyne 3 "$out/idle.txt")"
	printf '%-30s %-22s %-22s %-22s\n' "idle CPU s/${IDLE}s in use" "$(stat softtoken-inuse 3 "$out/idle.txt")" "-" "$(stat barefyne-inuse 3 "$out/idle.txt")"
	printf '%-30s %-22s %-22s %-22s\n' "idle CPU s/${IDLE}s unfocused" "$(stat softtoken-unfocused 3 "$out/idle.txt")" "-" "$(stat barefyne-unfocused 3 "$out/idle.txt")"
	printf '%-30s %-22s %-22s %-22s\n' "idle CPU s/${IDLE}s hidden" "$(stat softtoken-hidden 3 "$out/idle.txt")" "-" "$(stat barefyne-hidden 3 "$out/idle.txt")"
	printf '%-30s %-22s %-22s %-22s\n' "Xvfb CPU s/${IDLE}s focused" "$(stat softtoken 4 "$out/idle.txt")" "$(stat otpclient 4 "$out/idle.txt")" "$(stat barefyne 4 "$out/idle.txt")"
	printf '%-30s %-22s %-22s %-22s\n' "Xvfb CPU s/${IDLE}s unfocused" "$(stat softtoken-unfocused 4 "$out/idle.txt")" "-" "$(stat barefyne-unfocused 4 "$out/idle.txt")"
	if [ -n "$base" ]; then
		printf '%-30s %-22s\n' "first start ms, base" "$(stat base 3 "$out/first.txt")"
		printf '%-30s %-22s\n' "first code painted ms, base" "$(stat base 3 "$out/paint.txt")"
	fi
	echo
	echo "ratios (issue 16's goals in brackets):"
	if [ -n "$base" ]; then
		echo "  first start base/OTPClient            $(pairs base otpclient 3 "$out/first.txt")"
		echo "  first code painted base/OTPClient     $(pairs base otpclient 3 "$out/paint.txt")"
		echo "  first start softtoken/base            $(pairs softtoken base 3 "$out/first.txt")"
		echo "  first code painted softtoken/base     $(pairs softtoken base 3 "$out/paint.txt")"
	fi
	echo "  first start softtoken/OTPClient       $(pairs softtoken otpclient 3 "$out/first.txt")  [<= 1.2]"
	echo "  first code painted softtoken/OTPClient $(pairs softtoken otpclient 3 "$out/paint.txt")  [<= 1.0]"
	echo "  idle CPU focused softtoken/bare       $(pairs softtoken barefyne 3 "$out/idle.txt")  [<= 1.3]"
	echo "  CPU focused, in use softtoken/bare    $(pairs softtoken-inuse barefyne-inuse 3 "$out/idle.txt")"
	echo "  idle CPU unfocused softtoken/bare     $(pairs softtoken-unfocused barefyne-unfocused 3 "$out/idle.txt")  [<= 1.1]"
	echo "  idle CPU hidden softtoken/bare        $(pairs softtoken-hidden barefyne-hidden 3 "$out/idle.txt")"
	echo "  RSS softtoken/bare Fyne               $(ratio "$(col softtoken 4 "$out/paint.txt")" "$(col barefyne 4 "$out/paint.txt")")"
	echo
	echo "where softtoken's start goes (SOFTTOKEN_TRACE=1; ms since the runtime started):"
	for f in "$out"/trace-first-1.txt "$out"/trace-warm.txt; do
		[ -s "$f" ] || continue
		echo "  $(basename "$f" .txt):"
		sed 's/^softtoken trace: */    /' "$f"
	done
} >"$res"
cat "$res"
echo "raw figures and screenshots: $out" >&2
