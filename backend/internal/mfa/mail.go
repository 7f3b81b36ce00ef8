package mfa

import (
	"context"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/zeugo/zeugo/backend/internal/jobs"
	"github.com/zeugo/zeugo/backend/internal/outbox"
	"github.com/zeugo/zeugo/backend/internal/users"
)

// TemplateNotice is the mail that tells a user their second factors
// changed (placeholders Name, Change, At, Sender): someone who took over a
// password and a session would otherwise change them unnoticed.
const TemplateNotice = "second_factor_changed"

// change is what happened, as a sentence in each mail language.
type change struct{ de, en string }

var (
	changeAdded = change{
		de: "Zu Ihrem Zugang wurde eine Authenticator-App als zweiter Faktor hinzugefügt.",
		en: "An authenticator app was added to your account as a second factor."}
	changePasskeyAdded = change{
		de: "Zu Ihrem Zugang wurde ein Passkey oder Sicherheitsschlüssel als zweiter Faktor hinzugefügt.",
		en: "A passkey or security key was added to your account as a second factor."}
	changeSMSAdded = change{
		de: "Zu Ihrem Zugang wurde eine Mobilnummer für Codes per SMS als zweiter Faktor hinzugefügt.",
		en: "A mobile number for codes by SMS was added to your account as a second factor."}
	changeRemoved = change{
		de: "Von Ihrem Zugang wurde ein zweiter Faktor entfernt.",
		en: "A second factor was removed from your account."}
	changeRecoveryRenewed = change{
		de: "Für Ihren Zugang wurden neue Wiederherstellungscodes erzeugt; die bisherigen gelten nicht mehr.",
		en: "New recovery codes were created for your account; the previous ones no longer work."}
	changeRecoveryUsed = change{
		de: "Bei einer Anmeldung wurde einer Ihrer Wiederherstellungscodes verwendet.",
		en: "One of your recovery codes was used to sign in."}
	changeReset = change{
		de: "Die Benutzerverwaltung Ihres Unternehmens hat die zweiten Faktoren Ihres Zugangs zurückgesetzt. Richten Sie bei der nächsten Anmeldung einen neuen ein, falls Ihr Unternehmen das verlangt.",
		en: "Your organisation's user administration reset the second factors of your account. Set up a new one at your next sign-in if your organisation requires it."}
)

// notify queues the notice of a change to the user, in the transaction of
// the change. A user who is not active gets none.
func (f *Factors) notify(ctx context.Context, tx pgx.Tx, tenantID, userID uuid.UUID, what change, at time.Time) error {
	c, err := f.keys.Tenant(ctx, tx, tenantID)
	if err != nil {
		return err
	}
	to, ok, err := users.ContactOf(ctx, tx, c, tenantID, userID)
	if err != nil || !ok {
		return err
	}
	text := what.de
	if to.Language == "en" {
		text = what.en
	}
	_, err = f.outbox.Enqueue(ctx, tx, tenantID, outbox.Message{Kind: outbox.Email, To: to.Email,
		Template: TemplateNotice, Language: to.Language,
		Data: map[string]string{"Name": to.Name, "Change": text, "At": outbox.Time(at, to.Language)}})
	return err
}

// Sweeper removes enrollments that were never confirmed.
func (f *Factors) Sweeper() jobs.Sweeper {
	return jobs.Sweeper{Name: "mfa_enrollments_deleted", Sweep: f.sweep}
}
