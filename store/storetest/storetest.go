// Package storetest helps the tests of store's clients: FastKDF makes the
// vaults and backups they create cheap to derive keys for, as age's tests
// lower scrypt's work factor. A vault written so opens in a millisecond,
// and with any passphrase guessed as fast: never in a real program, which
// is why it takes the *testing.M of a TestMain.
package storetest

import (
	"testing"

	"github.com/cityadmin/softtoken/store/internal/kdfhook"
)

// FastKDF makes every vault and backup the process creates from now on
// use the lowest Argon2id cost (1 pass, 64 KiB, 1 lane) instead of the
// default. Call it first thing in TestMain; it holds for the whole test
// binary, and for the commands testscript runs from it.
func FastKDF(*testing.M) { kdfhook.SetFast() }
