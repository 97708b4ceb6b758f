package schema

import (
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/tools/types"
)

// DBTime must produce exactly what PocketBase stores, or filters comparing
// against stored dates silently match the wrong rows.
func TestDBTimeMatchesPocketBase(t *testing.T) {
	at := time.Date(2026, 3, 8, 7, 30, 1, 250_000_000, time.FixedZone("EST", -5*3600))
	dt, err := types.ParseDateTime(at)
	if err != nil {
		t.Fatal(err)
	}
	if got := DBTime(at); got != dt.String() {
		t.Fatalf("DBTime = %q, PocketBase stores %q", got, dt.String())
	}
	if DBTime(time.Time{}) != "" {
		t.Fatal("zero time must be an unset field")
	}
	back, err := ParseDBTime(DBTime(at))
	if err != nil || !back.Equal(at) {
		t.Fatalf("round trip = %v, %v", back, err)
	}
}
