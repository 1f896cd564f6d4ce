package subscription

import (
	"errors"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/clerkhasura/clerkhasura-go/clerkhasura/hasura"
	hgql "github.com/clerkhasura/clerkhasura-go/graphql"
)

// A result carrying Hasura's errors ends a watch with a *hasura.Error that
// matches its class, as the Hasura client's errors do.
func TestUserEventOfHasurasErrors(t *testing.T) {
	ev := userEvent(hgql.WatchUserWsResponse{Errors: gqlerror.List{
		nil,
		{Message: "field 'users_by_pk' not found in type: 'subscription_root'",
			Extensions: map[string]any{"code": "validation-failed", "path": "$.selectionSet.users_by_pk"}},
	}})
	require.Error(t, ev.Err)
	assert.Nil(t, ev.User)
	assert.ErrorIs(t, ev.Err, hasura.ErrValidation)
	herr, ok := errors.AsType[*hasura.Error](ev.Err)
	require.True(t, ok)
	assert.Equal(t, http.StatusOK, herr.StatusCode)
	assert.Equal(t, "validation-failed", herr.Code())
	assert.Equal(t, "$.selectionSet.users_by_pk", herr.Errors[0].Path)
}
