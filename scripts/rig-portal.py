#!/usr/bin/python3
"""rig-portal.py: a real web login for softtoken's launch tests, not ours:
Django's admin behind django-otp's OTPAdminSite (Debian python3-django,
python3-django-otp), served over TLS on loopback. Its login form asks for
user name, password and the code, checks the code server-side with
django-otp's TOTP device and refuses one used before; the admin's index
is the protected page behind it. scripts/with-rig.sh runs it.

    rig-portal.py setup DIR USER PASSWORD SEEDHEX
        the database in DIR, a staff user with a TOTP device (SHA1, 6
        digits, 30 s, one period either way)
    rig-portal.py serve DIR PORT CERT KEY
        serves https://127.0.0.1:PORT/admin/ until killed; DIR/portal.log
        gets "login successful for user NAME" and "protected page for
        user NAME" lines, DIR/access.log the requests
"""
import os
import socketserver
import ssl
import sys
import threading
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer

DIR = sys.argv[2]
LOCK = threading.Lock()


def log(name, line):
    with LOCK, open(os.path.join(DIR, name), "a") as f:
        f.write(line + "\n")


from django.conf import settings  # noqa: E402

settings.configure(
    DEBUG=False,
    ALLOWED_HOSTS=["127.0.0.1", "localhost"],
    # Sessions live as long as the process: a key of its own is enough.
    SECRET_KEY=os.urandom(32).hex(),
    ROOT_URLCONF=__name__,
    INSTALLED_APPS=[
        "django.contrib.admin",
        "django.contrib.auth",
        "django.contrib.contenttypes",
        "django.contrib.sessions",
        "django.contrib.messages",
        "django_otp",
        "django_otp.plugins.otp_totp",
    ],
    MIDDLEWARE=[
        "django.middleware.security.SecurityMiddleware",
        "django.contrib.sessions.middleware.SessionMiddleware",
        "django.middleware.common.CommonMiddleware",
        "django.middleware.csrf.CsrfViewMiddleware",
        "django.contrib.auth.middleware.AuthenticationMiddleware",
        "django_otp.middleware.OTPMiddleware",
        "django.contrib.messages.middleware.MessageMiddleware",
        __name__ + ".protected_page_log",
    ],
    DATABASES={"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": os.path.join(DIR, "portal.sqlite3")}},
    TEMPLATES=[{
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "APP_DIRS": True,
        "OPTIONS": {"context_processors": [
            "django.template.context_processors.request",
            "django.contrib.auth.context_processors.auth",
            "django.contrib.messages.context_processors.messages",
        ]},
    }],
    STATIC_URL="/static/",
    SESSION_COOKIE_SECURE=True,
    CSRF_COOKIE_SECURE=True,
    USE_TZ=True,
    DEFAULT_AUTO_FIELD="django.db.models.AutoField",
    PASSWORD_HASHERS=["django.contrib.auth.hashers.PBKDF2PasswordHasher"],
)

import django  # noqa: E402

django.setup()

from django.contrib.auth.signals import user_logged_in, user_login_failed  # noqa: E402
from django.urls import path  # noqa: E402
from django_otp.admin import OTPAdminSite  # noqa: E402

site = OTPAdminSite()
urlpatterns = [path("admin/", site.urls)]


def on_login(sender, request, user, **kwargs):
    log("portal.log", "login successful for user %s" % user.get_username())


def on_failure(sender, credentials, request=None, **kwargs):
    log("portal.log", "login failed for user %s" % credentials.get("username", "?"))


user_logged_in.connect(on_login)
user_login_failed.connect(on_failure)


def protected_page_log(get_response):
    """Logs each time the admin's index, reached only by a user verified
    by an OTP device, is served."""
    def middleware(request):
        response = get_response(request)
        if request.path == "/admin/" and response.status_code == 200 and request.user.is_verified():
            log("portal.log", "protected page for user %s" % request.user.get_username())
        return response
    return middleware


def setup(user, password, seed):
    from django.contrib.auth.models import User
    from django.core.management import call_command
    from django_otp.plugins.otp_totp.models import TOTPDevice
    call_command("migrate", verbosity=0, interactive=False)
    u = User.objects.create_user(user, password=password, is_staff=True, is_superuser=True)
    TOTPDevice.objects.create(user=u, name="softtoken", key=seed, step=30, digits=6, tolerance=1, confirmed=True)


class Server(socketserver.ThreadingMixIn, WSGIServer):
    daemon_threads = True


class Handler(WSGIRequestHandler):
    def log_message(self, format, *args):
        log("access.log", "%s %s" % (self.address_string(), format % args))


def serve(port, cert, key):
    from django.core.wsgi import get_wsgi_application
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(cert, key)
    httpd = Server(("127.0.0.1", port), Handler)
    httpd.set_app(get_wsgi_application())
    # The handshake in the request's thread, so that a browser's idle
    # extra connection holds up no other.
    httpd.socket = ctx.wrap_socket(httpd.socket, server_side=True, do_handshake_on_connect=False)
    log("portal.log", "listening on 127.0.0.1:%d" % port)
    httpd.serve_forever()


if __name__ == "__main__":
    if sys.argv[1] == "setup":
        setup(sys.argv[3], sys.argv[4], sys.argv[5])
    elif sys.argv[1] == "serve":
        serve(int(sys.argv[3]), sys.argv[4], sys.argv[5])
    else:
        sys.exit(__doc__)
