package launcher

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"
)

// RDPSession is what an RDP client is told. GatewayPassword and Password
// are secrets: a client passes them only where no other process can read
// them (standard input, a short-lived Windows credential), never in argv,
// the environment or a file.
type RDPSession struct {
	Host            string
	Port            int
	Gateway         string // host[:port]; none if empty
	User, Domain    string
	GatewayPassword string
	Password        string
	// CertPins: the only certificates the client may accept (RDP.CertPins);
	// none: trust on first use.
	CertPins []string
	// CredentialManager: the profile lets the passwords go through
	// short-lived Windows credentials (RDP.CredentialManager). Without
	// it, RDPFileClient writes none.
	CredentialManager bool
}

// RDPClient starts a remote desktop client.
type RDPClient interface {
	// TakesPasswords reports whether Start passes the passwords of a
	// session to target r to the client; if not, the launcher puts the
	// code on the clipboard instead and asks for no password.
	TakesPasswords(r *RDP) bool
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
	tail *tailWriter // the end of its output, if kept
}

// ErrConnect: the remote desktop client ended with an error, in its
// first seconds (the connection failed) or later (it broke off).
var ErrConnect = errors.New("the remote desktop connection failed")

// ClientError is how a client ended with an error.
type ClientError struct {
	Program string // the program's name: xfreerdp
	Status  int    // exit status; -1 if killed by a signal
	// Line is the last thing the client said (its last error line if it
	// said one), with the session's passwords masked; "" if not known.
	Line string
	err  error
}

func (e *ClientError) Error() string {
	m := fmt.Sprintf("%v: %s ended with exit status %d", ErrConnect, e.Program, e.Status)
	if e.Status < 0 {
		m = fmt.Sprintf("%v: %s was ended", ErrConnect, e.Program)
	}
	if e.Line != "" {
		m += ": " + e.Line
	}
	return m
}

// Unwrap gives ErrConnect and the *exec.ExitError.
func (e *ClientError) Unwrap() []error { return []error{ErrConnect, e.err} }

func startProcess(cmd *exec.Cmd, after func()) (*Process, error) {
	return startProcessTail(cmd, after, nil)
}

func startProcessTail(cmd *exec.Cmd, after func(), tail *tailWriter) (*Process, error) {
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("%w (%s): %v", ErrLaunch, filepath.Base(cmd.Path), errors.Unwrap(err))
	}
	p := &Process{cmd: cmd, done: make(chan struct{}), tail: tail}
	go func() {
		err := cmd.Wait()
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			ce := &ClientError{Program: filepath.Base(cmd.Path), Status: ee.ExitCode(), err: err}
			if tail != nil {
				ce.Line = tail.lastLine()
			}
			err = ce
		}
		p.err = err
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

// Wait waits for the client to exit and returns how it ended: nil, or a
// *ClientError where it ended with an error.
func (p *Process) Wait() error { <-p.done; return p.err }

// LastLine is the last thing the client said so far (its last error line
// if it said one), secrets masked; "" if its output is not kept.
func (p *Process) LastLine() string {
	if p.tail == nil {
		return ""
	}
	return p.tail.lastLine()
}

// Kill ends the client.
func (p *Process) Kill() error { return p.cmd.Process.Kill() }

