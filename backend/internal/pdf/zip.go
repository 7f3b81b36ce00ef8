package pdf

import (
	"archive/zip"
	"context"
	"fmt"
	"io"
	"runtime"
	"sync"
	"time"

	"github.com/zeugo/zeugo/backend/internal/generator"
)

// NamedDocument is one reference to put into an archive under Name.
type NamedDocument struct {
	Name string
	Doc  generator.Document
	// Layout overrides the archive's layout for this document (a tenant
	// with several companies has one letterhead per company).
	Layout *Layout
	// PDF, when set, is stored as it is instead of rendering Doc (an issued
	// certificate's stored document, which must stay byte-identical); Doc
	// then only gives the entry's date.
	PDF []byte
}

// Archive is a ZIP of PDFs written in parts: each Write renders its
// documents and appends them in the order given, so a large export can
// feed it batch by batch without holding all documents at once.
type Archive struct {
	zw      *zip.Writer
	layout  Layout
	workers int
}

// NewArchive starts an archive on w; layout and workers are as for
// WriteZip.
func NewArchive(w io.Writer, layout Layout, workers int) *Archive {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	return &Archive{zw: zip.NewWriter(w), layout: layout, workers: workers}
}

// Close writes the archive's central directory (it does not close the
// underlying writer).
func (a *Archive) Close() error { return a.zw.Close() }

// WriteZip renders the documents with workers goroutines (≤ 0: one per
// CPU) and streams them into one ZIP archive on w, in the order given, so
// the archive is the same whatever the scheduling. At most 2 × workers
// rendered PDFs wait in memory. PDFs are stored, not deflated: they are
// compressed already. It stops at the first error or when ctx is done.
func WriteZip(ctx context.Context, w io.Writer, docs []NamedDocument, layout Layout, workers int) error {
	a := NewArchive(w, layout, workers)
	if err := a.Write(ctx, docs); err != nil {
		return err
	}
	return a.Close()
}

// Write renders docs with the archive's workers and appends them in the
// order given; at most 2 × workers rendered PDFs wait in memory.
func (a *Archive) Write(ctx context.Context, docs []NamedDocument) error {
	layout, workers := a.layout, a.workers
	ctx, cancel := context.WithCancel(ctx)
	type result struct {
		b   []byte
		err error
	}
	results := make([]chan result, len(docs))
	for i := range results {
		results[i] = make(chan result, 1)
	}
	window := make(chan struct{}, 2*workers) // bounds rendered-but-unwritten PDFs
	jobs := make(chan int)
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				if docs[i].PDF != nil {
					results[i] <- result{docs[i].PDF, nil}
					continue
				}
				l := layout
				if docs[i].Layout != nil {
					l = *docs[i].Layout
				}
				b, err := Render(docs[i].Doc, l)
				results[i] <- result{b, err}
			}
		}()
	}
	go func() {
		defer close(jobs)
		for i := range docs {
			select {
			case window <- struct{}{}:
			case <-ctx.Done():
				return
			}
			select {
			case jobs <- i:
			case <-ctx.Done():
				return
			}
		}
	}()
	// On any return: stop the feeder first, then wait for the workers, which
	// finish their current document and find the job channel closed.
	defer func() {
		cancel()
		wg.Wait()
	}()
	zw := a.zw
	for i, d := range docs {
		var r result
		select {
		case r = <-results[i]:
		case <-ctx.Done():
			return ctx.Err()
		}
		<-window
		if r.err != nil {
			return fmt.Errorf("pdf: %s: %w", d.Name, r.err)
		}
		mod := d.Doc.Date.Time
		if mod.IsZero() {
			mod = time.Date(1980, 1, 1, 0, 0, 0, 0, time.UTC)
		}
		fw, err := zw.CreateHeader(&zip.FileHeader{Name: d.Name, Method: zip.Store, Modified: mod})
		if err != nil {
			return err
		}
		if _, err := fw.Write(r.b); err != nil {
			return err
		}
	}
	return nil
}
