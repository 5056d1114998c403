package launcher

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"path/filepath"
	"slices"
	"sync"
	"time"
)

// Limits of the clock check.
const (
	// ClockWarn is the offset above which codes are corrected and the
	// person is told.
	ClockWarn = 10 * time.Second
	// ClockRefuse is the offset above which no correction is made: the
	// system clock must be set right.
	ClockRefuse = 10 * time.Minute
	// ClockFile caches the last check of each host in the configuration
	// folder.
	ClockFile = "clock.json"
	// clockLockFile guards ClockFile's read-change-write across processes.
	clockLockFile = "clock.lock"
)

// Errors of the clock check.
var (
	// ErrClockFar: the system clock is off by more than ClockRefuse; codes
	// would be wrong and are not corrected.
	ErrClockFar = errors.New("the computer's clock is off by more than 10 minutes")
	// ErrClockCheck: no usable answer came from the host.
	ErrClockCheck = errors.New("the clock could not be checked against the server")
)

// ClockCheck compares the system clock with the Date header of an https
// server, at most once per Every per host. Set Client for a server the
// system does not trust (tests); the zero value is usable with the
// defaults below.
type ClockCheck struct {
	Client  *http.Client     // default: a client with a 10 s timeout
	Now     func() time.Time // default time.Now
	Dir     string           // configuration folder for the cache; "" keeps it in memory only
	Samples int              // requests per check; default 3
	MaxRTT  time.Duration    // samples with a longer round trip are dropped; default 2 s
	Every   time.Duration    // how long a check holds; default 1 hour

	mu  sync.Mutex
	mem map[string]clockEntry
}

type clockEntry struct {
	Checked time.Time     `json:"checked"`
	Offset  time.Duration `json:"offset_ns"`
}

// ClockResult is the outcome of a check.
type ClockResult struct {
	// Measured is how far the server's clock is ahead of the system's
	// (negative: behind).
	Measured time.Duration
	// Apply is the offset to add to the system time for codes of this
	// host's issuer: Measured if it is over ClockWarn (warn the person),
	// else 0.
	Apply time.Duration
	// Cached reports that no request was made.
	Cached bool
}

func (c *ClockCheck) now() time.Time {
	if c.Now != nil {
		return c.Now()
	}
	return time.Now()
}

// Check returns the offset of host's clock (host[:port], reached by https),
// from the cache if it was measured within Every. An offset over
// ClockRefuse is returned with ErrClockFar and Apply 0.
func (c *ClockCheck) Check(ctx context.Context, host string) (ClockResult, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if r, ok, err := c.cached(host); ok {
		return r, err
	}
	off, err := c.measure(ctx, host)
	if err != nil {
		return ClockResult{}, err
	}
	e := clockEntry{Checked: c.now(), Offset: off}
	c.mem[host] = e
	if c.Dir != "" {
		if err := c.save(host, e); err != nil {
			return ClockResult{}, err
		}
	}
	return classify(off)
}

// save writes host's entry into the cache file under its lock, after
// reading the file again: a window and a command line each check their own
// hosts, and neither may drop what the other wrote since it last read the
// file. c.mem takes in what the others wrote. c.mu is held.
func (c *ClockCheck) save(host string, e clockEntry) error {
	unlock, err := takeLock(c.Dir, clockLockFile)
	if err != nil {
		return err
	}
	defer unlock()
	path := filepath.Join(c.Dir, ClockFile)
	disk := map[string]clockEntry{}
	readJSON(path, &disk) // a damaged cache is only a cache: written anew
	for h, d := range disk {
		if m, ok := c.mem[h]; !ok || d.Checked.After(m.Checked) {
			c.mem[h] = d
		}
	}
	c.mem[host] = e
	disk[host] = e
	return writeJSON(path, disk)
}

// Known returns host's last check while it holds (within Every), without
// a request: what a window shows at start for the codes of the issuers
// whose host's clock was found off. ok is false if there is none; err is
// ErrClockFar where the check found the clock too far off to correct.
func (c *ClockCheck) Known(host string) (r ClockResult, ok bool, err error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.cached(host)
}

