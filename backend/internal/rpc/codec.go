package rpc

import (
	"errors"

	"connectrpc.com/connect"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"
)

// errUndecodable is the whole answer to a request body that is not a valid
// message: connect-go's own codecs say "unmarshal into
// *zeugov1.CreateCompanyRequest: …", naming our Go types and echoing parts
// of the body (protojson quotes the offending token), which tells an
// attacker about the implementation and helps nobody else — the client
// either speaks the schema or it does not.
var errUndecodable = errors.New("the request could not be decoded")

// codecs replaces connect-go's proto and JSON codecs with ones that behave
// the same (binary proto; protojson discarding unknown fields) except for
// the error text. They are used by Connect, gRPC and gRPC-Web alike.
func codecs() connect.HandlerOption {
	return connect.WithOptions(
		connect.WithCodec(protoCodec{}),
		connect.WithCodec(jsonCodec{name: "json"}),
		connect.WithCodec(jsonCodec{name: "json; charset=utf-8"}),
	)
}

type protoCodec struct{}

func (protoCodec) Name() string { return "proto" }

func (protoCodec) Marshal(m any) ([]byte, error) {
	pm, ok := m.(proto.Message)
	if !ok {
		return nil, errUndecodable
	}
	return proto.Marshal(pm)
}

func (protoCodec) MarshalAppend(dst []byte, m any) ([]byte, error) {
	pm, ok := m.(proto.Message)
	if !ok {
		return nil, errUndecodable
	}
	return proto.MarshalOptions{}.MarshalAppend(dst, pm)
}

// MarshalStable and IsBinary make the codec usable for Connect GET requests,
// as connect-go's own is.
func (protoCodec) MarshalStable(m any) ([]byte, error) {
	pm, ok := m.(proto.Message)
	if !ok {
		return nil, errUndecodable
	}
	return proto.MarshalOptions{Deterministic: true}.Marshal(pm)
}

func (protoCodec) IsBinary() bool { return true }

func (protoCodec) Unmarshal(data []byte, m any) error {
	pm, ok := m.(proto.Message)
	if !ok || proto.Unmarshal(data, pm) != nil {
		return errUndecodable
	}
	return nil
}

type jsonCodec struct{ name string }

func (c jsonCodec) Name() string { return c.name }

func (jsonCodec) Marshal(m any) ([]byte, error) {
	pm, ok := m.(proto.Message)
	if !ok {
		return nil, errUndecodable
	}
	return protojson.MarshalOptions{}.Marshal(pm)
}

func (jsonCodec) MarshalAppend(dst []byte, m any) ([]byte, error) {
	pm, ok := m.(proto.Message)
	if !ok {
		return nil, errUndecodable
	}
	return protojson.MarshalOptions{}.MarshalAppend(dst, pm)
}

func (c jsonCodec) MarshalStable(m any) ([]byte, error) { return c.Marshal(m) }

func (jsonCodec) IsBinary() bool { return false }

// Unmarshal discards unknown fields, as connect-go does, so clients and
// servers need not share exactly one schema version.
func (jsonCodec) Unmarshal(data []byte, m any) error {
	pm, ok := m.(proto.Message)
	if !ok || len(data) == 0 || (protojson.UnmarshalOptions{DiscardUnknown: true}).Unmarshal(data, pm) != nil {
		return errUndecodable
	}
	return nil
}
