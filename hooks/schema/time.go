package schema

import (
	"time"

	"github.com/pocketbase/pocketbase/tools/types"
)

// DBTime formats t the way PocketBase stores date fields (UTC,
// types.DefaultDateLayout; "" for the zero time, an unset field), for
// setting fields and for comparisons in filters and raw SQL.
func DBTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(types.DefaultDateLayout)
}

// ParseDBTime reads a stored date field value.
func ParseDBTime(s string) (time.Time, error) { return time.Parse(types.DefaultDateLayout, s) }
