package detect

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// The oracle is the MIT tracking_number_data set, read at run time from
// shared/data/tracking_number_data next to the repository checkout (X/main
// and X/shared, locally and in CI). Nothing from it is copied into the code.

const dataSetDir = "shared/data/tracking_number_data"

// dataSetPath walks up from the working directory to the data set.
func dataSetPath(t *testing.T) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatalf("getwd: %v", err)
	}
	for {
		p := filepath.Join(dir, dataSetDir)
		if st, err := os.Stat(filepath.Join(p, "couriers")); err == nil && st.IsDir() {
			return p
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatalf("tracking number data set not found: no %s/couriers in any parent of the working directory; check out the shared folder next to the repository (X/main and X/shared)", dataSetDir)
		}
		dir = parent
	}
}

type dataSetFormat struct {
	Name        string `json:"name"`
	TestNumbers struct {
		Valid   []string `json:"valid"`
		Invalid []string `json:"invalid"`
	} `json:"test_numbers"`
	Additional []struct {
		Name           string `json:"name"`
		RegexGroupName string `json:"regex_group_name"`
		Lookup         []struct {
			Matches string `json:"matches"`
		} `json:"lookup"`
	} `json:"additional"`
}

type dataSetCourier struct {
	Code    string          `json:"courier_code"`
	Formats []dataSetFormat `json:"tracking_numbers"`
}

func loadCouriers(t *testing.T) map[string]dataSetCourier {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dataSetPath(t), "couriers", "*.json"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no courier files in the data set (%v)", err)
	}
	out := make(map[string]dataSetCourier)
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatalf("read %s: %v", f, err)
		}
		var c dataSetCourier
		if err := json.Unmarshal(b, &c); err != nil {
			t.Fatalf("parse %s: %v", f, err)
		}
		out[c.Code] = c
	}
	return out
}

// ourCarrier maps the data set's courier codes to our carrier ids. S10 is
// placed by country code instead (s10Carrier).
var ourCarrier = map[string]string{
	"amazon":       "amazon",
	"canada_post":  "canadapost",
	"canpar":       "canpar",
	"dhl":          "dhl",
	"dpd":          "dpd",
	"fedex":        "fedex",
	"gofo":         "gofo",
	"landmark":     "landmark",
	"lasership":    "lasership",
	"old_dominion": "olddominion",
	"ontrac":       "ontrac",
	"purolator":    "purolator",
	"speedee":      "speedee",
	"ups":          "ups",
	"usps":         "usps",
	"yodel":        "yodel",
	"yunexpress":   "yunexpress",
}

// s10Carrier is the carrier we expect for the S10 test numbers' countries.
var s10Carrier = map[string]string{
	"GB": "royalmail",
	"US": "usps",
	"CV": "post_cv",
	"CF": "post_cf",
}

// ourService maps "courier code/format name" in the data set to our
// Service. Formats we merged (USPS IMpb N and C, OnTrac C and D) share one.
var ourService = map[string]string{
	"amazon/Amazon Logistics":                       "Amazon Logistics (TB)",
	"amazon/Amazon International":                   "Amazon International",
	"canada_post/Canada Post (16)":                  "Canada Post (16)",
	"canpar/Canpar (22)":                            "Canpar (22)",
	"dhl/DHL Express":                               "DHL Express",
	"dhl/DHL Express (Piece ID)":                    "DHL Express (piece ID)",
	"dhl/DHL E-Commerce":                            "DHL eCommerce",
	"dhl/DHL E-Commerce (14)":                       "DHL eCommerce (14)",
	"dpd/DPD (28)":                                  "DPD (28)",
	"dpd/DPD (14)":                                  "DPD (14)",
	"fedex/FedEx Express (12)":                      "FedEx Express (12)",
	"fedex/FedEx Express (34)":                      "FedEx Express (34)",
	"fedex/FedEx ASTRA (32)":                        "FedEx ASTRA (32)",
	"fedex/FedEx Ground":                            "FedEx Ground (15)",
	"fedex/FedEx Ground (SSCC-18)":                  "FedEx Ground (SSCC-18)",
	"fedex/FedEx Ground 96 (22)":                    "FedEx Ground 96 (22)",
	"fedex/FedEx Ground GSN":                        "FedEx Ground GSN (34)",
	"gofo/GOFO Express (US)":                        "GOFO Express (GFUS)",
	"landmark/Landmark Global LTN":                  "Landmark Global (LTN)",
	"lasership/LaserShip LX":                        "LaserShip (L)",
	"lasership/LaserShip 1LS7 (15)":                 "LaserShip 1LS7",
	"lasership/LaserShip 1LS7 (18)":                 "LaserShip 1LS7 (piece)",
	"lasership/LaserShip 1LSCX (15)":                "LaserShip 1LSCX",
	"old_dominion/Old Dominion":                     "Old Dominion PRO",
	"old_dominion/Old Dominion Guaranteed Shipment": "Old Dominion Guaranteed",
	"ontrac/OnTrac":                                 "OnTrac",
	"ontrac/OnTrac D":                               "OnTrac",
	"purolator/Purolator (12)":                      "Purolator (12)",
	"purolator/Purolator (alpha + 9)":               "Purolator (alpha)",
	"s10/S10":                                       "S10",
	"speedee/Spee-Dee (20)":                         "Spee-Dee (SP)",
	"ups/UPS":                                       "UPS 1Z",
	"ups/UPS Waybill":                               "UPS Waybill",
	"usps/USPS 20":                                  "USPS 20",
	"usps/USPS IMpb N":                              "USPS IMpb",
	"usps/USPS Legacy":                              "USPS Legacy (91)",
	"usps/USPS IMpb C":                              "USPS IMpb",
	"yodel/Yodel":                                   "Yodel (JD)",
	"yunexpress/YunExpress":                         "YunExpress (YT)",
}

