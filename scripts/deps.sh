#!/bin/sh
# deps.sh [run|test|package|windows|wine|wayland|bench]: makes sure the Debian packages softtoken needs are
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
# a window manager for focus as on a desktop; the real RDP server the
# launch tests log in to (scripts/with-rig.sh): xrdp with Xorg sessions,
# PAM checking the code with pam_oath; the web portal that the launches
# log in to (scripts/rig-portal.py: Django's admin with django-otp, on a
# certificate openssl makes), and xdotool and xclip to paste the code
# there; for the tests of the real window (gui/) tesseract reads it, and
# a real system tray shows its icon: gtk-sni-tray-standalone, a GTK panel
# of StatusNotifierItems with its own watcher (Fyne's tray on Linux is one);
# xdg-open (xdg-utils) opens a launch's portal in Chromium.
test="xvfb xauth libsecret-tools oathtool imagemagick x11-utils chromium freerdp2-x11
openbox xrdp xorgxrdp libpam-oath python3-django python3-django-otp openssl xdotool xclip
tesseract-ocr tesseract-ocr-eng tesseract-ocr-deu haskell-gtk-sni-tray-utils xdg-utils"
# To test on a real Wayland desktop (scripts/with-wayland.sh): sway,
# pipewire and the screenshot portal (xdg-desktop-portal with its wlr and,
# as the Access backend it insists on, gtk backends); grim, with which
# xdg-desktop-portal-wlr and the tests take screenshots; tesseract to read
# them; Chromium to show the QR code; wl-clipboard to read the clipboard;
# Mesa's EGL for the window; useradd (passwd), setpriv and unshare
# (util-linux) for the desktop's throw-away user and its own /tmp; pkill
# (procps) to end that user's processes.
wayland="sway pipewire xdg-desktop-portal xdg-desktop-portal-wlr xdg-desktop-portal-gtk grim
tesseract-ocr chromium wl-clipboard libegl1 libegl-mesa0 libgl1-mesa-dri libwayland-egl1 dbus gnome-keyring
libsecret-tools passwd util-linux procps"
# To benchmark against other programs (bench/*.sh): zbarimg, and
# OTPClient, the GTK authenticator the window is measured against.
bench="zbar-tools otpclient haskell-gtk-sni-tray-utils"
# To make and check the Linux package: xz, desktop-file-validate and
# update-desktop-database, xdg-mime.
package="xz-utils desktop-file-utils xdg-utils"
# To cross-build, sign and check the Windows program: mingw-w64's C
# compiler for cgo, osslsigncode and openssl for the (test) signature,
# file to check the result.
windows="gcc-mingw-w64-x86-64 osslsigncode openssl file"
# To run the Windows program under Wine (packaging/windows/wine/test.sh):
# Debian's 64-bit Wine and the X libraries its display and OpenGL drivers
# load (Recommends of libwine, which --no-install-recommends leaves out),
# mingw-w64 for the test's helper DLL and programs, an X display, oathtool,
# and screenshots read with tesseract, clicks with xdotool, the clipboard
# with xclip.
wine="wine64 libgl1 libgl1-mesa-dri libxrender1 libxrandr2 libxi6 libxcursor1 libxinerama1
libxfixes3 libxcomposite1 libxxf86vm1 gcc-mingw-w64-x86-64 xvfb xauth oathtool imagemagick
xdotool tesseract-ocr tesseract-ocr-eng xclip"

case "${1:-test}" in
run) want="$build $run" ;;
bench) want="$build $run $test $bench" ;;
package) want="$build $package" ;;
windows) want="$windows" ;;
wayland) want="$wayland" ;;
wine) want="$wine" ;;
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
