package rpc

import (
	"context"
	"errors"
	"strconv"
	"strings"

	"buf.build/gen/go/bufbuild/protovalidate/protocolbuffers/go/buf/validate"
	"connectrpc.com/connect"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/types/descriptorpb"
)

// NoNULRuleID is the rule id of a string field that contains U+0000. The
// SPA translates it like a protovalidate rule id (validation.rule.zeugo.no_nul).
const NoNULRuleID = "zeugo.no_nul"

// maxNULViolations bounds the answer to a request full of NUL characters.
const maxNULViolations = 20

// NewNoNULInterceptor returns the validation rule that no string anywhere in
// a request contains the NUL character (U+0000). PostgreSQL text cannot hold
// it (SQLSTATE 22021), so without this rule any text field answered
// Internal; the other storage paths (encrypted fields, JSON) and the PDF
// renderer have no use for it either. One interceptor for every string of
// every request — nested messages, repeated fields, map keys and values —
// instead of a pattern on each field that a new field could forget. It
// answers InvalidArgument with a buf.validate.Violations detail naming each
// field, like protovalidate, so clients show the message at the field.
// Place it right after validate.NewInterceptor().
func NewNoNULInterceptor() connect.Interceptor { return noNULInterceptor{} }

type noNULInterceptor struct{}

func (noNULInterceptor) WrapUnary(next connect.UnaryFunc) connect.UnaryFunc {
	return func(ctx context.Context, req connect.AnyRequest) (connect.AnyResponse, error) {
		if err := checkNoNUL(req.Any()); err != nil {
			return nil, err
		}
		return next(ctx, req)
	}
}

func (noNULInterceptor) WrapStreamingClient(next connect.StreamingClientFunc) connect.StreamingClientFunc {
	return next
}

func (noNULInterceptor) WrapStreamingHandler(next connect.StreamingHandlerFunc) connect.StreamingHandlerFunc {
	return func(ctx context.Context, conn connect.StreamingHandlerConn) error {
		return next(ctx, &noNULConn{StreamingHandlerConn: conn})
	}
}

// noNULConn checks every message a client streams.
type noNULConn struct {
	connect.StreamingHandlerConn
}

func (c *noNULConn) Receive(msg any) error {
	if err := c.StreamingHandlerConn.Receive(msg); err != nil {
		return err
	}
	return checkNoNUL(msg)
}

// checkNoNUL returns the InvalidArgument error for msg, or nil.
func checkNoNUL(msg any) error {
	m, ok := msg.(proto.Message)
	if !ok {
		return nil
	}
	var found []*validate.Violation
	walkStrings(m.ProtoReflect(), nil, func(path []*validate.FieldPathElement, forKey bool) bool {
		v := &validate.Violation{
			Field:   &validate.FieldPath{Elements: clonePath(path)},
			RuleId:  proto.String(NoNULRuleID),
			Message: proto.String("must not contain the NUL character"),
		}
		if forKey {
			v.ForKey = proto.Bool(true)
		}
		found = append(found, v)
		return len(found) < maxNULViolations
	})
	if len(found) == 0 {
		return nil
	}
	err := connect.NewError(connect.CodeInvalidArgument,
		errors.New("validation error: "+pathString(found[0].GetField())+": must not contain the NUL character"))
	if d, derr := connect.NewErrorDetail(&validate.Violations{Violations: found}); derr == nil {
		err.AddDetail(d)
	}
	return err
}

