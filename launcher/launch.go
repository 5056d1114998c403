package launcher

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"strings"
	"time"

	"github.com/cityadmin/softtoken/token"
)

// Opener opens a URL in the system's browser. fyne.App satisfies it;
// SystemOpener is the one without a GUI.
type Opener interface {
	OpenURL(u *url.URL) error
}

// Clipboard is the system clipboard. fyne.Clipboard satisfies it; a GUI
// must make sure the calls reach its own goroutine, since the clearing
// runs on a timer.
type Clipboard interface {
	Content() string
	SetContent(content string)
}

// Defaults of a Launcher.
const (
	DefaultMinLeft    = 5 * time.Second  // a code with less left is not sent; the next one is awaited
	DefaultClearAfter = 30 * time.Second // the clipboard is cleared after this if it still holds the code
)

// Launcher opens targets with the code passed along. Only Opener is
// needed for web targets in url mode; the zero values of the rest are
// the defaults named.
type Launcher struct {
	Opener    Opener    // the browser
	Clipboard Clipboard // nil: a clipboard target opens and the person types the code
	RDP       RDPClient // nil: DefaultRDPClient()
	// Clock, if set, checks the system clock against the target's https
	// host and corrects the code (see ClockCheck). Nil: no check.
	Clock     *ClockCheck
	Now       func() time.Time    // default time.Now
	Sleep     func(time.Duration) // default time.Sleep
	AfterFunc func(time.Duration, func())
	MinLeft   time.Duration // default DefaultMinLeft
	// DirectURL opens a web target's URL with its code as it is, on the
	// opener's command line; by default a Relay hands it to the browser.
	DirectURL  bool
	ClearAfter time.Duration // default DefaultClearAfter
}

// Request is one launch.
type Request struct {
	Target Target
	// Account is the account whose code goes to the target, with its
	// secret. For HOTP the caller must have saved the next counter first
	// (store.NextHOTP); Account.Counter is the one whose code is used.
	Account token.Account
	// Password is the person's own password for the remote desktop, asked
	// for where NeedsPassword says so; never stored. Optional: without it
	// the client asks. It is passed only where the profile asks for it
	// (RDP.AsksPassword).
	Password string
	// DryRun computes what would run, with the code and the password
	// masked, and runs, contacts and waits for nothing.
	DryRun bool
}

// Result is what a launch did.
type Result struct {
	// Action is what ran (or would run), with the code masked: the URL
	// opened, or the RDP client's command line and what went to its
	// standard input.
	Action string
	// Clock is the clock check's outcome; Clock.Apply != 0 means the codes
	// of this issuer are off and were corrected: tell the person.
	Clock ClockResult
	// ClockErr is why the clock could not be checked, if it could not; the
	// launch went on without a correction.
	ClockErr error
	// CodeOnClipboard reports that the code was put on the clipboard, to
	// be pasted; it is cleared after ClearAfter.
	CodeOnClipboard bool
	// CodeNotPassed reports that the target takes the code by clipboard
	// but there is none: the person must type it.
	CodeNotPassed bool
	// WaitedFor is how long the launch waited for a fresh code.
	WaitedFor time.Duration
	// Process is the RDP client started, if any.
	Process *Process
	// Relay is the one-time local address the browser was opened with, if
	// the URL carries the code. It waits for the browser's request for
	// RelayTimeout: a command line that exits must wait for Relay.Done().
	Relay *Relay
}

// ErrLaunch: the program that opens the target could not be started.
var ErrLaunch = errors.New("the program to open the target could not be started")

