#!/bin/bash
# with-rig.sh CMD [ARG...]: runs CMD next to a real RDP server that the
# launch tests log in to, private to this run and torn down after it:
#
#   - xrdp and xrdp-sesman (Debian's) on a free loopback port, in a mount
#     and PID namespace of their own: their xrdp.ini, sesman.ini, PAM file
#     (/etc/pam.d/xrdp-sesman), users file, logs and run folder are
#     bind-mounted over the system's from a private folder, and /tmp is a
#     fresh one. Nothing of the system's is changed, and every process of
#     the server (sessions included) ends with the namespace.
#   - PAM checks the code with pam_oath against a users file (mode 0600)
#     holding the test users, created for the run and removed after it:
#     for each test package that logs in (launcher, cli, ui: they run at
#     the same time, and a code is good for one login only) one whose
#     password is the code alone and one whose password is a PIN followed
#     by the code (the users file's password field); the launcher's
#     typing test has one of its own (launcher-type), and so has the
#     window's (ui-type), so that its code is no other test's. pam_oath
#     refuses a code used once, and one older than the last used.
#
# CMD finds the rig through SOFTTOKEN_RIG, a folder (mode 0700) holding:
#   rdp-port        the port xrdp listens on, at 127.0.0.1
#   rdp-cert.pem    xrdp's certificate, made for the run
#   users/ROLE      the user name of each ROLE: launcher, launcher-pin,
#                   launcher-type, launcher-cert, cli, cli-pin, ui, ui-pin,
#                   ui-type
#   pin             the -pin users' PIN
#   seed            the users' TOTP seed in hex (a test fixture: RFC
#                   6238's SHA1 seed; 6 digits, 30 s)
#   xrdp.log        xrdp's log: "login successful for user NAME on display N"
#   sesman.log      xrdp-sesman's log
#
# and a web portal that is not ours (scripts/rig-portal.py): Django's
# admin behind django-otp, on TLS with a certificate made for the run; its
# login form takes user name, password and code, checks the code
# server-side and refuses one used before. In SOFTTOKEN_RIG/portal:
#   port, user, password   where it listens (https://127.0.0.1:PORT/admin/),
#                   the staff user (the same TOTP seed) and its password
#   cert.pem        the portal's certificate
#   portal.log      "login successful for user NAME", "protected page for
#                   user NAME" (the admin's index, behind the login)
# Not as root, or without xrdp or pam_oath, CMD runs without a rig (its
# tests skip, or fail under SOFTTOKEN_REQUIRE_TOOLS=1).
set -eu

have_oath() {
	local d
	for d in /usr/lib/*/security /lib/*/security /lib/security; do
		[ -e "$d/pam_oath.so" ] && return 0
	done
	return 1
}
if [ "$(id -u)" -ne 0 ] || ! command -v xrdp >/dev/null 2>&1 || ! command -v xrdp-sesman >/dev/null 2>&1 || ! have_oath; then
	echo "with-rig: no RDP rig (it needs root, xrdp and libpam-oath); running without it" >&2
	exec "$@"
fi
if ! unshare --mount --pid --fork --kill-child true 2>/dev/null; then
	# Replacing the system's PAM file and configuration instead would
	# change a server others may use; the rig refuses to.
	echo "with-rig: cannot make a mount namespace (unshare needs CAP_SYS_ADMIN); running without a rig" >&2
	exec "$@"
fi

rig=$(mktemp -d "${TMPDIR:-/tmp}/softtoken-rig.XXXXXX")
chmod 0700 "$rig"
# The test users: names of this run, so that two runs never share one.
suffix=$(basename "$rig" | sed 's/.*\.//' | tr 'A-Z' 'a-z' | tr -cd 'a-z0-9')
roles="launcher launcher-pin launcher-type launcher-cert cli cli-pin ui ui-pin ui-type"
pin="4711"
# 20 bytes: RFC 6238's SHA1 test seed "12345678901234567890", in hex.
seed="3132333435363738393031323334353637383930"
ns_pid=""
portal_pid=""
users_made=""

