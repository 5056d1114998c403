// Package limitread reads files that come from outside (a profile, a
// vault, an export to import) without letting one fill the memory: a
// file longer than the limit is refused once the limit is passed, not
// read to its end (/dev/zero has none).
package limitread

import (
	"errors"
	"io"
	"os"
)

// ErrTooLarge: the file is longer than the limit. The callers say which
// file and which limit, in their own terms.
var ErrTooLarge = errors.New("the file is too large")

// File reads path, at most limit bytes; a longer file is ErrTooLarge.
func File(path string, limit int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > limit {
		return nil, ErrTooLarge
	}
	return b, nil
}
