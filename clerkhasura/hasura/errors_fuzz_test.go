package hasura

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/Khan/genqlient/graphql"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// FuzzWrapGraphQLError feeds WrapError what genqlient makes of an
// arbitrary body: a gqlerror.List for HTTP 200, an *graphql.HTTPError for
// any other status. It must never panic, must keep every error's code in
// order, and must never quote a body that is not JSON.
func FuzzWrapGraphQLError(f *testing.F) {
	seeds := []struct {
		status int
		body   string
	}{
		{200, `{"errors":[{"message":"Could not verify JWT: JWTExpired","extensions":{"path":"$","code":"invalid-jwt"}}]}`},
		{200, `{"errors":[{"extensions":{"path":"$","code":"invalid-jwt"},"message":"m"},{"message":"no code","path":["users",0,"name"]}]}`},
		{200, `{"errors":[null,{"message":"x","extensions":{"code":5}}]}`},
		{200, `{"errors":[]}`},
		{200, `{"data":{"users":[]}}`},
		{400, `{"errors":[{"message":"bad","extensions":{"code":"parse-failed","path":"$.query"}}]}`},
		{401, `{"errors":[{"message":"Unauthorized"}]}`},
		{502, `<html><pre>Authorization: Bearer eyJhbGciOiJSUzI1NiJ9.e30.c2ln</pre></html>`},
		{503, ``},
		{500, `null`},
		{500, `"text"`},
		{500, `[1,2]`},
		{404, `{"errors":null}`},
		{599, `{"errors":[{"message":"{\"errors\":[]}"}]}`},
	}
	for _, s := range seeds {
		f.Add(s.status, []byte(s.body))
	}
	f.Fuzz(func(t *testing.T, status int, body []byte) {
		status = 100 + (status%500+500)%500
		if status == http.StatusOK {
			var resp graphql.Response
			if json.Unmarshal(body, &resp) != nil || len(resp.Errors) == 0 {
				return
			}
			in := fmt.Errorf("op: %w", resp.Errors)
			out := wrapError(in)
			want := codesOf(resp.Errors)
			if want == nil {
				if out != in {
					t.Fatalf("a list of nil errors changed into %v", out)
				}
				return
			}
			herr := checkHasuraError(t, out, http.StatusOK)
			if got := herrCodes(herr); !slices.Equal(got, want) {
				t.Fatalf("codes %q, want %q", got, want)
			}
			return
		}
		he := genqlientHTTPError(status, body)
		herr := checkHasuraError(t, wrapError(he), status)
		if !json.Valid(body) {
			want := fmt.Sprintf("HTTP %d %s (non-JSON body, %d bytes)", status, http.StatusText(status), len(body))
			if len(herr.Errors) != 1 || herr.Errors[0].Message != want {
				t.Fatalf("non-JSON body: got %+v, want the one message %q", herr.Errors, want)
			}
			var inner *graphql.HTTPError
			if !errors.As(herr, &inner) || inner.StatusCode != status {
				t.Fatal("no HTTPError with the status is wrapped")
			}
			if len(body) > len(want) && strings.Contains(inner.Error(), string(body)) {
				t.Fatal("the wrapped HTTPError quotes the body")
			}
			return
		}
		if want := codesOf(he.Response.Errors); want != nil {
			if got := herrCodes(herr); !slices.Equal(got, want) {
				t.Fatalf("codes %q, want %q", got, want)
			}
		}
	})
}

// genqlientHTTPError builds the error genqlient v0.8.1 returns for a
// reply with a status other than 200.
func genqlientHTTPError(status int, body []byte) *graphql.HTTPError {
	var resp graphql.Response
	if err := json.Unmarshal(body, &resp); err != nil {
		return &graphql.HTTPError{StatusCode: status, Response: graphql.Response{
			Errors: gqlerror.List{{Message: string(body)}},
		}}
	}
	return &graphql.HTTPError{StatusCode: status, Response: resp}
}

func checkHasuraError(t *testing.T, err error, status int) *Error {
	t.Helper()
	var herr *Error
	if !errors.As(err, &herr) {
		t.Fatalf("got %T, want a *Error", err)
	}
	if herr.StatusCode != status {
		t.Fatalf("status %d, want %d", herr.StatusCode, status)
	}
	if len(herr.Errors) == 0 {
		t.Fatal("no errors")
	}
	if !strings.HasPrefix(herr.Error(), "clerkhasura: Hasura") {
		t.Fatalf("message %q lacks the prefix", herr.Error())
	}
	for _, target := range []error{ErrAuth, ErrValidation, ErrPermission, ErrConstraint, ErrNotFound} {
		_ = errors.Is(herr, target)
	}
	_ = herr.Code()
	return herr
}

// codesOf returns the extensions.code of every non-nil error, "" for
// none; nil when there is no non-nil error.
func codesOf(list gqlerror.List) []string {
	var codes []string
	for _, e := range list {
		if e == nil {
			continue
		}
		code, _ := e.Extensions["code"].(string)
		codes = append(codes, code)
	}
	return codes
}

func herrCodes(herr *Error) []string {
	codes := make([]string, len(herr.Errors))
	for i := range herr.Errors {
		codes[i] = herr.Errors[i].Code
	}
	return codes
}
