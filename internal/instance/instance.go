// Package instance keeps softtoken to one running window per user. The
// first start claims a lock in a per-user folder and listens on a local
// socket there (a named pipe on Windows); a later start, for example from a
// click on an otpauth:// link, hands its arguments over that socket to the
// running one and exits, and the running one shows its window.
//
// Guarantees: only the same user can reach the socket. On Unix it lives in
// a folder of mode 0700 that must belong to the user, and on Linux and
// macOS the server also checks the peer's uid (SO_PEERCRED,
// LOCAL_PEERCRED) and drops a connection from anyone else. On Windows the
// pipe's ACL grants the user alone, and the client checks that the pipe's
// server runs as the user before it sends anything, so that a pipe created
// first by someone else (squatting) gets nothing.
//
// The arguments may be secrets (an otpauth link holds the key): this
// package never logs them, puts them in an error, or writes them to a
// file; they travel only over the socket.
package instance

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/gofrs/flock"
)

// Errors of Claim and Forward.
var (
	// ErrRunning: another process holds the lock of the folder; hand it
	// the arguments with Forward.
	ErrRunning = errors.New("softtoken is already running")
	// ErrNoAnswer: the running instance did not take the arguments.
	ErrNoAnswer = errors.New("the running softtoken does not answer")
	// ErrUnsafeDir: the folder is not the user's alone and cannot be made
	// so.
	ErrUnsafeDir = errors.New("the folder of the single-instance socket is not private to the user")
)

// errPeer: the other end of the socket runs as another user.
var errPeer = errors.New("the other end of the socket belongs to another user")

// Limits of one hand-over. An otpauth-migration link of a large export
// is a few KiB; MaxMessage leaves ample room and bounds what a broken
// client can make the server read.
const (
	MaxMessage = 64 << 10
	MaxArgs    = 16
	// Timeout bounds one hand-over on either side, and how long Forward
	// waits for an instance that has claimed the lock but is not yet
	// listening.
	Timeout = 5 * time.Second
)

// hello starts every message, so that a stray program that happens to
// connect is not mistaken for a softtoken.
const hello = "softtoken-instance 1\n"

// forwardWait is Timeout; tests shorten it.
var forwardWait = Timeout

// attemptWait bounds one connection of Forward: one that gets no answer
// within it is dropped and the next is tried, until forwardWait. Found
// under Wine, where go-winio's first pipe instance (which on Windows
// takes no clients) takes a client and never answers; the next
// connection reaches the instance that listens. Far longer than an
// answer takes (the server acknowledges before it handles anything).
var attemptWait = 2 * time.Second

const lockName = "instance.lock"

type message struct {
	Args []string `json:"args"`
}

// Instance is the running softtoken that others hand their arguments to.
// Close it when the app quits; the lock is released on exit in any case.
type Instance struct {
	dir  string
	lock *flock.Flock
	ln   net.Listener

	once   sync.Once
	closed chan struct{}
}

// Claim makes this process the running instance of dir: it takes dir's
// lock and listens. If another process holds the lock, it returns
// ErrRunning; the caller then calls Forward. dir is created with mode
// 0700 (DefaultDir is the usual one).
func Claim(dir string) (*Instance, error) {
	if err := privateDir(dir); err != nil {
		return nil, err
	}
	l := flock.New(filepath.Join(dir, lockName))
	ok, err := l.TryLock()
	if err != nil {
		return nil, fmt.Errorf("lock %s: %w", dir, err)
	}
	if !ok {
		return nil, ErrRunning
	}
	ln, err := listen(dir)
	if err != nil {
		l.Unlock()
		return nil, err
	}
	return &Instance{dir: dir, lock: l, ln: ln, closed: make(chan struct{})}, nil
}