// oracleExceptions lists data set numbers we knowingly disagree with, keyed
// "valid|courier/format|number" or "invalid|courier/format|number", with
// the reason. It is empty: every number in the data set comes out right.
// The test fails if a listed case starts passing or an unlisted one fails.
var oracleExceptions = map[string]string{}

// invalidElsewhere lists the data set's invalid numbers that we do detect,
// as some other format, with that format and why it is right there. Any
// other detection of an invalid number fails the test.
var invalidElsewhere = map[string]struct{ carrier, service, why string }{
	"331426749957": {"purolator", "Purolator (12)", "a valid Purolator (12) test number in the same file; it is only invalid as the alpha layout"},
}

// notBest lists valid numbers for which another carrier ranks first, and why.
var notBest = map[string]string{
	"287809468872": "12 digits passing both FedEx Express's mod 11 and Purolator's Luhn check; FedEx is ranked first",
	"320610804900": "12 digits passing both FedEx Express's mod 11 and Purolator's Luhn check; FedEx is ranked first",
}

func TestDataSet(t *testing.T) {
	couriers := loadCouriers(t)
	seen := map[string]bool{}
	var nValid, nInvalid int

	check := func(key string, ok bool, msg string) {
		seen[key] = true
		reason, listed := oracleExceptions[key]
		switch {
		case listed && ok:
			t.Errorf("%s passes now; remove it from oracleExceptions (%s)", key, reason)
		case !listed && !ok:
			t.Errorf("%s: %s", key, msg)
		}
	}

	for code, c := range couriers {
		for _, f := range c.Formats {
			fkey := code + "/" + f.Name
			service, ok := ourService[fkey]
			if !ok {
				t.Errorf("data set format %q has no entry in ourService: map it to one of our services", fkey)
				continue
			}
			if len(f.TestNumbers.Valid) == 0 {
				t.Errorf("%s has no valid test numbers", fkey)
			}
			for _, num := range f.TestNumbers.Valid {
				nValid++
				want := ourCarrier[code]
				if code == "s10" {
					n := Normalize(num)
					want = s10Carrier[n[len(n)-2:]]
				}
				if want == "" {
					t.Errorf("%s %q: no expected carrier (add the courier to ourCarrier or the country to s10Carrier)", fkey, num)
					continue
				}
				got := Detect(num)
				check("valid|"+fkey+"|"+num, hasMatch(got, want, service),
					"want "+want+"/"+service+", got "+describe(got))
				if len(got) > 0 && got[0].Carrier != want {
					n := Normalize(num)
					if _, ok := notBest[n]; !ok {
						t.Errorf("%s %q: ranked %s first, not %s; reorder formats or list it in notBest", fkey, num, got[0].Carrier, want)
					}
					seen["notBest|"+n] = true
				}
			}
			for _, num := range f.TestNumbers.Invalid {
				nInvalid++
				want := ourCarrier[code]
				got := Detect(num)
				bad := slices.ContainsFunc(got, func(m Match) bool {
					return m.Service == service && (code == "s10" || m.Carrier == want)
				})
				check("invalid|"+fkey+"|"+num, !bad, "must not be "+service+", got "+describe(got))
				for _, m := range got {
					if m.Service == service {
						continue // reported above
					}
					e, ok := invalidElsewhere[Normalize(num)]
					if !ok || e.carrier != m.Carrier || e.service != m.Service {
						t.Errorf("%s invalid %q also detected as %s/%s: judge it and list it in invalidElsewhere", fkey, num, m.Carrier, m.Service)
					}
					seen["elsewhere|"+Normalize(num)] = true
				}
			}
		}
	}

	for key := range oracleExceptions {
		if !seen[key] {
			t.Errorf("oracleExceptions has %q, which is not in the data set any more", key)
		}
	}
	for num := range invalidElsewhere {
		if !seen["elsewhere|"+num] {
			t.Errorf("invalidElsewhere has %q, which no longer matches elsewhere", num)
		}
	}
	for num := range notBest {
		if !seen["notBest|"+num] {
			t.Errorf("notBest has %q, which now ranks its own carrier first", num)
		}
	}
	t.Logf("checked %d valid and %d invalid numbers from %d couriers, %d known exceptions", nValid, nInvalid, len(couriers), len(oracleExceptions))
}

// TestDataSetS10Countries runs every country the data set names an S10
// operator for through Detect.
func TestDataSetS10Countries(t *testing.T) {
	c, ok := loadCouriers(t)["s10"]
	if !ok {
		t.Fatal("no s10 courier in the data set")
	}
	n := 0
	for _, f := range c.Formats {
		for _, a := range f.Additional {
			if a.RegexGroupName != "CountryCode" {
				continue
			}
			for _, l := range a.Lookup {
				n++
				num := "RB123456785" + l.Matches
				m, ok := Best(num)
				if !ok || m.Service != "S10" {
					t.Errorf("%s: got %+v, want an S10 match", num, m)
				}
				if id, named := s10Operators[l.Matches]; named && m.Carrier != id {
					t.Errorf("%s: carrier %q, want %q", num, m.Carrier, id)
				}
			}
		}
	}
	if n < 150 {
		t.Fatalf("only %d S10 countries found in the data set; has its layout changed?", n)
	}
}

func hasMatch(ms []Match, carrier, service string) bool {
	return slices.ContainsFunc(ms, func(m Match) bool { return m.Carrier == carrier && m.Service == service })
}

func describe(ms []Match) string {
	if len(ms) == 0 {
		return "nothing"
	}
	parts := make([]string, len(ms))
	for i, m := range ms {
		parts[i] = m.Carrier + "/" + m.Service
	}
	return strings.Join(parts, ", ")
}
