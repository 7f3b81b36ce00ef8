package organization

import (
	"google.golang.org/protobuf/types/known/timestamppb"

	zeugov1 "github.com/zeugo/zeugo/backend/internal/gen/zeugo/v1"
	"github.com/zeugo/zeugo/backend/internal/paging"
)

func companyQueryFromProto(m *zeugov1.ListCompaniesRequest) CompanyQuery {
	q := CompanyQuery{Page: paging.FromProto(m.GetPage()), Desc: paging.Descending(m.GetDirection()), Search: m.GetQuery()}
	switch m.GetOrderBy() {
	case zeugov1.CompanyOrder_COMPANY_ORDER_CITY:
		q.Order = CompanyByCity
	case zeugov1.CompanyOrder_COMPANY_ORDER_UPDATE_TIME:
		q.Order = CompanyByUpdateTime
	}
	return q
}

func unitQueryFromProto(m *zeugov1.ListUnitsRequest) UnitQuery {
	q := UnitQuery{Kind: kindFromProto(m.GetKind()), Page: paging.FromProto(m.GetPage()),
		Desc: paging.Descending(m.GetDirection()), Search: m.GetQuery()}
	if m.GetOrderBy() == zeugov1.UnitOrder_UNIT_ORDER_UPDATE_TIME {
		q.Order = UnitByUpdateTime
	}
	return q
}

func companyFieldsFromProto(f *zeugov1.CompanyFields) CompanyFields {
	return CompanyFields{Name: f.GetName(), Street: f.GetStreet(), Postcode: f.GetPostcode(), City: f.GetCity(),
		Country: f.GetCountry(), Phone: f.GetPhone(), Email: f.GetEmail(), Website: f.GetWebsite(),
		RegisterCourt: f.GetRegisterCourt(), RegisterNumber: f.GetRegisterNumber(), VATID: f.GetVatId(),
		ManagingDirectors: f.GetManagingDirectors(), Description: f.GetDescription()}
}

func companyToProto(c *Company) *zeugov1.Company {
	f := c.Fields
	return &zeugov1.Company{Id: c.ID.String(), Version: c.Version,
		CreateTime: timestamppb.New(c.CreatedAt), UpdateTime: timestamppb.New(c.UpdatedAt),
		Fields: &zeugov1.CompanyFields{Name: f.Name, Street: f.Street, Postcode: f.Postcode, City: f.City,
			Country: f.Country, Phone: f.Phone, Email: f.Email, Website: f.Website, RegisterCourt: f.RegisterCourt,
			RegisterNumber: f.RegisterNumber, VatId: f.VATID, ManagingDirectors: f.ManagingDirectors, Description: f.Description}}
}

var kinds = map[zeugov1.UnitKind]UnitKind{
	zeugov1.UnitKind_UNIT_KIND_LOCATION:      KindLocation,
	zeugov1.UnitKind_UNIT_KIND_DEPARTMENT:    KindDepartment,
	zeugov1.UnitKind_UNIT_KIND_ORG_UNIT:      KindOrgUnit,
	zeugov1.UnitKind_UNIT_KIND_EMPLOYEE_TYPE: KindEmployeeType,
}

func kindFromProto(k zeugov1.UnitKind) UnitKind { return kinds[k] }

func kindToProto(k UnitKind) zeugov1.UnitKind {
	for pk, dk := range kinds {
		if dk == k {
			return pk
		}
	}
	return zeugov1.UnitKind_UNIT_KIND_UNSPECIFIED
}

func unitFieldsFromProto(f *zeugov1.UnitFields) UnitFields {
	return UnitFields{Name: f.GetName(), Description: f.GetDescription()}
}

func unitToProto(u *Unit) *zeugov1.Unit {
	return &zeugov1.Unit{Id: u.ID.String(), Kind: kindToProto(u.Kind), Version: u.Version,
		CreateTime: timestamppb.New(u.CreatedAt), UpdateTime: timestamppb.New(u.UpdatedAt),
		Fields: &zeugov1.UnitFields{Name: u.Fields.Name, Description: u.Fields.Description}}
}
