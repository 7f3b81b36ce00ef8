package rpc

import (
	"context"
	"errors"
	"strings"
	"sync"
	"time"

	"buf.build/gen/go/bufbuild/protovalidate/protocolbuffers/go/buf/validate"
	"connectrpc.com/connect"
	"github.com/rs/zerolog"
	"google.golang.org/protobuf/proto"

	"github.com/zeugo/zeugo/backend/internal/apperr"
	"github.com/zeugo/zeugo/backend/internal/postgres"
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
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		// The request's own deadline (the server's ZEUGO_RPC_TIMEOUT or the
		// client's) passed: whatever failed inside, the answer is
		// DeadlineExceeded — not Unavailable, which clients retry at once.
		return connect.NewError(connect.CodeDeadlineExceeded, errors.New("request timed out"))
	}
	err = outageBackstop(err)
	var ae *apperr.Error
	if errors.As(err, &ae) && ae.Code != apperr.Internal {
		if ae.Code == apperr.Unavailable {
			// An outage fails every request: one line per window, with
			// the number of requests it stands for.
			if ok, suppressed := unavailableLog.allow(); ok {
				log.Warn().Str("request_id", rid).Str("procedure", procedure).Str("cause", redact(ae)).
					Int("suppressed", suppressed).Msg("service unavailable")
			}
		} else if ae.Cause != nil {
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
	if errors.Is(err, context.DeadlineExceeded) {
		return connect.NewError(connect.CodeDeadlineExceeded, errors.New("request timed out"))
	}
	log.Error().Str("request_id", rid).Str("procedure", procedure).Str("error", redact(err)).Msg("internal error")
	return connect.NewError(connect.CodeInternal, errors.New("internal error (id "+rid+")"))
}

// outageBackstop gives a database outage its code even where a store
// returned the error unclassified or wrapped it as Internal (the rate
// limiter does): clients and load balancers must see Unavailable and retry,
// not a 500 per request.
func outageBackstop(err error) error {
	cause := err
	var ae *apperr.Error
	if errors.As(err, &ae) {
		if ae.Code != apperr.Internal || ae.Cause == nil {
			return err
		}
		cause = ae.Cause
	}
	if errors.Is(cause, context.Canceled) || errors.Is(cause, context.DeadlineExceeded) {
		return err
	}
	if c := postgres.Classify(cause); apperr.Is(c, apperr.Unavailable) {
		return c
	}
	return err
}

// unavailableLog bounds the log of Unavailable answers to one line per
// five seconds.
var unavailableLog = newBurstLog(5*time.Second, time.Now)

// burstLog lets one event per window through and counts the ones it
// suppressed, so a burst of identical failures logs a line every few
// seconds instead of one per request.
type burstLog struct {
	window time.Duration
	now    func() time.Time

	mu         sync.Mutex
	next       time.Time
	suppressed int
}

func newBurstLog(window time.Duration, now func() time.Time) *burstLog {
	return &burstLog{window: window, now: now}
}

// allow reports whether this event is logged and, if so, how many were
// suppressed since the last logged one.
func (b *burstLog) allow() (ok bool, suppressed int) {
	b.mu.Lock()
	defer b.mu.Unlock()
	now := b.now()
	if now.Before(b.next) {
		b.suppressed++
		return false, 0
	}
	suppressed, b.suppressed = b.suppressed, 0
	b.next = now.Add(b.window)
	return true, suppressed
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
