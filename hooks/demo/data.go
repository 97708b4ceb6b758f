package demo

import (
	"porchlight/hooks/brand"
	"porchlight/hooks/schema"
)

// The demo store: Fernhill Coffee Co., a small roaster that also sells
// brewing gear, apparel and gifts, shipping from Ohio to seven countries.

func demoBrand() brand.Brand {
	b := brand.Default()
	b.Name = "Fernhill Coffee Co."
	b.PrimaryColor, b.AccentColor, b.BackgroundColor, b.TextColor = "#2f5d50", "#b5542f", "#faf7f2", "#1f1d1a"
	b.SupportEmail, b.SupportPhone = "help@fernhill.example", "+1 614 555 0142"
	b.WebsiteURL = "https://fernhill.example"
	b.Timezone = "America/New_York"
	b.SenderName, b.SenderEmail, b.SMSFrom = "Fernhill Coffee", "hello@fernhill.example", "+16145550142"
	b.ProcessingDays, b.OrderCutoffHour = 1, 14
	b.ReturnWindowDays, b.StoreCreditBonusPct = 30, 10
	b.ReviewURL = "https://fernhill.example/reviews"
	b.Holidays = []string{"2026-12-24", "2026-12-31"}
	return b
}

type product struct {
	SKU, Title, Variant, Type, Supplier, Guide string
	PriceCents, ReplenishDays                  int
	Returnable                                 bool
	Weight                                     int // relative popularity
}

const (
	supRoastery = "Fernhill Roastery"
	supGear     = "Kettle & Burr Imports"
	supGoods    = "Northfield Goods"
)

var catalogue = []product{
	{"BEAN-HOUSE-1KG", "House Blend Beans", "1 kg", schema.TypeConsumable, supRoastery, "brewing-basics", 3400, 30, false, 16},
	{"BEAN-ETH-250", "Single Origin Ethiopia Guji", "250 g", schema.TypeConsumable, supRoastery, "brewing-basics", 1900, 21, false, 12},
	{"BEAN-COL-DECAF", "Decaf Colombia Huila", "500 g", schema.TypeConsumable, supRoastery, "brewing-basics", 2200, 30, false, 6},
	{"BEAN-ESP-BLEND", "Espresso Blend No. 7", "1 kg", schema.TypeConsumable, supRoastery, "brewing-basics", 3600, 28, false, 10},
	{"FILTER-02-100", "Paper Filters #2", "100 pack", schema.TypeConsumable, supRoastery, "", 700, 60, false, 8},
	{"DESCALE-6", "Descaling Tablets", "6 pack", schema.TypeConsumable, supGear, "", 1200, 120, false, 3},
	{"GRD-PRO", "Burr Grinder Pro", "", schema.TypeSetupHeavy, supGear, "grinder-setup", 24900, 0, true, 5},
	{"ESP-DUO", "Espresso Machine Duo", "", schema.TypeSetupHeavy, supGear, "espresso-setup", 64900, 0, true, 3},
	{"CBT-01", "Cold Brew Tower", "", schema.TypeSetupHeavy, supGear, "cold-brew-setup", 18900, 0, true, 2},
	{"SCALE-PO", "Pour-Over Scale", "", schema.TypeSetupHeavy, supGear, "grinder-setup", 5900, 0, true, 4},
	{"APRON-LIN-M", "Linen Barista Apron", "M", schema.TypeFitSensitive, supGoods, "apron-fit", 4800, 0, true, 3},
	{"APRON-LIN-L", "Linen Barista Apron", "L", schema.TypeFitSensitive, supGoods, "apron-fit", 4800, 0, true, 3},
	{"SOCK-MER-M", "Merino Café Socks", "M", schema.TypeFitSensitive, supGoods, "apron-fit", 1800, 0, true, 3},
	{"SOCK-MER-L", "Merino Café Socks", "L", schema.TypeFitSensitive, supGoods, "apron-fit", 1800, 0, true, 2},
	{"GIFT-BOX", "Coffee Lover's Gift Box", "", schema.TypeGift, supGoods, "", 7500, 0, true, 5},
	{"GIFT-FLIGHT", "Tasting Flight Gift Set", "4 × 100 g", schema.TypeGift, supRoastery, "brewing-basics", 4200, 0, false, 4},
	{"MUG-STONE", "Stoneware Mug", "350 ml", schema.TypeSimple, supGoods, "", 2400, 0, true, 7},
	{"CARAFE-GL", "Glass Carafe", "600 ml", schema.TypeSimple, supGoods, "", 3200, 0, true, 3},
	{"TUMBLER-TR", "Travel Tumbler", "", schema.TypeSimple, supGoods, "", 2900, 0, true, 4},
	{"TOTE-CAN", "Canvas Tote", "", schema.TypeSimple, supGoods, "", 1500, 0, true, 3},
}

