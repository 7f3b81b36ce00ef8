package apptest

import (
	"context"
	"sync/atomic"

	"github.com/jackc/pgx/v5"
)

// TripCounter counts database round trips: every statement sent on its own
// (including BEGIN and COMMIT) and every pipelined batch is one.
type TripCounter struct {
	n atomic.Int64
}

// Take returns the trips counted since the last Take.
func (c *TripCounter) Take() int64 { return c.n.Swap(0) }

// TraceQueryStart implements pgx.QueryTracer.
func (c *TripCounter) TraceQueryStart(ctx context.Context, _ *pgx.Conn, _ pgx.TraceQueryStartData) context.Context {
	c.n.Add(1)
	return ctx
}

// TraceQueryEnd implements pgx.QueryTracer.
func (c *TripCounter) TraceQueryEnd(context.Context, *pgx.Conn, pgx.TraceQueryEndData) {}

// TraceBatchStart implements pgx.BatchTracer: a batch is one round trip.
func (c *TripCounter) TraceBatchStart(ctx context.Context, _ *pgx.Conn, _ pgx.TraceBatchStartData) context.Context {
	c.n.Add(1)
	return ctx
}

// TraceBatchQuery implements pgx.BatchTracer.
func (c *TripCounter) TraceBatchQuery(context.Context, *pgx.Conn, pgx.TraceBatchQueryData) {}

// TraceBatchEnd implements pgx.BatchTracer.
func (c *TripCounter) TraceBatchEnd(context.Context, *pgx.Conn, pgx.TraceBatchEndData) {}
