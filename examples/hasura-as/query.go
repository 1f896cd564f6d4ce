package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"time"

	"github.com/clerk/clerk-sdk-go/v2"
	"github.com/clerk/clerk-sdk-go/v2/session"

	"github.com/clerkhasura/clerkhasura-go/clerkhasura"
)

// maxResponse bounds the answer read from Hasura.
const maxResponse = 64 << 20

// gqlResponse is Hasura's answer.
type gqlResponse struct {
	Data   json.RawMessage `json:"data"`
	Errors []gqlError      `json:"errors"`
}

type gqlError struct {
	Message    string `json:"message"`
	Extensions struct {
		Code string `json:"code"`
		Path string `json:"path"`
	} `json:"extensions"`
}

// execute mints a token for the session (creating one for a user), sends
// the operation, and prints the data to stdout and the errors to stderr.
func execute(ctx context.Context, inv invocation, stdout, stderr io.Writer) int {
	fail := func(format string, args ...any) int {
		fmt.Fprintf(stderr, "hasura-as: "+format+"\n", args...)
		return 1
	}
	// Clerk's answers are a few kilobytes; a proxy's error page may not be.
	bc := clerk.BackendConfig{Key: clerk.String(inv.secretKey), HTTPClient: &http.Client{
		Timeout: 10 * time.Second, Transport: clerkhasura.LimitResponseBodies(nil, 0)}}
	if inv.apiURL != "" {
		bc.URL = clerk.String(inv.apiURL)
	}
	sessions := session.NewClient(&clerk.ClientConfig{BackendConfig: bc})
	sid := inv.sessionID
	if inv.userID != "" {
		s, err := sessions.Create(ctx, &session.CreateParams{UserID: inv.userID})
		if err != nil {
			return fail("creating a session for %s (development instances only): %v", inv.userID, clerkMessage(err))
		}
		sid = s.ID
		defer func() {
			rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
			defer cancel()
			if _, err := sessions.Revoke(rctx, &session.RevokeParams{ID: sid}); err != nil {
				fmt.Fprintf(stderr, "hasura-as: revoking session %s: %v\n", sid, clerkMessage(err))
			}
		}()
	}
	src := clerkhasura.NewCachedTokenSource(clerkhasura.NewSessionTokenSource(sessions, sid, inv.template), nil)
	defer src.Close()

	resp, status, err := post(ctx, inv, src)
	if err != nil {
		return fail("%v", err)
	}
	if status != http.StatusOK && len(resp.Errors) == 0 {
		return fail("Hasura answered HTTP %d", status)
	}
	for _, e := range resp.Errors {
		where := e.Extensions.Code
		if e.Extensions.Path != "" {
			where += " at " + e.Extensions.Path
		}
		fmt.Fprintf(stderr, "hasura-as: %s (%s)\n", e.Message, where)
	}
	if len(resp.Data) > 0 && !bytes.Equal(resp.Data, []byte("null")) {
		var out bytes.Buffer
		if err := json.Indent(&out, resp.Data, "", "  "); err != nil {
			return fail("Hasura's data is not JSON: %v", err)
		}
		out.WriteByte('\n')
		if _, err := out.WriteTo(stdout); err != nil {
			return fail("writing the result: %v", err)
		}
	}
	if len(resp.Errors) > 0 {
		return 1
	}
	return 0
}

// post sends the operation through a clerkhasura.Transport, which adds the
// token, and replaces it once if Hasura rejects it.
func post(ctx context.Context, inv invocation, src clerkhasura.TokenSource) (gqlResponse, int, error) {
	body, err := json.Marshal(struct {
		Query         string          `json:"query"`
		Variables     json.RawMessage `json:"variables,omitempty"`
		OperationName string          `json:"operationName,omitempty"`
	}{inv.query, inv.vars, inv.opName})
	if err != nil {
		return gqlResponse{}, 0, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, inv.endpoint, bytes.NewReader(body))
	if err != nil {
		return gqlResponse{}, 0, err
	}
	req.Header.Set("Content-Type", "application/json")
	hc := &http.Client{Transport: &clerkhasura.Transport{Source: src, Endpoint: inv.endpoint, Role: inv.role}}
	resp, err := hc.Do(req)
	if err != nil {
		// The *url.Error around it repeats the endpoint.
		var uerr *url.Error
		if errors.As(err, &uerr) {
			err = uerr.Err
		}
		return gqlResponse{}, 0, err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, maxResponse))
	if err != nil {
		return gqlResponse{}, resp.StatusCode, fmt.Errorf("reading Hasura's answer: %w", err)
	}
	var out gqlResponse
	if err := json.Unmarshal(raw, &out); err != nil && resp.StatusCode == http.StatusOK {
		return gqlResponse{}, resp.StatusCode, fmt.Errorf("the answer from Hasura is not JSON: %w", err)
	}
	return out, resp.StatusCode, nil
}

// clerkMessage shortens an error of clerk-sdk-go, whose text is a JSON
// dump of Clerk's answer, to Clerk's first message.
func clerkMessage(err error) string {
	var apiErr *clerk.APIErrorResponse
	if errors.As(err, &apiErr) && len(apiErr.Errors) > 0 {
		return fmt.Sprintf("HTTP %d: %s", apiErr.HTTPStatusCode, apiErr.Errors[0].Message)
	}
	return err.Error()
}

func isJSONObject(s string) bool {
	var m map[string]json.RawMessage
	return json.Unmarshal([]byte(s), &m) == nil && m != nil
}

func isHTTPURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}
