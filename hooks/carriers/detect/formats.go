package detect

import "regexp"

// format is one tracking-number layout of one carrier.
type format struct {
	carrier string // carrier id; empty for S10, placed by its country code
	name    string // display name when it differs from the carrier's
	url     string // tracking page template when it differs from the carrier's
	service string
	shape   *regexp.Regexp      // anchored, on the normalised number
	valid   func(n string) bool // check digit and other rules once shape matched; nil = none
}

// formats is every layout we recognise, most telling first: a distinctive
// prefix with a check digit beats a prefix alone, which beats a bare run of
// digits with a check digit, which beats digits with none. Detect keeps this
// order, so it is the "best first" of its result.
var formats = []format{
	// Prefix and check digit.
	{carrier: "ups", service: "UPS 1Z", shape: regexp.MustCompile(`^1Z[0-9A-Z]{15}[0-9]$`), valid: validUPS1Z},
	{carrier: "usps", service: "USPS IMpb", shape: regexp.MustCompile(`^(?:420[0-9]{5}(?:[0-9]{4})?)?9[2-5][0-9]{20,28}$`), valid: validUSPSIMpb},
	{carrier: "fedex", service: "FedEx Ground 96 (22)", shape: regexp.MustCompile(`^96[0-9]{20}$`), valid: validFedExGround96},
	{carrier: "fedex", service: "FedEx Ground GSN (34)", shape: regexp.MustCompile(`^96[0-9]{32}$`), valid: validFedEx34},
	{service: "S10", shape: regexp.MustCompile(`^[A-Z]{2}[0-9]{9}[A-Z]{2}$`), valid: validS10},
	{carrier: "ontrac", service: "OnTrac", shape: regexp.MustCompile(`^[CD][0-9]{14}$`), valid: validOnTrac},

	// Prefix alone.
	{carrier: "amazon", service: "Amazon Logistics (TB)", shape: regexp.MustCompile(`^TB[ACM][0-9]{12}$`)},
	{carrier: "yodel", service: "Yodel (JD)", shape: regexp.MustCompile(`^JJ?D[0-9]{16}$`)},
	{carrier: "yunexpress", service: "YunExpress (YT)", shape: regexp.MustCompile(`^YT[0-9]{16}$`)},
	{carrier: "gofo", service: "GOFO Express (GFUS)", shape: regexp.MustCompile(`^GFUS[0-9]{14}$`)},
	{carrier: "landmark", service: "Landmark Global (LTN)", shape: regexp.MustCompile(`^LTN[0-9]{8}N1$`)},
	{carrier: "speedee", service: "Spee-Dee (SP)", shape: regexp.MustCompile(`^SP[0-9]{18}$`)},
	{carrier: "lasership", service: "LaserShip (L)", shape: regexp.MustCompile(`^L[AEHINX][1-3][0-9]{7}$`)},
	{carrier: "lasership", service: "LaserShip 1LS7", shape: regexp.MustCompile(`^1LS7[12][0-9]{10}$`)},
	// The piece form is printed "1LS7119013618127-1"; Normalize drops the
	// dash, and the piece suffix is always 1.
	{carrier: "lasership", service: "LaserShip 1LS7 (piece)", shape: regexp.MustCompile(`^1LS7[12][0-9]{2}01[1-4][0-9]{6}1$`)},
	{carrier: "lasership", service: "LaserShip 1LSCX", shape: regexp.MustCompile(`^1LSCX[0-9A-Z]{10}$`)},
	{carrier: "canpar", service: "Canpar (22)", shape: regexp.MustCompile(`^[CDKLSUXZ][0-9]{21}$`)},
	// Purolator's three letters and nine digits also fit a DHL piece ID
	// with nine digits. Neither has a check digit; we rank the regular
	// Purolator PIN first and keep DHL as the runner-up.
	{carrier: "purolator", service: "Purolator (alpha)", shape: regexp.MustCompile(`^[A-Z]{3}[0-9]{9}$`)},
	{carrier: "dhl", service: "DHL Express (piece ID)", shape: regexp.MustCompile(`^J[A-Z]{2,3}[0-9]{9,10}$`)},
	{carrier: "ups", service: "UPS Waybill", shape: regexp.MustCompile(`^[AHJKTV][0-9]{10}$`), valid: validUPSWaybill},
	{carrier: "amazon", name: "Amazon", service: "Amazon International", shape: regexp.MustCompile(`^[ACF][0-9]{10}$`)},
	{carrier: "dhl", name: "DHL eCommerce", url: dhlEcommerceURL, service: "DHL eCommerce",
		shape: regexp.MustCompile(`^(?:GM|LX|RX|UV|CN|SG|TH|IN|HK|MY)[0-9A-Z]*[0-9][0-9A-Z]*$`), valid: validDHLEcommerce},

	// Digits and a check digit.
	{carrier: "usps", service: "USPS Legacy (91)", shape: regexp.MustCompile(`^(?:420[0-9]{5}(?:[0-9]{4})?)?(?:91)?[0-9]{20}$`), valid: validUSPSLegacy},
	{carrier: "fedex", service: "FedEx ASTRA (32)", shape: regexp.MustCompile(`^3[0-9]{31}$`), valid: validFedExASTRA},
	{carrier: "fedex", service: "FedEx Express (34)", shape: regexp.MustCompile(`^[0-8][0-9]{33}$`), valid: validFedEx34},
	{carrier: "dpd", service: "DPD (28)", shape: regexp.MustCompile(`^[0-9]{27}[0-9A-Z]$`), valid: validDPD},
	{carrier: "olddominion", service: "Old Dominion PRO", shape: regexp.MustCompile(`^(?:77[78]|072|780)[0-9]{8}$`), valid: luhnValid},
	{carrier: "olddominion", service: "Old Dominion Guaranteed", shape: regexp.MustCompile(`^80[0-9]{9}$`), valid: luhnValid},
	{carrier: "fedex", service: "FedEx Express (12)", shape: regexp.MustCompile(`^[0-9]{12}$`), valid: validFedEx12},
	{carrier: "purolator", service: "Purolator (12)", shape: regexp.MustCompile(`^[0-5][0-9]{11}$`), valid: luhnValid},
	{carrier: "fedex", service: "FedEx Ground (15)", shape: regexp.MustCompile(`^[0-9]{15}$`), valid: validGS1},
	{carrier: "dpd", service: "DPD (14)", shape: regexp.MustCompile(`^[0-9]{14}[0-9A-Z]$`), valid: validDPD},
	{carrier: "canadapost", service: "Canada Post (16)", shape: regexp.MustCompile(`^[0-9]{16}$`), valid: validGS1},
	{carrier: "fedex", service: "FedEx Ground (SSCC-18)", shape: regexp.MustCompile(`^[0-9]{18}$`), valid: validGS1},
	{carrier: "usps", service: "USPS 20", shape: regexp.MustCompile(`^[0-9]{20}$`), valid: validGS1},
	{carrier: "dhl", service: "DHL Express", shape: regexp.MustCompile(`^[0-9]{10,11}$`), valid: validDHLExpress},

	// Digits alone.
	{carrier: "dhl", name: "DHL eCommerce", url: dhlEcommerceURL, service: "DHL eCommerce (14)", shape: regexp.MustCompile(`^[0-9]{14}$`)},
}