cleanup() {
	set +e
	if [ -n "$ns_pid" ]; then
		# unshare's child is the namespace's first process; --kill-child
		# ends it with unshare, and the kernel then ends every other
		# process of the namespace (xrdp, sesman, the sessions).
		kill -KILL "$ns_pid" 2>/dev/null
		wait "$ns_pid" 2>/dev/null
	fi
	if [ -n "$portal_pid" ]; then
		kill "$portal_pid" 2>/dev/null
		wait "$portal_pid" 2>/dev/null
	fi
	local u p i
	for u in $users_made; do
		# userdel refuses while a process of the user is still there (a
		# session's, being reaped): a few tries, each after ending them.
		for i in 1 2 3 4 5 6 7 8 9 10; do
			for p in $(ps -o pid= -u "$u" 2>/dev/null); do kill -KILL "$p" 2>/dev/null; done
			userdel -r "$u" >/dev/null 2>&1 && break
			getent passwd "$u" >/dev/null || break
			sleep 0.5
		done
		getent passwd "$u" >/dev/null && echo "with-rig: could not remove the test user $u" >&2
	done
	rm -rf "$rig"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# A loopback port nobody listens on.
freeport() {
	local p
	while :; do
		p=$((20000 + RANDOM % 30000))
		if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
			echo "$p"
			return
		fi
	done
}
rdp_port=$(freeport)
sesman_port=$(freeport)
while [ "$sesman_port" = "$rdp_port" ]; do sesman_port=$(freeport); done

mkdir -m 0755 "$rig/users"
for role in $roles; do
	# st, the run, the role's initials: "stab12cdlp" for launcher-pin.
	u="st$suffix$(printf '%s' "$role" | tr '-' '\n' | cut -c1 | tr -d '\n')"
	useradd -m -s /bin/sh "$u"
	users_made="$users_made $u"
	printf '%s\n' "$u" >"$rig/users/$role"
done

# What the server sees, bind-mounted at /run/xrdp in its namespace: its
# configuration, PAM file, users file, logs and socket folder.
srv="$rig/srv"
mkdir -m 0755 "$srv"
mkdir -m 3777 "$srv/sockdir"

# The users file; pam_oath rewrites it with each user's last code.
mkdir -m 0700 "$srv/oath"
for role in $roles; do
	case $role in
	*-pin) pw="$pin" ;;
	*) pw="-" ;;
	esac
	printf 'HOTP/T30/6\t%s\t%s\t%s\n' "$(cat "$rig/users/$role")" "$pw" "$seed"
done >"$srv/oath/users"
chmod 0600 "$srv/oath/users"

# PAM: the code (after the PIN, for the -pin users) alone signs in.
# window=1: the code of the period before or after is taken too, as
# servers do for a clock a little off.
{
	echo '#%PAM-1.0'
	echo "# softtoken's test rig (scripts/with-rig.sh), for one run only"
	echo 'auth required pam_oath.so usersfile=/run/xrdp/oath/users window=1 digits=6'
	echo 'account required pam_permit.so'
	echo 'session required pam_permit.so'
} >"$srv/pam"

mkdir -m 0755 "$srv/etc"
cp -Rp /etc/xrdp/. "$srv/etc"
# xrdp.ini: the port, on loopback only; security as a default install
# has it (negotiate: TLS); logs in the run folder, not syslog.
sed -e "s|^port=3389\$|port=tcp://127.0.0.1:$rdp_port|" \
	-e 's|^LogFile=.*|LogFile=/run/xrdp/xrdp.log|' \
	-e 's|^EnableSyslog=.*|EnableSyslog=false|' \
	-e 's|^certificate=.*|certificate=/etc/xrdp/rig-cert.pem|' \
	-e 's|^key_file=.*|key_file=/etc/xrdp/rig-key.pem|' \
	/etc/xrdp/xrdp.ini >"$srv/etc/xrdp.ini"
# A certificate of the run's own, so that the tests know its fingerprint
# (rdp-cert.pem) and pin it, as a signed profile does.
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=127.0.0.1 \
	-keyout "$srv/etc/rig-key.pem" -out "$srv/etc/rig-cert.pem" 2>/dev/null
chmod 0600 "$srv/etc/rig-key.pem"
cp "$srv/etc/rig-cert.pem" "$rig/rdp-cert.pem"
# sesman.ini: its port; a session ends when its client disconnects, so
# that the test logins leave no X servers running.
sed -e "s|^ListenPort=.*|ListenPort=$sesman_port|" \
	-e 's|^LogFile=.*|LogFile=/run/xrdp/sesman.log|' \
	-e 's|^EnableSyslog=.*|EnableSyslog=false|' \
	-e 's|^KillDisconnected=.*|KillDisconnected=true|' \
	-e 's|^DisconnectedTimeLimit=.*|DisconnectedTimeLimit=0|' \
	-e 's|^EnableUserWindowManager=.*|EnableUserWindowManager=false|' \
	/etc/xrdp/sesman.ini >"$srv/etc/sesman.ini"
