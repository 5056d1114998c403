#!/bin/sh
# install.sh [--uninstall]: installs softtoken for this user alone, from
# the folder this script is in, into PREFIX (default ~/.local): the
# program into PREFIX/bin, its menu entry and icon into PREFIX/share, and
# makes it the handler of otpauth:// links (xdg-mime). --uninstall removes
# all of it again and leaves the accounts alone.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
prefix=${PREFIX:-$HOME/.local}
apps="$prefix/share/applications"
icons="$prefix/share/icons/hicolor"
config=${XDG_CONFIG_HOME:-$HOME/.config}
schemes="x-scheme-handler/otpauth x-scheme-handler/otpauth-migration"

refresh() {
	if command -v update-desktop-database >/dev/null 2>&1; then
		update-desktop-database -q "$apps" || true
	fi
	if command -v gtk-update-icon-cache >/dev/null 2>&1 && [ -f "$icons/index.theme" ]; then
		gtk-update-icon-cache -q -t -f "$icons" || true
	fi
}

if [ "${1:-}" = "--uninstall" ]; then
	rm -f "$prefix/bin/softtoken" "$apps/softtoken.desktop" "$icons/512x512/apps/softtoken.png"
	# xdg-mime cannot unset a default: take softtoken's lines out of the
	# user's mimeapps.list.
	for f in "$config/mimeapps.list" "$apps/mimeapps.list"; do
		if [ -f "$f" ]; then
			sed -i '/^x-scheme-handler\/otpauth\(-migration\)\{0,1\}=softtoken\.desktop;\{0,1\}$/d' "$f"
		fi
	done
	refresh
	echo "softtoken was removed from $prefix. Your accounts are kept (in ${config}/softtoken and the keyring)."
	exit 0
fi

mkdir -p "$prefix/bin" "$apps" "$icons/512x512/apps"
install -m 0755 "$here/bin/softtoken" "$prefix/bin/softtoken"
install -m 0644 "$here/share/icons/hicolor/512x512/apps/softtoken.png" "$icons/512x512/apps/softtoken.png"
# The menu entry names the program by its full path: ~/.local/bin is not
# on every desktop session's PATH.
exe=$(printf '%s' "$prefix/bin/softtoken" | sed 's/[\\"`$]/\\\\&/g')
sed -e "s|^Exec=softtoken |Exec=\"$exe\" |" -e "s|^TryExec=softtoken\$|TryExec=$prefix/bin/softtoken|" \
	"$here/share/applications/softtoken.desktop" >"$apps/softtoken.desktop.tmp"
chmod 0644 "$apps/softtoken.desktop.tmp"
mv "$apps/softtoken.desktop.tmp" "$apps/softtoken.desktop"
refresh
for s in $schemes; do
	xdg-mime default softtoken.desktop "$s"
done
echo "softtoken is installed in $prefix/bin and opens otpauth:// links."
