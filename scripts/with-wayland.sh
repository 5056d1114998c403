#!/bin/sh
# with-wayland.sh [--no-portal|--screenshot-fails] CMD [ARG...]: runs CMD (as root) next to a
# real Wayland desktop private to this run: a headless sway (no Xwayland),
# pipewire, the xdg-desktop-portal frontend, xdg-desktop-portal-wlr (its
# Screenshot) and xdg-desktop-portal-gtk (the Access backend the frontend
# wants before it offers Screenshot; hence XDG_CURRENT_DESKTOP=sway:GNOME),
# and a gnome-keyring as the Secret Service, all on a D-Bus session bus of
# their own. With them a Screenshot call answers without a dialog.
#
# sway refuses to run as root, so the desktop runs as a throw-away user made
# for this run and removed after it. Its bus lets in that user only (not
# even root), so CMD starts whatever belongs on the desktop as that user.
# CMD gets:
#
#   WAYLAND_DISPLAY, XDG_RUNTIME_DIR   the compositor; DISPLAY is unset
#   SWAYSOCK                           its IPC socket (for swaymsg)
#   DBUS_SESSION_BUS_ADDRESS           the desktop's session bus
#   SOFTTOKEN_WAYLAND_UID, _GID        the desktop's user
#   SOFTTOKEN_WAYLAND_HOME             that user's (temporary) home
#   SOFTTOKEN_WAYLAND_WORK             a folder root writes, the user reads
#   SOFTTOKEN_WAYLAND_LOG              a folder with each daemon's output
#   SOFTTOKEN_WAYLAND_PORTAL           1; 0 with --no-portal: then no
#                                      portal runs (nothing on the bus
#                                      starts on demand), as on a desktop
#                                      without one; "fails" with
#                                      --screenshot-fails: the portal runs
#                                      but its backend cannot take the
#                                      picture (it finds no grim)
#
# The run has a /tmp of its own (a mount namespace), where CMD runs too.
# Everything is stopped and removed when CMD ends.
set -eu
[ "$(id -u)" -eq 0 ] || { echo "with-wayland.sh: run me as root (I make a throw-away user for the desktop)" >&2; exit 2; }
# The run gets a /tmp of its own: xdg-desktop-portal-wlr writes every
# screenshot to /tmp/out.png, a path that all users of the machine share.
# It is a tmpfs in a mount namespace of the run, with what /tmp holds now
# bound into it (a clone or a Go cache there stays where it was): what is
# made in /tmp anew is the run's alone, and goes with it.
if [ -z "${SOFTTOKEN_WAYLAND_NS:-}" ]; then
	SOFTTOKEN_WAYLAND_NS=1 exec unshare --mount --propagation private -- "$0" "$@"
