// Package wsproto holds the messages of the two GraphQL-over-websocket
// subprotocols Hasura v2 speaks: graphql-transport-ws (the graphql-ws
// library's protocol) and Apollo's older subscriptions-transport-ws, whose
// subprotocol is named "graphql-ws".
//
// Both protocols frame every message as a JSON object with a type, an
// optional id and an optional payload. They differ in the names of the
// operation messages, in how keepalives are sent, in the shape of error
// payloads and in the close codes that end a connection; [Protocol]
// captures those differences, so that a client and a server can be
// written once for both.
package wsproto

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
)

// Subprotocol names, as sent in Sec-WebSocket-Protocol.
const (
	// SubprotocolTransportWS is graphql-transport-ws.
	SubprotocolTransportWS = "graphql-transport-ws"
	// SubprotocolApollo is Apollo's subscriptions-transport-ws.
	SubprotocolApollo = "graphql-ws"
)

// Message types. Some belong to one protocol only; [Protocol] names the
// ones that differ.
const (
	TypeConnectionInit      = "connection_init"
	TypeConnectionAck       = "connection_ack"
	TypeConnectionError     = "connection_error"     // Apollo, server to client
	TypeConnectionTerminate = "connection_terminate" // Apollo, client to server
	TypeKeepAlive           = "ka"                   // Apollo, server to client
	TypePing                = "ping"                 // graphql-transport-ws
	TypePong                = "pong"                 // graphql-transport-ws
	TypeSubscribe           = "subscribe"            // graphql-transport-ws
	TypeStart               = "start"                // Apollo
	TypeNext                = "next"                 // graphql-transport-ws
	TypeData                = "data"                 // Apollo
	TypeError               = "error"
	TypeComplete            = "complete"
	TypeStop                = "stop" // Apollo
)

// Close codes Hasura uses (RFC 6455 codes and the 4xxx codes of
// graphql-transport-ws).
const (
	CloseNormal         = 1000
	CloseAbnormal       = 1006 // never sent: a connection lost without a close frame
	CloseServiceRestart = 1012
	CloseBadRequest     = 4400
	CloseUnauthorized   = 4401
	CloseForbidden      = 4403
	CloseInitTimeout    = 4408
)

// Protocol is one of the two subprotocols.
type Protocol int

// The protocols. The zero Protocol is invalid.
const (
	TransportWS Protocol = iota + 1
	Apollo
)

// FromSubprotocol returns the protocol a server runs for the negotiated
// subprotocol. Like Hasura, it runs Apollo for anything but
// graphql-transport-ws, an absent subprotocol included.
func FromSubprotocol(name string) Protocol {
	if name == SubprotocolTransportWS {
		return TransportWS
	}
	return Apollo
}

// String returns the subprotocol name.
func (p Protocol) String() string {
	switch p {
	case TransportWS:
		return SubprotocolTransportWS
	case Apollo:
		return SubprotocolApollo
	}
	return fmt.Sprintf("wsproto.Protocol(%d)", int(p))
}

// Subscribe is the type of the message that starts an operation.
func (p Protocol) Subscribe() string {
	if p == Apollo {
		return TypeStart
	}
	return TypeSubscribe
}

// Stop is the type of the message a client sends to end an operation.
func (p Protocol) Stop() string {
	if p == Apollo {
		return TypeStop
	}
	return TypeComplete
}

// Next is the type of the message that carries a result.
func (p Protocol) Next() string {
	if p == Apollo {
		return TypeData
	}
	return TypeNext
}

// KeepAlive is the type of the server's keepalive message.
func (p Protocol) KeepAlive() string {
	if p == Apollo {
		return TypeKeepAlive
	}
	return TypePing
}

// Message is one frame of either protocol.
type Message struct {
	ID      string          `json:"id,omitempty"`
	Type    string          `json:"type"`
	Payload json.RawMessage `json:"payload,omitempty"`
}

// ErrMalformed is matched by every error of [Decode].
var ErrMalformed = errors.New("wsproto: malformed message")

// Decode parses one frame. It fails, with an error matching
// [ErrMalformed], unless data is a JSON object whose type is a non-empty
// string and whose id, when present, is a string. Payload keeps the raw
// JSON of the payload member; a null payload counts as absent.
func Decode(data []byte) (Message, error) {
	var raw struct {
		ID      *json.RawMessage `json:"id"`
		Type    *json.RawMessage `json:"type"`
		Payload json.RawMessage  `json:"payload"`
	}
	trimmed := bytes.TrimSpace(data)
	if len(trimmed) == 0 || trimmed[0] != '{' {
		return Message{}, fmt.Errorf("%w: not a JSON object", ErrMalformed)
	}
	if err := json.Unmarshal(trimmed, &raw); err != nil {
		return Message{}, fmt.Errorf("%w: invalid JSON", ErrMalformed)
	}
	var m Message
	if raw.Type == nil || json.Unmarshal(*raw.Type, &m.Type) != nil || m.Type == "" {
		return Message{}, fmt.Errorf("%w: type is missing or not a string", ErrMalformed)
	}
	if raw.ID != nil && string(*raw.ID) != "null" {
		if json.Unmarshal(*raw.ID, &m.ID) != nil {
			return Message{}, fmt.Errorf("%w: id is not a string", ErrMalformed)
		}
	}
	if len(raw.Payload) > 0 && string(raw.Payload) != "null" {
		m.Payload = raw.Payload
	}
	return m, nil
}

// Encode renders m as one frame. Payload must be valid JSON or empty.
func Encode(m Message) []byte {
	b, err := json.Marshal(m)
	if err != nil {
		// Only an invalid Payload makes Marshal fail; send it as absent
		// rather than as a frame the peer cannot parse.
		m.Payload = nil
		b, _ = json.Marshal(m)
	}
	return b
}
