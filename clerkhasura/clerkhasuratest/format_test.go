package clerkhasuratest_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/clerkhasura/clerkhasura-go/clerkhasura/clerkhasuratest"
)

func TestFakesPrintNoSecret(t *testing.T) {
	const key, admin = "sk_test_printedNowhere0001", "admin-secret-printed-nowhere-0002"
	fc := clerkhasuratest.NewClerk(t, &clerkhasuratest.ClerkOptions{SecretKey: key})
	fh := clerkhasuratest.NewHasura(t, &clerkhasuratest.HasuraOptions{JWKURL: fc.JWKSURL(), AdminSecret: admin})
	for _, tc := range []struct {
		v    any
		want string
	}{
		{fc, "clerkhasuratest.Clerk{URL: " + fc.URL() + "}"},
		{fh, "clerkhasuratest.Hasura{Endpoint: " + fh.Endpoint() + "}"},
	} {
		for _, verb := range []string{"%s", "%q", "%v", "%+v", "%#v", "%x", "%X"} {
			out := fmt.Sprintf(verb, tc.v)
			if strings.Contains(out, key) || strings.Contains(out, admin) {
				t.Errorf("%s of %T holds a secret: %s", verb, tc.v, out)
			}
			want := tc.want
			if verb == "%q" {
				want = fmt.Sprintf("%q", want)
			}
			if out != want {
				t.Errorf("%s of %T = %s, want %s", verb, tc.v, out, want)
			}
		}
	}
}
