//go:build windows || darwin

package ui

import "context"

// hasTrayHost: Windows' notification area and the Mac's menu bar are
// always there.
func hasTrayHost(context.Context) bool { return true }

// watchTrayHost says once that the tray is there: it does not go away.
func watchTrayHost(_ context.Context, changed func(bool)) { changed(true) }
