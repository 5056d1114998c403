#!/bin/sh
# test-package.sh TARBALL VERSION [ORG]: checks a Linux package as a
# person would use it. The tarball must list the program, the icon, the menu
# entry and the installer; the menu entry must pass desktop-file-validate;
# installed into an empty temporary HOME, the program must print VERSION,
# xdg-mime must name softtoken.desktop as the handler of otpauth:// links
# and a link handed to the menu entry's command must reach the program;
# --uninstall must take all of it away again. With ORG (the folder of a
# branded build, make package ORG=...) the menu entry must carry its name,
# the icon must be its icon, and the first start must have installed its
# profile.
set -eu
tarball=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
version=$2
org=${3:+$(cd "$3" && pwd)}
fail() { echo "test-package: FAIL: $*" >&2; exit 1; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/softtoken-pkg.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM

list=$(tar -tJf "$tarball")
top=$(printf '%s\n' "$list" | head -n1 | cut -d/ -f1)
for f in bin/softtoken share/applications/softtoken.desktop \
	share/icons/hicolor/512x512/apps/softtoken.png install.sh; do
	printf '%s\n' "$list" | grep -qx "$top/$f" || fail "the tarball lacks $top/$f"
done
tar -C "$tmp" -xJf "$tarball"
desktop-file-validate "$tmp/$top/share/applications/softtoken.desktop" || fail "desktop-file-validate"
grep -q '^MimeType=.*x-scheme-handler/otpauth;' "$tmp/$top/share/applications/softtoken.desktop" ||
	fail "the menu entry does not handle otpauth:// links"

if [ -n "$org" ]; then
	name=$(head -n1 "$org/name")
	grep -qxF "Name=$name" "$tmp/$top/share/applications/softtoken.desktop" || fail "the menu entry is not named $name"
	cmp -s "$org/icon.png" "$tmp/$top/share/icons/hicolor/512x512/apps/softtoken.png" || fail "the icon is not the organisation's"
fi

# An empty home, as on a new PC; nothing of the caller's desktop.
mkdir -m 0700 "$tmp/home"
env -i PATH="$PATH" HOME="$tmp/home" sh -eu -c '
	fail() { echo "test-package: FAIL: $*" >&2; exit 1; }
	top=$1 version=$2 org=$3
	"$top/install.sh" >/dev/null
	out=$("$HOME/.local/bin/softtoken" version)
	case "$out" in "softtoken $version "*) ;; *) fail "softtoken version printed: $out" ;; esac
	if [ -n "$org" ]; then
		want=$(sed -n "s/^ *\"organisation\": \"\(.*\)\",\$/\1/p" "$org/profile.json")
		out=$("$HOME/.local/bin/softtoken" profile show)
		printf "%s\n" "$out" | grep -qxF "organisation: $want" || fail "the built-in profile is not installed: $out"
	fi
	for s in otpauth otpauth-migration; do
		got=$(xdg-mime query default "x-scheme-handler/$s")
		[ "$got" = softtoken.desktop ] || fail "xdg-mime query default x-scheme-handler/$s: \"$got\""
	done
	grep -qx "x-scheme-handler/otpauth=softtoken.desktop;\{0,1\}" "$HOME/.config/mimeapps.list" ||
		fail "softtoken is not the default for otpauth in mimeapps.list"
	entry="$HOME/.local/share/applications/softtoken.desktop"
	desktop-file-validate "$entry" || fail "the installed menu entry does not validate"
	grep -qx "Exec=\"$HOME/.local/bin/softtoken\" %u" "$entry" || fail "Exec line: $(grep ^Exec= "$entry")"
	[ -f "$HOME/.local/share/applications/mimeinfo.cache" ] || fail "update-desktop-database wrote no cache"
	grep -q "^x-scheme-handler/otpauth=.*softtoken.desktop" "$HOME/.local/share/applications/mimeinfo.cache" ||
		fail "the cache does not name softtoken for otpauth"
	# The command the desktop runs for a click on a link: %u is the link.
	# A stand-in with the same name shows what arrives (the link of this
	# test has no real secret).
	cp "$HOME/.local/bin/softtoken" "$HOME/real"
	printf "#!/bin/sh\nprintf \"%%s\\\\n\" \"\$@\" >\"\$HOME/args\"\n" >"$HOME/.local/bin/softtoken"
	exec_line=$(sed -n "s/^Exec=//p" "$entry" | sed "s|%u|\"otpauth://totp/T:x?secret=AAAAAAAAAAAAAAAA\"|")
	eval "set -- $exec_line"
	"$@"
	[ "$(cat "$HOME/args")" = "otpauth://totp/T:x?secret=AAAAAAAAAAAAAAAA" ] || fail "the link did not arrive: $(cat "$HOME/args")"
	mv "$HOME/real" "$HOME/.local/bin/softtoken"

	"$top/install.sh" --uninstall >/dev/null
	for f in bin/softtoken share/applications/softtoken.desktop share/icons/hicolor/512x512/apps/softtoken.png; do
		[ ! -e "$HOME/.local/$f" ] || fail "--uninstall left $f"
	done
	got=$(xdg-mime query default x-scheme-handler/otpauth)
	[ -z "$got" ] || fail "after --uninstall xdg-mime still names \"$got\""
' test-package "$tmp/$top" "$version" "$org"
echo "test-package: ok: $(basename "$tarball") ($(du -k "$tarball" | cut -f1) KiB)"
