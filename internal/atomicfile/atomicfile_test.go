package atomicfile

import (
	"io"
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"
)

func TestWriteFile(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "f.json")
	for _, content := range []string{"one", "two, longer than one"} {
		if err := WriteFile(p, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		b, err := os.ReadFile(p)
		if err != nil || string(b) != content {
			t.Fatalf("read back %q, %v; want %q", b, err, content)
		}
	}
	fi, _ := os.Stat(p)
	if fi.Mode().Perm() != 0o600 && runtime.GOOS != "windows" { // Windows has no modes
		t.Errorf("mode %v", fi.Mode().Perm())
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 1 {
		t.Errorf("temporary files left behind: %v", ents)
	}
	// A bare file name is in the working folder, not in the temp folder.
	t.Chdir(dir)
	if err := WriteFile("bare.json", []byte("x"), 0o600); err != nil {
		t.Fatalf("bare name: %v", err)
	}
	if b, err := os.ReadFile(filepath.Join(dir, "bare.json")); err != nil || string(b) != "x" {
		t.Errorf("bare name: %q, %v", b, err)
	}
	if err := WriteFile(filepath.Join(dir, "missing", "f"), nil, 0o600); err == nil {
		t.Error("no error writing into a missing folder")
	}
}

// A file that a reader holds open for a moment is replaced all the same
// (on Windows, which refuses while it is open, once the reader closes it,
// within WriteFile's retries), and the reader reads the old content to
// its end. The Wine test (packaging/windows/wine) runs this on Windows'
// file semantics; it uses no t.TempDir, whose cleanup Wine 8 cannot do
// (Go 1.26's RemoveAll: "Invalid function").
func TestReplaceWhileOpen(t *testing.T) {
	dir, err := os.MkdirTemp("", "atomicfile")
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dir, "f.json")
	defer func() { os.Remove(p); os.Remove(dir) }()
	if err := WriteFile(p, []byte("old"), 0o600); err != nil {
		t.Fatal(err)
	}
	r, err := os.Open(p)
	if err != nil {
		t.Fatal(err)
	}
	var got []byte
	closed := make(chan struct{})
	go func() {
		defer close(closed)
		time.Sleep(200 * time.Millisecond)
		got, _ = io.ReadAll(r)
		r.Close()
	}()
	if err := WriteFile(p, []byte("new"), 0o600); err != nil {
		t.Fatalf("replace a file held open for a moment: %v", err)
	}
	<-closed
	if string(got) != "old" {
		t.Errorf("the reader read %q, want the old content", got)
	}
	if b, err := os.ReadFile(p); err != nil || string(b) != "new" {
		t.Fatalf("read back %q, %v; want new", b, err)
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 1 {
		t.Errorf("temporary files left behind: %v", ents)
	}
}
