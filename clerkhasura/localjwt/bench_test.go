package localjwt

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"testing"
	"time"

	"github.com/clerk/clerk-sdk-go/v2"
	jose "github.com/go-jose/go-jose/v3"
)

func benchSigner(b *testing.B) (*Signer, *clerk.SessionClaims) {
	b.Helper()
	k, err := GenerateKey()
	if err != nil {
		b.Fatal(err)
	}
	s, err := New(&Options{Issuer: "https://api.example.test", Keys: []ScheduledKey{{Key: k, SignFrom: time.Now().Add(-time.Hour)}}})
	if err != nil {
		b.Fatal(err)
	}
	exp := time.Now().Add(time.Hour).Unix()
	return s, &clerk.SessionClaims{
		RegisteredClaims: clerk.RegisteredClaims{Issuer: "https://clerk.example.test", Subject: "user_2abcdefghijklmnopqrstuvwxyz", Expiry: &exp},
		Claims:           clerk.Claims{SessionID: "sess_2abcdefghijklmnopqrstuvwxyz"},
	}
}

// BenchmarkSessionToken is the per-request cost of a session's token:
// Source then Token for a session seen before ("kept"), against signing
// on every request ("signed").
func BenchmarkSessionToken(b *testing.B) {
	ctx := context.Background()
	b.Run("kept", func(b *testing.B) {
		s, claims := benchSigner(b)
		b.ReportAllocs()
		for b.Loop() {
			src, err := s.Source(claims)
			if err != nil {
				b.Fatal(err)
			}
			if _, err := src.Token(ctx); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("signed", func(b *testing.B) {
		s, claims := benchSigner(b)
		b.ReportAllocs()
		for b.Loop() {
			src, err := s.Source(claims)
			if err != nil {
				b.Fatal(err)
			}
			ss := src.(*sessionSource)
			now := s.st.clock.Now()
			if _, err := s.sign(now, ss.sub, ss.ns, min(ss.sessionExp, now.Add(s.st.lifetime).Unix())); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("kept-parallel", func(b *testing.B) {
		s, claims := benchSigner(b)
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				src, err := s.Source(claims)
				if err != nil {
					b.Error(err)
					return
				}
				if _, err := src.Token(ctx); err != nil {
					b.Error(err)
					return
				}
			}
		})
	})
}

// BenchmarkSign is one token's signature with go-jose: Ed25519, which
// the package uses, against RS256 with a 2048-bit key, Clerk's own.
func BenchmarkSign(b *testing.B) {
	payload := []byte(`{"iss":"https://api.example.test","sub":"user_2abcdefghijklmnopqrstuvwxyz","iat":1790000000,"exp":1790000060,` +
		`"https://hasura.io/jwt/claims":{"x-hasura-allowed-roles":["user"],"x-hasura-default-role":"user","x-hasura-user-id":"user_2abcdefghijklmnopqrstuvwxyz"}}`)
	k, err := GenerateKey()
	if err != nil {
		b.Fatal(err)
	}
	rsaKey, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		b.Fatal(err)
	}
	for _, tt := range []struct {
		name string
		key  jose.SigningKey
	}{
		{"Ed25519", jose.SigningKey{Algorithm: jose.EdDSA, Key: jose.JSONWebKey{Key: k.priv, KeyID: k.kid}}},
		{"RS256-2048", jose.SigningKey{Algorithm: jose.RS256, Key: jose.JSONWebKey{Key: rsaKey, KeyID: "rsa"}}},
	} {
		b.Run(tt.name, func(b *testing.B) {
			signer, err := jose.NewSigner(tt.key, (&jose.SignerOptions{}).WithType("JWT"))
			if err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			for b.Loop() {
				jws, err := signer.Sign(payload)
				if err != nil {
					b.Fatal(err)
				}
				if _, err := jws.CompactSerialize(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