const dhlEcommerceURL = "https://www.dhl.com/global-en/home/tracking/tracking-ecommerce.html?submit=1&tracking-id=%s"

// checkDigitIs reports whether c is the ASCII digit for want.
func checkDigitIs(c byte, want int) bool { return c >= '0' && c <= '9' && int(c-'0') == want }

// validGS1: the last digit is the GS1 check digit of the others.
func validGS1(n string) bool { return checkDigitIs(n[len(n)-1], gs1Mod10(n[:len(n)-1])) }

// validUPS1Z: 1Z, 15 characters (shipper 6, service 2, package 7), check.
func validUPS1Z(n string) bool { return checkDigitIs(n[17], upsMod10(n[2:17])) }

// validUPSWaybill: a service letter, nine digits, check over the digits.
func validUPSWaybill(n string) bool { return checkDigitIs(n[10], upsMod10(n[1:10])) }

// validOnTrac: the C or D prefix counts as a UPS-valued character (4 or 5)
// in front of the 13 serial digits.
func validOnTrac(n string) bool { return checkDigitIs(n[14], upsMod10(n[:14])) }

// validFedEx12: eleven digits and FedEx Express's mod-11 check.
func validFedEx12(n string) bool { return checkDigitIs(n[11], fedexMod11(n[:11])) }

