package launcher

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// skewServer is an https server whose Date header is the real time plus
// skew; it counts the requests.
func skewServer(t *testing.T, skew time.Duration) (*httptest.Server, *atomic.Int32) {
	var n atomic.Int32
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		if r.Method != http.MethodHead {
			t.Errorf("method %s", r.Method)
		}
		w.Header().Set("Date", time.Now().Add(skew).UTC().Format(http.TimeFormat))
	}))
	t.Cleanup(srv.Close)
	return srv, &n
}

func host(srv *httptest.Server) string { return srv.Listener.Addr().String() }

func near(a, b time.Duration) bool { return (a - b).Abs() <= 1100*time.Millisecond }

func TestClockCheck(t *testing.T) {
	for _, c := range []struct {
		skew    time.Duration
		apply   bool
		wantErr error
	}{
		{0, false, nil},
		{4 * time.Second, false, nil},
		{-42 * time.Second, true, nil},
		{95 * time.Second, true, nil},
		{-9 * time.Minute, true, nil},
		{11 * time.Minute, false, ErrClockFar},
		{-3 * time.Hour, false, ErrClockFar},
	} {
		srv, n := skewServer(t, c.skew)
		cc := &ClockCheck{Client: srv.Client(), Dir: t.TempDir()}
		if _, ok, _ := cc.Known(host(srv)); ok {
			t.Errorf("skew %s: known before any check", c.skew)
		}
		r, err := cc.Check(context.Background(), host(srv))
		if !errors.Is(err, c.wantErr) {
			t.Errorf("skew %s: error %v, want %v", c.skew, err, c.wantErr)
		}
		if !near(r.Measured, c.skew) {
			t.Errorf("skew %s: measured %s", c.skew, r.Measured)
		}
		if (r.Apply != 0) != c.apply || (c.apply && r.Apply != r.Measured) {
			t.Errorf("skew %s: apply %s", c.skew, r.Apply)
		}
		if n.Load() != 3 {
			t.Errorf("skew %s: %d requests, want 3", c.skew, n.Load())
		}
		// Within the hour: from the cache, in memory and on disk.
		r2, err2 := cc.Check(context.Background(), host(srv))
		if !r2.Cached || r2.Measured != r.Measured || !errors.Is(err2, c.wantErr) || n.Load() != 3 {
			t.Errorf("skew %s: second check %+v %v after %d requests", c.skew, r2, err2, n.Load())
		}
		cc2 := &ClockCheck{Client: srv.Client(), Dir: cc.Dir}
		// What a window starts with: the cached check, no request.
		if k, ok, kerr := cc2.Known(host(srv)); !ok || !k.Cached || k.Apply != r.Apply || !errors.Is(kerr, c.wantErr) || n.Load() != 3 {
			t.Errorf("skew %s: known %+v %v %v after %d requests", c.skew, k, ok, kerr, n.Load())
		}
		if r3, _ := cc2.Check(context.Background(), host(srv)); !r3.Cached || r3.Measured != r.Measured || n.Load() != 3 {
			t.Errorf("skew %s: a new process did not use the cache file: %+v", c.skew, r3)
		}
		// After the hour: measured again.
		cc2.Now = func() time.Time { return time.Now().Add(61 * time.Minute) }
		if _, ok, _ := cc2.Known(host(srv)); ok {
			t.Errorf("skew %s: an hour-old check still known", c.skew)
		}
		if r4, _ := cc2.Check(context.Background(), host(srv)); r4.Cached || n.Load() != 6 {
			t.Errorf("skew %s: not measured again after an hour: %+v, %d requests", c.skew, r4, n.Load())
		}
	}
}

