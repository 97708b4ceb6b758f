package main

import (
	"strings"
	"testing"
	"time"
)

func TestPercentile(t *testing.T) {
	var lat []time.Duration
	for i := 1; i <= 100; i++ {
		lat = append(lat, time.Duration(i)*time.Millisecond)
	}
	for _, c := range []struct {
		q    float64
		want time.Duration
	}{{0, 1 * time.Millisecond}, {50, 50 * time.Millisecond}, {95, 95 * time.Millisecond}, {99, 99 * time.Millisecond}, {100, 100 * time.Millisecond}} {
		if got := percentile(lat, c.q); got != c.want {
			t.Errorf("p%v = %v, want %v", c.q, got, c.want)
		}
	}
	if got := percentile(nil, 50); got != 0 {
		t.Errorf("empty: %v", got)
	}
	if got := percentile([]time.Duration{7}, 99); got != 7 {
		t.Errorf("single: %v", got)
	}
}

func TestTable(t *testing.T) {
	got := table([]string{"a", "long header"}, [][]string{{"x×", "1"}, {"yyyy"}})
	want := "" +
		"| a    | long header |\n" +
		"| ---- | ----------- |\n" +
		"| x×   | 1           |\n" +
		"| yyyy |             |\n"
	if got != want {
		t.Errorf("table:\n%s\nwant:\n%s", got, want)
	}
}

func TestNumbers(t *testing.T) {
	for in, want := range map[int64]string{0: "0", 999: "999", 1000: "1,000", 1234567: "1,234,567", -4200: "-4,200"} {
		if got := thousands(in); got != want {
			t.Errorf("thousands(%d) = %q, want %q", in, got, want)
		}
	}
	if got := ms(1500 * time.Microsecond); got != "1.50 ms" {
		t.Errorf("ms = %q", got)
	}
	if s, v := ratio(1, 0); s != "n/a" || v != 0 {
		t.Errorf("ratio by zero = %q %v", s, v)
	}
	if s, _ := ratio(3, 4); !strings.HasPrefix(s, "0.75") {
		t.Errorf("ratio = %q", s)
	}
}