fi
hold=$(mktemp -d /run/softtoken-wayland-tmp.XXXXXX)
mount --bind /tmp "$hold"
mount -t tmpfs -o mode=1777 softtoken-wayland /tmp
# (An entry that others remove meanwhile is left out.)
for e in "$hold"/* "$hold"/.[!.]*; do
	n=${e#"$hold"/}
	if [ "$n" = out.png ] || { [ ! -e "$e" ] && [ ! -L "$e" ]; }; then
		continue
	elif [ -L "$e" ]; then
		cp -P "$e" "/tmp/$n" 2>/dev/null || true
	elif [ -d "$e" ]; then
		{ mkdir "/tmp/$n" && mount --rbind "$e" "/tmp/$n"; } 2>/dev/null || true
	else
		{ : >"/tmp/$n" && mount --bind "$e" "/tmp/$n"; } 2>/dev/null || true
	fi
done
umount -l "$hold"
rmdir "$hold"
unset SOFTTOKEN_WAYLAND_NS TMPDIR
portal=1
case "${1:-}" in
--no-portal) portal=0 && shift ;;
--screenshot-fails) portal=fails && shift ;;
esac
for c in useradd userdel setpriv pkill pgrep dbus-daemon dbus-send pipewire sway grim gnome-keyring-daemon \
	/usr/libexec/xdg-desktop-portal /usr/libexec/xdg-desktop-portal-wlr /usr/libexec/xdg-desktop-portal-gtk \
	/usr/libexec/xdg-permission-store; do
	command -v "$c" >/dev/null || { echo "with-wayland.sh: $c is missing (scripts/deps.sh wayland installs it)" >&2; exit 2; }
done

tmp=$(mktemp -d /tmp/softtoken-wayland.XXXXXX)
chmod 0755 "$tmp"
user="stwl$(od -An -N4 -tx1 /dev/urandom | tr -d ' \n')"
pids=""
cleanup() {
	rc=$?
	for p in $pids; do kill "$p" 2>/dev/null || true; done
	# What the desktop's user still runs (a browser, a window the test
	# left) goes too: that user is this run's alone.
	if id -u "$user" >/dev/null 2>&1; then
		pkill -KILL -U "$user" 2>/dev/null || true
		i=0
		while pgrep -U "$user" >/dev/null 2>&1 && [ $i -lt 50 ]; do
			sleep 0.1
			i=$((i + 1))
		done
		userdel "$user" 2>/dev/null || true
	fi
	rm -rf "$tmp"
	exit $rc
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

useradd --system --no-create-home --home-dir "$tmp/home" --shell /usr/sbin/nologin --user-group "$user"
uid=$(id -u "$user") gid=$(id -g "$user")
home="$tmp/home" run="$tmp/run" log="$tmp/log" work="$tmp/work"
mkdir -m 0700 "$home" "$run"
mkdir -m 0755 "$log" "$work"
mkdir -p "$home/.config/sway" "$home/.local/share" "$home/.cache" "$home/Pictures"
# No bar, no Xwayland (a window that shows up speaks Wayland), one output
# of a fixed size.
cat >"$home/.config/sway/config" <<'EOF'
xwayland disable
output HEADLESS-1 resolution 1920x1080 position 0 0 bg #336699 solid_color
default_border none
focus_follows_mouse no
EOF
chown -R "$uid:$gid" "$home" "$run"
# A session bus that starts nothing on demand (no <servicedir>): what runs
# on this desktop is what this script starts, so that --no-portal means no
# portal at all.
bus="unix:path=$run/bus"
cat >"$tmp/bus.conf" <<EOF
<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>$bus</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
EOF
chmod 0644 "$tmp/bus.conf"

export XDG_RUNTIME_DIR="$run" WAYLAND_DISPLAY=wayland-1 SWAYSOCK="$run/sway-ipc.sock" DBUS_SESSION_BUS_ADDRESS="$bus"
export SOFTTOKEN_WAYLAND_UID="$uid" SOFTTOKEN_WAYLAND_GID="$gid" SOFTTOKEN_WAYLAND_HOME="$home"
export SOFTTOKEN_WAYLAND_WORK="$work" SOFTTOKEN_WAYLAND_LOG="$log" SOFTTOKEN_WAYLAND_PORTAL="$portal"
unset DISPLAY XAUTHORITY

# as NAME CMD...: starts CMD in the background as the desktop's user, in
# the desktop's environment, its output in $log/NAME.
as() {
	name=$1
	shift
	setpriv --reuid="$uid" --regid="$gid" --clear-groups --reset-env -- env \
		HOME="$home" USER="$user" LOGNAME="$user" PATH=/usr/local/bin:/usr/bin:/bin \
		LANG=C.UTF-8 XDG_RUNTIME_DIR="$run" XDG_CONFIG_HOME="$home/.config" XDG_DATA_HOME="$home/.local/share" \
		XDG_CACHE_HOME="$home/.cache" DBUS_SESSION_BUS_ADDRESS="$bus" WAYLAND_DISPLAY=wayland-1 SWAYSOCK="$run/sway-ipc.sock" \
		XDG_CURRENT_DESKTOP=sway:GNOME XDG_SESSION_TYPE=wayland \
		WLR_BACKENDS=headless WLR_LIBINPUT_NO_DEVICES=1 WLR_RENDERER=pixman \
		"$@" >"$log/$name" 2>&1 &
	pids="$! $pids"
}

# until_up WHAT CMD...: waits (30 s at most) until CMD succeeds.
until_up() {
	what=$1
	shift
	i=0
	until "$@" >/dev/null 2>&1; do
		i=$((i + 1))
		if [ $i -gt 300 ]; then
			echo "with-wayland.sh: $what did not come up; the logs:" >&2
			tail -n 20 "$log"/* >&2 || true
			exit 1
		fi
		sleep 0.1
	done
}
owned() {
	setpriv --reuid="$uid" --regid="$gid" --clear-groups -- env DBUS_SESSION_BUS_ADDRESS="$bus" \
		dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
		org.freedesktop.DBus.NameHasOwner "string:$1" | grep -q 'boolean true'
}

as dbus dbus-daemon --nofork --nopidfile --config-file="$tmp/bus.conf"
until_up "the session bus" test -S "$run/bus"
as pipewire pipewire
as sway sway
until_up "sway" test -S "$run/wayland-1" -a -S "$run/sway-ipc.sock"
# The keyring's throw-away login password; its files are in $home.
printf pw >"$tmp/pw"
chmod 0644 "$tmp/pw"
as keyring sh -c "exec gnome-keyring-daemon --foreground --unlock --components=secrets <'$tmp/pw'"
until_up "gnome-keyring" owned org.freedesktop.secrets
if [ "$portal" != 0 ]; then
	# xdg-desktop-portal-wlr exits when it finds no pipewire.
	until_up "pipewire" test -S "$run/pipewire-0"
	as permission-store /usr/libexec/xdg-permission-store
	if [ "$portal" = fails ]; then
		# xdg-desktop-portal-wlr takes the picture with grim; without grim
		# on its PATH it fails as on a compositor that refuses to be
		# captured, and the portal answers the request with a failure.
		mkdir -m 0755 "$tmp/nogrim"
		for p in sh env; do ln -s "$(command -v $p)" "$tmp/nogrim/$p"; done
		as portal-wlr env PATH="$tmp/nogrim" /usr/libexec/xdg-desktop-portal-wlr
	else
		as portal-wlr /usr/libexec/xdg-desktop-portal-wlr
	fi
	as portal-gtk /usr/libexec/xdg-desktop-portal-gtk
	until_up "xdg-permission-store" owned org.freedesktop.impl.portal.PermissionStore
	until_up "xdg-desktop-portal-wlr" owned org.freedesktop.impl.portal.desktop.wlr
	until_up "xdg-desktop-portal-gtk" owned org.freedesktop.impl.portal.desktop.gtk
	as portal /usr/libexec/xdg-desktop-portal
	until_up "xdg-desktop-portal" owned org.freedesktop.portal.Desktop
fi
"$@"