// TestClockSlowSamples: samples with a round trip over 2 s are dropped,
// and the median of the rest is taken; none left is an error.
func TestClockSlowSamples(t *testing.T) {
	var mu sync.Mutex
	fake := time.Date(2026, 11, 27, 8, 0, 0, 0, time.UTC)
	// Each request: the server's clock is 30 s ahead, and 40 s ahead for
	// the slow ones (which would win the median if kept).
	slow := map[int]bool{}
	var n int
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		n++
		skew := 30 * time.Second
		if slow[n] {
			fake = fake.Add(3 * time.Second) // the round trip takes 3 s
			skew = 40 * time.Second
		}
		w.Header().Set("Date", fake.Add(skew).Format(http.TimeFormat))
	}))
	defer srv.Close()
	now := func() time.Time { mu.Lock(); defer mu.Unlock(); return fake }

	slow = map[int]bool{1: true, 3: true}
	cc := &ClockCheck{Client: srv.Client(), Now: now}
	r, err := cc.Check(context.Background(), host(srv))
	if err != nil || !near(r.Measured, 30*time.Second) {
		t.Fatalf("two slow samples of three: %+v %v", r, err)
	}
	n, slow = 0, map[int]bool{1: true, 2: true, 3: true}
	cc = &ClockCheck{Client: srv.Client(), Now: now}
	if _, err := cc.Check(context.Background(), host(srv)); !errors.Is(err, ErrClockCheck) {
		t.Fatalf("all slow: %v", err)
	}
	// Nothing answers: an error, and nothing cached.
	srv.Close()
	if _, err := cc.Check(context.Background(), host(srv)); !errors.Is(err, ErrClockCheck) {
		t.Fatalf("closed server: %v", err)
	}
}

func TestWaitFresh(t *testing.T) {
	base := time.Unix(1_800_000_000, 0) // 1800000000 % 30 == 0
	for _, c := range []struct {
		at        time.Duration // into the period
		offset    time.Duration
		wantSleep time.Duration
		wantAt    time.Duration
	}{
		{0, 0, 0, 0},
		{20 * time.Second, 0, 0, 20 * time.Second},
		{25 * time.Second, 0, 0, 25 * time.Second},
		// Under 5 s left: wait for the next period, and a second into it.
		{25*time.Second + time.Millisecond, 0, 6*time.Second - time.Millisecond, 31 * time.Second},
		{29 * time.Second, 0, 2 * time.Second, 31 * time.Second},
		// The server's clock is 20 s ahead: 8 s into ours is 28 s into its.
		{8 * time.Second, 20 * time.Second, 3 * time.Second, 31 * time.Second},
	} {
		now := base.Add(c.at)
		var slept time.Duration
		got := WaitFresh(func() time.Time { return now }, func(d time.Duration) { slept += d; now = now.Add(d) }, c.offset, 30, 5*time.Second)
		if slept != c.wantSleep || !got.Equal(base.Add(c.wantAt)) {
			t.Errorf("at %s offset %s: slept %s, code at %s; want %s, %s", c.at, c.offset, slept, got.Sub(base), c.wantSleep, c.wantAt)
		}
	}
}

// TestClockCacheTwoProcesses: a window and a command line each keep their
// own ClockCheck on one folder and check different hosts; neither drops
// the other's entry from clock.json (before, each wrote its own snapshot
// of the file, read when it started, and the later write won).
func TestClockCacheTwoProcesses(t *testing.T) {
	a, _ := skewServer(t, 30*time.Second)
	b, _ := skewServer(t, -45*time.Second)
	dir := t.TempDir()
	win := &ClockCheck{Client: a.Client(), Dir: dir}
	cli := &ClockCheck{Client: b.Client(), Dir: dir}
	// Both have read the (empty) cache before either checks.
	win.Known(host(a))
	cli.Known(host(b))
	if _, err := win.Check(context.Background(), host(a)); err != nil {
		t.Fatal(err)
	}
	if _, err := cli.Check(context.Background(), host(b)); err != nil {
		t.Fatal(err)
	}
	fresh := &ClockCheck{Dir: dir}
	for _, h := range []struct {
		name string
		skew time.Duration
	}{{host(a), 30 * time.Second}, {host(b), -45 * time.Second}} {
		r, ok, err := fresh.Known(h.name)
		if !ok || err != nil || !near(r.Apply, h.skew) {
			t.Errorf("%s: known %+v %v %v; want the offset %s kept in clock.json", h.name, r, ok, err, h.skew)
		}
	}
	// The command line's check is known to the window too, without a request.
	if r, ok, _ := cli.Known(host(a)); !ok || !near(r.Apply, 30*time.Second) {
		t.Errorf("the command line does not see the window's check: %+v %v", r, ok)
	}
}
