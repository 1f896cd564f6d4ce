package fakehasura

import (
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"net/url"
	"strconv"
	"strings"
)

// parseStaticKey is Hasura's parseKey (Auth/JWT.hs) with the parsers of
// Auth/JWT/Internal.hs: an HMAC type takes the key's UTF-8 bytes, every
// other type a PEM public key (PKCS#1 RSA or SubjectPublicKeyInfo) or an
// X.509 certificate. It returns the key, or the reason Hasura gives after
// "Invalid JWK: ". The reason never quotes the key.
func parseStaticKey(keyType, raw string) (any, string) {
	switch keyType {
	case "HS256", "HS384", "HS512":
		bits, _ := strconv.Atoi(keyType[2:])
		if len(raw) < bits/8 {
			return nil, "Key size too small; should be atleast " + strconv.Itoa(bits/8) + " characters"
		}
		return []byte(raw), ""
	case "RS256", "RS384", "RS512", "Ed25519", "ES256", "ES384", "ES512":
		key, reason := parsePublicKeyPEM(raw)
		if reason != "" {
			return nil, "Could not decode PEM: " + reason
		}
		return key, ""
	}
	return nil, "Key type: " + keyType + " is not supported"
}

// parsePublicKeyPEM reads the first PEM block as Hasura's fromRawPem does:
// as a public key first, then as a certificate. Like Hasura it does not
// check that the key suits the configured type. Where Hasura quotes its
// ASN.1 library, the text after "Could not decode PEM: " is the fake's.
func parsePublicKeyPEM(raw string) (any, string) {
	block, _ := pem.Decode([]byte(raw))
	if block == nil {
		return nil, "No pem found"
	}
	if pub, err := x509.ParsePKCS1PublicKey(block.Bytes); err == nil {
		return pub, ""
	}
	if pub, err := x509.ParsePKIXPublicKey(block.Bytes); err == nil {
		return publicKeyJWK(pub)
	}
	cert, err := x509.ParseCertificate(block.Bytes)
	if err != nil {
		return nil, "neither a public key nor a certificate"
	}
	switch cert.PublicKey.(type) {
	case *rsa.PublicKey, *ecdsa.PublicKey, ed25519.PublicKey:
		return publicKeyJWK(cert.PublicKey)
	}
	return nil, "Could not decode RSA, EdDSA or EC public key from x509 cert"
}

// publicKeyJWK is Hasura's pubKeyToJwk: RSA, Ed25519 and EC keys on the
// curves JOSE names.
func publicKeyJWK(pub any) (any, string) {
	switch k := pub.(type) {
	case *rsa.PublicKey, ed25519.PublicKey:
		return k, ""
	case *ecdsa.PublicKey:
		switch k.Curve {
		case elliptic.P256(), elliptic.P384(), elliptic.P521():
			return k, ""
		}
		return nil, "Error getting EC parameters from the public key"
	}
	return nil, "This key type is not supported"
}

// isStringOrURI is jose's StringOrURI: any string without a colon, or an
// absolute URI.
func isStringOrURI(s string) bool {
	if !strings.Contains(s, ":") {
		return true
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c <= ' ' || c >= 0x7f || strings.IndexByte(`"<>\^`+"`"+`{|}`, c) >= 0 {
			return false
		}
	}
	u, err := url.Parse(s)
	return err == nil && u.Scheme != ""
}
