package atomicfile

import (
	"os"
	"path/filepath"
	"testing"
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
	if fi.Mode().Perm() != 0o600 {
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