// FreeRDP is the FreeRDP client (xfreerdp) of Linux and the BSDs. The
// passwords go to its standard input: with FreeRDP 3 the whole command
// line does (/args-from:stdin); FreeRDP 2 gets its usual arguments and
// reads the passwords from it, one line per prompt: before connecting
// where the session has one (/from-stdin:force), else when the gateway
// asks (/from-stdin). The server's certificate is the one the profile
// names (/cert:deny with its fingerprints), or where it names none, trusted
// on first use and refused if it changes later (/cert:tofu).
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
func (f *FreeRDP) TakesPasswords(*RDP) bool { return true }

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
	if len(s.CertPins) > 0 {
		// Only the profile's certificates, from the first connection on:
		// deny refuses any other without asking.
		c := "/cert:deny"
		for _, p := range s.CertPins {
			c += ",fingerprint:" + p
		}
		a = append(a, c)
	} else {
		a = append(a, "/cert:tofu")
	}
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
	// FreeRDP 2 reads the passwords from standard input when it asks for
	// them, and it asks only where a server wants them: a gateway's HTTP
	// login, the session's NLA. A server that takes the password in the
	// logon packet (xrdp with TLS security, a PIN-and-code PAM login)
	// never asks, and the session would start at its login screen. So
	// where the session has a password, /from-stdin:force reads it before
	// connecting, at "Password: ", and then, where the gateway has
	// credentials of its own (/gu, /gd), the gateway's at "Gateway
	// Password: " (FreeRDP 2's client/common/cmdline.c). Without a
	// session password the gateway's is read when the gateway asks, and
	// the session's login asks the person.
	var in []string
	force := s.Password != ""
	if s.Gateway != "" {
		a = append(a, "/g:"+s.Gateway)
		// Without a password of its own the gateway takes the session's
		// credentials (FreeRDP's default for /g alone).
		if s.GatewayPassword != "" || !force {
			if s.User != "" {
				a = append(a, "/gu:"+s.User)
			}
			if s.Domain != "" {
				a = append(a, "/gd:"+s.Domain)
			}
		}
	}
	if force {
		a = append(a, "/from-stdin:force")
		in = append(in, s.Password)
		if s.Gateway != "" && s.GatewayPassword != "" {
			in = append(in, s.GatewayPassword)
		}
	} else {
		a = append(a, "/from-stdin")
		if s.GatewayPassword != "" {
			in = append(in, s.GatewayPassword)
		}
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
	tail := &tailWriter{secrets: []string{s.Password, s.GatewayPassword}}
	var out io.Writer = tail
	if f.Output != nil {
		out = io.MultiWriter(f.Output, tail)
	}
	cmd.Stdout, cmd.Stderr = out, out
	var after func()
	if len(s.CertPins) > 0 {
		// FreeRDP accepts a certificate that its own store of known hosts
		// (XDG_CONFIG_HOME/freerdp) holds before it looks at the
		// fingerprints, so a certificate trusted once on first use (a man
		// in the middle's, before the profile named the real one) would
		// still pass. With pins the client gets an empty configuration
		// folder of its own: the fingerprints alone decide.
		dir, err := os.MkdirTemp("", "softtoken-freerdp-")
		if err != nil {
			return nil, fmt.Errorf("%w: %v", ErrLaunch, err)
		}
		cmd.Env = append(os.Environ(), "XDG_CONFIG_HOME="+dir)
		after = func() { os.RemoveAll(dir) }
	}
	// exec copies stdin through a pipe in a goroutine; the secret lives
	// only in this process's memory and the pipe.
	p, err := startProcessTail(cmd, after, tail)
	if err != nil && after != nil {
		after()
	}
	return p, err
}

