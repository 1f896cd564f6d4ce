package hasuraerr_test

import (
	"encoding/json"
	"errors"
	"testing"

	"github.com/clerkhasura/clerkhasura-go/internal/hasuraerr"
)

// FuzzParse checks that Parse never panics, accepts only valid JSON, reports
// every rejection as a *MalformedError, that HasData implies DataMember, and
// that Code and Path always mirror the string members of Extensions.
func FuzzParse(f *testing.F) {
	for _, seed := range []string{
		expiredNew,
		expiredOld,
		validation,
		`{"errors":[{"message":"Could not verify JWT: JWSError JWSInvalidSignature","extensions":{"path":"$","code":"invalid-jwt"}}]}`,
		`{"errors":[{"message":"Malformed Authorization header","extensions":{"path":"$","code":"invalid-headers"}}]}`,
		`{"errors":[{"message":"Your requested role is not in allowed roles","extensions":{"path":"$","code":"access-denied"}}]}`,
		`{"errors":[{"message":"check constraint of an insert/update permission has failed","extensions":{"path":"$","code":"permission-error"}}]}`,
		`{"data":{"users":[{"id":"user_1","name":null}]}}`,
		`{"data":null,"errors":[{"message":"m","extensions":{"code":1,"path":[]}}]}`,
		`{"errors":[null]}`,
		`{"errors":{}}`,
		`{"errors":[{"message":"m","extensions":[]}]}`,
		`[]`,
		`null`,
		``,
		`{"errors":[{"message":"\u0000\ud800"}]}`,
		"\xef\xbb\xbf{}",
		`{"errors":[{"message":"Could not`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		r, err := hasuraerr.Parse(body)
		if err != nil {
			var me *hasuraerr.MalformedError
			if !errors.As(err, &me) {
				t.Fatalf("error %T is not a *MalformedError: %v", err, err)
			}
			if r != nil {
				t.Fatalf("non-nil response with error %v", err)
			}
			return
		}
		if !json.Valid(body) {
			t.Fatalf("accepted invalid JSON %q", body)
		}
		if r.HasData && !r.DataMember {
			t.Fatalf("HasData without DataMember for %q", body)
		}
		for i, e := range r.Errors {
			code, _ := e.Extensions["code"].(string)
			path, _ := e.Extensions["path"].(string)
			if e.Code != code || e.Path != path {
				t.Fatalf("errors[%d]: Code %q Path %q do not mirror extensions %v", i, e.Code, e.Path, e.Extensions)
			}
			if e.Code != "" && !r.Has(e.Code) {
				t.Fatalf("Has(%q) is false for errors[%d]", e.Code, i)
			}
		}
	})
}
