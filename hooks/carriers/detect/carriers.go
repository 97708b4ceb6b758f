package detect

import (
	"net/url"
	"strings"
)

// carrier is a display name and the public tracking page of one carrier.
// In url, "%s" stands for the escaped tracking number; an empty url means we
// know no public page that takes the number.
type carrier struct {
	name string
	url  string
}

// carriers maps our stable carrier ids to their display name and tracking
// page. Ids are lower case and never change once stored on a shipment.
var carriers = map[string]carrier{
	"ups":         {"UPS", "https://www.ups.com/track?loc=en_US&tracknum=%s"},
	"usps":        {"USPS", "https://tools.usps.com/go/TrackConfirmAction?tLabels=%s"},
	"fedex":       {"FedEx", "https://www.fedex.com/fedextrack/?trknbr=%s"},
	"dhl":         {"DHL Express", "https://www.dhl.com/global-en/home/tracking/tracking-express.html?submit=1&tracking-id=%s"},
	"amazon":      {"Amazon Logistics", "https://track.amazon.com/tracking/%s"},
	"ontrac":      {"OnTrac", "https://www.ontrac.com/tracking/?number=%s"},
	"lasership":   {"LaserShip", "https://www.lasership.com/track/%s"},
	"canadapost":  {"Canada Post", "https://www.canadapost-postescanada.ca/track-reperage/en#/search?searchFor=%s"},
	"purolator":   {"Purolator", "https://www.purolator.com/en/shipping/tracker?pin=%s"},
	"dpd":         {"DPD", "https://tracking.dpd.de/status/en_US/parcel/%s"},
	"yodel":       {"Yodel", "https://www.yodel.co.uk/tracking/%s"},
	"yunexpress":  {"YunExpress", "https://www.yuntrack.com/parcelTracking?id=%s"},
	"canpar":      {"Canpar", "https://www.canpar.com/en/track/tracking.jsp?reference=%s&locale=en"},
	"gofo":        {"GOFO Express", "https://www.gofoexpress.com/tracking.html?searchID=%s"},
	"landmark":    {"Landmark Global", "https://track.landmarkglobal.com/?search=%s"},
	"olddominion": {"Old Dominion", "https://www.odfl.com/us/en/tools/trace-track-ltl-freight/trace.html?proNumbers=%s"},
	"speedee":     {"Spee-Dee Delivery", "https://www.speedeedelivery.com/track/?tracking=%s"},

	// Postal operators placed by the country code of a UPU S10 number.
	"royalmail":     {"Royal Mail", "https://www.royalmail.com/track-your-item#/tracking-results/%s"},
	"chinapost":     {"China Post", ""},
	"laposte":       {"La Poste", "https://www.laposte.fr/outils/suivre-vos-envois?code=%s"},
	"deutschepost":  {"Deutsche Post", "https://www.dhl.de/en/privatkunden/pakete-empfangen/verfolgen.html?piececode=%s"},
	"postnl":        {"PostNL", "https://jouw.postnl.nl/track-and-trace/%s"},
	"auspost":       {"Australia Post", "https://auspost.com.au/mypost/track/details/%s"},
	"japanpost":     {"Japan Post", "https://trackings.post.japanpost.jp/services/srv/search/direct?reqCodeNo1=%s&locale=en"},
	"nzpost":        {"New Zealand Post", "https://www.nzpost.co.nz/tools/tracking/item/%s"},
	"anpost":        {"An Post", "https://www.anpost.com/Post-Parcels/Track/History?item=%s"},
	"bpost":         {"bpost", "https://track.bpost.cloud/btr/web/#/search?itemCode=%s&lang=en"},
	"posteitaliane": {"Poste Italiane", ""},
	"correos":       {"Correos", ""},
	"swisspost":     {"Swiss Post", ""},
	"austrianpost":  {"Austrian Post", ""},
	"postnord":      {"PostNord", ""},
	"posten":        {"Posten Norge", ""},
	"posti":         {"Posti", ""},
	"hongkongpost":  {"Hongkong Post", ""},
	"singpost":      {"SingPost", ""},
	"koreapost":     {"Korea Post", ""},
	"chunghwapost":  {"Chunghwa Post", ""},
	"indiapost":     {"India Post", ""},
	"correiosbr":    {"Correios", ""},
	"russianpost":   {"Russian Post", ""},
	"pocztapolska":  {"Poczta Polska", ""},
	"ctt":           {"CTT", ""},
	"posmalaysia":   {"Pos Malaysia", ""},
	"thailandpost":  {"Thailand Post", ""},
	"israelpost":    {"Israel Post", ""},
}