// validFedEx34: the 34-digit Express and Ground GSN barcodes end in a
// 13-digit serial and its check; the last twelve digits are the number the
// shopper sees on the FedEx site.
func validFedEx34(n string) bool { return checkDigitIs(n[33], fedexMod11(n[20:33])) }

// validFedExASTRA: positions 17 to 28 of the legacy 32-digit ASTRA barcode
// hold a 12-digit Express number, whose check is the only one it carries.
func validFedExASTRA(n string) bool { return checkDigitIs(n[27], fedexMod11(n[16:27])) }

// validFedExGround96: 96, carrier code (2), service (3), then the 15-digit
// Ground number (14 digits and its check).
func validFedExGround96(n string) bool { return validGS1(n[7:]) }

// validDHLExpress: a 9 or 10 digit serial and its value mod 7.
func validDHLExpress(n string) bool { return checkDigitIs(n[len(n)-1], mod7(n[:len(n)-1])) }

// validDHLEcommerce: a known two-letter prefix, then 10 to 39 letters and
// digits of which at least one is a digit (the shape has the digit).
func validDHLEcommerce(n string) bool { return len(n) >= 12 }

// validDPD: 14 or 27 digits and an ISO 7064 MOD 37,36 check character.
func validDPD(n string) bool { return n[len(n)-1] == mod37_36(n[:len(n)-1]) }

// validS10: two service letters, eight digits, the S10 check digit and the
// ISO 3166 code of the issuing country.
func validS10(n string) bool {
	return checkDigitIs(n[10], s10Check(n[2:10])) && isCountry(n[11:13])
}

// uspsBodies returns n without a leading "420" + ZIP or ZIP+4 routing
// prefix, in every way it can be read: the bare number (for numbers without
// a prefix), after a 5-digit ZIP and after a 9-digit ZIP+4.
func uspsBodies(n string) [3]string {
	var b [3]string
	b[0] = n
	if len(n) > 3 && n[:3] == "420" {
		if len(n) > 8 {
			b[1] = n[8:]
		}
		if len(n) > 12 {
			b[2] = n[12:]
		}
	}
	return b
}

// validUSPSIMpb: an Intelligent Mail package barcode, optionally behind a
// 420 ZIP routing prefix. The body is a two-digit application identifier
// (92, 93 commercial, 94 online or vendor, 95 retail), a 3-digit service
// type code, a 9-digit mailer id starting with 9 or a 6-digit one starting
// with 0-8, a serial and a GS1 check digit, 22 or 26 digits in all. 92 goes
// with 9-digit mailer ids, 93 with 6-digit ones, and only a 94 number with a
// 9-digit mailer id may run to 30 digits, with no ZIP in front.
func validUSPSIMpb(n string) bool {
	for i, b := range uspsBodies(n) {
		if b == "" || len(b) < 22 {
			continue
		}
		// After ZIP+4 only the 22-digit body is allowed; a 34-digit
		// number reads as ZIP + 26 or ZIP+4 + 22.
		if i == 2 && len(b) != 22 {
			continue
		}
		if imPbBody(b, i == 0) {
			return true
		}
	}
	return false
}

// imPbBody checks one IMpb body; bare says no ZIP prefix was removed.
func imPbBody(b string, bare bool) bool {
	nineDigitMID := b[5] == '9'
	switch len(b) {
	case 22, 26:
	case 30:
		if !bare || b[:2] != "94" || !nineDigitMID {
			return false
		}
	default:
		return false
	}
	switch b[:2] {
	case "92":
		if !nineDigitMID {
			return false
		}
	case "93":
		if nineDigitMID {
			return false
		}
	case "94", "95":
	default:
		return false
	}
	return validGS1(b)
}

// validUSPSLegacy: USPS Delivery and Signature Confirmation numbers, 22
// digits starting 91, or the same 20 digits printed without the 91 (whose
// check digit is still computed with it), optionally behind a 420 ZIP
// routing prefix.
func validUSPSLegacy(n string) bool {
	for i, b := range uspsBodies(n) {
		if b == "" || (i == 0 && len(n) > 22) {
			continue
		}
		switch {
		case len(b) == 22 && b[:2] == "91":
			if validGS1(b) {
				return true
			}
		case len(b) == 20:
			if checkDigitIs(b[19], gs1Mod10("91"+b[:19])) {
				return true
			}
		}
	}
	return false
}
