package autotype

import (
	"errors"
	"testing"
)

func TestKeysyms(t *testing.T) {
	ks, err := keysyms("042", Options{Tabs: 2, Enter: true})
	if err != nil {
		t.Fatal(err)
	}
	want := []uint32{keysymTab, keysymTab, 0x30, 0x34, 0x32, keysymReturn}
	if len(ks) != len(want) {
		t.Fatalf("keysyms %x, want %x", ks, want)
	}
	for i := range want {
		if ks[i] != want[i] {
			t.Fatalf("keysyms %x, want %x", ks, want)
		}
	}
	for _, bad := range []string{"", "12a4", "١٢٣", "12 34"} {
		if _, err := keysyms(bad, Options{}); !errors.Is(err, ErrNotDigits) {
			t.Errorf("%q: %v", bad, err)
		}
	}
	if _, err := keysyms("1", Options{Tabs: 21}); err == nil {
		t.Error("21 Tabs taken")
	}
}
