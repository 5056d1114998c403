package launcher

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"sync"
	"sync/atomic"
	"time"
)

// A Relay hands the browser a URL that carries a code without putting the
// code on any command line: opening a URL starts a program with the URL
// in its arguments (xdg-open and the browser on Linux, rundll32 on
// Windows, open on macOS), where every process of the user, and on Linux
// ps, can read it. The browser is opened on a one-time loopback address
// instead (http://127.0.0.1:PORT/TOKEN, TOKEN 128 random bits), which
// answers its first request with a redirect (303, no body, not cached, no
// referrer) to the URL, and then closes. A second request, or one after
// RelayTimeout, gets nothing.
//
// The address is on the opener's command line for a moment, where another
// user's process may read it. So only connections of the person's own
// user are served: on Linux the peer socket's owner in /proc/net/tcp, on
// Windows the user of the process owning it in the system's TCP table.
// Another user's connection is closed unread and counted (Refused); on
// macOS, where no process may learn a TCP socket's owner, the token alone
// protects the address.
type Relay struct {
	// URL is the one-time address the browser is opened with.
	URL *url.URL

	ln   *ownerListener
	srv  *http.Server
	used atomic.Bool
	once sync.Once
	done chan struct{}
}

// RelayTimeout is how long a relay waits for the browser's request.
const RelayTimeout = time.Minute

// ErrRelay: no loopback address could be opened for the relay.
var ErrRelay = errors.New("no local address could be opened to hand the code to the browser")

// newRelay starts a relay to target that waits at most ttl.
func newRelay(target string, ttl time.Duration) (*Relay, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrRelay, err)
	}
	tok := rand.Text()
	r := &Relay{
		URL:  &url.URL{Scheme: "http", Host: ln.Addr().String(), Path: "/" + tok},
		ln:   &ownerListener{Listener: ln},
		done: make(chan struct{}),
	}
	r.srv = &http.Server{
		Handler: http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
			w.Header().Set("Cache-Control", "no-store")
			w.Header().Set("Referrer-Policy", "no-referrer")
			if req.URL.Path != "/"+tok || req.Method != http.MethodGet {
				http.NotFound(w, req)
				return
			}
			if !r.used.CompareAndSwap(false, true) {
				http.Error(w, "This address was for one use and is used up.", http.StatusGone)
				return
			}
			// No body: http.Redirect would write the URL, code and all,
			// into a small page.
			w.Header().Set("Location", target)
			w.WriteHeader(http.StatusSeeOther)
			go r.Close()
		}),
		ReadHeaderTimeout: 5 * time.Second,
	}
	go r.srv.Serve(r.ln)
	time.AfterFunc(ttl, func() { r.Close() })
	return r, nil
}

// Done is closed when the relay has closed: the browser fetched it, it
// timed out, or Close was called.
func (r *Relay) Done() <-chan struct{} { return r.done }

// Used reports whether the browser fetched the relay.
func (r *Relay) Used() bool { return r.used.Load() }

// Refused returns how many connections of other users' programs the relay
// closed unread.
func (r *Relay) Refused() int { return int(r.ln.refused.Load()) }

// Close stops the relay; the answer being sent is finished first.
func (r *Relay) Close() {
	r.once.Do(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		r.srv.Shutdown(ctx)
		close(r.done)
	})
}
