#!/bin/sh
# sign.sh IN.exe OUT.exe: signs a Windows program with osslsigncode
# (Authenticode, SHA-256) and verifies the signature.
#
# With SIGN_PKCS12 (a .pfx/.p12 file with the certificate chain and key)
# and SIGN_PASSWORD_FILE it signs with that real certificate and a
# timestamp from SIGN_TIMESTAMP_URL (your CA's RFC 3161 server). Without
# them it makes a throw-away self-signed code-signing certificate with
# openssl, valid one day, to prove the signing step works: Windows does
# not trust such a signature, and nothing signed with it may be handed out.
set -eu
in=$1 out=$2
tmp=$(mktemp -d "${TMPDIR:-/tmp}/softtoken-sign.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
rm -f "$out"

if [ -n "${SIGN_PKCS12:-}" ]; then
	set -- -pkcs12 "$SIGN_PKCS12"
	if [ -n "${SIGN_PASSWORD_FILE:-}" ]; then
		set -- "$@" -readpass "$SIGN_PASSWORD_FILE"
	fi
	if [ -n "${SIGN_TIMESTAMP_URL:-}" ]; then
		set -- "$@" -ts "$SIGN_TIMESTAMP_URL"
	fi
	ca=""
else
	openssl req -x509 -newkey rsa:3072 -nodes -days 1 -sha256 \
		-subj "/CN=softtoken throw-away test signing/O=softtoken CI" \
		-addext "keyUsage=critical,digitalSignature" \
		-addext "extendedKeyUsage=codeSigning" \
		-keyout "$tmp/key.pem" -out "$tmp/cert.pem" 2>/dev/null
	set -- -certs "$tmp/cert.pem" -key "$tmp/key.pem"
	ca="$tmp/cert.pem"
fi
osslsigncode sign "$@" -h sha256 -n "softtoken" \
	-i "https://github.com/cityadmin/softtoken" -in "$in" -out "$out" >/dev/null
if [ -n "$ca" ]; then
	osslsigncode verify -CAfile "$ca" -in "$out"
else
	osslsigncode verify -in "$out"
fi
