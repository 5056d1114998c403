#!/bin/sh
# deps.sh [run|test|package|windows|bench]: makes sure the Debian packages softtoken needs are
# installed. As root it installs what is missing with apt-get; otherwise it
# names what is missing and how to install it, and fails.
set -eu

# To build: a C compiler and the headers of OpenGL, X11 and Wayland that
# Fyne's GLFW driver compiles against.
build="gcc pkg-config libc6-dev libgl1-mesa-dev libx11-dev libxcursor-dev libxrandr-dev
libxinerama-dev libxi-dev libxxf86vm-dev libwayland-dev libxkbcommon-dev wayland-protocols"
# To run: the Secret Service (gnome-keyring on D-Bus) that holds the secrets.
run="dbus dbus-x11 gnome-keyring"
# To test: a real X display, secret-tool, oathtool to cross-check codes,
# imagemagick to show QR codes and take screenshots, x11-utils to find
# windows, Chromium for the web portal and xfreerdp for remote desktop;
# for the tests of the real window (gui/): a window manager, xdotool for
# mouse and keys, xclip for the clipboard, tesseract to read the window.
test="xvfb xauth libsecret-tools oathtool imagemagick x11-utils chromium freerdp2-x11
openbox xdotool xclip tesseract-ocr tesseract-ocr-eng tesseract-ocr-deu"
# To benchmark against other programs.
bench="zbar-tools hyperfine"
# To make and check the Linux package: xz, desktop-file-validate and
# update-desktop-database, xdg-mime.
package="xz-utils desktop-file-utils xdg-utils"
# To cross-build, sign and check the Windows program: mingw-w64's C
# compiler for cgo, osslsigncode and openssl for the (test) signature,
# file to check the result.
windows="gcc-mingw-w64-x86-64 osslsigncode openssl file"

case "${1:-test}" in
run) want="$build $run" ;;
bench) want="$build $run $test $bench" ;;
package) want="$build $package" ;;
windows) want="$windows" ;;
*) want="$build $run $test $package" ;;
esac

if ! command -v dpkg-query >/dev/null 2>&1; then
	echo "deps: not a Debian/Ubuntu system; install the equivalents of: $want" >&2
	exit 0
fi

missing=""
for p in $want; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed"; then
		missing="$missing $p"
	fi
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
	echo "deps: missing Debian packages:$missing" >&2
	echo "deps: install them with: sudo apt-get install --no-install-recommends$missing" >&2
	exit 1
fi
echo "deps: installing$missing"
export DEBIAN_FRONTEND=noninteractive
# A fresh machine has empty package lists.
apt-get update -q
# shellcheck disable=SC2086
apt-get install -y -q --no-install-recommends $missing
