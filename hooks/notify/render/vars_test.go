package render

import (
	"reflect"
	"strings"
	"testing"
)

// TestVariablesCoverVars keeps the variable table and the Vars struct in
// step: every leaf field of Vars must be reachable through exactly one
// variable (scalar) or list field.
func TestVariablesCoverVars(t *testing.T) {
	var leaves []string
	var walk func(reflect.Type, string)
	walk = func(ty reflect.Type, prefix string) {
		for i := 0; i < ty.NumField(); i++ {
			f := ty.Field(i)
			switch f.Type.Kind() {
			case reflect.Struct:
				walk(f.Type, prefix+f.Name+".")
			case reflect.Slice:
				leaves = append(leaves, prefix+f.Name+"[]")
			default:
				leaves = append(leaves, prefix+f.Name)
			}
		}
	}
	walk(reflect.TypeOf(Vars{}), "")

	scalars, lists := 0, 0
	seen := map[string]bool{}
	for _, v := range Variables() {
		if seen[v.Name] {
			t.Errorf("variable %s listed twice", v.Name)
		}
		seen[v.Name] = true
		if v.Description == "" {
			t.Errorf("variable %s has no description", v.Name)
		}
		if v.Kind == KindList {
			lists++
			if len(v.Fields) == 0 {
				t.Errorf("list %s has no fields", v.Name)
			}
			for _, f := range v.Fields {
				if f.Example == "" && f.Name != "variant" {
					t.Errorf("list field %s.%s has no example", v.Name, f.Name)
				}
			}
			continue
		}
		scalars++
		if v.Example == "" {
			t.Errorf("variable %s has no example in SampleVars", v.Name)
		}
	}
	wantLists := 0
	for _, l := range leaves {
		if strings.HasSuffix(l, "[]") {
			wantLists++
		}
	}
	if scalars != len(leaves)-wantLists || lists != wantLists {
		t.Fatalf("table has %d scalars and %d lists; Vars has %d scalar fields and %d lists: %v",
			scalars, lists, len(leaves)-wantLists, wantLists, leaves)
	}

	// Each scalar getter must read a distinct field: set every string field
	// to its own path and check the getters return distinct values.
	var v Vars
	rv := reflect.ValueOf(&v).Elem()
	for i := 0; i < rv.NumField(); i++ {
		s := rv.Field(i)
		for j := 0; j < s.NumField(); j++ {
			if s.Field(j).Kind() == reflect.String {
				s.Field(j).SetString(rv.Type().Field(i).Name + "." + s.Type().Field(j).Name)
			}
		}
	}
	got := map[string]string{}
	for _, d := range defs {
		if d.kind == KindList {
			continue
		}
		val := d.get(&v)
		if d.kind == KindURL {
			continue // not URLs here; checked through SampleVars examples above
		}
		if other, dup := got[val]; dup {
			t.Errorf("%s and %s read the same field %s", d.name, other, val)
		}
		got[val] = d.name
	}
}

func TestVariablesReturnsCopies(t *testing.T) {
	a := Variables()
	a[0].Name = "changed"
	if Variables()[0].Name == "changed" {
		t.Fatal("Variables must return a fresh slice")
	}
}
