// Package kdfhook is the switch by which tests lower the Argon2id cost of
// the vaults and backups store writes. Only store and store/storetest can
// import it; product code never flips it.
package kdfhook

import "sync/atomic"

var fast atomic.Bool

// SetFast makes new vaults and backups use the lowest Argon2id cost.
func SetFast() { fast.Store(true) }

// Fast reports whether SetFast was called.
func Fast() bool { return fast.Load() }
