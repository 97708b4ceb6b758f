package render

import (
	"errors"
	"strings"
	"testing"
)

func TestCheckAcceptsValidTemplates(t *testing.T) {
	body := `Hi {{ customer.first_name }},

{{#order.items}}
- {{quantity}} × {{name}}{{#variant}} ({{variant}}){{/variant}}
{{/order.items}}
{{#links.guides}}[{{title}}]({{url}}) {{shop.name}}{{/links.guides}}
{{^edd.window}}Soon.{{/edd.window}}{{! comment with {braces} }}
[Track]({{links.tracking}})`
	if err := Check("Order {{order.number}}", body, ChannelEmail); err != nil {
		t.Fatalf("Check() = %v", err)
	}
	if err := Check("ignored {{nope}}", "Track: {{links.tracking}}", ChannelSMS); err != nil {
		t.Fatalf("Check(sms) = %v", err)
	}
}

func TestCheckErrors(t *testing.T) {
	cases := []struct {
		name          string
		subject, body string
		ch            Channel
		want          []string // substrings of the joined error
		line          int      // line of the first TemplateError, 0 to skip
		variable      string
	}{
		{"unknown variable names line and did-you-mean", "Hi", "Hello\n\nOrder {{order.numbr}}", ChannelEmail,
			[]string{`body line 3, column 7: unknown variable "order.numbr"`, `did you mean "order.number"`}, 3, "order.numbr"},
		{"unknown in subject", "Hi {{custmer.name}}", "x", ChannelEmail,
			[]string{`subject line 1, column 4: unknown variable "custmer.name"`}, 1, "custmer.name"},
		{"wrong case suggests", "s", "{{Order.Number}}", ChannelSMS, []string{`did you mean "order.number"`}, 1, "Order.Number"},
		{"list used as value", "s", "{{order.items}}", ChannelEmail, []string{"order.items is a list", "{{#order.items}}"}, 1, "order.items"},
		{"item field outside its list", "s", "line\n{{quantity}}", ChannelEmail,
			[]string{`unknown variable "quantity"`, "only available inside {{#order.items}}"}, 2, "quantity"},
		{"field of another list", "s", "{{#order.items}}{{title}}{{/order.items}}", ChannelEmail, []string{`unknown variable "title"`}, 1, "title"},
		{"unknown section", "s", "{{#order.gifts}}x{{/order.gifts}}", ChannelEmail, []string{`unknown variable "order.gifts"`}, 1, "order.gifts"},
		{"unclosed tag", "s", "a\nb {{order.number", ChannelEmail, []string{"body line 2, column 3: tag opened with {{ is never closed"}, 2, ""},
		{"bad tag content", "s", "{{ order number }}", ChannelEmail, []string{"is not a variable name"}, 1, ""},
		{"triple mustache", "s", "{{{order.number}}}", ChannelEmail, []string{"is not a variable name"}, 1, ""},
		{"mismatched close", "s", "{{#order.items}}\n{{/links.guides}}", ChannelEmail,
			[]string{"{{/links.guides}} closes {{#order.items}} opened on line 1"}, 2, "links.guides"},
		{"never closed", "s", "x\n{{^edd.window}}soon", ChannelEmail, []string{"{{^edd.window}} is never closed"}, 2, "edd.window"},
		{"stray close", "s", "{{/edd.window}}", ChannelEmail, []string{"never opened"}, 1, "edd.window"},
		{"empty subject", " ", "body", ChannelEmail, []string{"subject: subject is empty"}, 0, ""},
		{"multi-line subject", "a\nb", "body", ChannelEmail, []string{"single line"}, 0, ""},
		{"empty body", "s", "\n", ChannelSMS, []string{"body: body is empty"}, 0, ""},
		{"too large", "s", strings.Repeat("x", 70<<10), ChannelSMS, []string{"larger than 64 KiB"}, 0, ""},
		{"invalid utf-8", "s", "\xff", ChannelSMS, []string{"not valid UTF-8"}, 0, ""},
		{"too deep", "s", strings.Repeat("{{#edd.window}}", 9) + strings.Repeat("{{/edd.window}}", 9), ChannelSMS, []string{"nested deeper"}, 1, "edd.window"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := Check(tc.subject, tc.body, tc.ch)
			if err == nil {
				t.Fatal("Check() = nil, want an error")
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not contain %q", err, w)
				}
			}
			if tc.line != 0 {
				var te *TemplateError
				if !errors.As(err, &te) {
					t.Fatalf("error %v is not a *TemplateError", err)
				}
				if te.Line != tc.line || te.Name != tc.variable {
					t.Errorf("TemplateError line %d name %q, want line %d name %q", te.Line, te.Name, tc.line, tc.variable)
				}
			}
		})
	}
}

func TestCheckReportsAllProblems(t *testing.T) {
	err := Check("{{a.b}}", "{{c.d}}\n{{e.f}}", ChannelEmail)
	for _, n := range []string{"a.b", "c.d", "e.f"} {
		if err == nil || !strings.Contains(err.Error(), n) {
			t.Errorf("error %v does not mention %s", err, n)
		}
	}
}

func TestCheckUnknownChannel(t *testing.T) {
	if err := Check("s", "b", "fax"); err == nil {
		t.Fatal("want error for unknown channel")
	}
}

func TestStandaloneLines(t *testing.T) {
	v := SampleVars()
	body := "Items:\n{{#order.items}}\n  - {{name}}\n{{/order.items}}\n{{! note }}\nEnd"
	got, err := PreviewSMS(Template{Body: body}, v)
	if err != nil {
		t.Fatal(err)
	}
	want := "Items:\n  - Linen shirt\n  - Canvas tote\nEnd"
	if got != want {
		t.Fatalf("got %q, want %q", got, want)
	}
	// Inline section tags keep their line.
	got, _ = SMS(Template{Body: "a {{#edd.window}}b{{/edd.window}} c\r\nd"}, v)
	if got != "a b c\nd" {
		t.Fatalf("inline sections: got %q", got)
	}
}

func TestCheckTrialRender(t *testing.T) {
	err := Check("s", strings.Repeat("> ", 2000), ChannelEmail)
	if err == nil || !strings.Contains(err.Error(), "trial render") {
		t.Fatalf("deeply nested quotes should fail the trial render, got %v", err)
	}
	err = Check("s", strings.Repeat("{{#order.items}}", 8)+strings.Repeat("{{customer.name}}", 200)+strings.Repeat("{{/order.items}}", 8), ChannelSMS)
	if err == nil || !strings.Contains(err.Error(), "larger than") {
		t.Fatalf("an exploding template should fail the trial render, got %v", err)
	}
}
