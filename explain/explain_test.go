package explain

import (
	"encoding/json"
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/cityadmin/softtoken/launcher"
	"github.com/cityadmin/softtoken/store"
)

// TestEveryErrorExplained reads the source of token, scan, store and
// launcher (and the packages below them) and fails for every exported
// package-level Err… that the table does not name, and for every sentence
// of the table that en.json or de.json lacks: an error added without what
// a person reads about it, in both languages, fails here.
func TestEveryErrorExplained(t *testing.T) {
	declared := map[string]string{} // "pkg.ErrX" → file
	for _, root := range []string{"token", "scan", "store", "launcher"} {
		err := filepath.WalkDir(filepath.Join("..", root), func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() && d.Name() == "testdata" {
				return filepath.SkipDir
			}
			if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
				return nil
			}
			f, err := parser.ParseFile(token.NewFileSet(), path, nil, parser.SkipObjectResolution)
			if err != nil {
				return err
			}
			for _, decl := range f.Decls {
				gd, ok := decl.(*ast.GenDecl)
				if !ok || gd.Tok != token.VAR {
					continue
				}
				for _, spec := range gd.Specs {
					for _, n := range spec.(*ast.ValueSpec).Names {
						if strings.HasPrefix(n.Name, "Err") && n.IsExported() {
							declared[f.Name.Name+"."+n.Name] = path
						}
					}
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if len(declared) < 50 {
		t.Fatalf("found only %d errors: does the walk still see the packages?", len(declared))
	}

	// What the table names: the selector of each entry's first field.
	f, err := parser.ParseFile(token.NewFileSet(), "table.go", nil, parser.SkipObjectResolution)
	if err != nil {
		t.Fatal(err)
	}
	named := map[string]bool{}
	ast.Inspect(f, func(n ast.Node) bool {
		if cl, ok := n.(*ast.CompositeLit); ok && len(cl.Elts) == 3 {
			if sel, ok := cl.Elts[0].(*ast.SelectorExpr); ok {
				if x, ok := sel.X.(*ast.Ident); ok {
					named[x.Name+"."+sel.Sel.Name] = true
				}
			}
		}
		return true
	})
	var missing []string
	for name, file := range declared {
		if !named[name] {
			missing = append(missing, fmt.Sprintf("%s (%s)", name, file))
		}
	}
	sort.Strings(missing)
	for _, m := range missing {
		t.Errorf("%s has no explanation in explain/table.go", m)
	}

	for _, lang := range []string{English, German} {
		b, err := os.ReadFile(filepath.Join("..", "assets", "translations", lang+".json"))
		if err != nil {
			t.Fatal(err)
		}
		m := map[string]string{}
		if err := json.Unmarshal(b, &m); err != nil {
			t.Fatalf("%s.json: %v", lang, err)
		}
		for _, k := range Keys() {
			if m[k] == "" {
				t.Errorf("%s.json lacks %q", lang, k)
			} else if lang == German && m[k] == k {
				t.Errorf("de.json leaves %q in English", k)
			}
		}
	}
}

// TestMostSpecificFirst: an error that is two kinds at once is explained
// by the more specific one.
func TestMostSpecificFirst(t *testing.T) {
	for _, c := range []struct {
		err  error
		want error
	}{
		{store.ErrVaultChangedKeys, store.ErrVaultChangedKeys}, // also an ErrSecretsMoved
		{fmt.Errorf("open: %w", store.ErrLocked), store.ErrLocked},
		{fmt.Errorf("%w (off by 11m)", launcher.ErrClockFar), launcher.ErrClockFar},
	} {
		got, _ := Window(c.err)
		want, _ := Window(c.want)
		if got != want || got == "" {
			t.Errorf("%v: %q, want %q", c.err, got, want)
		}
	}
	for i, e := range table {
		for _, earlier := range table[:i] {
			if errors.Is(e.err, earlier.err) && e.err != earlier.err {
				t.Errorf("%v stands after %v, which it wraps: it is never reached", e.err, earlier.err)
			}
		}
	}
	if _, ok := Window(errors.New("something else")); ok {
		t.Error("an unknown error is explained")
	}
}

// TestLanguages: the locales people have, and the sentences in each.
func TestLanguages(t *testing.T) {
	for loc, want := range map[string]string{"de_DE.UTF-8": German, "de_AT": German, "de-CH": German, "de": German,
		"en_US.UTF-8": English, "C": English, "": English, "fr_FR": English, "dehli": English} {
		if got := languageOf(loc); got != want {
			t.Errorf("%q: %s, want %s", loc, got, want)
		}
	}
	err := fmt.Errorf("cannot install: %w", launcher.ErrDowngrade)
	if got := Advice(err, English); got != "Nothing was changed; the newer profile stays installed." {
		t.Errorf("English: %q", got)
	}
	if got := Advice(err, German); !strings.Contains(got, "Nichts wurde geändert") {
		t.Errorf("German: %q", got)
	}
	if got := T(German, "{{.Target}} was opened.", map[string]any{"Target": "Portal"}); got != "Portal wurde geöffnet." {
		t.Errorf("a template in German: %q", got)
	}
}