// Launch opens req.Target with the code of req.Account.
func (l *Launcher) Launch(ctx context.Context, req Request) (Result, error) {
	var res Result
	t := req.Target
	if err := t.Validate(); err != nil {
		return res, err
	}
	if req.Account.Type == "" {
		return res, fmt.Errorf("%w: no account to take the code from", ErrInvalid)
	}
	// The clock.
	var offset time.Duration
	if host := clockHost(t); l.Clock != nil && host != "" && !req.DryRun && req.Account.Type == token.TOTP {
		r, err := l.Clock.Check(ctx, host)
		switch {
		case errors.Is(err, ErrClockFar):
			return res, err
		case err != nil:
			res.ClockErr = err
		default:
			res.Clock, offset = r, r.Apply
		}
	}
	// The code, fresh enough to log in with.
	var code string
	if !req.DryRun {
		at := l.now().Add(offset)
		if req.Account.Type == token.TOTP {
			start := l.now()
			at = WaitFresh(l.now, l.sleep, offset, req.Account.Period, l.minLeft())
			res.WaitedFor = l.now().Sub(start)
		}
		var err error
		if code, err = token.Code(req.Account, at); err != nil {
			return res, err
		}
	}
	user := req.Account.Name
	switch t.Type {
	case KindWeb:
		return l.web(t, req, code, user, res)
	case KindRDP:
		return l.rdp(ctx, t, req, code, user, res)
	}
	return res, fmt.Errorf("%w: unknown target type %q", ErrInvalid, t.Type)
}

func (l *Launcher) web(t Target, req Request, code, user string, res Result) (Result, error) {
	tm, err := parseTemplate(t.Web.URL)
	if err != nil {
		return res, err
	}
	res.Action = "open " + tm.display(req.Account.Digits, user)
	relay := t.Web.Code == CodeURL && !l.DirectURL
	switch {
	case t.Web.Code == CodeClipboard:
		res.Action += "; the code " + Mask(req.Account.Digits) + " goes on the clipboard"
	case relay:
		res.Action += " through a one-time local address (the code on no command line)"
	}
	if req.DryRun {
		return res, nil
	}
	if t.Web.Code == CodeClipboard {
		res.CodeOnClipboard, res.CodeNotPassed = l.toClipboard(code)
		code = ""
	}
	u, err := url.Parse(tm.expand(code, user))
	if err != nil {
		return res, fmt.Errorf("%w: the URL cannot be read", ErrInvalid)
	}
	if l.Opener == nil {
		return res, fmt.Errorf("%w: no browser opener", ErrLaunch)
	}
	if relay {
		r, err := newRelay(u.String(), RelayTimeout)
		if err != nil {
			return res, err
		}
		res.Relay, u = r, r.URL
	}
	if err := l.Opener.OpenURL(u); err != nil {
		if res.Relay != nil {
			res.Relay.Close()
		}
		// The error may quote the URL, and the URL the code.
		return res, ErrLaunch
	}
	return res, nil
}

// toClipboard puts code on the clipboard and clears it after ClearAfter if
// it still holds the code.
func (l *Launcher) toClipboard(code string) (put, notPassed bool) {
	if l.Clipboard == nil {
		return false, true
	}
	l.Clipboard.SetContent(code)
	after := l.AfterFunc
	if after == nil {
		after = func(d time.Duration, f func()) { time.AfterFunc(d, f) }
	}
	d := l.ClearAfter
	if d <= 0 {
		d = DefaultClearAfter
	}
	cb := l.Clipboard
	after(d, func() {
		if cb.Content() == code {
			cb.SetContent("")
		}
	})
	return true, false
}

// NeedsPassword reports whether a launch of t should come with the
// person's own password (Request.Password), so that the caller asks for
// it first: t is a remote desktop whose profile asks for it
// (RDP.AsksPassword) and the client that would be used can pass it
// (FreeRDP; mstsc.exe only with RDP.CredentialManager). With RDP unset
// it looks for the default client, which on Linux runs `xfreerdp
// --version`: call it off a GUI's event goroutine.
func (l *Launcher) NeedsPassword(t Target) bool {
	if t.Type != KindRDP || t.RDP == nil || !t.RDP.AsksPassword() {
		return false
	}
	client, err := l.rdpClient()
	return err == nil && client.TakesPasswords(t.RDP)
}

func (l *Launcher) rdpClient() (RDPClient, error) {
	if l.RDP != nil {
		return l.RDP, nil
	}
	return DefaultRDPClient()
}

