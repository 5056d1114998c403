package trace

import (
	"bytes"
	"regexp"
	"strings"
	"testing"
)

func TestMark(t *testing.T) {
	var b bytes.Buffer
	saved, savedOut := on, out
	defer func() { on, out = saved, savedOut }()
	out = &b

	on = false
	Mark("silent")
	if b.Len() != 0 {
		t.Fatalf("off, Mark wrote %q", b.String())
	}
	on = true
	Mark("index read")
	Mark("lookup")
	lines := strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n")
	if len(lines) != 2 {
		t.Fatalf("want 2 lines, got %q", b.String())
	}
	re := regexp.MustCompile(`^softtoken trace: +[0-9]+\.[0-9] ms \(\+[0-9]+\.[0-9]\) (index read|lookup)$`)
	for _, l := range lines {
		if !re.MatchString(l) {
			t.Errorf("line %q does not match %s", l, re)
		}
	}
	if !strings.HasSuffix(lines[1], " lookup") {
		t.Errorf("second line %q is not the lookup", lines[1])
	}
}
