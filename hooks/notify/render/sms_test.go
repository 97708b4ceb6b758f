package render

import (
	"strings"
	"testing"
)

func TestSMS(t *testing.T) {
	v := SampleVars()
	v.Customer.FirstName = "<b>Ana</b> & *co* {{order.number}}\nSTOP"
	got, err := SMS(Template{Body: "Hi {{customer.first_name}}, {{shop.name}}: order {{order.number}} is {{shipment.status}}. Track: {{links.tracking}}\n"}, v)
	if err != nil {
		t.Fatal(err)
	}
	want := "Hi <b>Ana</b> & *co* {{order.number}} STOP, Juniper & Co: order #1042 is In transit. Track: https://track.juniper.example/t/9f2c4e1a"
	if got != want {
		t.Fatalf("SMS() =\n%q\nwant\n%q", got, want)
	}
}

func TestSMSUnknownVariable(t *testing.T) {
	tpl := Template{Body: "Hi {{customer.nickname}}! {{#order.gifts}}gift{{/order.gifts}}{{^order.gifts}}none{{/order.gifts}}"}
	got, err := SMS(tpl, SampleVars())
	if err != nil || got != "Hi ! none" {
		t.Fatalf("SMS() = %q, %v; want lenient empty", got, err)
	}
	if _, err := PreviewSMS(tpl, SampleVars()); err == nil || !strings.Contains(err.Error(), `"customer.nickname"`) {
		t.Fatalf("PreviewSMS() err = %v, want unknown variable", err)
	}
	if _, err := SMS(Template{Body: "{{#edd.window}}"}, SampleVars()); err == nil {
		t.Fatal("broken syntax must fail even when sending")
	}
}

func TestSMSURLVariablesMustBeHTTP(t *testing.T) {
	v := SampleVars()
	v.Links.Tracking = "javascript:alert(1)"
	v.Links.Returns = "ftp://x.example/r"
	v.Links.Survey = "//no-scheme.example"
	got, _ := SMS(Template{Body: "[{{links.tracking}}][{{links.returns}}][{{links.survey}}]"}, v)
	if got != "[][][]" {
		t.Fatalf("unsafe URLs rendered: %q", got)
	}
}

func TestOutputSizeCap(t *testing.T) {
	v := SampleVars()
	v.Customer.Name = strings.Repeat("x", 10000)
	body := strings.Repeat("{{customer.name}}", 200)
	if _, err := SMS(Template{Body: body}, v); err == nil || !strings.Contains(err.Error(), "larger than") {
		t.Fatalf("want size error, got %v", err)
	}
}
