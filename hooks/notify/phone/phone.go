// Package phone normalises shopper phone numbers to E.164 with libphonenumber
// (github.com/nyaruka/phonenumbers), the form Twilio expects and the form we
// store, so a consent record and an inbound STOP always compare equal.
package phone

import (
	"errors"
	"fmt"
	"strings"

	"github.com/nyaruka/phonenumbers"
)

// ErrInvalid is returned (wrapped) for anything that is not a valid number.
var ErrInvalid = errors.New("invalid phone number")

// maxInput bounds what we hand to the parser. Real input, even with
// punctuation and an extension, is far shorter; libphonenumber itself stops at
// 250 characters.
const maxInput = 64

// E164 parses raw as typed by a shopper or sent by a store ("(202) 456-1111",
// "+44 20 7946 0958", "0033 1 42 68 53 00") and returns it as E.164
// ("+12024561111"). defaultRegion is the ISO 3166-1 alpha-2 country used for
// numbers written without a country code, normally the shipping country; it
// may be empty when raw starts with "+" or an international prefix.
//
// The number must be valid for its region, not merely the right length, so a
// typo is caught at import rather than as a failed send. Extensions are
// dropped: an SMS cannot reach one.
func E164(raw, defaultRegion string) (string, error) {
	s := strings.TrimSpace(raw)
	if s == "" {
		return "", fmt.Errorf("%w: empty", ErrInvalid)
	}
	if len(s) > maxInput {
		return "", fmt.Errorf("%w: longer than %d characters", ErrInvalid, maxInput)
	}
	region := strings.ToUpper(strings.TrimSpace(defaultRegion))
	num, err := phonenumbers.Parse(s, region)
	if err != nil {
		return "", fmt.Errorf("%w: %w", ErrInvalid, err)
	}
	if !phonenumbers.IsValidNumber(num) {
		return "", fmt.Errorf("%w: not a valid number for its region", ErrInvalid)
	}
	return phonenumbers.Format(num, phonenumbers.E164), nil
}

// Country returns the ISO 3166-1 alpha-2 region of an E.164 number ("US",
// "CA", "GB"), or "" when it cannot be told. Numbers sharing a calling code
// (+1, +44, +7) are told apart by their area codes.
func Country(e164 string) string {
	num, ok := parseE164(e164)
	if !ok {
		return ""
	}
	region := phonenumbers.GetRegionCodeForNumber(num)
	if region == "" || region == phonenumbers.UNKNOWN_REGION {
		return ""
	}
	return region
}

// TimeZones returns the IANA time zones libphonenumber associates with the
// number's prefix, e.g. ["America/New_York"] for a 212 number, or nil when
// unknown. Mobile numbers in large countries often map to several zones.
func TimeZones(e164 string) []string {
	num, ok := parseE164(e164)
	if !ok {
		return nil
	}
	zones, err := phonenumbers.GetTimezonesForNumber(num)
	if err != nil {
		return nil
	}
	out := make([]string, 0, len(zones))
	for _, z := range zones {
		if z != "" && z != phonenumbers.UNKNOWN_TIMEZONE {
			out = append(out, z)
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

func parseE164(e164 string) (*phonenumbers.PhoneNumber, bool) {
	s := strings.TrimSpace(e164)
	if !strings.HasPrefix(s, "+") || len(s) > maxInput {
		return nil, false
	}
	num, err := phonenumbers.Parse(s, "")
	if err != nil {
		return nil, false
	}
	return num, true
}
