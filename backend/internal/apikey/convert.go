package apikey

import (
	"time"

	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/zeugo/zeugo/backend/internal/access"
	zeugov1 "github.com/zeugo/zeugo/backend/internal/gen/zeugo/v1"
	"github.com/zeugo/zeugo/backend/internal/paging"
)

func levelFromProto(a zeugov1.ApiKeyAccess) access.Level {
	switch a {
	case zeugov1.ApiKeyAccess_API_KEY_ACCESS_READ:
		return access.Read
	case zeugov1.ApiKeyAccess_API_KEY_ACCESS_WRITE:
		return access.Write
	}
	return 0
}

func levelToProto(l access.Level) zeugov1.ApiKeyAccess {
	if l == access.Write {
		return zeugov1.ApiKeyAccess_API_KEY_ACCESS_WRITE
	}
	return zeugov1.ApiKeyAccess_API_KEY_ACCESS_READ
}

func newKeyFromProto(m *zeugov1.CreateApiKeyRequest) NewKey {
	nk := NewKey{Name: m.GetName(), AllowedCIDRs: m.GetAllowedCidrs()}
	for _, s := range m.GetScopes() {
		nk.Grants = append(nk.Grants, Grant{Service: s.GetService(), Level: levelFromProto(s.GetAccess())})
	}
	if m.GetExpireTime() != nil {
		t := m.GetExpireTime().AsTime()
		nk.ExpiresAt = &t
	}
	return nk
}

func queryFromProto(m *zeugov1.ListApiKeysRequest) Query {
	q := Query{Page: paging.FromProto(m.GetPage()), Desc: paging.Descending(m.GetDirection()), Search: m.GetQuery()}
	if m.GetOrderBy() == zeugov1.ApiKeyOrder_API_KEY_ORDER_NAME {
		q.Order = ByName
	}
	return q
}

func optStamp(t *time.Time) *timestamppb.Timestamp {
	if t == nil {
		return nil
	}
	return timestamppb.New(*t)
}

var stateProto = map[State]zeugov1.ApiKeyState{
	StateActive:  zeugov1.ApiKeyState_API_KEY_STATE_ACTIVE,
	StateExpired: zeugov1.ApiKeyState_API_KEY_STATE_EXPIRED,
	StateRevoked: zeugov1.ApiKeyState_API_KEY_STATE_REVOKED,
}

// keyToProto describes k as of now; it has no field for a secret.
func keyToProto(k *Key, now time.Time) *zeugov1.ApiKey {
	m := &zeugov1.ApiKey{Id: k.ID.String(), Name: k.Name, Prefix: k.Prefix, CreatedById: k.CreatedBy.String(),
		CreatedByName: k.CreatedByName, CreateTime: timestamppb.New(k.CreatedAt), LastUseTime: optStamp(k.LastUsedAt),
		ExpireTime: optStamp(k.ExpiresAt), RevokeTime: optStamp(k.RevokedAt), State: stateProto[k.StateAt(now)]}
	for _, g := range k.Grants {
		m.Scopes = append(m.Scopes, &zeugov1.ApiKeyScope{Service: g.Service, Access: levelToProto(g.Level)})
	}
	for _, c := range k.AllowedCIDRs {
		m.AllowedCidrs = append(m.AllowedCidrs, c.String())
	}
	return m
}

func optionToProto(o ScopeOption) *zeugov1.ApiKeyScopeOption {
	m := &zeugov1.ApiKeyScopeOption{Service: o.Service, ServiceFullName: o.FullName, Read: o.Read, Write: o.Write}
	for _, a := range o.Areas {
		m.Areas = append(m.Areas, access.AreaToProto(a))
	}
	return m
}
