package handover

import (
	"slices"
	"time"

	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/zeugo/zeugo/backend/internal/certificates"
	zeugov1 "github.com/zeugo/zeugo/backend/internal/gen/zeugo/v1"
	"github.com/zeugo/zeugo/backend/internal/protomap"
)

var channels = map[zeugov1.HandoverCodeChannel]string{
	zeugov1.HandoverCodeChannel_HANDOVER_CODE_CHANNEL_UNSPECIFIED: "",
	zeugov1.HandoverCodeChannel_HANDOVER_CODE_CHANNEL_EMAIL:       ChannelEmail,
	zeugov1.HandoverCodeChannel_HANDOVER_CODE_CHANNEL_SMS:         ChannelSMS,
}

var states = map[zeugov1.HandoverState]State{
	zeugov1.HandoverState_HANDOVER_STATE_SENT:      StateSent,
	zeugov1.HandoverState_HANDOVER_STATE_OPENED:    StateOpened,
	zeugov1.HandoverState_HANDOVER_STATE_COMPLETED: StateCompleted,
	zeugov1.HandoverState_HANDOVER_STATE_EXPIRED:   StateExpired,
	zeugov1.HandoverState_HANDOVER_STATE_REVOKED:   StateRevoked,
}

func optTime(t time.Time) *timestamppb.Timestamp {
	if t.IsZero() {
		return nil
	}
	return timestamppb.New(t)
}

func grantsFromProto(in []*zeugov1.SectionGrant) []Grant {
	out := make([]Grant, 0, len(in))
	for _, g := range in {
		out = append(out, Grant{Section: certificates.SectionFromProto(g.GetSection()), Read: g.GetRead() || g.GetWrite(), Write: g.GetWrite()})
	}
	return out
}

// grantsToProto lists the granted sections in the order of SPEC §5.1.
func grantsToProto(read, write []string) []*zeugov1.SectionGrant {
	var out []*zeugov1.SectionGrant
	for _, sec := range certificates.Sections {
		if slices.Contains(read, string(sec)) {
			out = append(out, &zeugov1.SectionGrant{Section: certificates.SectionToProto(sec), Read: true,
				Write: slices.Contains(write, string(sec))})
		}
	}
	return out
}

func handoverToProto(h *Handover) *zeugov1.Handover {
	return &zeugov1.Handover{Id: h.ID.String(), CertificateId: h.CertificateID.String(),
		Recipient: &zeugov1.HandoverRecipient{Name: h.Recipient.Name, Email: h.Recipient.Email, Phone: h.Recipient.Phone},
		Message:   h.Message, Language: h.Language, Grants: grantsToProto(h.Read, h.Write), Download: h.Download,
		CodeChannel: protomap.Reverse(channels, h.CodeChannel), State: protomap.Reverse(states, h.State),
		CreatedByName: h.CreatedByName, CreateTime: optTime(h.CreatedAt), SendTime: optTime(h.SentAt),
		ExpireTime: optTime(h.ExpiresAt), OpenTime: optTime(h.OpenedAt), CompleteTime: optTime(h.CompletedAt),
		RevokeTime: optTime(h.RevokedAt), Version: h.Version}
}
