package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"regexp"

	"github.com/clerkhasura/clerkhasura-go/clerkhasura"
	"github.com/clerkhasura/clerkhasura-go/internal/endpoint"
	"github.com/clerkhasura/clerkhasura-go/internal/hasuraerr"
	"github.com/clerkhasura/clerkhasura-go/internal/introspection"
	"github.com/clerkhasura/clerkhasura-go/internal/signin"
)

// maxAnswer bounds Hasura's answer. An admin role's schema takes about
// 40 KB of introspection per table, so this is some 1,500 tables.
const maxAnswer = 64 << 20

// cmdError is an error and the exit status it gives.
type cmdError struct {
	status int
	msg    string
}

func (e *cmdError) Error() string { return e.msg }

// failed is a failure of Clerk or Hasura: exit status 1.
func failed(format string, args ...any) error {
	return &cmdError{exitFailed, fmt.Sprintf(format, args...)}
}

// refused is a refusal of what the invocation asks for: exit status 2.
func refused(format string, args ...any) error {
	return &cmdError{exitRefused, fmt.Sprintf(format, args...)}
}

func statusOf(err error) int {
	var ce *cmdError
	if errors.As(err, &ce) {
		return ce.status
	}
	return exitFailed
}

// fetch signs in, introspects Hasura as the user and returns the SDL.
func fetch(ctx context.Context, inv invocation, stderr io.Writer) ([]byte, error) {
	s, err := signin.SignIn(ctx, inv.env, inv.id)
	if err != nil {
		return nil, failed("%v", err)
	}
	defer func() {
		if err := s.Close(ctx); err != nil {
			fmt.Fprintf(stderr, "hasura-schema: %v\n", err)
		}
	}()
	data, err := introspect(ctx, inv, s.Tokens)
	if err != nil {
		return nil, err
	}
	sdl, err := introspection.SDL(data)
	switch {
	case errors.Is(err, introspection.ErrNoSchema):
		return nil, notHasura(inv, "its answer holds no schema")
	case err != nil:
		return nil, failed("the schema Hasura sent is not valid: %v", err)
	}
	return sdl, nil
}

// introspect sends the introspection query and returns the answer's data.
func introspect(ctx context.Context, inv invocation, src clerkhasura.TokenSource) (json.RawMessage, error) {
	tr, err := clerkhasura.NewTransport(inv.env.Endpoint, src, &clerkhasura.TransportOptions{Role: inv.role})
	if err != nil {
		return nil, refused("HASURA_GRAPHQL_ENDPOINT: %v", err)
	}
	// A redirect would send the query on to a host the endpoint does not
	// name: the user is told where it leads instead.
	client := &http.Client{Transport: tr, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	body, err := json.Marshal(map[string]string{"query": introspection.Query, "operationName": "IntrospectionQuery"})
	if err != nil {
		return nil, failed("%v", err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, inv.env.Endpoint, bytes.NewReader(body))
	if err != nil {
		return nil, refused("HASURA_GRAPHQL_ENDPOINT: %v", err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	resp, err := client.Do(req)
	if err != nil {
		return nil, sendError(ctx, inv, err)
	}
	defer resp.Body.Close()
	if err := checkStatus(inv, resp); err != nil {
		return nil, err
	}
	raw, err := io.ReadAll(io.LimitReader(resp.Body, maxAnswer+1))
	switch {
	case errors.Is(err, clerkhasura.ErrResponseTooLarge):
		// The transport bounds what is not JSON far below maxAnswer.
		return nil, notHasura(inv, "its answer is not a GraphQL response"+mediaType(resp.Header.Get("Content-Type")))
	case err != nil:
		return nil, failed("reading Hasura's answer: %v", err)
	case len(raw) > maxAnswer:
		return nil, failed("Hasura's answer is larger than %d MiB", maxAnswer>>20)
	}
	return answerData(inv, raw, resp.Header.Get("Content-Type"))
}

// sendError says why no answer came.
func sendError(ctx context.Context, inv invocation, err error) error {
	var clerkErr *clerkhasura.ClerkError
	switch {
	case errors.Is(ctx.Err(), context.DeadlineExceeded):
		return failed("no answer within %s (-timeout)", inv.timeout)
	case ctx.Err() != nil:
		return failed("interrupted")
	case errors.As(err, &clerkErr):
		return failed("%v", clerkErr)
	}
	// The *url.Error around it repeats the endpoint, which may hold a
	// credential.
	var uerr *url.Error
	if errors.As(err, &uerr) {
		err = uerr.Err
	}
	return failed("cannot reach Hasura at %s: %v", endpoint.Printable(inv.env.Endpoint), err)
}

// checkStatus refuses an answer that is not Hasura's: Hasura answers
// every /v1/graphql request, errors included, with HTTP 200. The body of
// another answer is never read, let alone quoted.
func checkStatus(inv invocation, resp *http.Response) error {
	switch s := resp.StatusCode; {
	case s == http.StatusOK:
		return nil
	case s >= 300 && s < 400:
		to := "elsewhere"
		if loc, err := resp.Location(); err == nil {
			to = "to " + endpoint.Printable(loc.String())
		}
		return notHasura(inv, fmt.Sprintf("HTTP %d redirects %s, which is not followed", s, to))
	case s >= 500:
		return failed("Hasura at %s answered HTTP %d", endpoint.Printable(inv.env.Endpoint), s)
	default:
		return notHasura(inv, fmt.Sprintf("HTTP %d%s", s, mediaType(resp.Header.Get("Content-Type"))))
	}
}

// answerData returns the data of a GraphQL answer, or the error Hasura
// sent instead.
func answerData(inv invocation, raw []byte, contentType string) (json.RawMessage, error) {
	resp, err := hasuraerr.Parse(raw)
	switch {
	case err != nil:
		return nil, notHasura(inv, "its answer is not a GraphQL response"+mediaType(contentType))
	case len(resp.Errors) > 0:
		return nil, hasuraError(resp.Errors[0])
	case !resp.DataMember:
		return nil, notHasura(inv, "its answer is JSON but not a GraphQL response")
	}
	var doc map[string]json.RawMessage
	if err := json.Unmarshal(raw, &doc); err != nil {
		return nil, failed("reading Hasura's answer: %v", err)
	}
	return doc["data"], nil
}

func notHasura(inv invocation, why string) error {
	return refused("HASURA_GRAPHQL_ENDPOINT (%s) is not Hasura's GraphQL endpoint: %s; give Hasura's base URL or its /v1/graphql URL",
		endpoint.Printable(inv.env.Endpoint), why)
}

var mediaTypeRE = regexp.MustCompile(`^[a-z0-9!#$&^_.+-]+/[a-z0-9!#$&^_.+-]+$`)

// mediaType is ", <type>" for a Content-Type worth printing, else "".
func mediaType(contentType string) string {
	mt, _, err := mime.ParseMediaType(contentType)
	if err != nil || len(mt) > 64 || !mediaTypeRE.MatchString(mt) {
		return ""
	}
	return ", " + mt
}
