package subscription_test

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/clerkhasura/clerkhasura-go/clerkhasura"
	"github.com/clerkhasura/clerkhasura-go/clerkhasura/subscription"
	"github.com/clerkhasura/clerkhasura-go/internal/testkit"
	"github.com/clerkhasura/clerkhasura-go/internal/testkit/sources"
)

func TestSubscriptionClientPrintsItsEndpointOnly(t *testing.T) {
	const (
		adminSecret = "fmt-admin-secret-that-must-never-be-printed-0002"
		secretKey   = "sk_test_fmtSecretKeyThatMustNeverBePrinted0001"
		token       = "eyJ.fmt-token-that-must-never-be-printed.0003"
	)
	sc, err := subscription.New("https://user:"+adminSecret+"@h.example/v1/graphql?key="+secretKey,
		sources.Static{Tok: &clerkhasura.Token{Value: token}}, nil)
	require.NoError(t, err)
	t.Cleanup(func() { sc.Close() })
	const want = "subscription.Client{endpoint: https://h.example/v1/graphql}"
	for verb, out := range map[string]string{"%v": want, "%+v": want, "%#v": want, "%s": want, "%q": `"` + want + `"`} {
		assert.Equal(t, out, fmt.Sprintf(verb, sc), verb)
	}
	testkit.AssertNoSecret(t, sc, adminSecret, secretKey, token)
}
