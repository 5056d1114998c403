#!/bin/sh
# code-vs-secret-tool.sh [SOFTTOKEN_BINARY]: times `softtoken code QUERY`
# with 20 accounts enrolled (the whole process: start, index, the Secret
# Service lookup, the code) against `secret-tool lookup` of the same
# keychain item (a C program making the same D-Bus lookup: the floor), as
# whole processes alternating A B A B (bench/abrun). Then one traced run
# (SOFTTOKEN_TRACE=1) says where softtoken's time goes. Goal (issue 16):
# at most 1.15x.
#
#	scripts/with-services.sh bench/code-vs-secret-tool.sh
#
# RUNS (default 41) sets the rounds. Needs secret-tool (libsecret-tools).
set -eu
case "${HOME:-}" in
*/softtoken-test.*/home) ;;
*)
	echo "code-vs-secret-tool: run me under scripts/with-services.sh (a private keyring), not against yours" >&2
	exit 2
	;;
esac
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/code-vs-st.XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM
(cd "$root" && go build -o "$work/abrun" ./bench/abrun)
if [ -n "${1:-}" ]; then
	cp "$1" "$work/softtoken"
else
	(cd "$root" && go build -tags no_emoji -o "$work/softtoken" .)
fi
export XDG_CONFIG_HOME="$work/config"
for c in A B C D E F G H I J K L M N O P Q R S T; do
	printf 'otpauth://totp/Dienst%%20%s:benutzer.%s?secret=JBSWY3DPEHPK3PX%sJBSWY3DPEHPK3PXP&issuer=Dienst%%20%s\n' $c $c $c $c |
		"$work/softtoken" add - >/dev/null
done
id=$("$work/softtoken" list --json | python3 -c 'import json, sys; print([a["id"] for a in json.load(sys.stdin) if a["issuer"] == "Dienst K"][0])')
secret-tool lookup service softtoken username "$id" >/dev/null
status=0
"$work/abrun" -q -n "${RUNS:-41}" -warmup 3 -label "softtoken code QUERY (20 accounts) vs secret-tool lookup" -goal-wall 1.15 \
	"softtoken code benutzer.K" "$work/softtoken code benutzer.K" \
	"secret-tool lookup" "secret-tool lookup service softtoken username $id" || status=1
echo "  where softtoken's time goes (one traced run; the process's start before the runtime and its exit are the rest of the wall time):"
SOFTTOKEN_TRACE=1 "$work/softtoken" code benutzer.K 2>&1 >/dev/null | sed 's/^/    /'
exit $status
