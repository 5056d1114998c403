package launcher

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/cityadmin/softtoken/internal/testenv"
	"github.com/cityadmin/softtoken/token"
)

// loginPage reads the code from the URL fragment as Apache Guacamole's
// TOTP extension does (#/?guac-totp=CODE), the user from the query, and
// posts both; without a code in the fragment it waits for the person to
// type one.
const loginPage = `<!doctype html>
<html><head><title>Portal</title></head><body>
<form id="f"><input id="user" name="user"><input id="code" name="code" autocomplete="one-time-code">
<button id="go" type="submit">Log in</button></form>
<p id="status">waiting</p>
<script>
const q = new URLSearchParams(location.search);
document.getElementById('user').value = q.get('user') || '';
const h = location.hash.indexOf('?');
const frag = new URLSearchParams(h >= 0 ? location.hash.slice(h + 1) : '');
async function login() {
  const body = new URLSearchParams({user: document.getElementById('user').value, code: document.getElementById('code').value});
  const r = await fetch('/api/login', {method: 'POST', body});
  document.getElementById('status').textContent = await r.text();
}
document.getElementById('f').addEventListener('submit', e => { e.preventDefault(); login(); });
if (frag.get('guac-totp')) {
  document.getElementById('code').value = frag.get('guac-totp');
  history.replaceState(null, '', location.pathname + location.search); // as Guacamole, forget it
  login();
}
</script></body></html>`

// portal is a TLS login portal whose clock is skew ahead of ours; it
// accepts the code of acc at its own time, or of the period before.
type portal struct {
	*httptest.Server
	mu     sync.Mutex
	logins []string
}

func newPortal(t *testing.T, acc token.Account, skew time.Duration) *portal {
	p := &portal{}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /guacamole/", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, loginPage)
	})
	mux.HandleFunc("POST /api/login", func(w http.ResponseWriter, r *http.Request) {
		now := time.Now().Add(skew)
		got := r.PostFormValue("code")
		for _, at := range []time.Time{now, now.Add(-time.Duration(acc.Period) * time.Second)} {
			if c, err := token.Code(acc, at); err == nil && got == c && r.PostFormValue("user") == acc.Name {
				p.mu.Lock()
				p.logins = append(p.logins, acc.Name)
				p.mu.Unlock()
				fmt.Fprintf(w, "logged in as %s", html.EscapeString(acc.Name))
				return
			}
		}
		http.Error(w, "wrong code", http.StatusForbidden)
	})
	p.Server = httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Date", time.Now().Add(skew).UTC().Format(http.TimeFormat))
		mux.ServeHTTP(w, r)
	}))
	t.Cleanup(p.Close)
	return p
}

func testAccount(t testing.TB) token.Account {
	secret := make([]byte, 20)
	rand.Read(secret)
	return token.Account{Issuer: "Stadt", Name: "alice@stadt.example", Type: token.TOTP, Algorithm: token.SHA1, Digits: 6, Period: 30, Secret: secret}
}

// chromium starts a headless Chromium with a fresh profile and returns
// its browser context.
func chromium(t *testing.T) context.Context {
	exe := testenv.Tool(t, "chromium")
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(exe),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.Flag("headless", true),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("ignore-certificate-errors", true),
	}
	actx, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
	t.Cleanup(cancel)
	ctx, cancel2 := chromedp.NewContext(actx)
	t.Cleanup(cancel2)
	if err := chromedp.Do(ctx); err != nil { // starts the browser
		t.Fatalf("start chromium: %v", err)
	}
	return ctx
}

// chromeOpener is the browser the launcher opens URLs with: the headless
// Chromium, where the system's would be xdg-open.
type chromeOpener struct {
	ctx    context.Context
	opened []string
}

func (o *chromeOpener) OpenURL(u *url.URL) error {
	o.opened = append(o.opened, u.String())
	return chromedp.Do(o.ctx, chromedp.Navigate(u.String()))
}

type memClipboard struct {
	mu sync.Mutex
	s  string
}

func (c *memClipboard) Content() string { c.mu.Lock(); defer c.mu.Unlock(); return c.s }
func (c *memClipboard) SetContent(s string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.s = s
}

func status(t *testing.T, ctx context.Context, want string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	_, err := chromedp.Run(ctx, chromedp.Poll[chromedp.Void](`document.getElementById('status').textContent != 'waiting'`))
	var got string
	if err == nil {
		got, err = chromedp.Run(ctx, chromedp.TextContent(chromedp.ID("status")))
	}
	if err != nil {
		t.Fatalf("the page did not answer: %v", err)
	}
	if got != want {
		t.Fatalf("portal says %q, want %q", got, want)
	}
}

