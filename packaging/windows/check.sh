#!/bin/sh
# check.sh SOFTTOKEN.exe APPVERSION: checks the Windows program that make
# windows wrote: a 64-bit GUI PE32+ file; the version info names
# APPVERSION (with FyneApp.toml's build number) and softtoken.exe, and the
# icon is there (read back with go-winres); the Authenticode signature is
# intact (osslsigncode verify against the certificate it carries: for the
# throw-away certificate this proves the signing step, not trust).
set -eu
exe=$1 appversion=$2
case "$exe" in /*) ;; *) exe="$PWD/$exe" ;; esac
here=$(cd "$(dirname "$0")" && pwd)
build=$(sed -n 's/^ *Build *= *\([0-9][0-9]*\).*/\1/p' "$here/../../FyneApp.toml")
fail() { echo "windows-check: FAIL: $*" >&2; exit 1; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/softtoken-wincheck.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM

kind=$(file -b "$exe")
case "$kind" in
"PE32+ executable (GUI) x86-64"*) ;;
*) fail "file says: $kind" ;;
esac

go -C "$here/../.." tool go-winres extract --dir "$tmp/res" "$exe" >/dev/null
json="$tmp/res/winres.json"
[ -f "$json" ] || fail "no resources in $exe"
grep -q "\"file_version\": \"$appversion.${build:-0}\"" "$json" || fail "file version is not $appversion.${build:-0}"
grep -q '"OriginalFilename": "softtoken.exe"' "$json" || fail "version info lacks OriginalFilename softtoken.exe"
grep -q '"RT_GROUP_ICON"' "$json" || fail "no icon"

osslsigncode extract-signature -in "$exe" -out "$tmp/sig.der" >/dev/null || fail "not signed"
openssl pkcs7 -inform DER -in "$tmp/sig.der" -print_certs -out "$tmp/certs.pem"
osslsigncode verify -CAfile "$tmp/certs.pem" -in "$exe" >"$tmp/verify.txt" 2>&1 || { cat "$tmp/verify.txt" >&2; fail "osslsigncode verify"; }
grep -q "Signature verification: ok" "$tmp/verify.txt" || fail "osslsigncode verify did not say ok"
echo "windows-check: ok: $kind; version $appversion.${build:-0}; signed by $(openssl x509 -in "$tmp/certs.pem" -noout -subject | sed 's/^subject=//'); $(du -k "$exe" | cut -f1) KiB"