// cached is the cache's answer for host, if it holds; c.mu is held.
func (c *ClockCheck) cached(host string) (ClockResult, bool, error) {
	every := c.Every
	if every == 0 {
		every = time.Hour
	}
	now := c.now()
	if c.mem == nil {
		c.mem = map[string]clockEntry{}
		if c.Dir != "" {
			readJSON(filepath.Join(c.Dir, ClockFile), &c.mem) // a damaged cache is only a cache
		}
	}
	e, ok := c.mem[host]
	if !ok || now.Sub(e.Checked) >= every || e.Checked.After(now) {
		return ClockResult{}, false, nil
	}
	r, err := classify(e.Offset)
	r.Cached = true
	return r, true, err
}

func classify(off time.Duration) (ClockResult, error) {
	r := ClockResult{Measured: off}
	switch a := off.Abs(); {
	case a > ClockRefuse:
		return r, fmt.Errorf("%w (off by %s)", ErrClockFar, off.Round(time.Second))
	case a > ClockWarn:
		r.Apply = off
	}
	return r, nil
}

// measure takes the median offset of the samples whose round trip was
// short enough. The server's Date has whole seconds and is taken to be
// half a second after the time it names.
func (c *ClockCheck) measure(ctx context.Context, host string) (time.Duration, error) {
	client := c.Client
	if client == nil {
		client = &http.Client{Timeout: 10 * time.Second}
	}
	n, maxRTT := c.Samples, c.MaxRTT
	if n <= 0 {
		n = 3
	}
	if maxRTT <= 0 {
		maxRTT = 2 * time.Second
	}
	var offs []time.Duration
	var lastErr error
	for range n {
		req, err := http.NewRequestWithContext(ctx, http.MethodHead, "https://"+host+"/", nil)
		if err != nil {
			return 0, fmt.Errorf("%w: %v", ErrClockCheck, err)
		}
		t0 := c.now()
		resp, err := client.Do(req)
		t1 := c.now()
		if err != nil {
			lastErr = err
			continue
		}
		resp.Body.Close()
		rtt := t1.Sub(t0)
		date, err := http.ParseTime(resp.Header.Get("Date"))
		if err != nil {
			lastErr = errors.New("no Date header")
			continue
		}
		if rtt < 0 || rtt > maxRTT {
			lastErr = fmt.Errorf("round trip of %s", rtt.Round(time.Millisecond))
			continue
		}
		offs = append(offs, date.Add(500*time.Millisecond).Sub(t0.Add(rtt/2)))
	}
	if len(offs) == 0 {
		return 0, fmt.Errorf("%w (%s): %v", ErrClockCheck, host, lastErr)
	}
	slices.Sort(offs)
	if len(offs)%2 == 1 {
		return offs[len(offs)/2], nil
	}
	return (offs[len(offs)/2-1] + offs[len(offs)/2]) / 2, nil
}

// FreshMargin is how far into the next period WaitFresh waits. A clock
// offset measured from a Date header is only good to about a second, so a
// code computed at the very start of the period by our corrected clock may
// still belong to the previous period by the server's.
const FreshMargin = time.Second

// WaitFresh returns the time to compute a TOTP code of period at: now
// (from the clock, plus offset), or, when less than minLeft of the
// period is left, FreshMargin into the next period after sleeping until
// then, so that the code does not run out during the login.
func WaitFresh(clock func() time.Time, sleep func(time.Duration), offset time.Duration, period int, minLeft time.Duration) time.Time {
	now := clock().Add(offset)
	if period <= 0 {
		return now
	}
	p := time.Duration(period) * time.Second
	left := p - time.Duration(now.UnixNano()%int64(p))
	if left >= minLeft {
		return now
	}
	wait := left + FreshMargin
	sleep(wait)
	if later := clock().Add(offset); later.Sub(now) >= wait {
		return later
	}
	// A clock that did not move as far as asked (a test clock): the next
	// period's start, plus the margin, is when the code is wanted.
	return now.Add(wait)
}
