package hasura

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/Khan/genqlient/graphql"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/clerkhasura/clerkhasura-go/clerkhasura"
	"github.com/clerkhasura/clerkhasura-go/internal/errwrap"
	"github.com/clerkhasura/clerkhasura-go/internal/hasuraerr"
)

// ErrorFromResponse returns the errors in resp, an answer of Hasura's
// GraphQL endpoint, as an [*Error], or nil when it holds none. It is for
// requests sent without a [Client], such as through a bare
// [clerkhasura.Transport]: Hasura reports every error of /v1/graphql, a
// refused token included, with HTTP 200 and an "errors" array, which the
// [*Error] classifies ([ErrAuth], [ErrValidation], [ErrPermission],
// [ErrConstraint]) as the Client's errors are.
//
// It reads at most [clerkhasura.DefaultMaxBodyBytes] of the body and puts
// what it read back, so that resp.Body still reads from the start and the
// data can be decoded after a nil return; the caller still closes it. An
// answer with another status is always an [*Error] of that status; one
// that is not a JSON document is never quoted (it may be a proxy's page
// echoing the request, token included): its error says "HTTP 502 Bad
// Gateway (non-JSON body, 1234 bytes)". An HTTP 200 answer longer than
// the bound is taken for data, and gives nil; another answer longer than
// the bound, or cut short by the Transport's own bound, gives an [*Error]
// that also matches [clerkhasura.ErrResponseTooLarge]. A body that cannot
// be read gives the read error; a nil resp, a [*clerkhasura.InputError].
func ErrorFromResponse(resp *http.Response) error {
	if resp == nil {
		return &clerkhasura.InputError{Field: "response", Reason: "is nil"}
	}
	var body []byte
	var readErr error
	if resp.Body != nil && resp.Body != http.NoBody {
		orig := resp.Body
		body, readErr = io.ReadAll(io.LimitReader(orig, clerkhasura.DefaultMaxBodyBytes+1))
		resp.Body = struct {
			io.Reader
			io.Closer
		}{io.MultiReader(bytes.NewReader(body), orig), orig}
	}
	status := resp.StatusCode
	tooLarge := int64(len(body)) > clerkhasura.DefaultMaxBodyBytes
	switch {
	case readErr != nil && !errors.Is(readErr, clerkhasura.ErrResponseTooLarge):
		return errwrap.Wrap("reading Hasura's answer", readErr)
	case readErr != nil || tooLarge && status != http.StatusOK:
		msg := httpStatus(status) + " (body larger than the limit, not read)"
		return &Error{StatusCode: status, Errors: []GraphQLError{{Message: msg}}, err: tooLargeError{&graphql.HTTPError{
			StatusCode: status, Response: graphql.Response{Errors: gqlerror.List{{Message: msg}}},
		}}}
	case tooLarge:
		return nil
	}
	doc, err := parseBody(resp, body)
	switch {
	case err != nil:
		msg := fmt.Sprintf("%s (non-JSON body, %d bytes)", httpStatus(status), len(body))
		return &Error{StatusCode: status, Errors: []GraphQLError{{Message: msg}}}
	case len(doc.Errors) > 0:
		return &Error{StatusCode: status, Errors: fromHasuraErrors(doc.Errors)}
	case status != http.StatusOK:
		return &Error{StatusCode: status, Errors: []GraphQLError{{Message: httpStatus(status)}}}
	}
	return nil
}

// parseBody reads body as a GraphQL response document. A body still
// compressed is none.
func parseBody(resp *http.Response, body []byte) (*hasuraerr.Response, error) {
	if ce := resp.Header.Get("Content-Encoding"); ce != "" && !strings.EqualFold(ce, "identity") {
		return nil, errors.New("encoded body")
	}
	return hasuraerr.Parse(body)
}
