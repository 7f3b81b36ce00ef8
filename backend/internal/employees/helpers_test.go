package employees_test

import (
	"context"
	"testing"

	"connectrpc.com/connect"

	"github.com/zeugo/zeugo/backend/internal/apptest"
	zeugov1 "github.com/zeugo/zeugo/backend/internal/gen/zeugo/v1"
	"github.com/zeugo/zeugo/backend/internal/gen/zeugo/v1/zeugov1connect"
)

// client is one signed-in caller with the clients of the services the
// tests use.
type client struct {
	Emp zeugov1connect.EmployeeServiceClient
	Org zeugov1connect.OrganizationServiceClient
}

func clientOf(s *apptest.Session) *client {
	return &client{Emp: zeugov1connect.NewEmployeeServiceClient(s.HTTP, s.URL, s.Options()...), Org: s.Org()}
}

func clientFor(env *apptest.Env, p apptest.Protocol, token string) *client {
	return clientOf(&apptest.Session{Token: token, Protocol: p, URL: env.Server.URL, HTTP: env.HTTPClient()})
}

func signInAs(t testing.TB, env *apptest.Env, email, password string, p apptest.Protocol) *client {
	t.Helper()
	return clientOf(apptest.SignIn(t, env, email, password, p))
}

func signIn(t testing.TB, env *apptest.Env, ten *apptest.Tenant) *client {
	t.Helper()
	return signInAs(t, env, ten.Email, ten.Password, apptest.Connect)
}

func ctx() context.Context { return context.Background() }

// addUser is apptest.AddUser with the employees' clients.
func addUser(t testing.TB, env *apptest.Env, ten *apptest.Tenant, email string, areas []string, r apptest.Restriction) *client {
	t.Helper()
	return clientOf(apptest.AddUser(t, env, ten, email, areas, r))
}

// person is a valid employee.
func person(pn, first, last string) *zeugov1.EmployeeFields {
	return &zeugov1.EmployeeFields{Salutation: zeugov1.Salutation_SALUTATION_FRAU, FirstName: first, LastName: last,
		PersonnelNumber: pn, EntryDate: "2019-04-01", JobTitle: "Sachbearbeiterin", BirthDate: "1990-02-03",
		Street: "Hauptstraße 1", Postcode: "80331", City: "München", Email: "person@example.org",
		Tasks: []string{"Buchhaltung", "Lohnabrechnung"}}
}

func create(t testing.TB, c *client, f *zeugov1.EmployeeFields) *zeugov1.Employee {
	t.Helper()
	res, err := c.Emp.CreateEmployee(ctx(), connect.NewRequest(&zeugov1.CreateEmployeeRequest{Fields: f}))
	if err != nil {
		t.Fatalf("create %s: %v", f.GetPersonnelNumber(), err)
	}
	return res.Msg.GetEmployee()
}
