package users

import (
	"time"

	"github.com/google/uuid"
	"google.golang.org/protobuf/types/known/timestamppb"

	zeugov1 "github.com/zeugo/zeugo/backend/internal/gen/zeugo/v1"
	"github.com/zeugo/zeugo/backend/internal/paging"
)

var states = map[zeugov1.UserState]State{
	zeugov1.UserState_USER_STATE_INVITED:     StateInvited,
	zeugov1.UserState_USER_STATE_ACTIVE:      StateActive,
	zeugov1.UserState_USER_STATE_LOCKED:      StateLocked,
	zeugov1.UserState_USER_STATE_DEACTIVATED: StateDeactivated,
}

func stateToProto(s State) zeugov1.UserState {
	for p, d := range states {
		if d == s {
			return p
		}
	}
	return zeugov1.UserState_USER_STATE_UNSPECIFIED
}

func queryFromProto(m *zeugov1.ListUsersRequest) Query {
	return Query{Page: paging.FromProto(m.GetPage()), Desc: paging.Descending(m.GetDirection()),
		State: states[m.GetState()], Search: m.GetQuery()}
}

// ids parses ids the validator checked already (uuid rule on every item).
func ids(in []string) []uuid.UUID {
	out := make([]uuid.UUID, 0, len(in))
	for _, s := range in {
		out = append(out, uuid.MustParse(s))
	}
	return out
}

func strs(in []uuid.UUID) []string {
	out := make([]string, len(in))
	for i, id := range in {
		out[i] = id.String()
	}
	return out
}

func fieldsFromProto(f *zeugov1.UserFields) Fields {
	a := f.GetCertificateAccess()
	return Fields{FirstName: f.GetFirstName(), LastName: f.GetLastName(), Phone: f.GetMobilePhone(), Language: f.GetLanguage(),
		RoleID: uuid.MustParse(f.GetRoleId()),
		Access: Access{All: a.GetAll(), Companies: ids(a.GetCompanyIds()), Locations: ids(a.GetLocationIds()),
			Departments: ids(a.GetDepartmentIds()), OrgUnits: ids(a.GetOrgUnitIds()), EmployeeTypes: ids(a.GetEmployeeTypeIds())}}
}

func optTime(t *time.Time) *timestamppb.Timestamp {
	if t == nil {
		return nil
	}
	return timestamppb.New(*t)
}

func userToProto(u *User) *zeugov1.User {
	f, a := u.Fields, u.Fields.Access
	return &zeugov1.User{Id: u.ID.String(), Email: u.Email, RoleName: u.RoleName, State: stateToProto(u.State),
		Version: u.Version, InviteTime: optTime(u.InvitedAt), InvitationExpireTime: optTime(u.InvitationExpiresAt),
		LastLoginTime: optTime(u.LastLoginAt), LockTime: optTime(u.LockedAt), DeactivateTime: optTime(u.DeactivatedAt),
		CreateTime: timestamppb.New(u.CreatedAt), UpdateTime: timestamppb.New(u.UpdatedAt),
		Fields: &zeugov1.UserFields{FirstName: f.FirstName, LastName: f.LastName, MobilePhone: f.Phone, Language: f.Language,
			RoleId: f.RoleID.String(), CertificateAccess: &zeugov1.CertificateAccess{All: a.All,
				CompanyIds: strs(a.Companies), LocationIds: strs(a.Locations), DepartmentIds: strs(a.Departments),
				OrgUnitIds: strs(a.OrgUnits), EmployeeTypeIds: strs(a.EmployeeTypes)}}}
}

func optionsToProto(in []Option) []*zeugov1.AccessOption {
	out := make([]*zeugov1.AccessOption, len(in))
	for i, o := range in {
		out[i] = &zeugov1.AccessOption{Id: o.ID.String(), Name: o.Name}
	}
	return out
}