// TestWebPortal opens a Guacamole-like portal in headless Chromium with
// the URL the launcher builds: once in url mode on a portal with our
// clock, once with a portal whose clock is 95 s ahead (the clock check
// must correct the code), once in clipboard mode, and once with a wrong
// code to show that the portal does check.
func TestWebPortal(t *testing.T) {
	acc := testAccount(t)
	ctx := chromium(t)
	for _, c := range []struct {
		name  string
		skew  time.Duration
		mode  CodeMode
		apply bool
	}{
		{"url", 0, CodeURL, false},
		{"url, portal clock ahead", 95 * time.Second, CodeURL, true},
		{"clipboard", 0, CodeClipboard, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			p := newPortal(t, acc, c.skew)
			tmpl := p.URL + "/guacamole/?user={user}#/?guac-totp={code}"
			if c.mode == CodeClipboard {
				tmpl = p.URL + "/guacamole/?user={user}"
			}
			target := Target{Name: "portal", Type: KindWeb, Web: &Web{URL: tmpl, Code: c.mode}}
			opener := &chromeOpener{ctx: ctx}
			clip := &memClipboard{}
			var clear func()
			l := &Launcher{Opener: opener, Clipboard: clip, Clock: &ClockCheck{Client: p.Client()},
				AfterFunc: func(d time.Duration, f func()) {
					if d != DefaultClearAfter {
						t.Errorf("clipboard cleared after %s", d)
					}
					clear = f
				}}
			start := time.Now()
			res, err := l.Launch(context.Background(), Request{Target: target, Account: acc})
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("launched in %s (waited %s for a fresh code); clock %+v", time.Since(start).Round(time.Millisecond), res.WaitedFor, res.Clock)
			if (res.Clock.Apply != 0) != c.apply || (c.apply && !near(res.Clock.Apply, c.skew)) {
				t.Errorf("clock %+v", res.Clock)
			}
			if c.mode == CodeClipboard {
				code := clip.Content()
				if !res.CodeOnClipboard || len(code) != 6 {
					t.Fatalf("clipboard %q, result %+v", code, res)
				}
				if strings.Contains(opener.opened[0], code) {
					t.Error("the code went into the URL in clipboard mode")
				}
				// The person pastes it.
				if err := chromedp.Do(ctx, chromedp.WaitVisible(chromedp.ID("code")), chromedp.SendKeys(chromedp.ID("code"), code),
					chromedp.Click(chromedp.ID("go"))); err != nil {
					t.Fatal(err)
				}
				status(t, ctx, "logged in as alice@stadt.example")
				clear()
				if clip.Content() != "" {
					t.Error("the clipboard was not cleared")
				}
				return
			}
			// The browser was opened on the one-time local address, which
			// sent it on to the portal with the code.
			if res.Relay == nil || opener.opened[0] != res.Relay.URL.String() || !strings.HasPrefix(opener.opened[0], "http://127.0.0.1:") ||
				strings.Contains(opener.opened[0], "guac-totp") {
				t.Errorf("opened %s, relay %v", opener.opened[0], res.Relay)
			}
			status(t, ctx, "logged in as alice@stadt.example")
			if !res.Relay.Used() {
				t.Error("the relay was not fetched")
			}
			if !strings.Contains(res.Action, "guac-totp=••••••") {
				t.Errorf("action %q", res.Action)
			}
		})
	}
	t.Run("wrong code refused", func(t *testing.T) {
		p := newPortal(t, acc, 0)
		if err := chromedp.Do(ctx, chromedp.Navigate(p.URL+"/guacamole/?user=alice%40stadt.example#/?guac-totp=000000")); err != nil {
			t.Fatal(err)
		}
		status(t, ctx, "wrong code\n")
	})
}

