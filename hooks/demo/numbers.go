package demo

import (
	"fmt"
	"math/rand/v2"
	"strings"
)

// Tracking numbers in each carrier's real format, with valid check digits,
// so carrier detection and carrier links work on demo data as on real data.

func digits(r *rand.Rand, n int) string {
	var b strings.Builder
	for i := 0; i < n; i++ {
		b.WriteByte(byte('0' + r.IntN(10)))
	}
	return b.String()
}

// uspsIMpb: 22 digits, mod-10 check with weights 3,1 from the right.
func uspsIMpb(r *rand.Rand) string {
	body := "9400111" + digits(r, 14)
	sum := 0
	for i := len(body) - 1; i >= 0; i-- {
		d := int(body[i] - '0')
		if (len(body)-1-i)%2 == 0 {
			d *= 3
		}
		sum += d
	}
	return body + fmt.Sprint((10-sum%10)%10)
}

// ups1Z: 1Z + shipper(6) + service(2) + package(7) + check.
func ups1Z(r *rand.Rand) string {
	const alnum = "ABCDEFGHJKLMNPRSTUVWXY0123456789"
	var shipper strings.Builder
	for i := 0; i < 6; i++ {
		shipper.WriteByte(alnum[r.IntN(len(alnum))])
	}
	body := shipper.String() + "03" + digits(r, 7)
	sum := 0
	for i := 0; i < len(body); i++ {
		c := body[i]
		v := int(c - '0')
		if c >= 'A' && c <= 'Z' {
			v = (int(c) - 63) % 10
		}
		if i%2 == 1 {
			v *= 2
		}
		sum += v
	}
	return "1Z" + body + fmt.Sprint((10-sum%10)%10)
}

// fedex12: 11 digits + mod-11 check with weights 1,3,7 from the right.
func fedex12(r *rand.Rand) string {
	body := digits(r, 11)
	w := []int{1, 3, 7}
	sum := 0
	for i := 0; i < len(body); i++ {
		sum += int(body[len(body)-1-i]-'0') * w[i%3]
	}
	return body + fmt.Sprint(sum%11%10)
}

// dhlExpress: 10 digits, last = first nine mod 7.
func dhlExpress(r *rand.Rand) string {
	body := fmt.Sprint(1+r.IntN(9)) + digits(r, 8)
	n := 0
	for _, c := range body {
		n = n*10 + int(c-'0')
	}
	return body + fmt.Sprint(n%7)
}

// s10: UPU S10 (two letters, 8 digits, check, country).
func s10(r *rand.Rand, service, country string) string {
	body := digits(r, 8)
	w := []int{8, 6, 4, 2, 3, 5, 9, 7}
	sum := 0
	for i := 0; i < 8; i++ {
		sum += int(body[i]-'0') * w[i]
	}
	c := 11 - sum%11
	switch c {
	case 10:
		c = 0
	case 11:
		c = 5
	}
	return service + body + fmt.Sprint(c) + country
}

// trackingNumber makes a number in carrier's format.
func trackingNumber(r *rand.Rand, carrier string) string {
	switch carrier {
	case "usps":
		return uspsIMpb(r)
	case "ups":
		return ups1Z(r)
	case "fedex":
		return fedex12(r)
	case "dhl":
		return dhlExpress(r)
	case "royalmail":
		return s10(r, "RR", "GB")
	case "canadapost":
		return s10(r, "RN", "CA")
	case "laposte":
		return s10(r, "LA", "FR")
	case "auspost":
		return s10(r, "RR", "AU")
	case "correos":
		return s10(r, "RR", "ES")
	}
	return "SIM" + digits(r, 12)
}
