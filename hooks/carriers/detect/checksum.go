package detect

// Check-digit algorithms. Every function takes characters that the caller's
// pattern has already restricted to 0-9 (and A-Z where noted), so none of
// them validates its input again.

// digit returns the value of an ASCII digit.
func digit(c byte) int { return int(c - '0') }

// upsValue is the value UPS gives a character in a 1Z number: digits are
// themselves, letters are (ASCII code - 3) mod 10, so A=2, B=3 ... J=1.
// OnTrac uses the same rule for its C and D prefixes.
func upsValue(c byte) int {
	if c >= '0' && c <= '9' {
		return digit(c)
	}
	return (int(c) - 3) % 10
}

// tensComplement turns a weighted sum into a mod-10 check digit.
func tensComplement(sum int) int { return (10 - sum%10) % 10 }

// upsMod10 weighs the characters 1,2,1,2... from the left, with letters
// valued as upsValue. Used by UPS 1Z and waybill numbers and OnTrac.
func upsMod10(s string) int {
	sum := 0
	for i := 0; i < len(s); i++ {
		v := upsValue(s[i])
		if i%2 == 1 {
			v *= 2
		}
		sum += v
	}
	return tensComplement(sum)
}

// gs1Mod10 is the GS1 check digit: digits weighted 3,1,3,1... starting
// from the rightmost one. SSCC-18, USPS, Canada Post and FedEx Ground
// numbers all use it (FedEx Ground's 1,3,1,3... from the left on its
// 14-digit serial is the same thing counted from the other end).
func gs1Mod10(s string) int {
	sum := 0
	for i := len(s) - 1; i >= 0; i-- {
		v := digit(s[i])
		if (len(s)-1-i)%2 == 0 {
			v *= 3
		}
		sum += v
	}
	return tensComplement(sum)
}

// luhnValid reports whether s, check digit included, passes the Luhn test.
func luhnValid(s string) bool {
	sum := 0
	for i := len(s) - 1; i >= 0; i-- {
		v := digit(s[i])
		if (len(s)-1-i)%2 == 1 {
			v *= 2
			if v > 9 {
				v -= 9
			}
		}
		sum += v
	}
	return sum%10 == 0
}

// fedexWeights are FedEx Express's weights counted from the digit just
// before the check digit, leftwards: 1,3,7,1,3,7,... For the 11-digit serial
// of a 12-digit number that reads 3,1,7,3,1,7,3,1,7,3,1 from the left.
var fedexWeights = [3]int{1, 3, 7}

// fedexMod11 is FedEx Express's check: the weighted sum mod 11, where a
// remainder of 10 counts as 0.
func fedexMod11(s string) int {
	sum := 0
	for i := len(s) - 1; i >= 0; i-- {
		sum += digit(s[i]) * fedexWeights[(len(s)-1-i)%3]
	}
	return sum % 11 % 10
}

// mod7 is DHL Express's air waybill check: the serial as a number mod 7.
// Done digit by digit so no length can overflow.
func mod7(s string) int {
	r := 0
	for i := 0; i < len(s); i++ {
		r = (r*10 + digit(s[i])) % 7
	}
	return r
}

// s10Weights are the UPU S10 weights for the eight serial digits.
var s10Weights = [8]int{8, 6, 4, 2, 3, 5, 9, 7}

// s10Check is the UPU S10 check digit of eight serial digits:
// 11 - (weighted sum mod 11), where 10 becomes 0 and 11 becomes 5.
func s10Check(s string) int {
	sum := 0
	for i := 0; i < len(s) && i < len(s10Weights); i++ {
		sum += digit(s[i]) * s10Weights[i]
	}
	switch c := 11 - sum%11; c {
	case 10:
		return 0
	case 11:
		return 5
	default:
		return c
	}
}

// alnum36 is the alphabet of ISO 7064 MOD 37,36 check characters.
const alnum36 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"

// mod37_36 is the ISO/IEC 7064 MOD 37,36 hybrid check character DPD prints
// after its parcel numbers. s holds digits and upper-case letters.
func mod37_36(s string) byte {
	const m = 36
	p := m
	for i := 0; i < len(s); i++ {
		c := s[i]
		v := 0
		switch {
		case c >= '0' && c <= '9':
			v = int(c - '0')
		case c >= 'A' && c <= 'Z':
			v = int(c-'A') + 10
		}
		p += v
		if p > m {
			p -= m
		}
		p *= 2
		if p > m {
			p -= m + 1
		}
	}
	cd := (m + 1 - p) % m
	return alnum36[cd]
}
