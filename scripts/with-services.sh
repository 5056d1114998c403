#!/bin/sh
# with-services.sh CMD [ARG...]: runs CMD with the real services the tests
# use, each private to this run: a temporary HOME, a D-Bus session bus with
# an unlocked gnome-keyring answering as the Secret Service, and an Xvfb
# display. Go's caches stay where they were, so builds stay warm.
set -eu
export GOCACHE="${GOCACHE:-$(go env GOCACHE)}"
export GOMODCACHE="${GOMODCACHE:-$(go env GOMODCACHE)}"
export GOPATH="${GOPATH:-$(go env GOPATH)}"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/softtoken-test.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
mkdir -m 0700 "$tmp/home" "$tmp/run"
mkdir -p "$tmp/home/.cache" "$tmp/home/.config" "$tmp/home/.local/share"
export HOME="$tmp/home" XDG_RUNTIME_DIR="$tmp/run"
export XDG_CONFIG_HOME="$tmp/home/.config" XDG_DATA_HOME="$tmp/home/.local/share"
export LANG="${LANG:-en_US.UTF-8}"
unset DBUS_SESSION_BUS_ADDRESS DISPLAY WAYLAND_DISPLAY
exec dbus-run-session -- sh -c '
	# The keyring daemon creates and unlocks a "login" collection with the
	# password on stdin; it is a throw-away one in the temporary HOME.
	printf pw | gnome-keyring-daemon --unlock --components=secrets >/dev/null
	# -noreset: Xvfb resets when its last client leaves, and a client
	# connecting meanwhile is refused (EOF); tests open and close theirs.
	exec xvfb-run -a -s "-screen 0 1920x1080x24 -noreset" "$@"
' with-services "$@"
