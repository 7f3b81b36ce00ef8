package outbox

import (
	"time"
	_ "time/tzdata" // mail times are in Europe/Berlin, also on images without zoneinfo
)

// mailZone is the time zone of the times in mails (Zeugo's users are in
// Germany, SPEC §1).
var mailZone = func() *time.Location {
	if loc, err := time.LoadLocation("Europe/Berlin"); err == nil {
		return loc
	}
	return time.UTC
}()

// Time formats t for a mail's data in language: "30.11.2026, 17:00 Uhr"
// or "30 November 2026, 17:00 CET".
func Time(t time.Time, language string) string {
	t = t.In(mailZone)
	if language == "en" {
		return t.Format("2 January 2006, 15:04 MST")
	}
	return t.Format("02.01.2006, 15:04") + " Uhr"
}

// Date formats the calendar date of t for a mail's data in language:
// "30.11.2026" or "30 November 2026".
func Date(t time.Time, language string) string {
	t = t.In(mailZone)
	if language == "en" {
		return t.Format("2 January 2006")
	}
	return t.Format("02.01.2006")
}
