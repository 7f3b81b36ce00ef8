package selfservice

import (
	"time"

	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/zeugo/zeugo/backend/internal/apperr"
	"github.com/zeugo/zeugo/backend/internal/certificates"
	"github.com/zeugo/zeugo/backend/internal/employees"
	zeugov1 "github.com/zeugo/zeugo/backend/internal/gen/zeugo/v1"
	"github.com/zeugo/zeugo/backend/internal/protomap"
)

var states = map[zeugov1.SelfServiceRequestState]State{
	zeugov1.SelfServiceRequestState_SELF_SERVICE_REQUEST_STATE_OPEN:      Open,
	zeugov1.SelfServiceRequestState_SELF_SERVICE_REQUEST_STATE_CONVERTED: Converted,
	zeugov1.SelfServiceRequestState_SELF_SERVICE_REQUEST_STATE_DECLINED:  Declined,
}

// fieldsFromProto reads a request's fields; a wished date that is no date
// of the calendar (the proto checks only its shape) is InvalidArgument.
func fieldsFromProto(m *zeugov1.SelfServiceRequestFields) (Fields, error) {
	f := Fields{FirstName: m.GetFirstName(), LastName: m.GetLastName(),
		PersonnelNumber: employees.NormalizePersonnelNumber(m.GetPersonnelNumber()), Email: m.GetEmail(),
		Kind: certificates.KindFromProto(m.GetKind()), Reason: m.GetReason(), Language: m.GetLanguage()}
	if m.GetWishedDate() != "" {
		d, err := time.Parse(time.DateOnly, m.GetWishedDate())
		if err != nil {
			return Fields{}, apperr.Field(apperr.InvalidArgument, "fields.wished_date", "zeugo.date", "not a date")
		}
		f.WishedDate = d
	}
	return f, nil
}

func fieldsToProto(f Fields) *zeugov1.SelfServiceRequestFields {
	m := &zeugov1.SelfServiceRequestFields{FirstName: f.FirstName, LastName: f.LastName, PersonnelNumber: f.PersonnelNumber,
		Email: f.Email, Kind: certificates.KindToProto(f.Kind), Reason: f.Reason, Language: f.Language}
	if !f.WishedDate.IsZero() {
		m.WishedDate = f.WishedDate.Format(time.DateOnly)
	}
	return m
}

func formToProto(f *Form) *zeugov1.SelfServiceForm {
	return &zeugov1.SelfServiceForm{Id: f.ID.String(), PublicId: f.PublicID, CompanyId: f.CompanyID.String(),
		CompanyName: f.CompanyName, Enabled: f.Enabled, Intro: f.Intro, Version: f.Version, CreateTime: timestamppb.New(f.CreatedAt)}
}

func requestToProto(r *Request) *zeugov1.SelfServiceRequest {
	m := &zeugov1.SelfServiceRequest{Id: r.ID.String(), Fields: fieldsToProto(r.Fields), CompanyId: r.CompanyID.String(),
		CompanyName: r.CompanyName, State: protomap.Reverse(states, r.State), CertificateId: protomap.IDString(r.CertificateID),
		DeclineMessage: r.DeclineMessage, CreateTime: timestamppb.New(r.CreatedAt), Version: r.Version}
	if !r.DecidedAt.IsZero() {
		m.DecideTime = timestamppb.New(r.DecidedAt)
	}
	return m
}

func candidateToProto(c Candidate) *zeugov1.SelfServiceCandidate {
	return &zeugov1.SelfServiceCandidate{EmployeeId: c.EmployeeID.String(), FirstName: c.FirstName, LastName: c.LastName,
		PersonnelNumber: c.PersonnelNumber, ByPersonnelNumber: c.ByPersonnelNumber}
}
