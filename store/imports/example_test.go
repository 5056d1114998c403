package imports_test

import (
	"errors"
	"fmt"
	"time"

	"github.com/cityadmin/softtoken/store/imports"
	"github.com/cityadmin/softtoken/token"
)

func ExampleRead() {
	export := []byte(`# links exported by a phone app
otpauth://totp/Portal:anna?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&digits=8
otpauth://hotp/VPN:carl?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&counter=5
otpauth://totp/Portal:anna?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&digits=8
otpauth://totp/Mail:ben?secret=not-base32!
`)
	// A list of links is never encrypted: no password is needed.
	res, err := imports.Read(export, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("format:", res.Format)
	for _, a := range res.Accounts {
		code, _ := token.Code(a, time.Unix(59, 0))
		fmt.Println(a, code)
	}
	for _, s := range res.Skipped {
		fmt.Println("skipped:", s.Reason)
	}
	// Output:
	// format: otpauth
	// Portal: anna (totp, SHA1, 8 digits, 30s) 94287082
	// VPN: carl (hotp, SHA1, 6 digits, counter 5) 254676
	// skipped: line 4: the same secret and issuer appear earlier in the file (line 2)
	// skipped: line 5: the secret is not valid base32
}

func ExampleReadFile() {
	// The password function is called only because the file is encrypted.
	ask := func() ([]byte, error) { return []byte("correct horse battery staple"), nil }
	res, err := imports.ReadFile("testdata/aegis_encrypted.json", ask)
	switch {
	case errors.Is(err, imports.ErrWrongPassword):
		fmt.Println("wrong password, ask again")
	case err != nil:
		fmt.Println(err)
	default:
		fmt.Printf("%s, encrypted %v: %d accounts, %d skipped\n", res.Format, res.Encrypted, len(res.Accounts), len(res.Skipped))
	}
	// Output:
	// aegis, encrypted true: 5 accounts, 4 skipped
}