type city struct {
	Name, Region, Postal, Country string
}

type country struct {
	Code     string
	Weight   int
	Currency string
	Locale   string
	Cities   []city
	Carriers []weighted
	Phone    string // E.164 prefix for demo numbers
}

type weighted struct {
	Value  string
	Weight int
}

var countries = []country{
	{"US", 55, "USD", "en", []city{
		{"New York", "NY", "10001", "US"}, {"Austin", "TX", "78701", "US"}, {"Portland", "OR", "97205", "US"},
		{"Chicago", "IL", "60601", "US"}, {"Miami", "FL", "33130", "US"}, {"Denver", "CO", "80202", "US"},
		{"Tulsa", "OK", "74103", "US"}, {"Seattle", "WA", "98101", "US"}, {"Boston", "MA", "02108", "US"},
	}, []weighted{{"usps", 50}, {"ups", 30}, {"fedex", 20}}, "+1"},
	{"CA", 10, "CAD", "en", []city{{"Toronto", "ON", "M5V 2T6", "CA"}, {"Vancouver", "BC", "V6B 1A1", "CA"}, {"Montréal", "QC", "H2X 1Y4", "CA"}},
		[]weighted{{"canadapost", 70}, {"ups", 30}}, "+1"},
	{"GB", 12, "GBP", "en", []city{{"London", "", "SW1A 1AA", "GB"}, {"Manchester", "", "M1 1AE", "GB"}, {"Edinburgh", "", "EH1 1YZ", "GB"}},
		[]weighted{{"royalmail", 80}, {"dhl", 20}}, "+44"},
	{"DE", 9, "EUR", "de", []city{{"Berlin", "BE", "10115", "DE"}, {"München", "BY", "80331", "DE"}, {"Hamburg", "HH", "20095", "DE"}},
		[]weighted{{"dhl", 100}}, "+49"},
	{"FR", 6, "EUR", "fr", []city{{"Paris", "IDF", "75001", "FR"}, {"Lyon", "ARA", "69001", "FR"}},
		[]weighted{{"laposte", 70}, {"dhl", 30}}, "+33"},
	{"AU", 4, "AUD", "en", []city{{"Sydney", "NSW", "2000", "AU"}, {"Melbourne", "VIC", "3000", "AU"}},
		[]weighted{{"auspost", 100}}, "+61"},
	{"ES", 4, "EUR", "es", []city{{"Madrid", "MD", "28013", "ES"}, {"Barcelona", "CT", "08001", "ES"}},
		[]weighted{{"correos", 70}, {"dhl", 30}}, "+34"},
}

// Where shoppers came from, and the ad angle that brought them.
var acquisitions = []struct {
	Source, Medium, Campaign string
	Angles                   []string
	Weight                   int
}{
	{"instagram", "paid_social", "fall-roast", []string{"morning-ritual", "barista-at-home"}, 24},
	{"facebook", "paid_social", "gift-guide", []string{"gift-for-dad", "gift-for-her"}, 12},
	{"google", "cpc", "brand-search", []string{""}, 18},
	{"tiktok", "paid_social", "pour-over-asmr", []string{"barista-at-home", "sustainability"}, 10},
	{"newsletter", "email", "weekly-roast", []string{""}, 14},
	{"direct", "", "", []string{""}, 16},
	{"podcast", "sponsorship", "brew-nerds", []string{"sustainability"}, 6},
}

// Journeys and how often each happens.
var journeyWeights = []weighted{
	{"on_time", 66}, {"late", 11}, {"stalled", 5}, {"exception", 7},
	{"returned", 3}, {"premature_delivered", 4}, {"pickup", 4},
}

var firstNames = []string{"Ava", "Liam", "Mia", "Noah", "Zoe", "Ethan", "Chloe", "Lucas", "Emma", "Oliver", "Sofia", "Mateo", "Hannah", "Jonas", "Léa", "Hugo", "Isla", "Jack", "Grace", "Leo", "Priya", "Kenji", "Amara", "Diego", "Freya", "Elif", "Omar", "Nora", "Finn", "Ines"}
var lastNames = []string{"Smith", "Garcia", "Müller", "Martin", "Brown", "Tremblay", "Wilson", "Schmidt", "Dubois", "Taylor", "Nguyen", "López", "Kelly", "Fischer", "Bernard", "Patel", "Okafor", "Rossi", "Jensen", "Cohen"}