// yourPassword stands for the person's password where a launch is shown.
const yourPassword = "(your password)"

func (l *Launcher) rdp(ctx context.Context, t Target, req Request, code, user string, res Result) (Result, error) {
	client, err := l.rdpClient()
	if err != nil {
		return res, err
	}
	r := t.RDP
	s := RDPSession{Host: r.Host, Port: RDPPort(r), Gateway: r.Gateway, User: expandUser(r.User, user), Domain: r.Domain,
		CredentialManager: r.CredentialManager}
	// An account name comes from an enrollment link: it must not smuggle
	// a line or an argument into the client's input or the .rdp file.
	if strings.ContainsAny(s.User, rdpUnsafe) || strings.ContainsAny(req.Password, "\r\n\x00") {
		return res, fmt.Errorf("%w: the user name or password holds characters the remote desktop client cannot take", ErrInvalid)
	}
	takes := client.TakesPasswords(r)
	mode := r.Code
	if mode != CodeClipboard && !takes {
		mode = CodeClipboard
	}
	// The person's own password goes to the session where the profile
	// asks for it; a dry run shows where it would go.
	var password, maskedPassword string
	if takes && r.AsksPassword() && (req.Password != "" || req.DryRun) {
		password, maskedPassword = req.Password, yourPassword
	}
	masked := s
	switch mode {
	case CodeGatewayPassword:
		s.GatewayPassword, masked.GatewayPassword = code, Mask(req.Account.Digits)
		s.Password, masked.Password = password, maskedPassword
	case CodePassword:
		s.Password, masked.Password = code, Mask(req.Account.Digits)
	case CodeClipboard:
		// The code is asked for inside the session (a second factor at
		// the desktop's logon); the password opens it.
		s.Password, masked.Password = password, maskedPassword
	}
	res.Action = client.Describe(masked)
	if mode == CodeClipboard {
		res.Action += "; the code " + Mask(req.Account.Digits) + " goes on the clipboard"
	}
	if req.DryRun {
		return res, nil
	}
	if mode == CodeClipboard {
		res.CodeOnClipboard, res.CodeNotPassed = l.toClipboard(code)
	}
	p, err := client.Start(ctx, s)
	if err != nil {
		return res, err
	}
	res.Process = p
	return res, nil
}

// RDPPort is r's port, 3389 if not set.
func RDPPort(r *RDP) int {
	if r.Port == 0 {
		return 3389
	}
	return r.Port
}

// rdpUnsafe are the characters a user name may not hold for an RDP
// client: line breaks end an argument on FreeRDP 3's stdin and a line of a
// .rdp file; the rest separate FreeRDP's options.
const rdpUnsafe = "\r\n\x00,;\""

func expandUser(tmpl, user string) string {
	if tmpl == "" {
		return user
	}
	return strings.ReplaceAll(tmpl, "{user}", user)
}

// ClockHost is the https host whose clock stands for t's, which a launch
// checks: the portal's, or the RD Gateway's. A direct RDP target has none.
func ClockHost(t Target) string { return clockHost(t) }

func clockHost(t Target) string {
	switch {
	case t.Type == KindWeb && t.Web != nil:
		if tm, err := parseTemplate(t.Web.URL); err == nil {
			return tm.host
		}
	case t.Type == KindRDP && t.RDP != nil && t.RDP.Gateway != "":
		return t.RDP.Gateway
	}
	return ""
}

func (l *Launcher) now() time.Time {
	if l.Now != nil {
		return l.Now()
	}
	return time.Now()
}

func (l *Launcher) sleep(d time.Duration) {
	if l.Sleep != nil {
		l.Sleep(d)
		return
	}
	time.Sleep(d)
}

func (l *Launcher) minLeft() time.Duration {
	if l.MinLeft > 0 {
		return l.MinLeft
	}
	return DefaultMinLeft
}

// discard is where a client's output goes when nobody asked for it.
var discard io.Writer = io.Discard
