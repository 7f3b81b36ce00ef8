package postgres

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/zeugo/zeugo/backend/internal/paging"
)

// List is the one hand-written query builder: a tenant-filtered,
// keyset-paged SELECT over one table with optional conditions. Fixed
// statements are sqlc's; lists are dynamic (order, filters, scopes) and
// come through here, so the keyset logic and the tenant filter exist once.
// Every string field is a trusted constant of the calling store; values
// travel only as arguments.
type List struct {
	// Table and Columns are the FROM and the select list.
	Table, Columns string
	// Where are conditions ANDed to the tenant filter.
	Where []Cond
	// Key is the sort expression over a column (e.g. "lower(name)") and
	// KeyArg the same expression over the cursor's raw column value with a
	// "?" for it (e.g. "lower(?::text)", "?::timestamptz"), so PostgreSQL
	// computes both sides alike; ties are broken by id, in the same
	// direction.
	Key, KeyArg string
	Desc        bool
}

// scope names the list exactly — tenant, table, order and every condition
// with its arguments — so a page token opens only for the list, order and
// filters it was issued for, without each store having to spell that out.
func (l *List) scope(tenantID uuid.UUID) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s|%q|%q|%t", tenantID, l.Table, l.Key, l.Desc)
	for _, c := range l.Where {
		fmt.Fprintf(&b, "|%q", c.SQL)
		for _, a := range c.Args {
			fmt.Fprintf(&b, ":%q", fmt.Sprint(a))
		}
	}
	return b.String()
}

// Cond is one condition with "?" placeholders for Args.
type Cond struct {
	SQL  string
	Args []any
}

// Where returns a condition.
func Where(sql string, args ...any) Cond { return Cond{SQL: sql, Args: args} }

type builder struct {
	sb   strings.Builder
	args []any
}

func (b *builder) cond(c Cond) {
	parts := strings.Split(c.SQL, "?")
	if len(parts)-1 != len(c.Args) {
		// A programming error in a store (a literal "?" or a missing
		// argument), caught by its first test.
		panic(fmt.Sprintf("postgres.List: %d placeholders and %d arguments in %q", len(parts)-1, len(c.Args), c.SQL))
	}
	for i, p := range parts {
		b.sb.WriteString(p)
		if i < len(parts)-1 {
			b.args = append(b.args, c.Args[i])
			b.sb.WriteString("$" + strconv.Itoa(len(b.args)))
		}
	}
}

func (l *List) where(b *builder, tenantID uuid.UUID, after *paging.Cursor) {
	b.sb.WriteString(" FROM " + l.Table + " WHERE ")
	b.cond(Where("tenant_id = ?", tenantID))
	for _, c := range l.Where {
		b.sb.WriteString(" AND (")
		b.cond(c)
		b.sb.WriteString(")")
	}
	if after != nil {
		op := ">"
		if l.Desc {
			op = "<"
		}
		b.sb.WriteString(" AND (" + l.Key + ", id) " + op + " (")
		b.cond(Where(l.KeyArg+", ?", after.Key, after.ID))
		b.sb.WriteString(")")
	}
}

// ListPage reads one page of l for tenantID: the rows after the request's
// token (at most its limit) and the total, in one round trip with the tenant
// binding. keyOf returns a row's raw sort column value as text (the
// cursor; KeyArg turns it into the key) and its id.
func ListPage[T any](ctx context.Context, db *DB, tenantID uuid.UUID, codec *paging.Codec, l List, req paging.Request,
	scan pgx.RowToFunc[T], keyOf func(*T) (string, uuid.UUID)) (paging.Page[T], error) {
	var page paging.Page[T]
	scope := l.scope(tenantID)
	after, err := codec.Decode(scope, req.Token)
	if err != nil {
		return page, err
	}
	limit := req.Limit()
	dir := " ASC"
	if l.Desc {
		dir = " DESC"
	}
	var q builder
	q.sb.WriteString("SELECT " + l.Columns)
	l.where(&q, tenantID, after)
	q.sb.WriteString(" ORDER BY " + l.Key + dir + ", id" + dir + " LIMIT " + strconv.Itoa(limit+1))
	var c builder
	c.sb.WriteString("SELECT count(*)")
	l.where(&c, tenantID, nil)
	err = db.TenantBatch(ctx, tenantID, func(b *pgx.Batch) {
		b.Queue(q.sb.String(), q.args...).Query(func(rows pgx.Rows) (err error) {
			page.Items, err = pgx.CollectRows(rows, scan)
			return err
		})
		b.Queue(c.sb.String(), c.args...).QueryRow(func(row pgx.Row) error { return row.Scan(&page.Total) })
	})
	if err != nil {
		return page, err
	}
	if len(page.Items) > limit {
		page.Items = page.Items[:limit]
		key, id := keyOf(&page.Items[limit-1])
		page.Next = codec.Encode(scope, paging.Cursor{Key: key, ID: id})
	}
	return page, nil
}

// And appends conds to a fixed statement: base uses $1…$n for args, and
// each condition is ANDed after it with its "?" placeholders numbered on
// from there. It is how a fixed read includes a principal's ScopeCond
// (e.g. And("SELECT … FROM employees WHERE tenant_id = $1 AND id = $2",
// []any{t, id}, scope)). base is a trusted constant of the calling store.
func And(base string, args []any, conds ...Cond) (string, []any) {
	b := builder{args: append([]any{}, args...)}
	b.sb.WriteString(base)
	for _, c := range conds {
		b.sb.WriteString(" AND (")
		b.cond(c)
		b.sb.WriteString(")")
	}
	return b.sb.String(), b.args
}

// TimeKey orders l by a timestamp column (created_at, updated_at) and
// returns the cursor of a row: the column's value in RFC 3339 with
// nanoseconds, which PostgreSQL reads back exactly, and the row's id.
func TimeKey[T any](l *List, col string, at func(*T) time.Time, id func(*T) uuid.UUID) func(*T) (string, uuid.UUID) {
	l.Key, l.KeyArg = col, "?::timestamptz"
	return func(x *T) (string, uuid.UUID) { return at(x).UTC().Format(time.RFC3339Nano), id(x) }
}
