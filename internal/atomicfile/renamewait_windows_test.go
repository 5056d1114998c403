package atomicfile

import "time"

// The tests hold a file open for a moment on purpose; however slow the
// machine, the retries outlast it.
func init() { renameWait = time.Minute }