// walkStrings calls report for every string (and string map key) holding a
// NUL character, with its field path; report returns false to stop.
func walkStrings(m protoreflect.Message, path []*validate.FieldPathElement, report func([]*validate.FieldPathElement, bool) bool) bool {
	cont := true
	m.Range(func(fd protoreflect.FieldDescriptor, v protoreflect.Value) bool {
		el := &validate.FieldPathElement{
			FieldNumber: proto.Int32(int32(fd.Number())),
			FieldName:   proto.String(string(fd.Name())),
			FieldType:   descriptorpb.FieldDescriptorProto_Type(fd.Kind()).Enum(),
		}
		here := append(path, el)
		switch {
		case fd.IsMap():
			el.KeyType = descriptorpb.FieldDescriptorProto_Type(fd.MapKey().Kind()).Enum()
			el.ValueType = descriptorpb.FieldDescriptorProto_Type(fd.MapValue().Kind()).Enum()
			v.Map().Range(func(k protoreflect.MapKey, mv protoreflect.Value) bool {
				keyed := withSubscript(el, mapSubscript(fd.MapKey().Kind(), k))
				at := append(path, keyed)
				if fd.MapKey().Kind() == protoreflect.StringKind && hasNUL(k.String()) {
					if cont = report(at, true); !cont {
						return false
					}
				}
				cont = checkValue(fd.MapValue(), mv, at, report)
				return cont
			})
		case fd.IsList():
			l := v.List()
			for i := 0; i < l.Len() && cont; i++ {
				idx := withSubscript(el, &validate.FieldPathElement_Index{Index: uint64(i)})
				cont = checkValue(fd, l.Get(i), append(path, idx), report)
			}
		default:
			cont = checkValue(fd, v, here, report)
		}
		return cont
	})
	return cont
}

// checkValue checks one singular value (a string or a message).
func checkValue(fd protoreflect.FieldDescriptor, v protoreflect.Value, path []*validate.FieldPathElement, report func([]*validate.FieldPathElement, bool) bool) bool {
	switch fd.Kind() {
	case protoreflect.StringKind:
		if hasNUL(v.String()) {
			return report(path, false)
		}
	case protoreflect.MessageKind, protoreflect.GroupKind:
		return walkStrings(v.Message(), path, report)
	}
	return true
}

func hasNUL(s string) bool { return strings.IndexByte(s, 0) >= 0 }

func withSubscript(el *validate.FieldPathElement, sub any) *validate.FieldPathElement {
	c := proto.Clone(el).(*validate.FieldPathElement)
	switch s := sub.(type) {
	case *validate.FieldPathElement_Index:
		c.Subscript = s
	case *validate.FieldPathElement_StringKey:
		c.Subscript = s
	case *validate.FieldPathElement_IntKey:
		c.Subscript = s
	case *validate.FieldPathElement_UintKey:
		c.Subscript = s
	case *validate.FieldPathElement_BoolKey:
		c.Subscript = s
	}
	return c
}

func mapSubscript(kind protoreflect.Kind, k protoreflect.MapKey) any {
	switch kind {
	case protoreflect.BoolKind:
		return &validate.FieldPathElement_BoolKey{BoolKey: k.Bool()}
	case protoreflect.Uint32Kind, protoreflect.Uint64Kind, protoreflect.Fixed32Kind, protoreflect.Fixed64Kind:
		return &validate.FieldPathElement_UintKey{UintKey: k.Uint()}
	case protoreflect.StringKind:
		return &validate.FieldPathElement_StringKey{StringKey: k.String()}
	default:
		return &validate.FieldPathElement_IntKey{IntKey: k.Int()}
	}
}

// clonePath copies the path: the walk reuses the slice's backing array.
func clonePath(path []*validate.FieldPathElement) []*validate.FieldPathElement {
	out := make([]*validate.FieldPathElement, len(path))
	for i, el := range path {
		out[i] = proto.Clone(el).(*validate.FieldPathElement)
	}
	return out
}

// pathString renders a field path as protovalidate does: "fields.name",
// "items[2].name", `labels["k"]`.
func pathString(fp *validate.FieldPath) string {
	var b strings.Builder
	for i, el := range fp.GetElements() {
		if i > 0 {
			b.WriteByte('.')
		}
		b.WriteString(el.GetFieldName())
		switch s := el.GetSubscript().(type) {
		case *validate.FieldPathElement_Index:
			b.WriteString("[" + strconv.FormatUint(s.Index, 10) + "]")
		case *validate.FieldPathElement_StringKey:
			b.WriteString("[" + strconv.Quote(s.StringKey) + "]")
		}
	}
	return b.String()
}
