package hasura_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/clerkhasura/clerkhasura-go/clerkhasura/hasura"
)

// FuzzErrorFromResponse feeds ErrorFromResponse arbitrary answers. It must
// never panic, must leave the whole body readable, must give an *Error for
// every status but 200, and must never quote a body that is not JSON.
func FuzzErrorFromResponse(f *testing.F) {
	for _, s := range []struct {
		status int
		body   string
	}{
		{200, `{"errors":[{"message":"Could not verify JWT: JWTExpired","extensions":{"path":"$","code":"invalid-jwt"}}]}`},
		{200, `{"data":{"users":[]}}`},
		{200, `{"data":null,"errors":[{"message":"m","extensions":{"code":"data-exception"}}]}`},
		{200, `{"errors":[null]}`},
		{200, `{"Errors":[{"message":"case matters"}]}`},
		{200, ``},
		{401, `{"data":{}}`},
		{502, `<html><pre>Authorization: Bearer eyJhbGciOiJSUzI1NiJ9.e30.c2ln</pre></html>`},
		{500, `[1,2]`},
	} {
		f.Add(s.status, []byte(s.body))
	}
	f.Fuzz(func(t *testing.T, status int, body []byte) {
		status = 100 + (status%500+500)%500
		resp := &http.Response{StatusCode: status, Header: http.Header{}, Body: io.NopCloser(bytes.NewReader(body))}
		err := hasura.ErrorFromResponse(resp)
		rest, rerr := io.ReadAll(resp.Body)
		if rerr != nil || !bytes.Equal(rest, body) {
			t.Fatalf("the body no longer reads whole: %v", rerr)
		}
		if err == nil {
			if status != http.StatusOK {
				t.Fatalf("HTTP %d gave no error", status)
			}
			return
		}
		herr, ok := errors.AsType[*hasura.Error](err)
		if !ok || herr.StatusCode != status || len(herr.Errors) == 0 {
			t.Fatalf("not an *Error of HTTP %d: %#v", status, err)
		}
		if !json.Valid(body) && len(body) >= 8 && strings.Contains(err.Error(), string(body)) {
			t.Fatalf("a body that is not JSON is quoted: %v", err)
		}
	})
}