// RDPFile returns a .rdp file for s, as mstsc.exe and the macOS Windows
// App read it: CRLF lines, no password in it. The session asks for its
// credentials (prompt for credentials:i:1) unless s.Password goes through
// a Windows credential (s.CredentialManager). The gateway takes the
// credential saved for its host name if there is one, and asks
// otherwise; it never shares the session's (promptcredentialonce:i:0),
// since it takes the code.
func RDPFile(s RDPSession) []byte {
	var b strings.Builder
	line := func(k, v string) { b.WriteString(k + ":" + v + "\r\n") }
	line("full address:s", s.Host+":"+strconv.Itoa(s.Port))
	if user := qualifiedUser(s.User, s.Domain); user != "" {
		line("username:s", user)
	}
	if s.Domain != "" {
		line("domain:s", s.Domain)
	}
	if s.CredentialManager && s.Password != "" {
		line("prompt for credentials:i", "0")
	} else {
		line("prompt for credentials:i", "1")
	}
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
// mstsc.exe on Windows, `open` on macOS. The file holds no secret. The
// code goes on the clipboard, unless Credentials is set and the target
// allows it (RDP.CredentialManager): then Start puts the code, and the
// person's own password if given, into short-lived credentials that the
// client reads (see Credentials).
//
// The file is written to Dir (a per-user folder, mode 0700). File and
// credentials are removed after RemoveAfter, or once the client has
// exited if RemoveOnExit, whichever comes first; each credential is
// deleted exactly once, and at once if the client cannot be started.
// CleanTemp removes what a crash leaves.
type RDPFileClient struct {
	Name    string   // what Describe names: "mstsc.exe", "open"
	Command []string // the program and its arguments; the file's path is appended
	Dir     string   // default TempDir()
	// Credentials is where the passwords go for the client to read; nil:
	// nowhere, the code goes on the clipboard.
	Credentials Credentials
	// RemoveOnExit removes the file and the credentials as soon as the
	// command exits: right for mstsc.exe, which is the client; wrong for
	// open, which hands the file to the app and exits before the app has
	// read it.
	RemoveOnExit bool
	RemoveAfter  time.Duration               // default one minute
	AfterFunc    func(time.Duration, func()) // default time.AfterFunc
}

// TakesPasswords is true where the passwords can go through Credentials:
// they are set and r allows it with a code mode that passes the code.
func (c *RDPFileClient) TakesPasswords(r *RDP) bool {
	return c.Credentials != nil && r != nil && r.CredentialManager && r.Code != CodeClipboard
}

// Describe names the command, the file's content and the credentials
// Start would put, with the secrets as given (masked).
func (c *RDPFileClient) Describe(s RDPSession) string {
	d := strings.Join(c.Command, " ") + " SESSION.rdp with " +
		strings.ReplaceAll(strings.TrimSpace(string(RDPFile(s))), "\r\n", "; ")
	if cs := sessionCredentials(s); len(cs) > 0 && c.Credentials != nil && s.CredentialManager {
		var parts []string
		for _, cr := range cs {
			parts = append(parts, cr.target+" for "+cr.user+": "+cr.secret)
		}
		d += "; Windows credentials, removed after launch: " + strings.Join(parts, ", ")
	}
	return d
}

// Start writes the file, puts the credentials and starts the client on
// the file. ctx bounds the start only: the client outlives it.
func (c *RDPFileClient) Start(ctx context.Context, s RDPSession) (*Process, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	creds := sessionCredentials(s)
	if len(creds) > 0 && (c.Credentials == nil || !s.CredentialManager) {
		// Launcher.rdp never gets here; a credential must never be
		// written unless the profile allows it.
		return nil, fmt.Errorf("%w: %s cannot take the session's passwords unless the profile allows Windows credentials", ErrInvalid, c.Name)
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
	var put []string // the credentials written, to be deleted
	var once sync.Once
	remove := func() {
		once.Do(func() {
			os.Remove(path)
			for _, target := range put {
				// A failure leaves it to CleanTemp at the next start, and
				// to the end of the logon session (WinCredentials).
				c.Credentials.Delete(target)
			}
		})
	}
	for _, cr := range creds {
		err := c.Credentials.Put(cr.target, cr.user, cr.secret)
		if cr.own && errors.Is(err, ErrCredentialInUse) {
			continue // the one the person saved is used
		}
		if err != nil {
			remove()
			return nil, err
		}
		put = append(put, cr.target)
	}
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

// LeftoverAge is how old a launch's .rdp file or credential must be to
// count as left over: twice the longest a launch keeps them (the default
// RemoveAfter), so that a clean by one process (softtoken launch, a new
// window) never removes what another's launch still needs.
const LeftoverAge = 2 * time.Minute

// CleanTemp removes what earlier runs left (a crash, a quick exit): the
// .rdp files in dir and, on Windows, the short-lived credentials
// (DefaultCredentials), those older than LeftoverAge. Call it at start,
// before any launch.
func CleanTemp(dir string) error {
	return CleanLeftovers(dir, DefaultCredentials(), time.Now().Add(-LeftoverAge))
}

// CleanLeftovers removes the .rdp files that runs left in dir and the
// credentials they left in creds (CleanCredentials), those last written
// before the given time; creds may be nil.
func CleanLeftovers(dir string, creds Credentials, before time.Time) error {
	errs := []error{CleanCredentials(creds, before)}
	files, err := filepath.Glob(filepath.Join(dir, "session-*.rdp"))
	if err != nil {
		return errors.Join(append(errs, err)...)
	}
	for _, f := range files {
		if fi, err := os.Lstat(f); err != nil || !fi.ModTime().Before(before) {
			continue
		}
		if err := os.Remove(f); err != nil && !errors.Is(err, os.ErrNotExist) {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// tailWriter keeps the end of a client's output, to say why it ended.
type tailWriter struct {
	mu      sync.Mutex
	buf     []byte
	secrets []string // masked in what lastLine returns
}

const tailKeep = 8 << 10

func (w *tailWriter) Write(b []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.buf = append(w.buf, b...)
	if len(w.buf) > tailKeep {
		w.buf = append(w.buf[:0], w.buf[len(w.buf)-tailKeep:]...)
	}
	return len(b), nil
}

// freeRDPPrefix is the start of FreeRDP's log lines: time, process and
// thread ids.
var freeRDPPrefix = regexp.MustCompile(`^\[[0-9:]+\] \[[0-9:]+\] `)

// lastLine is the last line of the output that names FreeRDP's error
// (ERRCONNECT_…), or else its last error line ("[ERROR]"), or else its
// last line, without FreeRDP's time and ids or its password
// prompts, with the secrets masked, at most 300 bytes.
func (w *tailWriter) lastLine() string {
	w.mu.Lock()
	text := string(w.buf)
	w.mu.Unlock()
	for _, sec := range w.secrets {
		if sec != "" {
			text = strings.ReplaceAll(text, sec, "••••••")
		}
	}
	var last, lastErr, lastConnect string
	for _, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		for _, prompt := range []string{"Password: ", "Gateway Password: "} {
			line = strings.TrimPrefix(line, prompt)
		}
		line = freeRDPPrefix.ReplaceAllString(line, "")
		if line == "" {
			continue
		}
		last = line
		if strings.Contains(line, "[ERROR]") || strings.Contains(line, "[FATAL]") {
			lastErr = line
		}
		if strings.Contains(line, "ERRCONNECT_") {
			lastConnect = line
		}
	}
	switch {
	case lastConnect != "":
		last = lastConnect
	case lastErr != "":
		last = lastErr
	}
	if len(last) > 300 {
		last = strings.ToValidUTF8(last[:300], "") + "…"
	}
	return last
}
