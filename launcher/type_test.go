package launcher

import (
	"context"
	"errors"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cityadmin/softtoken/internal/autotype"
	"github.com/cityadmin/softtoken/token"
)

func TestTypeValidate(t *testing.T) {
	web := func(code CodeMode, u string, tabs int, enter bool) Target {
		return Target{Name: "w", Type: KindWeb, Web: &Web{URL: u, Code: code, TypeTabs: tabs, TypeEnter: enter}}
	}
	rdp := func(code CodeMode, tabs int, enter bool) Target {
		return Target{Name: "r", Type: KindRDP, RDP: &RDP{Host: "h", Code: code, TypeTabs: tabs, TypeEnter: enter}}
	}
	for _, c := range []struct {
		t  Target
		ok bool
	}{
		{web(CodeType, "https://p.example/login", 2, true), true},
		{web(CodeType, "https://p.example/login?c={code}", 0, false), false},
		{web(CodeClipboard, "https://p.example/login", 1, false), false},
		{web(CodeURL, "https://p.example/login?c={code}", 0, true), false},
		{web(CodeType, "https://p.example/login", 21, false), false},
		{web(CodeType, "https://p.example/login", -1, false), false},
		{rdp(CodeType, 0, true), true},
		{rdp(CodePassword, 0, true), false},
		{rdp(CodeType, 30, false), false},
	} {
		if err := c.t.Validate(); (err == nil) != c.ok {
			t.Errorf("%+v %+v: %v", c.t.Web, c.t.RDP, err)
		}
	}
}

// fakeTyper stands in for the X server's typing where only the
// launcher's part is tested (the real one types under the rig tests and
// in internal/autotype): it records the code and moves the test's clock
// by wait while it waits for the focus.
type fakeTyper struct {
	mu       sync.Mutex
	focusErr error
	wait     time.Duration
	advance  func(time.Duration)
	typed    []string
	opt      autotype.Options
	closed   bool
}

func (f *fakeTyper) Focused() (autotype.Window, error) { return 1, f.focusErr }
func (f *fakeTyper) WaitFocus(ctx context.Context, from autotype.Window, settle time.Duration, opt autotype.Options) (autotype.Window, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.advance != nil {
		f.advance(f.wait)
	}
	return 2, nil
}
func (f *fakeTyper) Type(code string, opt autotype.Options) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.typed, f.opt = append(f.typed, code), opt
	return nil
}
func (f *fakeTyper) Close() error { f.mu.Lock(); defer f.mu.Unlock(); f.closed = true; return nil }

type urlRecorder struct{ opened []string }

func (o *urlRecorder) OpenURL(u *url.URL) error { o.opened = append(o.opened, u.String()); return nil }

// TestTypeWeb: a web target in mode "type" opens its URL (no code in it)
// and types the code claimed at the launch, with the target's Tabs and
// Enter; typed in a later period, it types (and claims) that period's.
func TestTypeWeb(t *testing.T) {
	acc := testAccount(t)
	acc.ID = "typed"
	now := time.Unix(1_800_000_020, 0) // 20 s into a period
	var mu sync.Mutex
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	// 1 s: the launch's code; 15 s: the next period's; 9.5 s: 0.5 s left
	// of the launch's, so the next period's.
	for _, wait := range []time.Duration{time.Second, 15 * time.Second, 9500 * time.Millisecond} {
		mu.Lock()
		now = time.Unix(1_800_000_020, 0)
		mu.Unlock()
		ty := &fakeTyper{wait: wait, advance: func(d time.Duration) { mu.Lock(); now = now.Add(d); mu.Unlock() }}
		op := &urlRecorder{}
		h := &Handed{Dir: t.TempDir()}
		l := &Launcher{Opener: op, Typer: ty, Now: clock, Handed: h,
			Sleep: func(d time.Duration) { mu.Lock(); now = now.Add(d); mu.Unlock() }}
		target := Target{Name: "p", Type: KindWeb, Web: &Web{URL: "https://p.example/login", Code: CodeType, TypeTabs: 2, TypeEnter: true}}
		start := clock()
		res, err := l.Launch(context.Background(), Request{Target: target, Account: acc})
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(res.Action, "typed into the next window") || res.CodeOnClipboard || len(op.opened) != 1 || op.opened[0] != "https://p.example/login" {
			t.Fatalf("action %q, clipboard %v, opened %v", res.Action, res.CodeOnClipboard, op.opened)
		}
		if err := <-res.Typed; err != nil {
			t.Fatal(err)
		}
		end := clock()
		want, _ := token.Code(acc, end)
		if len(ty.typed) != 1 || ty.typed[0] != want || ty.opt.Tabs != 2 || !ty.opt.Enter || !ty.closed {
			t.Errorf("waited %s: typed %v %+v (closed %v), want %s", wait, ty.typed, ty.opt, ty.closed, want)
		}
		if used, _ := h.Used(acc.ID, acc.Period, end); !used {
			t.Errorf("waited %s: the typed code is not recorded as handed out", wait)
		}
		if wait > 5*time.Second {
			if first, _ := token.Code(acc, start); first == want {
				t.Errorf("the test's later period has the same code")
			}
		}
	}
}

// TestTypeUnsupported: where nothing can be typed, the code goes on the
// clipboard and the launch says why.
func TestTypeUnsupported(t *testing.T) {
	ty := &fakeTyper{focusErr: autotype.ErrUnsupported}
	clip := &memClipboard{}
	l := &Launcher{Opener: &urlRecorder{}, Typer: ty, Clipboard: clip, AfterFunc: func(time.Duration, func()) {}}
	target := Target{Name: "p", Type: KindWeb, Web: &Web{URL: "https://p.example/login", Code: CodeType}}
	res, err := l.Launch(context.Background(), Request{Target: target, Account: testAccount(t)})
	if err != nil {
		t.Fatal(err)
	}
	if !errors.Is(res.TypeErr, autotype.ErrUnsupported) || res.Typed != nil || !res.CodeOnClipboard || len(clip.Content()) != 6 || !ty.closed {
		t.Errorf("type err %v, typed %v, clipboard %v %q, closed %v", res.TypeErr, res.Typed, res.CodeOnClipboard, clip.Content(), ty.closed)
	}
}
