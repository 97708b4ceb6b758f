package sms

import "strings"

// Keyword is the meaning of an inbound SMS reply.
type Keyword int

const (
	// None is any message that is not a keyword.
	None Keyword = iota
	// OptOut stops all further messages to the sender.
	OptOut
	// OptIn reverses an earlier opt-out.
	OptIn
	// Help asks for the help reply.
	Help
)

func (k Keyword) String() string {
	switch k {
	case OptOut:
		return "opt_out"
	case OptIn:
		return "opt_in"
	case Help:
		return "help"
	default:
		return "none"
	}
}

// keywords are Twilio's default reserved words for long codes and toll-free
// numbers (STOP filtering), which are also the CTIA set.
var keywords = map[string]Keyword{
	"STOP": OptOut, "UNSUBSCRIBE": OptOut, "END": OptOut, "QUIT": OptOut,
	"STOPALL": OptOut, "REVOKE": OptOut, "OPTOUT": OptOut, "CANCEL": OptOut,
	"START": OptIn, "YES": OptIn, "UNSTOP": OptIn,
	"HELP": Help, "INFO": Help,
}

// Classify tells what an inbound message means.
//
// Twilio documents that only single-word messages trigger its STOP filtering
// ("STOP PLEASE" or "PLEASE CANCEL" do not) and that matching ignores case,
// so Classify trims surrounding whitespace and compares the whole message,
// ASCII case-insensitively: "stop sending me stuff" is None. Our consent
// record therefore agrees with Twilio's block list.
//
// One deliberate, one-sided widening: trailing "." "!" or "?" are ignored for
// OptOut and Help ("Stop." stops), because wrongly keeping someone subscribed
// is the costly mistake. An opt-in must be exact ("YES!" is None), so consent
// is never granted on a loose match. Non-ASCII letters never match.
func Classify(body string) Keyword {
	word := strings.TrimSpace(body)
	if k, ok := keywords[upperASCII(word)]; ok {
		return k
	}
	stripped := strings.TrimSpace(strings.TrimRight(word, ".!?"))
	if stripped == word {
		return None
	}
	if k := keywords[upperASCII(stripped)]; k == OptOut || k == Help {
		return k
	}
	return None
}

// upperASCII upper-cases ASCII letters only, so look-alikes such as the long
// s (ſ, which Unicode folds to S) do not match a keyword.
func upperASCII(s string) string {
	if len(s) > 16 { // longer than any keyword
		return ""
	}
	b := []byte(s)
	for i, c := range b {
		if 'a' <= c && c <= 'z' {
			b[i] = c - 'a' + 'A'
		}
	}
	return string(b)
}
