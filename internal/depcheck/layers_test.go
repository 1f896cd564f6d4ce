package depcheck

import (
	"os/exec"
	"strings"
	"testing"
)

const module = "github.com/clerkhasura/clerkhasura-go"

// graphQL are the import paths, and their prefixes, that are GraphQL: the
// token layer knows nothing of it, so that a program that only needs
// tokens links none of it.
var graphQL = []string{
	"github.com/Khan/genqlient",
	"github.com/vektah/gqlparser",
	module + "/graphql",
	module + "/internal/gqlerrs",
}

// graphQLDeps returns the packages among pkg's dependencies, pkg included,
// that are GraphQL.
func graphQLDeps(t *testing.T, pkg string) []string {
	t.Helper()
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Fatalf("the go command is needed to list dependencies: %v", err)
	}
	out, err := exec.Command(goTool, "list", "-deps", pkg).Output()
	if err != nil {
		t.Fatalf("go list -deps %s: %v", pkg, err)
	}
	var found []string
	for _, dep := range strings.Fields(string(out)) {
		for _, p := range graphQL {
			if dep == p || strings.HasPrefix(dep, p+"/") {
				found = append(found, dep)
			}
		}
	}
	return found
}

func TestTokenLayerImportsNoGraphQL(t *testing.T) {
	if found := graphQLDeps(t, module+"/clerkhasura"); len(found) > 0 {
		t.Errorf("the token layer depends on GraphQL packages: %v", found)
	}
	// The check sees GraphQL where it is: the Hasura client is built on it.
	if found := graphQLDeps(t, module+"/clerkhasura/hasura"); len(found) == 0 {
		t.Error("no GraphQL package found among the Hasura client's dependencies")
	}
}
