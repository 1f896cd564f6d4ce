package fakehasura

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/hmac"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"math/big"
	"strconv"
	"strings"
	"time"

	jose "github.com/go-jose/go-jose/v3"
)

// jwsHeader is the part of a JWS header the engine reads.
type jwsHeader struct {
	Alg string `json:"alg"`
	Kid string `json:"kid"`
}

// parsedJWT is a compact JWS split and decoded, not yet verified.
type parsedJWT struct {
	header    jwsHeader
	signing   string
	signature []byte
	payload   []byte
}

// The reasons below follow Hasura's "Could not verify JWT: " <> show err,
// where err comes from the jose library. The text after the prefix varies
// between jose versions; clients should match the code and the prefix.
func parseCompact(raw string) (*parsedJWT, string) {
	parts := strings.Split(raw, ".")
	if len(parts) != 3 {
		return nil, "JWSError (CompactDecodeError Invalid number of parts: Expected 3 parts; got " + strconv.Itoa(len(parts)) + ")"
	}
	var decoded [3][]byte
	for i, p := range parts {
		b, err := base64.RawURLEncoding.DecodeString(p)
		if err != nil {
			return nil, "JWSError (CompactDecodeError Invalid Base64 encoding)"
		}
		decoded[i] = b
	}
	var h jwsHeader
	if err := json.Unmarshal(decoded[0], &h); err != nil || h.Alg == "" {
		return nil, `JWSError (JSONDecodeError "Error in $: invalid JWS header")`
	}
	return &parsedJWT{header: h, signing: parts[0] + "." + parts[1], signature: decoded[2], payload: decoded[1]}, ""
}

var hashes = map[string]crypto.Hash{"256": crypto.SHA256, "384": crypto.SHA384, "512": crypto.SHA512}

var esCurves = map[string]elliptic.Curve{"ES256": elliptic.P256(), "ES384": elliptic.P384(), "ES512": elliptic.P521()}

// verifySignature tries every key of the set, as jose's JWKSet store does
// (it does not select keys by kid). Signatures in an algorithm jose's
// default settings do not accept ("none") are ignored, which leaves none.
func verifySignature(t *parsedJWT, keys []jose.JSONWebKey) string {
	alg := t.header.Alg
	if len(alg) != 5 && alg != "EdDSA" {
		if alg == "none" {
			return "JWSError JWSNoSignatures"
		}
		return `JWSError (JSONDecodeError "Error in $: unknown algorithm")`
	}
	if len(keys) == 0 {
		return "JWSError NoUsableKeys"
	}
	for _, k := range keys {
		if verifyWith(alg, k.Key, []byte(t.signing), t.signature) {
			return ""
		}
	}
	return "JWSError JWSInvalidSignature"
}

func verifyWith(alg string, key any, signing, sig []byte) bool {
	if alg == "EdDSA" {
		pub, ok := key.(ed25519.PublicKey)
		return ok && ed25519.Verify(pub, signing, sig)
	}
	h, ok := hashes[alg[2:]]
	if !ok {
		return false
	}
	switch alg[:2] {
	case "HS":
		secret, ok := key.([]byte)
		if !ok {
			return false
		}
		m := hmac.New(h.New, secret)
		m.Write(signing)
		return hmac.Equal(m.Sum(nil), sig)
	}
	d := h.New()
	d.Write(signing)
	sum := d.Sum(nil)
	switch alg[:2] {
	case "RS":
		pub, ok := key.(*rsa.PublicKey)
		return ok && rsa.VerifyPKCS1v15(pub, h, sum, sig) == nil
	case "PS":
		pub, ok := key.(*rsa.PublicKey)
		return ok && rsa.VerifyPSS(pub, h, sum, sig, nil) == nil
	case "ES":
		// jose pairs each ES algorithm with one curve; a P-256 key does
		// not verify ES384.
		pub, ok := key.(*ecdsa.PublicKey)
		if !ok || pub.Curve != esCurves[alg] || len(sig)%2 != 0 {
			return false
		}
		n := len(sig) / 2
		r, s := new(big.Int).SetBytes(sig[:n]), new(big.Int).SetBytes(sig[n:])
		return ecdsa.Verify(pub, sum, r, s)
	}
	return false
}

// checkClaims validates the registered claims as jose does, in its order:
// exp, nbf, iss, aud. iss and aud are checked only when present.
func checkClaims(claims map[string]any, cfg *JWTConfig, now time.Time) string {
	skew := cfg.AllowedSkew
	if skew < 0 {
		skew = -skew
	}
	nowSec := float64(now.UnixNano()) / 1e9
	numeric := func(name string) (float64, bool, string) {
		v, ok := claims[name]
		if !ok || v == nil {
			return 0, false, ""
		}
		n, isNum := v.(json.Number)
		f, err := strconv.ParseFloat(string(n), 64)
		if !isNum || err != nil {
			return 0, false, `JWTClaimsSetDecodeError "Error in $.` + name + `: expected NumericDate"`
		}
		return f, true, ""
	}
	if exp, ok, bad := numeric("exp"); bad != "" {
		return bad
	} else if ok && !(nowSec < exp+skew.Seconds()) {
		return "JWTExpired"
	}
	if nbf, ok, bad := numeric("nbf"); bad != "" {
		return bad
	} else if ok && !(nowSec >= nbf-skew.Seconds()) {
		return "JWTNotYetValid"
	}
	if iss, ok := claims["iss"].(string); ok && cfg.Issuer != "" && iss != cfg.Issuer {
		return "JWTNotInIssuer"
	}
	if len(cfg.Audience) > 0 {
		var auds []string
		switch a := claims["aud"].(type) {
		case string:
			auds = []string{a}
		case []any:
			for _, x := range a {
				if s, ok := x.(string); ok {
					auds = append(auds, s)
				}
			}
		case nil:
			return ""
		}
		for _, a := range auds {
			for _, want := range cfg.Audience {
				if a == want {
					return ""
				}
			}
		}
		return "JWTNotInAudience"
	}
	return ""
}

func decodeClaims(payload []byte) (map[string]any, string) {
	dec := json.NewDecoder(bytes.NewReader(payload))
	dec.UseNumber()
	var claims map[string]any
	if err := dec.Decode(&claims); err != nil || claims == nil {
		return nil, `JWTClaimsSetDecodeError "Error in $: expected Object"`
	}
	return claims, ""
}
