package atomicfile

import (
	"errors"
	"os"
	"syscall"
	"time"

	"golang.org/x/sys/windows"
)

// renameWait bounds how long rename retries; tests lengthen it.
var renameWait = 2 * time.Second

// rename is os.Rename (MoveFileEx with MOVEFILE_REPLACE_EXISTING), retried
// for up to renameWait while the target is open in another process
// (ERROR_ACCESS_DENIED, ERROR_SHARING_VIOLATION): Windows refuses to
// replace a file that anyone has open, and a reader holds it for moments
// only: another softtoken reading the account list (the window while the
// command line adds), a virus scanner, a backup or search indexer. Found
// under Wine, which refuses the same; cmd/go's robustio retries alike.
func rename(from, to string) error {
	deadline := time.Now().Add(renameWait)
	for delay := time.Millisecond; ; delay = min(2*delay, 100*time.Millisecond) {
		err := os.Rename(from, to)
		if err == nil || !transient(err) || time.Now().After(deadline) {
			return err
		}
		time.Sleep(delay)
	}
}

func transient(err error) bool {
	var errno syscall.Errno
	return errors.As(err, &errno) && (errno == windows.ERROR_ACCESS_DENIED || errno == windows.ERROR_SHARING_VIOLATION)
}