// s10Operators maps the country code at the end of a UPU S10 number to the
// carrier id of that country's designated postal operator, for the operators
// we name. Other valid country codes become "post_" + the code in lower case.
var s10Operators = map[string]string{
	"US": "usps", "CA": "canadapost", "GB": "royalmail", "CN": "chinapost",
	"FR": "laposte", "DE": "deutschepost", "NL": "postnl", "AU": "auspost",
	"JP": "japanpost", "NZ": "nzpost", "IE": "anpost", "BE": "bpost",
	"IT": "posteitaliane", "ES": "correos", "CH": "swisspost", "AT": "austrianpost",
	"SE": "postnord", "DK": "postnord", "NO": "posten", "FI": "posti",
	"HK": "hongkongpost", "SG": "singpost", "KR": "koreapost", "TW": "chunghwapost",
	"IN": "indiapost", "BR": "correiosbr", "RU": "russianpost", "PL": "pocztapolska",
	"PT": "ctt", "MY": "posmalaysia", "TH": "thailandpost", "IL": "israelpost",
}

// iso3166 lists the officially assigned ISO 3166-1 alpha-2 codes. S10 uses
// them for the issuing country, territories included (JE, GG, IM, GI, FO, GL,
// AW, CW, NC, PF ... all issue their own numbers).
const iso3166 = "" +
	"AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ " +
	"BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ " +
	"CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ " +
	"DE DJ DK DM DO DZ " +
	"EC EE EG EH ER ES ET " +
	"FI FJ FK FM FO FR " +
	"GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY " +
	"HK HM HN HR HT HU " +
	"ID IE IL IM IN IO IQ IR IS IT " +
	"JE JM JO JP " +
	"KE KG KH KI KM KN KP KR KW KY KZ " +
	"LA LB LC LI LK LR LS LT LU LV LY " +
	"MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ " +
	"NA NC NE NF NG NI NL NO NP NR NU NZ " +
	"OM " +
	"PA PE PF PG PH PK PL PM PN PR PS PT PW PY " +
	"QA " +
	"RE RO RS RU RW " +
	"SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ " +
	"TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ " +
	"UA UG UM US UY UZ " +
	"VA VC VE VG VI VN VU " +
	"WF WS " +
	"YE YT " +
	"ZA ZM ZW"

// isCountry reports whether cc is an assigned ISO 3166-1 alpha-2 code.
func isCountry(cc string) bool {
	if len(cc) != 2 || cc[0] < 'A' || cc[0] > 'Z' || cc[1] < 'A' || cc[1] > 'Z' {
		return false
	}
	// Every code is followed by a space (or the end), so a match can only
	// be a whole code.
	return strings.Contains(iso3166, cc)
}

// postalOperator returns the carrier id and display name for an S10 number
// issued in country cc (already checked with isCountry).
func postalOperator(cc string) (id, name string) {
	if id, ok := s10Operators[cc]; ok {
		return id, carriers[id].name
	}
	return "post_" + strings.ToLower(cc), "Post (" + cc + ")"
}

// trackingURL fills a carrier's URL template with the escaped number:
// query-escaped after a '?', path-escaped otherwise.
func trackingURL(tmpl, number string) string {
	i := strings.Index(tmpl, "%s")
	if i < 0 {
		return ""
	}
	esc := url.PathEscape(number)
	if strings.Contains(tmpl[:i], "?") {
		esc = url.QueryEscape(number)
	}
	return tmpl[:i] + esc + tmpl[i+2:]
}
