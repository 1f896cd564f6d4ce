package jwtclaims_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/clerkhasura/clerkhasura-go/internal/jwtclaims"
)

func FuzzPeek(f *testing.F) {
	f.Add(compact(rs256, map[string]any{"exp": 1700000060, "iat": 1700000000}, "c2ln"))
	f.Add(compact(map[string]any{"alg": "none"}, map[string]any{"exp": 1.5}, ""))
	f.Add(compact(rs256, map[string]any{"exp": "x"}, "c2ln"))
	f.Add(compact(rs256, map[string]any{"aud": []string{"a", "b"}, "exp": 1e300}, "c2ln"))
	f.Add("a.b.c")
	f.Add("..")
	f.Add("")
	f.Add(`{"payload":"e30","signatures":[{"protected":"e30","signature":""}]}`)
	f.Fuzz(func(t *testing.T, token string) {
		c, err := jwtclaims.Peek(token, &map[string]any{})
		if err != nil {
			var je *jwtclaims.Error
			if !errors.As(err, &je) || !errors.Is(err, jwtclaims.ErrMalformed) {
				t.Fatalf("untyped error %T", err)
			}
			if len(token) >= 8 && strings.Contains(err.Error(), token) {
				t.Fatalf("error reveals the token")
			}
			return
		}
		if c.HasExpiry && (c.Expiry.Unix() < 0 || c.Expiry.Year() > 9999) {
			t.Fatalf("exp out of range accepted: %v", c.Expiry)
		}
		if strings.Count(token, ".") != 2 {
			t.Fatalf("accepted a token without three parts")
		}
	})
}
