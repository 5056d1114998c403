package launcher

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cityadmin/softtoken/token"
)

// TestHandedClaim: a time step is claimed once; an earlier one never
// after a later; another process (another Handed on the folder) sees the
// claims; the file holds steps, not codes, and only its owner reads it.
func TestHandedClaim(t *testing.T) {
	dir := t.TempDir()
	a, b := &Handed{Dir: dir}, &Handed{Dir: dir}
	at := time.Unix(1_000_000_030, 0) // step 33333334, 10 s into it
	for _, c := range []struct {
		h    *Handed
		id   string
		at   time.Time
		want bool
	}{
		{a, "acc1", at, true},
		{a, "acc1", at, false},                        // the same code again
		{b, "acc1", at.Add(5 * time.Second), false},   // the same period, from another process
		{b, "acc2", at, true},                         // another account
		{a, "acc1", at.Add(30 * time.Second), true},   // the next period
		{b, "acc1", at.Add(-30 * time.Second), false}, // an older code
	} {
		got, err := c.h.Claim(c.id, 30, c.at)
		if err != nil || got != c.want {
			t.Errorf("Claim(%s, %v) = %v, %v; want %v", c.id, c.at.Unix(), got, err, c.want)
		}
	}
	if used, err := b.Used("acc1", 30, at.Add(30*time.Second)); err != nil || !used {
		t.Errorf("Used = %v, %v", used, err)
	}
	fi, err := os.Stat(filepath.Join(dir, HandedFile))
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("record: %v, %v", fi, err)
	}
	data, _ := os.ReadFile(filepath.Join(dir, HandedFile))
	if want := `{"accounts":{"acc1":{"period":30,"step":33333335},"acc2":{"period":30,"step":33333334}}}`; strings.TrimSpace(string(data)) != want {
		t.Errorf("record %s\nwant %s", data, want)
	}
	// A damaged record is started afresh.
	os.WriteFile(filepath.Join(dir, HandedFile), []byte("{"), 0o600)
	if ok, err := a.Claim("acc1", 30, at); !ok || err != nil {
		t.Errorf("after damage: %v, %v", ok, err)
	}
}

// TestLaunchWaitsForUnusedCode: a second launch in the same period waits
// for the next code, says so, and hands that one out.
func TestLaunchWaitsForUnusedCode(t *testing.T) {
	now := time.Unix(1_000_000_030, 0) // 10 s into the period
	var slept time.Duration
	var told []time.Duration
	rdp := &recordingClient{}
	l := &Launcher{RDP: rdp, Handed: &Handed{Dir: t.TempDir()}, StartGrace: -1,
		Now:    func() time.Time { return now },
		Sleep:  func(d time.Duration) { slept += d; now = now.Add(d) },
		OnWait: func(d time.Duration, used bool) { told = append(told, d) }}
	acc := testAccount(t)
	acc.ID = "acc"
	target := Target{Name: "desk", Type: KindRDP, RDP: &RDP{Host: "ws042", Code: CodePassword}}
	first, err := l.Launch(context.Background(), Request{Target: target, Account: acc})
	if err != nil || first.CodeWasUsed {
		t.Fatalf("first: %v, %+v", err, first)
	}
	second, err := l.Launch(context.Background(), Request{Target: target, Account: acc})
	if err != nil || !second.CodeWasUsed || slept != 21*time.Second || len(told) != 1 || told[0] != 21*time.Second {
		t.Fatalf("second: %v, used %v, slept %v, told %v", err, second.CodeWasUsed, slept, told)
	}
	want1, _ := token.Code(acc, time.Unix(1_000_000_030, 0))
	want2, _ := token.Code(acc, time.Unix(1_000_000_051, 0))
	if len(rdp.sessions) != 2 || rdp.sessions[0].Password != want1 || rdp.sessions[1].Password != want2 || want1 == want2 {
		t.Errorf("sessions %+v, want codes %s then %s", rdp.sessions, want1, want2)
	}
}

// recordingClient records the sessions it is asked to start.
type recordingClient struct{ sessions []RDPSession }

func (c *recordingClient) TakesPasswords(*RDP) bool     { return true }
func (c *recordingClient) Describe(s RDPSession) string { return "rdp " + s.Host }
func (c *recordingClient) Start(_ context.Context, s RDPSession) (*Process, error) {
	c.sessions = append(c.sessions, s)
	return nil, nil
}

// TestClientLastLine: the line that says why a client ended is its last
// ERRCONNECT line, else its last error, else its last line, without
// FreeRDP's prompts, time and ids, with the passwords masked.
func TestClientLastLine(t *testing.T) {
	for _, c := range []struct{ out, want string }{
		{"Password: [20:35:52:910] [25739:25742] [ERROR][com.freerdp.core] - transport_write:freerdp_set_last_error_ex ERRCONNECT_CONNECT_TRANSPORT_FAILED [0x0002000D]\n" +
			"[20:35:52:954] [25739:25742] [ERROR][com.freerdp.core] - freerdp_post_connect failed\n",
			"[ERROR][com.freerdp.core] - transport_write:freerdp_set_last_error_ex ERRCONNECT_CONNECT_TRANSPORT_FAILED [0x0002000D]"},
		{"[1:2:3:4] [5:6] [INFO][x] - hello\n[1:2:3:4] [5:6] [ERROR][x] - bad 135791 here\n[1:2:3:4] [5:6] [INFO][x] - bye\n",
			"[ERROR][x] - bad •••••• here"},
		{"just this\n\n", "just this"},
		{"", ""},
	} {
		w := &tailWriter{secrets: []string{"135791", ""}}
		w.Write([]byte(c.out))
		if got := w.lastLine(); got != c.want {
			t.Errorf("lastLine(%q) = %q, want %q", c.out, got, c.want)
		}
	}
}
