package ui

import (
	"errors"
	"sync"

	"fyne.io/fyne/v2"
)

// passphrase asks for the vault's passphrase. It runs on the goroutine
// that opens the store and waits for the dialog's answer.
func (a *App) askPassphrase() ([]byte, error)      { return a.passphrase(false) }
func (a *App) askPassphraseAgain() ([]byte, error) { return a.passphrase(true) }

// errCancelled is a dialog the person closed without an answer.
var errCancelled = errors.New("cancelled")

func (a *App) passphrase(again bool) ([]byte, error) {
	type answer struct {
		pass []byte
		ok   bool
	}
	ch := make(chan answer, 1)
	var once sync.Once
	reply := func(p []byte, ok bool) { once.Do(func() { ch <- answer{p, ok} }) }
	fyne.Do(func() { a.showPassphraseDialog(again, reply) })
	ans := <-ch
	if !ans.ok {
		return nil, errCancelled
	}
	return ans.pass, nil
}
