package launcher

import (
	"context"
	"errors"
	"fmt"
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
	// Handed, if set, is the record of the codes handed out: a TOTP code
	// handed to a login before (by a launch, a copy) is not handed out
	// again; the launch waits for the next one. Nil: no record.
	Handed *Handed
	// OnWait, if set, is told before a launch waits for a fresh code, and
	// why: used is true where the current code was handed out already,
	// false where too little of its period is left. It runs on the
	// launch's goroutine.
	OnWait func(d time.Duration, used bool)
	// StartGrace is how long a launch watches a started RDP client: one
	// that ends with an error within it fails the launch with a
	// *ClientError. Default DefaultStartGrace; negative: not watched.
	StartGrace time.Duration
	// Typer types the code in mode "type"; nil: an autotype.Typer opened
	// for each launch (X11), the clipboard where there is none.
	Typer Typer
	// TypeWithin is how long mode "type" waits for another window to take
	// the focus (default DefaultTypeWithin); TypeSettle how long the focus
	// must rest there before the code is typed (default
	// DefaultTypeSettle).
	TypeWithin, TypeSettle time.Duration
}

// DefaultStartGrace is how long a launch watches the RDP client it
// started: a connection refused, a name not found, a certificate
// refused end FreeRDP within a second or two.
const DefaultStartGrace = 3 * time.Second

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
	// CodeWasUsed reports that the code of the moment had been handed out
	// already (Launcher.Handed), so the launch waited for the next one.
	CodeWasUsed bool
	// Process is the RDP client started, if any.
	Process *Process
	// Relay is the one-time local address the browser was opened with, if
	// the URL carries the code. It waits for the browser's request for
	// RelayTimeout: a command line that exits must wait for Relay.Done().
	Relay *Relay
	// Typed, in mode "type", gets the outcome of the typing once: nil
	// when the code was typed, else why not (autotype.ErrNoFocus when no
	// other window took the focus within TypeWithin). The code counts as
	// used either way. Nil where nothing is typed.
	Typed <-chan error
	// TypeErr is why a target in mode "type" cannot be typed into here
	// (autotype.ErrUnsupported); the code went on the clipboard instead.
	TypeErr error
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
	// The code, fresh enough to log in with, and not handed out before.
	var code string
	var at time.Time
	if !req.DryRun {
		at = l.now().Add(offset)
		if req.Account.Type == token.TOTP {
			start := l.now()
			var err error
			if at, err = l.freshCode(req.Account, offset, &res); err != nil {
				return res, err
			}
			res.WaitedFor = l.now().Sub(start)
		}
		var err error
		if code, err = token.Code(req.Account, at); err != nil {
			return res, err
		}
	}
	user := req.Account.Name
	tc := typeCall{acc: req.Account, code: code, at: at, off: offset}
	switch t.Type {
	case KindWeb:
		tc.tabs, tc.enter = t.Web.TypeTabs, t.Web.TypeEnter
		return l.web(t, req, tc, user, res)
	case KindRDP:
		tc.tabs, tc.enter = t.RDP.TypeTabs, t.RDP.TypeEnter
		return l.rdp(ctx, t, req, tc, user, res)
	}
	return res, fmt.Errorf("%w: unknown target type %q", ErrInvalid, t.Type)
}

func (l *Launcher) web(t Target, req Request, tc typeCall, user string, res Result) (Result, error) {
	code := tc.code
	tm, err := parseTemplate(t.Web.URL)
	if err != nil {
		return res, err
	}
	res.Action = "open " + tm.display(req.Account.Digits, user)
	relay := t.Web.Code == CodeURL && !l.DirectURL
	switch {
	case t.Web.Code == CodeClipboard:
		res.Action += "; the code " + Mask(req.Account.Digits) + " goes on the clipboard"
	case t.Web.Code == CodeType:
		res.Action += typeAction(req.Account.Digits, t.Web.TypeTabs, t.Web.TypeEnter)
	case relay:
		res.Action += " through a one-time local address (the code on no command line)"
	}
	if req.DryRun {
		return res, nil
	}
	startTyping := func(bool) {}
	switch t.Web.Code {
	case CodeClipboard:
		res.CodeOnClipboard, res.CodeNotPassed = l.toClipboard(code)
		code = ""
	case CodeType:
		startTyping = l.startTyping(tc, &res)
		code = ""
	}
	u, err := url.Parse(tm.expand(code, user))
	if err != nil {
		startTyping(false)
		return res, fmt.Errorf("%w: the URL cannot be read", ErrInvalid)
	}
	if l.Opener == nil {
		startTyping(false)
		return res, fmt.Errorf("%w: no browser opener", ErrLaunch)
	}
	if relay {
		r, err := newRelay(u.String(), RelayTimeout)
		if err != nil {
			startTyping(false)
			return res, err
		}
		res.Relay, u = r, r.URL
	}
	if err := l.Opener.OpenURL(u); err != nil {
		if res.Relay != nil {
			res.Relay.Close()
		}
		startTyping(false)
		// The error may quote the URL, and the URL the code.
		return res, ErrLaunch
	}
	startTyping(true)
	return res, nil
}