# The session runs nothing but waits: the tests check the login, and a
# desktop per login would load the machine.
printf '#!/bin/sh\n# softtoken test rig: a session that only waits\nexec sleep 86400\n' >"$srv/etc/startwm.sh"
chmod 0755 "$srv/etc/startwm.sh"
grep -q "port=tcp://127.0.0.1:$rdp_port" "$srv/etc/xrdp.ini" || {
	echo "with-rig: /etc/xrdp/xrdp.ini has no port=3389 line to replace" >&2
	exit 1
}
for f in xrdp.log sesman.log; do
	: >"$srv/$f"
	chmod 0600 "$srv/$f"
	ln -s "srv/$f" "$rig/$f"
done

printf '%s\n' "$rdp_port" >"$rig/rdp-port"
printf '%s\n' "$pin" >"$rig/pin"
printf '%s\n' "$seed" >"$rig/seed"

# The server, in its namespaces. Its /tmp is a fresh one, so that the
# sessions' X servers (Xorg with xorgxrdp, from display 10) leave no
# sockets or locks behind.
serve='
	set -e
	srv=$1
	mount --make-rprivate /
	mount --bind "$srv" /run/xrdp
	mount --bind /run/xrdp/etc /etc/xrdp
	mount --bind /run/xrdp/pam /etc/pam.d/xrdp-sesman
	mount -t tmpfs -o mode=1777 rigtmp /tmp
	cd /
	xrdp-sesman --nodaemon >/run/xrdp/sesman.out 2>&1 &
	xrdp --nodaemon >/run/xrdp/xrdp.out 2>&1 &
	wait
'
unshare --mount --pid --fork --kill-child sh -c "$serve" rig "$srv" &
ns_pid=$!

# Up once xrdp accepts connections (at most 20 s).
i=0
until (exec 3<>"/dev/tcp/127.0.0.1/$rdp_port") 2>/dev/null; do
	i=$((i + 1))
	if [ $i -gt 200 ] || ! kill -0 "$ns_pid" 2>/dev/null; then
		echo "with-rig: xrdp did not start:" >&2
		cat "$srv/xrdp.out" "$srv/sesman.out" "$srv/xrdp.log" "$srv/sesman.log" >&2 2>/dev/null
		exit 1
	fi
	sleep 0.1
done

# The web portal, where Django and django-otp are installed.
if /usr/bin/python3 -c 'import django, django_otp' 2>/dev/null && command -v openssl >/dev/null 2>&1; then
	portal="$rig/portal"
	mkdir -m 0700 "$portal"
	web_port=$(freeport)
	while [ "$web_port" = "$rdp_port" ] || [ "$web_port" = "$sesman_port" ]; do web_port=$(freeport); done
	web_password=$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 \
		-subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 \
		-keyout "$portal/key.pem" -out "$portal/cert.pem" 2>/dev/null
	/usr/bin/python3 "$(dirname "$0")/rig-portal.py" setup "$portal" portal "$web_password" "$seed"
	/usr/bin/python3 "$(dirname "$0")/rig-portal.py" serve "$portal" "$web_port" "$portal/cert.pem" "$portal/key.pem" \
		>"$portal/serve.out" 2>&1 &
	portal_pid=$!
	printf '%s\n' "$web_port" >"$portal/port"
	printf 'portal\n' >"$portal/user"
	printf '%s\n' "$web_password" >"$portal/password"
	i=0
	until grep -q '^listening' "$portal/portal.log" 2>/dev/null && (exec 3<>"/dev/tcp/127.0.0.1/$web_port") 2>/dev/null; do
		i=$((i + 1))
		if [ $i -gt 300 ] || ! kill -0 "$portal_pid" 2>/dev/null; then
			echo "with-rig: the web portal did not start:" >&2
			cat "$portal/serve.out" >&2
			exit 1
		fi
		sleep 0.1
	done
else
	echo "with-rig: no web portal (it needs python3-django, python3-django-otp and openssl)" >&2
fi

export SOFTTOKEN_RIG="$rig"
"$@"
