package hasura_test

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"runtime"
	"testing"

	"github.com/Khan/genqlient/graphql"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/clerkhasura/clerkhasura-go/clerkhasura"
	"github.com/clerkhasura/clerkhasura-go/clerkhasura/hasura"
	"github.com/clerkhasura/clerkhasura-go/internal/testkit"
	"github.com/clerkhasura/clerkhasura-go/internal/testkit/sources"
)

// TestClientReadsAFewMiBOfAHugeErrorPage: genqlient reads the whole body of
// an answer other than HTTP 200 and builds its error from it; a proxy's
// 64 MiB page must not cost hundreds of MiB.
func TestClientReadsAFewMiBOfAHugeErrorPage(t *testing.T) {
	const size = 64 << 20
	srv := httptest.NewServer(testkit.ServeRepeated(http.StatusBadGateway, "text/html", "<p>Bad Gateway</p>", size))
	defer srv.Close()
	c, err := hasura.NewClient(srv.URL+"/v1/graphql", sources.FromClaims(t, testkit.HasuraClaims("user_1")), nil)
	require.NoError(t, err)

	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	_, err = c.Me(t.Context())
	runtime.ReadMemStats(&after)

	allocated := after.TotalAlloc - before.TotalAlloc
	t.Logf("one call allocated %.1f MiB", float64(allocated)/(1<<20))
	assert.Less(t, allocated, uint64(16<<20), "a structural bound: the body is read up to 1 MiB")
	require.Error(t, err)
	var herr *hasura.Error
	require.True(t, errors.As(err, &herr), "%T: %v", err, err)
	assert.Equal(t, http.StatusBadGateway, herr.StatusCode)
	assert.Equal(t, "clerkhasura: Hasura (HTTP 502): HTTP 502 Bad Gateway (body larger than the limit, not read)", err.Error())
	assert.ErrorIs(t, err, clerkhasura.ErrResponseTooLarge)
	var he *graphql.HTTPError
	require.ErrorAs(t, err, &he, "genqlient's error stays reachable")
	assert.Equal(t, http.StatusBadGateway, he.StatusCode)
	assert.NotContains(t, he.Error(), "Bad Gateway</p>", "the page is never quoted")
}
