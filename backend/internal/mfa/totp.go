package mfa

import (
	"crypto/subtle"
	"strings"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"
)

// TOTP parameters (RFC 6238 with the defaults every authenticator app
// reads): 30-second steps, six digits, HMAC-SHA1, a 160-bit secret. A code
// of the step before or after the current one is accepted too (clock skew
// of up to 30 s, ASVS V6.5.5), and each step's code only once.
const (
	totpPeriod = 30
	totpSkew   = 1
)

var totpOpts = totp.ValidateOpts{Period: totpPeriod, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1}

// newTOTPSecret makes a secret and the otpauth URI an app reads from its QR
// code. issuer and account label the entry in the app.
func newTOTPSecret(issuer, account string) (secret, uri string, err error) {
	key, err := totp.Generate(totp.GenerateOpts{Issuer: issuer, AccountName: account, Period: totpPeriod,
		SecretSize: 20, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1})
	if err != nil {
		return "", "", err
	}
	return key.Secret(), key.URL(), nil
}

// issuerLabel is the entry's issuer: Zeugo and the tenant, so that a person
// with accounts in two tenants tells their entries apart. A colon would
// end the label early (otpauth's issuer:account form).
func issuerLabel(tenantName string) string {
	name := strings.TrimSpace(strings.ReplaceAll(tenantName, ":", " "))
	if name == "" {
		return "Zeugo"
	}
	return "Zeugo (" + name + ")"
}

// matchTOTP finds the step within the skew of now whose code is code and
// that comes after lastStep (a used step's code is refused). It checks
// every candidate step, so the time taken does not tell which matched.
func matchTOTP(secret, code string, now time.Time, lastStep int64) (int64, bool) {
	current := now.Unix() / totpPeriod
	var found int64
	for step := current - totpSkew; step <= current+totpSkew; step++ {
		want, err := totp.GenerateCodeCustom(secret, time.Unix(step*totpPeriod, 0), totpOpts)
		if err != nil {
			return 0, false
		}
		if subtle.ConstantTimeCompare([]byte(want), []byte(code)) == 1 && step > lastStep && found == 0 {
			found = step
		}
	}
	return found, found != 0
}
