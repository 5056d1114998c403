#!/bin/sh
# package.sh BINARY VERSION OUTDIR [NAME] [ICON]: makes the Linux package
# OUTDIR/softtoken-VERSION-linux-ARCH.tar.xz from a built BINARY. It holds
# one folder, softtoken-VERSION/, laid out as under a prefix:
#
#   bin/softtoken
#   share/applications/softtoken.desktop    handler of otpauth:// links
#   share/icons/hicolor/512x512/apps/softtoken.png
#   install.sh                              install (or --uninstall) into ~/.local
#
# NAME is the name shown in menus (default softtoken), ICON a square PNG
# (default assets/icon.png). The staged folder stays in OUTDIR for make
# install. The .desktop file must pass desktop-file-validate.
set -eu
bin=$1 version=$2 out=$3
name=${4:-softtoken}
here=$(cd "$(dirname "$0")" && pwd)
icon=${5:-$here/../../assets/icon.png}
arch=$(go env GOARCH)

stage="$out/softtoken-$version"
rm -rf "$stage"
mkdir -p "$stage/bin" "$stage/share/applications" "$stage/share/icons/hicolor/512x512/apps"
install -m 0755 "$bin" "$stage/bin/softtoken"
install -m 0644 "$icon" "$stage/share/icons/hicolor/512x512/apps/softtoken.png"
install -m 0755 "$here/install.sh" "$stage/install.sh"
# The name is the only value put in; it may not hold a line break.
case "$name" in *'
'*) echo "package.sh: the name has a line break" >&2; exit 1 ;; esac
sed "s|@NAME@|$(printf '%s' "$name" | sed 's/[\\&|]/\\&/g')|" "$here/softtoken.desktop.in" \
	>"$stage/share/applications/softtoken.desktop"
desktop-file-validate "$stage/share/applications/softtoken.desktop"

tarball="$out/softtoken-$version-linux-$arch.tar.xz"
tar -C "$out" --owner=0 --group=0 --numeric-owner --sort=name -cJf "$tarball" "softtoken-$version"
echo "$tarball"
