package launcher

import (
	"context"
	"fmt"
	"time"

	"github.com/cityadmin/softtoken/internal/autotype"
	"github.com/cityadmin/softtoken/token"
)

// Typer types a code into the window with the keyboard focus;
// *autotype.Typer is the real one (X11's XTEST).
type Typer interface {
	Focused() (autotype.Window, error)
	WaitFocus(ctx context.Context, from autotype.Window, settle time.Duration, opt autotype.Options) (autotype.Window, error)
	Type(code string, opt autotype.Options) error
	Close() error
}

// Defaults of typing (mode "type").
const (
	// DefaultTypeWithin is how long a launch in mode "type" waits for
	// another window to take the focus. 20 s: a browser's first start or
	// an RDP client's connection (TLS, the gateway) take a few seconds,
	// on a slow machine ten; later than that the person has most likely
	// gone on to another window, and a code typed there would surprise
	// them. It is also within most of a TOTP period, so the code typed is
	// mostly the one claimed at the launch.
	DefaultTypeWithin = 20 * time.Second
	// DefaultTypeSettle is how long the focus must rest on the new window
	// before the code is typed: a window is mapped (and focused) before
	// it is ready for keys (a browser's page still loading, a remote
	// desktop client's logon screen still being drawn).
	DefaultTypeSettle = 1500 * time.Millisecond
)

// typeMinLeft is the least of its period a code must have left to be
// typed: typing takes under half a second, the login's request a moment.
const typeMinLeft = 2 * time.Second

// typing is one code to be typed once another window has the focus.
type typing struct {
	typer Typer
	from  autotype.Window
	opt   autotype.Options
	acc   token.Account
	code  string    // the code claimed at the launch
	at    time.Time // its time (with the clock's offset)
	off   time.Duration
}

// prepareTyping opens the typer and notes the window that has the focus
// now (before the launch opens another). An error (ErrUnsupported where
// the system cannot type) makes the launch fall back to the clipboard.
func (l *Launcher) prepareTyping(acc token.Account, code string, at time.Time, off time.Duration, tabs int, enter bool) (*typing, error) {
	ty := l.Typer
	if ty == nil {
		t, err := autotype.Open()
		if err != nil {
			return nil, err
		}
		ty = t
	}
	from, err := ty.Focused()
	if err != nil {
		ty.Close()
		return nil, err
	}
	return &typing{typer: ty, from: from, acc: acc, code: code, at: at, off: off,
		opt: autotype.Options{Tabs: tabs, Enter: enter}}, nil
}

// runTyping waits for the focus and types; it closes the typer, then
// sends the outcome on done.
func (l *Launcher) runTyping(tp *typing, done chan<- error) {
	err := l.typeWhenFocused(tp)
	tp.typer.Close()
	done <- err
}

func (l *Launcher) typeWhenFocused(tp *typing) error {
	within, settle := l.TypeWithin, l.TypeSettle
	if within <= 0 {
		within = DefaultTypeWithin
	}
	if settle <= 0 {
		settle = DefaultTypeSettle
	}
	ctx, cancel := context.WithTimeout(context.Background(), within)
	defer cancel()
	if _, err := tp.typer.WaitFocus(ctx, tp.from, settle, tp.opt); err != nil {
		return err
	}
	code, err := l.typedCode(tp)
	if err != nil {
		return err
	}
	return tp.typer.Type(code, tp.opt)
}

// typedCode is the code to type now: the one claimed at the launch while
// its period lasts; after that the current one, claimed in the record of
// codes handed out (a later step than the launch's).
func (l *Launcher) typedCode(tp *typing) (string, error) {
	acc := tp.acc
	if acc.Type != token.TOTP || acc.Period <= 0 {
		return tp.code, nil
	}
	// A code about to run out is not typed: the server would get it
	// after its period. The next one is.
	now := WaitFresh(l.now, l.sleep, tp.off, acc.Period, typeMinLeft)
	p := int64(acc.Period)
	if now.Unix()/p == tp.at.Unix()/p {
		return tp.code, nil
	}
	if l.Handed != nil {
		ok, err := l.Handed.Claim(acc.ID, acc.Period, now)
		if err != nil {
			return "", err
		}
		if !ok {
			return "", ErrCodeInUse
		}
	}
	return token.Code(acc, now)
}

func typeAction(digits, tabs int, enter bool) string {
	s := "; the code " + Mask(digits) + " is typed into the next window that takes the focus"
	if tabs > 0 {
		s += fmt.Sprintf(", after %d Tab(s)", tabs)
	}
	if enter {
		s += ", then Enter"
	}
	return s
}

// startTyping types code in mode "type" once another window has the
// focus, and reports the outcome on res.Typed; where this system cannot
// type, it puts the code on the clipboard instead (res.TypeErr says why).
// It is called before the target is opened, so that the window the focus
// is on now is not the one typed into; the function it returns starts
// the typing once the target is open (opened true) or gives it up.
func (l *Launcher) startTyping(c typeCall, res *Result) (start func(opened bool)) {
	tp, err := l.prepareTyping(c.acc, c.code, c.at, c.off, c.tabs, c.enter)
	if err != nil {
		res.TypeErr = err
		res.CodeOnClipboard, res.CodeNotPassed = l.toClipboard(c.code)
		return func(bool) {}
	}
	done := make(chan error, 1)
	res.Typed = done
	return func(opened bool) {
		if !opened {
			tp.typer.Close()
			done <- ErrLaunch
			return
		}
		go l.runTyping(tp, done)
	}
}

// typeCall is what startTyping needs of a launch.
type typeCall struct {
	acc   token.Account
	code  string
	at    time.Time
	off   time.Duration
	tabs  int
	enter bool
}

// HandOut returns the code of acc to hand to a login now (typed, shown
// to be copied): for TOTP one with at least MinLeft of its period left
// that was not handed out before (Handed), which it claims, waiting for
// the next one where need be (OnWait is told). For HOTP the caller must
// have saved the next counter first, as for Launch. A TOTP code is the
// one of the computer's time corrected by offset (Corrections.Of: 0 for
// none).
func (l *Launcher) HandOut(acc token.Account, offset time.Duration) (string, error) {
	at := l.now().Add(offset)
	if acc.Type == token.TOTP {
		var res Result
		var err error
		if at, err = l.freshCode(acc, offset, &res); err != nil {
			return "", err
		}
	}
	return token.Code(acc, at)
}