// TestWebURL checks the URL built for each placement and its escaping,
// and that a dry run shows no code.
func TestWebURL(t *testing.T) {
	acc := testAccount(t)
	acc.Name = "Müller & Co/ä b"
	for _, c := range []struct{ tmpl, wantPrefix string }{
		{"https://p.example.org/guacamole/#/?guac-totp={code}", "https://p.example.org/guacamole/#/?guac-totp="},
		{"https://p.example.org/login?otp={code}&u={user}", "https://p.example.org/login?otp="},
		{"https://p.example.org/#/?guac-totp={code}&user={user}", "https://p.example.org/#/?guac-totp="},
	} {
		var got *url.URL
		l := &Launcher{Opener: openerFunc(func(u *url.URL) error { got = u; return nil }), Sleep: func(time.Duration) {}, DirectURL: true}
		target := Target{Name: "p", Type: KindWeb, Web: &Web{URL: c.tmpl, Code: CodeURL}}
		now := time.Unix(1_800_000_000, 0)
		l.Now = func() time.Time { return now }
		res, err := l.Launch(context.Background(), Request{Target: target, Account: acc})
		if err != nil {
			t.Fatal(err)
		}
		code, _ := token.Code(acc, now)
		s := got.String()
		if !strings.HasPrefix(s, c.wantPrefix+code) {
			t.Errorf("%s: opened %s", c.tmpl, s)
		}
		if strings.Contains(c.tmpl, "{user}") && !strings.Contains(s, "M%C3%BCller+%26+Co%2F%C3%A4+b") {
			t.Errorf("%s: user not escaped as a query value: %s", c.tmpl, s)
		}
		if strings.Contains(res.Action, code) {
			t.Errorf("the action names the code: %s", res.Action)
		}
		dry, err := (&Launcher{}).Launch(context.Background(), Request{Target: target, Account: acc, DryRun: true})
		if err != nil || strings.Contains(dry.Action, "{code}") || !strings.Contains(dry.Action, "••••••") {
			t.Errorf("dry run: %q %v", dry.Action, err)
		}
	}
}

type openerFunc func(*url.URL) error

func (f openerFunc) OpenURL(u *url.URL) error { return f(u) }

// TestRelay: by default a url-mode target opens the browser on a one-time
// loopback address that holds no code and redirects its first request,
// and only that one, to the portal's URL with the code; unused, it closes
// after its time.
func TestRelay(t *testing.T) {
	acc := testAccount(t)
	now := time.Unix(1_800_000_000, 0)
	code, _ := token.Code(acc, now)
	var got *url.URL
	l := &Launcher{Opener: openerFunc(func(u *url.URL) error { got = u; return nil }), Sleep: func(time.Duration) {},
		Now: func() time.Time { return now }}
	target := Target{Name: "p", Type: KindWeb, Web: &Web{URL: "https://p.example.org/guacamole/#/?guac-totp={code}", Code: CodeURL}}
	res, err := l.Launch(context.Background(), Request{Target: target, Account: acc})
	if err != nil {
		t.Fatal(err)
	}
	if res.Relay == nil || got.String() != res.Relay.URL.String() || got.Scheme != "http" || !strings.HasPrefix(got.Host, "127.0.0.1:") ||
		strings.Contains(got.String(), code) || len(got.Path) < 20 {
		t.Fatalf("opened %s", got)
	}
	if !strings.Contains(res.Action, "one-time local address") || strings.Contains(res.Action, code) {
		t.Errorf("action %q", res.Action)
	}
	noFollow := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	get := func(u string) (*http.Response, string) {
		t.Helper()
		resp, err := noFollow.Get(u)
		if err != nil {
			return nil, ""
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp, string(b)
	}
	// Another path: nothing, and the relay still waits.
	if resp, _ := get("http://" + got.Host + "/guess"); resp == nil || resp.StatusCode != http.StatusNotFound || res.Relay.Used() {
		t.Fatalf("a wrong path: %v", resp)
	}
	resp, body := get(got.String())
	if resp == nil || resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "https://p.example.org/guacamole/#/?guac-totp="+code ||
		body != "" || resp.Header.Get("Cache-Control") != "no-store" || resp.Header.Get("Referrer-Policy") != "no-referrer" {
		t.Fatalf("first request: %v %q", resp, body)
	}
	select {
	case <-res.Relay.Done():
	case <-time.After(5 * time.Second):
		t.Fatal("the relay did not close after its use")
	}
	if resp, body := get(got.String()); resp != nil && (resp.StatusCode == http.StatusSeeOther || strings.Contains(body, code)) {
		t.Fatalf("second request: %v %q", resp, body)
	}

	// Unused, it closes after its time.
	r, err := newRelay("https://p.example.org/#/?guac-totp=123456", 50*time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	select {
	case <-r.Done():
	case <-time.After(5 * time.Second):
		t.Fatal("an unused relay did not time out")
	}
	if r.Used() {
		t.Error("used without a request")
	}
	if resp, _ := get(r.URL.String()); resp != nil {
		t.Errorf("a timed-out relay answered %d", resp.StatusCode)
	}

	// The opener fails: the relay closes at once.
	l.Opener = openerFunc(func(*url.URL) error { return errors.New("no browser") })
	res, err = l.Launch(context.Background(), Request{Target: target, Account: acc})
	if !errors.Is(err, ErrLaunch) || res.Relay == nil {
		t.Fatalf("failed opener: %v %v", err, res.Relay)
	}
	select {
	case <-res.Relay.Done():
	case <-time.After(5 * time.Second):
		t.Fatal("the relay stayed open after the opener failed")
	}
}
