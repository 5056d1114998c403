package launcher

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// RDPSession is what an RDP client is told. GatewayPassword and Password
// are secrets: a client passes them only where no other process can read
// them (standard input), never in argv or a file.
type RDPSession struct {
	Host            string
	Port            int
	Gateway         string // host[:port]; none if empty
	User, Domain    string
	GatewayPassword string
	Password        string
}

// RDPClient starts a remote desktop client.
type RDPClient interface {
	// TakesPasswords reports whether Start passes the session's
	// passwords to the client; if not, the launcher puts the code on the
	// clipboard instead.
	TakesPasswords() bool
	// Describe says what Start would run, for a person to read. The
	// session's passwords are masked already.
	Describe(s RDPSession) string
	// Start starts the client and returns without waiting for it. ctx
	// bounds the start, not the client, which runs as long as the
	// session: a GUI may cancel ctx once Launch has returned. End the
	// client with Process.Kill.
	Start(ctx context.Context, s RDPSession) (*Process, error)
}

// ErrNoRDPClient: no RDP client is installed.
var ErrNoRDPClient = errors.New("no remote desktop client is installed")

// Process is a started client.
type Process struct {
	cmd  *exec.Cmd
	done chan struct{}
	err  error
}

func startProcess(cmd *exec.Cmd, after func()) (*Process, error) {
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("%w (%s): %v", ErrLaunch, filepath.Base(cmd.Path), errors.Unwrap(err))
	}
	p := &Process{cmd: cmd, done: make(chan struct{})}
	go func() {
		p.err = cmd.Wait()
		if after != nil {
			after()
		}
		close(p.done)
	}()
	return p, nil
}

// Pid is the client's process id.
func (p *Process) Pid() int { return p.cmd.Process.Pid }

// Done is closed when the client has exited.
func (p *Process) Done() <-chan struct{} { return p.done }

// Wait waits for the client to exit and returns how it ended.
func (p *Process) Wait() error { <-p.done; return p.err }

// Kill ends the client.
func (p *Process) Kill() error { return p.cmd.Process.Kill() }

// FreeRDP is the FreeRDP client (xfreerdp) of Linux and the BSDs. The
// passwords go to its standard input: with FreeRDP 3 the whole command
// line does (/args-from:stdin); FreeRDP 2 gets its usual arguments and
// reads the passwords when it asks for them (/from-stdin), one line per
// prompt. The server's certificate is trusted on first use and refused
// if it changes later (/cert:tofu).
type FreeRDP struct {
	Path   string    // the xfreerdp or xfreerdp3 program
	V3     bool      // FreeRDP 3: /args-from:stdin
	Output io.Writer // the client's standard output and error; default discarded
	Extra  []string  // more arguments, before the credentials (tests: /timeout:…); none secret
}

