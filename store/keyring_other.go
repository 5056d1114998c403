//go:build !linux

package store

// quickGet has no quicker way than go-keyring's outside Linux.
func quickGet(service, user string) (string, bool, error) { return "", false, nil }