// ErrCodeInUse: every fresh code was handed out by another launch while
// this one waited; launch again.
var ErrCodeInUse = errors.New("the codes were all handed out by other launches meanwhile")

// freshCode waits for a code of acc (TOTP) with at least MinLeft of its
// period left that was not handed out before (Handed), claims it, and
// returns its time.
func (l *Launcher) freshCode(acc token.Account, offset time.Duration, res *Result) (time.Time, error) {
	sleep := func(used bool) func(time.Duration) {
		return func(d time.Duration) {
			if l.OnWait != nil {
				l.OnWait(d, used)
			}
			l.sleep(d)
		}
	}
	at := WaitFresh(l.now, sleep(false), offset, acc.Period, l.minLeft())
	if l.Handed == nil {
		return at, nil
	}
	// Another launch may take the next code while this one waits; a few
	// periods at most, then give up.
	for range 4 {
		ok, err := l.Handed.Claim(acc.ID, acc.Period, at)
		if err != nil {
			return at, err
		}
		if ok {
			return at, nil
		}
		res.CodeWasUsed = true
		p := time.Duration(acc.Period) * time.Second
		wait := p - time.Duration(at.UnixNano()%int64(p)) + FreshMargin
		before := l.now()
		sleep(true)(wait)
		if later := l.now().Add(offset); later.Sub(before) >= wait {
			at = later
		} else {
			at = at.Add(wait) // a test clock that did not move
		}
	}
	return at, ErrCodeInUse
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

func (l *Launcher) rdp(ctx context.Context, t Target, req Request, tc typeCall, user string, res Result) (Result, error) {
	code := tc.code
	client, err := l.rdpClient()
	if err != nil {
		return res, err
	}
	r := t.RDP
	s := RDPSession{Host: r.Host, Port: RDPPort(r), Gateway: r.Gateway, User: expandUser(r.User, user), Domain: r.Domain,
		CredentialManager: r.CredentialManager, CertPins: r.CertPins()}
	// An account name comes from an enrollment link: it must not smuggle
	// a line or an argument into the client's input or the .rdp file.
	if strings.ContainsAny(s.User, rdpUnsafe) || strings.ContainsAny(req.Password, "\r\n\x00") {
		return res, fmt.Errorf("%w: the user name or password holds characters the remote desktop client cannot take", ErrInvalid)
	}
	takes := client.TakesPasswords(r)
	mode := r.Code
	if mode != CodeClipboard && mode != CodeType && !takes {
		mode = CodeClipboard
	}
	// The person's own password goes to the session where the profile
	// asks for it; a dry run shows where it would go.
	var password, maskedPassword string
	if takes && r.AsksPassword() && (req.Password != "" || req.DryRun) {
		password, maskedPassword = req.Password, yourPassword
	}
	if mode == CodePasswordCode && password == "" && !req.DryRun {
		// Without the person's part the code alone would be refused:
		// they type both, the code from the clipboard.
		mode = CodeClipboard
	}
	masked := s
	switch mode {
	case CodeGatewayPassword:
		s.GatewayPassword, masked.GatewayPassword = code, Mask(req.Account.Digits)
		s.Password, masked.Password = password, maskedPassword
	case CodePassword:
		s.Password, masked.Password = code, Mask(req.Account.Digits)
	case CodePasswordCode:
		s.Password, masked.Password = password+code, maskedPassword+Mask(req.Account.Digits)
	case CodeClipboard, CodeType:
		// The code is asked for inside the session (a second factor at
		// the desktop's logon); the password opens it.
		s.Password, masked.Password = password, maskedPassword
	}
	res.Action = client.Describe(masked)
	switch mode {
	case CodeClipboard:
		res.Action += "; the code " + Mask(req.Account.Digits) + " goes on the clipboard"
	case CodeType:
		res.Action += typeAction(req.Account.Digits, r.TypeTabs, r.TypeEnter)
	}
	if req.DryRun {
		return res, nil
	}
	startTyping := func(bool) {}
	switch mode {
	case CodeClipboard:
		res.CodeOnClipboard, res.CodeNotPassed = l.toClipboard(code)
	case CodeType:
		startTyping = l.startTyping(tc, &res)
	}
	p, err := client.Start(ctx, s)
	if err != nil {
		startTyping(false)
		return res, err
	}
	res.Process = p
	err = l.watchStart(ctx, p)
	startTyping(err == nil)
	return res, err
}

// watchStart waits StartGrace for p to end: if it ends with an error, the
// connection failed, and the error says why. A client still running, or
// one that ended well (a file handed to an app), is a launch that worked.
func (l *Launcher) watchStart(ctx context.Context, p *Process) error {
	grace := l.StartGrace
	if grace == 0 {
		grace = DefaultStartGrace
	}
	if p == nil || grace < 0 {
		return nil
	}
	t := time.NewTimer(grace)
	defer t.Stop()
	select {
	case <-p.Done():
		return p.Wait()
	case <-t.C:
	case <-ctx.Done():
	}
	return nil
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