// FindFreeRDP looks for xfreerdp3, then xfreerdp, and asks the latter its
// version.
func FindFreeRDP() (*FreeRDP, error) {
	if p, err := exec.LookPath("xfreerdp3"); err == nil {
		return &FreeRDP{Path: p, V3: true}, nil
	}
	p, err := exec.LookPath("xfreerdp")
	if err != nil {
		return nil, fmt.Errorf("%w: install FreeRDP (Debian and Ubuntu: freerdp3-x11 or freerdp2-x11)", ErrNoRDPClient)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	out, _ := exec.CommandContext(ctx, p, "--version").Output()
	return &FreeRDP{Path: p, V3: freeRDPMajor(string(out)) >= 3}, nil
}

// freeRDPMajor reads "This is FreeRDP version 3.5.1 (…)"; 2 if it cannot.
func freeRDPMajor(out string) int {
	_, v, ok := strings.Cut(out, "FreeRDP version ")
	if ok {
		if maj, _, ok := strings.Cut(v, "."); ok {
			if n, err := strconv.Atoi(maj); err == nil {
				return n
			}
		}
	}
	return 2
}

// TakesPasswords is true: they go to standard input.
func (f *FreeRDP) TakesPasswords() bool { return true }

// args returns the arguments and standard input of a session: for
// FreeRDP 3 only /args-from:stdin, for FreeRDP 2 everything but the
// passwords.
func (f *FreeRDP) args(s RDPSession) (argv []string, stdin string) {
	a := []string{"/v:" + s.Host + ":" + strconv.Itoa(s.Port)}
	a = append(a, f.Extra...)
	if s.User != "" {
		a = append(a, "/u:"+s.User)
	}
	if s.Domain != "" {
		a = append(a, "/d:"+s.Domain)
	}
	a = append(a, "/cert:tofu")
	if f.V3 {
		if s.Gateway != "" {
			g := "/gateway:g:" + s.Gateway
			if s.User != "" {
				g += ",u:" + s.User
			}
			if s.Domain != "" {
				g += ",d:" + s.Domain
			}
			if s.GatewayPassword != "" {
				g += ",p:" + s.GatewayPassword
			}
			a = append(a, g)
		}
		if s.Password != "" {
			a = append(a, "/p:"+s.Password)
		}
		return []string{"/args-from:stdin"}, strings.Join(a, "\n") + "\n"
	}
	if s.Gateway != "" {
		a = append(a, "/g:"+s.Gateway)
		if s.User != "" {
			a = append(a, "/gu:"+s.User)
		}
		if s.Domain != "" {
			a = append(a, "/gd:"+s.Domain)
		}
	}
	a = append(a, "/from-stdin")
	// The prompts come in this order: the gateway's, then the session's.
	var in []string
	if s.GatewayPassword != "" {
		in = append(in, s.GatewayPassword)
	}
	if s.Password != "" {
		in = append(in, s.Password)
	}
	if len(in) > 0 {
		stdin = strings.Join(in, "\n") + "\n"
	}
	return a, stdin
}

// Describe returns the command line and, masked as given, what goes to
// standard input.
func (f *FreeRDP) Describe(s RDPSession) string {
	argv, stdin := f.args(s)
	d := filepath.Base(f.Path) + " " + strings.Join(argv, " ")
	if stdin != "" {
		d += " < " + strings.ReplaceAll(strings.TrimSuffix(stdin, "\n"), "\n", " ⏎ ")
	}
	return d
}

// Start starts the client with the passwords on its standard input. ctx
// bounds the start only: the client outlives it.
func (f *FreeRDP) Start(ctx context.Context, s RDPSession) (*Process, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	argv, stdin := f.args(s)
	cmd := exec.Command(f.Path, argv...)
	cmd.Stdin = strings.NewReader(stdin)
	out := f.Output
	if out == nil {
		out = discard
	}
	cmd.Stdout, cmd.Stderr = out, out
	// exec copies stdin through a pipe in a goroutine; the secret lives
	// only in this process's memory and the pipe.
	return startProcess(cmd, nil)
}

// RDPFile returns a .rdp file for s, as mstsc.exe and the macOS Windows
// App read it: CRLF lines, no password in it. The gateway and the session
// ask for their own credentials.
func RDPFile(s RDPSession) []byte {
	var b strings.Builder
	line := func(k, v string) { b.WriteString(k + ":" + v + "\r\n") }
	line("full address:s", s.Host+":"+strconv.Itoa(s.Port))
	user := s.User
	if s.Domain != "" && user != "" && !strings.ContainsAny(user, `\@`) {
		user = s.Domain + `\` + user
	}
	if user != "" {
		line("username:s", user)
	}
	if s.Domain != "" {
		line("domain:s", s.Domain)
	}
	line("prompt for credentials:i", "1")
	line("authentication level:i", "2")
	line("enablecredsspsupport:i", "1")
	if s.Gateway != "" {
		line("gatewayhostname:s", s.Gateway)
		line("gatewayusagemethod:i", "1")
		line("gatewayprofileusagemethod:i", "1")
		line("gatewaycredentialssource:i", "0")
		line("promptcredentialonce:i", "0")
	} else {
		line("gatewayusagemethod:i", "0")
	}
	return []byte(b.String())
}

// RDPFileClient opens a generated .rdp file with the system's RDP app:
// mstsc.exe on Windows, `open` on macOS. The file holds no secret, so the
// code goes on the clipboard. It is written to Dir (a per-user folder,
// mode 0700) and removed after RemoveAfter, or once the client has exited
// if RemoveOnExit; CleanTemp removes what a quick exit leaves.
type RDPFileClient struct {
	Name    string   // what Describe names: "mstsc.exe", "open"
	Command []string // the program and its arguments; the file's path is appended
	Dir     string   // default TempDir()
	// RemoveOnExit removes the file as soon as the command exits: right
	// for mstsc.exe, which is the client; wrong for open, which hands the
	// file to the app and exits before the app has read it.
	RemoveOnExit bool
	RemoveAfter  time.Duration               // default one minute
	AfterFunc    func(time.Duration, func()) // default time.AfterFunc
}

// TakesPasswords is false: the code goes on the clipboard.
func (c *RDPFileClient) TakesPasswords() bool { return false }

// Describe names the command and the file's content.
func (c *RDPFileClient) Describe(s RDPSession) string {
	return strings.Join(c.Command, " ") + " SESSION.rdp with " +
		strings.ReplaceAll(strings.TrimSpace(string(RDPFile(s))), "\r\n", "; ")
}

// Start writes the file and starts the client on it. ctx bounds the
// start only: the client outlives it.
func (c *RDPFileClient) Start(ctx context.Context, s RDPSession) (*Process, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	dir := c.Dir
	if dir == "" {
		var err error
		if dir, err = TempDir(); err != nil {
			return nil, err
		}
	}
	f, err := os.CreateTemp(dir, "session-*.rdp")
	if err != nil {
		return nil, fmt.Errorf("write the .rdp file: %w", err)
	}
	path := f.Name()
	if _, err = f.Write(RDPFile(s)); err == nil {
		err = f.Close()
	} else {
		f.Close()
	}
	if err != nil {
		os.Remove(path)
		return nil, fmt.Errorf("write the .rdp file: %w", err)
	}
	remove := func() { os.Remove(path) }
	cmd := exec.Command(c.Command[0], append(c.Command[1:], path)...)
	onExit := remove
	if !c.RemoveOnExit {
		onExit = nil
	}
	p, err := startProcess(cmd, onExit)
	if err != nil {
		remove()
		return nil, err
	}
	after := c.AfterFunc
	if after == nil {
		after = func(d time.Duration, f func()) { time.AfterFunc(d, f) }
	}
	d := c.RemoveAfter
	if d <= 0 {
		d = time.Minute
	}
	after(d, remove)
	return p, nil
}

// TempDir returns the per-user folder for launch files, created with mode
// 0700: os.UserCacheDir()/softtoken/launch.
func TempDir() (string, error) {
	base, err := os.UserCacheDir()
	if err != nil {
		return "", fmt.Errorf("find the cache folder: %w", err)
	}
	dir := filepath.Join(base, "softtoken", "launch")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", fmt.Errorf("create %s: %w", dir, err)
	}
	if err := os.Chmod(dir, 0o700); err != nil {
		return "", fmt.Errorf("protect %s: %w", dir, err)
	}
	return dir, nil
}

// CleanTemp removes the .rdp files that earlier runs left in dir (a
// crash, a quick exit). Call it at start, before any launch.
func CleanTemp(dir string) error {
	files, err := filepath.Glob(filepath.Join(dir, "session-*.rdp"))
	if err != nil {
		return err
	}
	var errs []error
	for _, f := range files {
		if err := os.Remove(f); err != nil && !errors.Is(err, os.ErrNotExist) {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}
