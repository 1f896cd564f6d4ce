package depcheck

import (
	"os"
	"path/filepath"
	"testing"

	"golang.org/x/mod/modfile"
	"golang.org/x/mod/semver"
)

// floors are the least versions the module may require. go-jose v3, which
// clerk-sdk-go uses, itself asks only for golang.org/x/crypto v0.19.0, from
// early 2024: every later advisory against x/crypto would apply to a build
// that followed go-jose's requirement alone.
var floors = map[string]string{
	"golang.org/x/crypto":           "v0.59.0",
	"github.com/go-jose/go-jose/v3": "v3.0.4",
}

func TestDependenciesAreAtLeastTheirFloor(t *testing.T) {
	path := filepath.Join("..", "..", "go.mod")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	f, err := modfile.Parse(path, data, nil)
	if err != nil {
		t.Fatal(err)
	}
	required := make(map[string]string)
	for _, r := range f.Require {
		required[r.Mod.Path] = r.Mod.Version
	}
	for mod, floor := range floors {
		got, ok := required[mod]
		switch {
		case !ok:
			t.Errorf("go.mod does not require %s: the version linked is whatever another module asks for", mod)
		case semver.Compare(got, floor) < 0:
			t.Errorf("go.mod requires %s %s, below the floor %s", mod, got, floor)
		}
	}
}
