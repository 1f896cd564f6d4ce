package fakehasura

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestConcurrentRequests runs users' upserts, updates and queries, and
// clock and seeding changes, in parallel; run it with -race.
func TestConcurrentRequests(t *testing.T) {
	f := newFixture(t)
	const users, rounds = 8, 25
	var wg sync.WaitGroup
	errs := make(chan string, users*rounds*3)
	for u := 0; u < users; u++ {
		wg.Add(1)
		go func(u int) {
			defer wg.Done()
			id := fmt.Sprintf("user_%d", u)
			tok := sign(t, testKeys(t)[0], "kid-1", longClaims(id))
			for i := 0; i < rounds; i++ {
				for _, q := range []string{
					fmt.Sprintf(`mutation { insert_users_one(object: {id: %q, name: "n%d"}, on_conflict: {constraint: users_pkey, update_columns: [name, last_seen]}) { id } }`, id, i),
					`mutation { update_users(where: {}, _set: {last_seen: "now()"}) { affected_rows } }`,
					`{ users { id name } }`,
				} {
					rec := httptest.NewRecorder()
					req := httptest.NewRequest(http.MethodPost, "/v1/graphql", strings.NewReader(gqlBody(q, nil)))
					req.Header.Set("Authorization", "Bearer "+tok)
					f.eng.ServeHTTP(rec, req)
					if rec.Code != http.StatusOK || strings.Contains(rec.Body.String(), `"errors"`) {
						errs <- rec.Body.String()
					}
				}
			}
		}(u)
	}
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := 0; i < rounds; i++ {
			f.setNow(epoch.Add(time.Duration(i) * time.Second))
			_ = f.eng.Put(Row{ID: fmt.Sprintf("seed_%d", i)})
			_ = f.eng.Rows()
			_ = f.eng.Stats()
		}
	}()
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
	rows := f.eng.Rows()
	require.Len(t, rows, users+rounds)
	names := map[string]string{}
	for _, r := range rows {
		if r.Name != nil {
			names[r.ID] = *r.Name
		}
	}
	for u := 0; u < users; u++ {
		assert.Equal(t, fmt.Sprintf("n%d", rounds-1), names[fmt.Sprintf("user_%d", u)])
	}
	assert.Equal(t, int64(users*rounds*3), f.eng.Stats().Operations)
}
