package clerkhasura

import (
	"net/http"

	"github.com/clerkhasura/clerkhasura-go/internal/bodylimit"
)

// LimitResponseBodies returns an [http.RoundTripper] that sends each
// request with base (nil: [http.DefaultTransport]) and lets at most limit
// bytes of its response body be read (limit ≤ 0: [DefaultMaxBodyBytes]).
// clerk-sdk-go reads every body whole, so that a proxy's 64 MiB error page
// costs hundreds of MiB: give it in the clients clerk-sdk-go uses,
//
//	bc := clerk.BackendConfig{Key: &secretKey, HTTPClient: &http.Client{
//		Timeout: 5 * time.Second, Transport: clerkhasura.LimitResponseBodies(nil, 0)}}
//	sessions := session.NewClient(&clerk.ClientConfig{BackendConfig: bc})
//
// or clerk.SetBackend(clerk.NewBackend(&bc)) for the package-level one. A
// body over the limit is reported as [ErrClerkUnavailable].
func LimitResponseBodies(base http.RoundTripper, limit int64) http.RoundTripper {
	if limit <= 0 {
		limit = DefaultMaxBodyBytes
	}
	return &bodylimit.Transport{Base: base, Limit: limit, Kind: ErrResponseTooLarge}
}
