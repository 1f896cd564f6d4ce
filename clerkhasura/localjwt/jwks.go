package localjwt

import (
	"bytes"
	"net/http"
	"strconv"

	"github.com/clerk/clerk-sdk-go/v2/jwks"
)

// JWKSOptions configures [Signer.JWKSHandler]. A nil *JWKSOptions serves
// the Signer's keys alone.
type JWKSOptions struct {
	// ClerkJWKS, when set, makes the handler serve the Clerk instance's
	// keys beside the Signer's, fetched through it (such as
	// jwks.NewClient(&clerk.ClientConfig{…}), or &jwks.Client{Backend:
	// clerk.GetBackend()} for clerk-sdk-go's package-level key, whose
	// HTTPClient's Transport is best [clerkhasura.LimitResponseBodies],
	// so that a huge answer from a proxy costs a bounded read): one
	// jwk_url for open-source Hasura, which reads a single
	// HASURA_GRAPHQL_JWT_SECRET, that verifies Clerk's template tokens
	// and the Signer's alike. Clerk's set is fetched on the first request
	// and again once it is MaxAge old; a failed fetch keeps the last set,
	// and the handler answers 503 until one has succeeded, so that
	// Hasura never caches a set without Clerk's keys. Only keys Hasura
	// can parse are served (RSA of 2048 bits or more, EC P-256,
	// Ed25519), public members only, since Hasura drops the whole set
	// when one key does not parse. Optional.
	ClerkJWKS *jwks.Client
}

// JWKSHandler returns an [http.Handler] serving the public JWKS Hasura
// fetches from jwk_url: the keys published at the clock's present (see
// [ScheduledKey]) as OKP Ed25519 JWKs with their kid, alg EdDSA and use
// sig, and nothing private, with "Cache-Control: max-age=" MaxAge,
// which Hasura keeps the set for. It answers GET and HEAD, anything
// else with 405. Mount it at the jwk_url of the documented secret, such
// as /.well-known/hasura-jwks.json.
//
// Hasura fetches jwk_url once when it starts, and refuses to start when
// that fails: the service must be up first. A static key in the secret
// ({"type":"Ed25519","key":<Key.PublicPEM>}) needs no fetch, but
// rotating it takes a restart of Hasura.
func (s *Signer) JWKSHandler(opts *JWKSOptions) http.Handler {
	h := &jwksHandler{s: s, cacheControl: "max-age=" + strconv.FormatInt(int64(s.st.maxAge.Seconds()), 10)}
	if opts != nil && opts.ClerkJWKS != nil {
		h.clerk = &clerkKeys{client: opts.ClerkJWKS, clock: s.st.clock, every: s.st.maxAge}
	}
	return h
}

type jwksHandler struct {
	s            *Signer
	clerk        *clerkKeys
	cacheControl string
}

func (h *jwksHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	var b bytes.Buffer
	b.WriteString(`{"keys":[`)
	for i, k := range h.s.keys.published(h.s.st.clock.Now()) {
		if i > 0 {
			b.WriteByte(',')
		}
		b.Write(k.jwk)
	}
	if h.clerk != nil {
		keys, err := h.clerk.get(r.Context())
		if err != nil {
			w.Header().Set("Cache-Control", "no-store")
			http.Error(w, err.Error(), http.StatusServiceUnavailable)
			return
		}
		for _, k := range keys {
			b.WriteByte(',')
			b.Write(k)
		}
	}
	b.WriteString("]}")
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", h.cacheControl)
	w.Header().Set("Content-Length", strconv.Itoa(b.Len()))
	_, _ = w.Write(b.Bytes())
}
