package rpc

import (
	"context"
	"errors"
	"strings"

	"buf.build/gen/go/bufbuild/protovalidate/protocolbuffers/go/buf/validate"
	"connectrpc.com/connect"
	"github.com/rs/zerolog"
	"google.golang.org/protobuf/proto"

	"github.com/zeugo/zeugo/backend/internal/apperr"
	"github.com/zeugo/zeugo/backend/internal/requestinfo"
)

var codeMap = map[apperr.Code]connect.Code{
	apperr.Internal:           connect.CodeInternal,
	apperr.InvalidArgument:    connect.CodeInvalidArgument,
	apperr.NotFound:           connect.CodeNotFound,
	apperr.AlreadyExists:      connect.CodeAlreadyExists,
	apperr.PermissionDenied:   connect.CodePermissionDenied,
	apperr.Unauthenticated:    connect.CodeUnauthenticated,
	apperr.FailedPrecondition: connect.CodeFailedPrecondition,
	apperr.Aborted:            connect.CodeAborted,
	apperr.ResourceExhausted:  connect.CodeResourceExhausted,
	apperr.Unavailable:        connect.CodeUnavailable,
}

// toConnect is the one place where errors become Connect errors. Domain
// errors keep their safe message (and field violations as a
// buf.validate.Violations detail, like protovalidate's own); everything else
// is logged with the request id and reaches the client only as
// "internal error (id …)".
func toConnect(ctx context.Context, log zerolog.Logger, procedure string, err error) (out error) {
	if err == nil {
		return nil
	}
	defer func() { noteRPCError(ctx, connect.CodeOf(out)) }() // for the access log
	var ce *connect.Error
	if errors.As(err, &ce) { // already mapped (validation, cleared cookie)
		return err
	}
	rid := requestinfo.From(ctx).RequestID
	var ae *apperr.Error
	if errors.As(err, &ae) && ae.Code != apperr.Internal {
		if ae.Cause != nil {
			log.Debug().Str("request_id", rid).Str("procedure", procedure).Str("code", ae.Code.String()).
				Str("cause", redact(ae.Cause)).Msg("request failed")
		}
		out := connect.NewError(codeMap[ae.Code], errors.New(ae.Message))
		setRetryAfter(out, ae.RetryAfter)
		if len(ae.Violations) > 0 {
			v := &validate.Violations{}
			for _, fv := range ae.Violations {
				v.Violations = append(v.Violations, &validate.Violation{
					Field: fieldPath(fv.Field), RuleId: proto.String(fv.RuleID), Message: proto.String(fv.Message)})
			}
			if d, derr := connect.NewErrorDetail(v); derr == nil {
				out.AddDetail(d)
			}
		}
		return out
	}
	if errors.Is(err, context.Canceled) {
		return connect.NewError(connect.CodeCanceled, errors.New("request cancelled"))
	}
	log.Error().Str("request_id", rid).Str("procedure", procedure).Str("error", redact(err)).Msg("internal error")
	return connect.NewError(connect.CodeInternal, errors.New("internal error (id "+rid+")"))
}

func fieldPath(dotted string) *validate.FieldPath {
	fp := &validate.FieldPath{}
	for _, name := range strings.Split(dotted, ".") {
		fp.Elements = append(fp.Elements, &validate.FieldPathElement{FieldName: proto.String(name)})
	}
	return fp
}

// redact keeps error text for the log but bounds its length; error texts
// of our stores and pgx carry SQL states and constraint names, never values
// (pgx does not include arguments in errors).
func redact(err error) string {
	s := err.Error()
	if len(s) > 500 {
		s = s[:500] + "…"
	}
	return s
}
