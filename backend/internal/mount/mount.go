// Package mount is the contract between a domain and the server: each
// domain package exports a Mount function returning the Connect services it
// contributes, the composition root (package app) collects them into one
// list, and the server (package rpc) serves that list — with health,
// reflection and the access rules read from the same names. The server
// therefore imports no domain, and adding a domain is one line in app.
package mount

import (
	"net/http"

	"connectrpc.com/connect"
)

// Service is one Connect service a domain serves.
type Service struct {
	// Name is the fully qualified service name, e.g. "zeugo.v1.OrganizationService"
	// (the generated XServiceName constant).
	Name string
	// Handler builds the service's route and handler with the server's
	// options (interceptors, limits, compression); it is the generated
	// NewXServiceHandler over the domain's handler.
	Handler func(opts ...connect.HandlerOption) (string, http.Handler)
	// Limits raises the request size limit for single procedures (path
	// "/zeugo.v1.EmployeeService/PreviewEmployeeImport" → bytes), e.g. for
	// file uploads; every other procedure keeps the server's limit.
	Limits map[string]int64
	// Routes are plain HTTP routes the domain serves beside its Connect
	// service (ServeMux pattern → handler), e.g. an OpenID Connect
	// callback that a browser reaches by a redirect. They pass the
	// server's middleware (request ids, client addresses, security
	// headers) but no Connect interceptor: each handles its own access.
	Routes map[string]http.Handler
}
