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

	"github.com/clerkhasura/clerkhasura-go/clerkhasura"
	"github.com/clerkhasura/clerkhasura-go/internal/signin"
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
	s, err := signin.SignIn(ctx, inv.env, inv.id)
	if err != nil {
		return fail("%v", err)
	}
	defer func() {
		if err := s.Close(ctx); err != nil {
			fmt.Fprintf(stderr, "hasura-as: %v\n", err)
		}
	}()

	resp, status, err := post(ctx, inv, s.Tokens)
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
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, inv.env.Endpoint, bytes.NewReader(body))
	if err != nil {
		return gqlResponse{}, 0, err
	}
	req.Header.Set("Content-Type", "application/json")
	tr, err := clerkhasura.NewTransport(inv.env.Endpoint, src, &clerkhasura.TransportOptions{Role: inv.role})
	if err != nil {
		return gqlResponse{}, 0, err
	}
	hc := &http.Client{Transport: tr}
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

func isJSONObject(s string) bool {
	var m map[string]json.RawMessage
	return json.Unmarshal([]byte(s), &m) == nil && m != nil
}