// Serve accepts hand-overs until Close and calls handle with the arguments
// of each, one at a time, on Serve's goroutine; the sender has been told
// that they arrived before handle runs, so that it can exit at once. A
// connection from another user, or one that breaks the protocol, is
// dropped without calling handle. Serve returns nil after Close.
func (in *Instance) Serve(handle func(args []string)) error {
	for {
		c, err := in.ln.Accept()
		if err != nil {
			select {
			case <-in.closed:
				return nil
			default:
			}
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				continue
			}
			return fmt.Errorf("accept: %w", err)
		}
		args, err := receive(c)
		c.Close()
		if err != nil {
			continue // a broken or foreign client; nothing of it is kept
		}
		handle(args)
	}
}

// Close stops listening and releases the lock.
func (in *Instance) Close() error {
	var err error
	in.once.Do(func() {
		close(in.closed)
		err = in.ln.Close()
		in.lock.Unlock()
	})
	return err
}

// receive reads one message from c after checking its peer, and answers
// "ok".
func receive(c net.Conn) ([]string, error) {
	if err := checkPeer(c); err != nil {
		return nil, err
	}
	c.SetDeadline(time.Now().Add(Timeout))
	r := bufio.NewReader(io.LimitReader(c, MaxMessage+int64(len(hello))))
	h := make([]byte, len(hello))
	if _, err := io.ReadFull(r, h); err != nil || string(h) != hello {
		return nil, errors.New("not a softtoken hand-over")
	}
	var m message
	// Decode errors name at most a character of the input, but are not
	// passed on anyway: the input may hold a secret.
	if err := json.NewDecoder(r).Decode(&m); err != nil {
		return nil, errors.New("malformed hand-over")
	}
	if len(m.Args) > MaxArgs {
		return nil, errors.New("too many arguments")
	}
	if _, err := io.WriteString(c, "ok\n"); err != nil {
		return nil, err
	}
	return m.Args, nil
}

// Forward hands args to the instance running in dir and returns once it
// has them. It waits up to Timeout for an instance that has just claimed
// the lock to start listening; ErrNoAnswer if none takes them.
func Forward(dir string, args []string) error {
	if len(args) > MaxArgs {
		return fmt.Errorf("more than %d arguments", MaxArgs)
	}
	b, err := json.Marshal(message{Args: args})
	if err != nil {
		return err
	}
	if len(b) > MaxMessage {
		return fmt.Errorf("the arguments exceed %d bytes", MaxMessage)
	}
	deadline := time.Now().Add(forwardWait)
	var last error
	for time.Now().Before(deadline) {
		c, err := dial(dir, time.Until(deadline))
		if err != nil {
			last = err
			time.Sleep(50 * time.Millisecond)
			continue
		}
		err = send(c, b, minTime(deadline, time.Now().Add(attemptWait)))
		c.Close()
		if err == nil {
			return nil
		}
		last = err
		time.Sleep(50 * time.Millisecond)
	}
	return fmt.Errorf("%w: %v", ErrNoAnswer, last)
}

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

func send(c net.Conn, msg []byte, deadline time.Time) error {
	c.SetDeadline(deadline)
	if _, err := io.WriteString(c, hello); err != nil {
		return err
	}
	if _, err := c.Write(append(msg, '\n')); err != nil {
		return err
	}
	line, err := bufio.NewReader(c).ReadString('\n')
	if err != nil {
		return fmt.Errorf("no acknowledgement: %w", err)
	}
	if line != "ok\n" {
		return errors.New("unexpected acknowledgement")
	}
	return nil
}

// Start is Claim, and Forward when another instance runs: it returns the
// claimed Instance, or (nil, ErrRunning) once args were handed over to the
// running one, which means this process should exit. Any other error means
// neither worked; the caller goes on as the only instance it can tell of.
func Start(dir string, args []string) (*Instance, error) {
	in, err := Claim(dir)
	if !errors.Is(err, ErrRunning) {
		return in, err
	}
	if err := Forward(dir, args); err != nil {
		return nil, err
	}
	return nil, ErrRunning
}

// privateDir creates dir with mode 0700 if it is missing and makes sure it
// belongs to the user and no one else may enter it.
func privateDir(dir string) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("create %s: %w", dir, err)
	}
	return checkPrivate(dir)
}
