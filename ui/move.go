package ui

import (
	"errors"
	"path/filepath"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"github.com/cityadmin/softtoken/store"
)

// showMoveOffer says that a move of the secrets between the keychain and
// the vault file was cut off (softtoken closed, the computer went off),
// and offers to finish or to undo it; both are safe to repeat. Until
// then the accounts work from where the index says their secrets are.
func (a *App) showMoveOffer(m store.MoveStatus) {
	text := lang.L("Moving your secrets from the keyring into the vault file was not finished. Finish it now, or undo it to keep them in the keyring.")
	if m.Move == store.BackendKeychain {
		text = lang.L("Moving your secrets from the vault file back into the keyring was not finished. Finish it now, or undo it to keep them in the vault file.")
	}
	a.dlg.message = widget.NewLabel(text)
	a.dlg.message.Wrapping = fyne.TextWrapWord
	a.dlg.entry, a.dlg.entry2 = nil, nil
	a.showDialog(lang.L("Finish moving the secrets?"), container.NewVBox(a.dlg.message), lang.L("Finish"), 440, func() bool {
		st := a.st
		a.spawn(func() { a.finishMove(st, m.Move) })
		return true
	}, func() {
		undo := store.BackendKeychain
		if m.Move == store.BackendKeychain {
			undo = store.BackendVault
		}
		st := a.st
		a.spawn(func() { a.finishMove(st, undo) })
	})
	a.dlg.cancel.setText(lang.L("Undo"))
}

// finishMove moves the secrets to place to (finishing or undoing the cut
// off move) with the open store st, asking for the vault's passphrase
// where st has no vault open, then opens the store again. It runs off the
// event goroutine.
func (a *App) finishMove(st Store, to store.Backend) {
	kc := store.OSKeyring{}
	err := store.ErrNeedPassphrase
	if s, ok := st.(*store.Store); ok {
		_, err = s.MoveTo(to, kc)
	}
	if errors.Is(err, store.ErrNeedPassphrase) {
		var dir string
		var pass []byte
		if dir, err = a.storeDir(); err == nil && to == store.BackendVault && !store.VaultExists(filepath.Join(dir, store.VaultFile)) {
			// Cut off before the vault file was made: its passphrase is a
			// new one, typed twice, as when creating it.
			fyne.Do(a.showVaultOffer)
			return
		}
		if err == nil {
			pass, err = a.askPassphrase()
		}
		if err == nil {
			if to == store.BackendKeychain {
				_, err = store.MoveToKeychain(dir, pass, kc)
			} else {
				_, err = store.MoveToVault(dir, pass, kc)
			}
			clear(pass)
		}
	}
	if errors.Is(err, store.ErrNoMove) || errors.Is(err, store.ErrVaultExists) {
		err = nil // there already
	}
	fyne.Do(func() {
		if err != nil {
			a.main.message(explain(err))
			return
		}
		a.reopen()
	})
}
