// Command hasura-jwt-key makes the Ed25519 key with which a service signs
// Hasura tokens locally (package clerkhasura/localjwt), and prints it with
// the Hasura configuration that trusts it:
//
//	hasura-jwt-key -issuer https://api.example.com -clerk https://clerk.example.com -out hasura-signing.pem
//
// It prints three configurations, one to choose: HASURA_GRAPHQL_JWT_SECRETS
// for Hasura Cloud and Enterprise Edition, which hold Clerk's keys and
// the service's side by side, told apart by issuer; and, for open-source
// Hasura, which reads one HASURA_GRAPHQL_JWT_SECRET, either a jwk_url at
// the service's JWKS (which must then republish Clerk's keys:
// localjwt.JWKSOptions.ClerkJWKS), or the public key itself (no fetch
// when Hasura starts, but a restart of Hasura to rotate, and Clerk's own
// tokens no longer accepted).
//
// Flags:
//
//	-issuer URL          the service's iss, an https URL (required)
//	-clerk URL           the Clerk Frontend API URL, Clerk's iss (required)
//	-jwks-url URL        where the service serves localjwt's JWKSHandler
//	                     (default: the issuer + /.well-known/hasura-jwks.json)
//	-clerk-jwks-url URL  Clerk's JWKS (default: -clerk + /.well-known/jwks.json)
//	-audience AUD        the aud of the service's tokens, if it sets one
//	-out FILE            write the new key to FILE (mode 0600, never over
//	                     an existing file) instead of printing it
//	-key FILE            print the configuration for an existing key
//
// The private key is the secret: whoever holds it can act as any user.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"time"
)

func main() { os.Exit(run(os.Args[1:], os.Stdout, os.Stderr, time.Now)) }

// run is the command; it returns the exit status.
func run(args []string, stdout, stderr io.Writer, now func() time.Time) int {
	fs := flag.NewFlagSet("hasura-jwt-key", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var c config
	fs.StringVar(&c.issuer, "issuer", "", "the service's iss, an https URL (required)")
	fs.StringVar(&c.clerk, "clerk", "", "the Clerk Frontend API URL, Clerk's iss (required)")
	fs.StringVar(&c.jwksURL, "jwks-url", "", "the URL of the service's JWKS (default: the issuer + /.well-known/hasura-jwks.json)")
	fs.StringVar(&c.clerkJWKSURL, "clerk-jwks-url", "", "Clerk's JWKS URL (default: -clerk + /.well-known/jwks.json)")
	fs.StringVar(&c.audience, "audience", "", "the aud of the service's tokens, if any")
	fs.StringVar(&c.out, "out", "", "write the new key to this file (mode 0600) instead of printing it")
	fs.StringVar(&c.keyFile, "key", "", "print the configuration for the key in this file")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "hasura-jwt-key: unexpected argument %q\n", fs.Arg(0))
		return 2
	}
	if err := c.check(); err != nil {
		fmt.Fprintln(stderr, "hasura-jwt-key:", err)
		return 2
	}
	if err := c.print(stdout, now()); err != nil {
		fmt.Fprintln(stderr, "hasura-jwt-key:", err)
		return 1
	}
	return 0
}
