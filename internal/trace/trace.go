// Package trace prints where a softtoken process spends its time: with
// SOFTTOKEN_TRACE=1 in the environment, every Mark writes one line to
// standard error with the milliseconds since the process started (since
// this package's initialisation, which the Go runtime reaches within a
// millisecond or two of exec) and since the previous mark:
//
//	softtoken trace:   12.4 ms (+3.1) index read
//
// Without the variable a Mark costs one load of a bool. A phase's name is
// a fixed text chosen by the caller: never a secret, a code, an account's
// name or any other data.
package trace

import (
	"fmt"
	"io"
	"os"
	"sync"
	"time"
)

var (
	on    = os.Getenv("SOFTTOKEN_TRACE") == "1"
	start = time.Now()

	mu   sync.Mutex
	last           = start
	out  io.Writer = os.Stderr
)

// On reports whether tracing is on.
func On() bool { return on }

// Mark records that the phase named phase has ended.
func Mark(phase string) {
	if !on {
		return
	}
	mu.Lock()
	defer mu.Unlock()
	now := time.Now()
	fmt.Fprintf(out, "softtoken trace: %7.1f ms (+%.1f) %s\n", ms(now.Sub(start)), ms(now.Sub(last)), phase)
	last = now
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
