package locale

import (
	"regexp"
	"slices"
	"strings"
	"testing"
)

// Every language must carry every key of the default catalogue, with the
// same formatting verbs, or a page would show a raw key or a broken message.
func TestCataloguesAreComplete(t *testing.T) {
	verbs := regexp.MustCompile(`%[a-z]`)
	for _, lang := range Languages() {
		for _, key := range Keys(Default) {
			msg, ok := catalogues[lang][key]
			if !ok {
				t.Errorf("%s lacks %q", lang, key)
				continue
			}
			want := verbs.FindAllString(catalogues[Default][key], -1)
			got := verbs.FindAllString(msg, -1)
			if len(want) != len(got) {
				t.Errorf("%s %q: verbs %v, want %v", lang, key, got, want)
			}
		}
		for _, key := range Keys(lang) {
			if _, ok := catalogues[Default][key]; !ok {
				t.Errorf("%s has %q that %s lacks", lang, key, Default)
			}
		}
	}
}

func TestErrorSpeaksChinese(t *testing.T) {
	err := NewError("error.login_failed")
	if err.Error() != catalogues[Default]["error.login_failed"] || err.Error() == "error.login_failed" {
		t.Fatalf("got %q", err.Error())
	}
	if got := NewPrinter("xx").Get("no.such.key"); got != "no.such.key" {
		t.Fatalf("unknown key: %q", got)
	}
}

// A kind of unit rewords keys that exist for everyone, with the same
// verbs, and reads every other key as everyone does.
func TestUnitKindWording(t *testing.T) {
	verbs := regexp.MustCompile(`%[a-z]`)
	for _, key := range Keys(Default) {
		base, kind, ok := strings.Cut(key, "@")
		if !ok {
			continue
		}
		if _, exists := catalogues[Default][base]; !exists {
			t.Errorf("%q rewords %q, which no unit has", key, base)
		}
		if !slices.Contains(UnitKinds(), kind) {
			t.Errorf("%q: kind %q not listed", key, kind)
		}
		if a, b := verbs.FindAllString(catalogues[Default][key], -1), verbs.FindAllString(catalogues[Default][base], -1); !slices.Equal(a, b) {
			t.Errorf("%q: verbs %v, the base has %v", key, a, b)
		}
	}
	p := NewPrinter(Default)
	for _, c := range []struct{ kind, key, want string }{
		{"", "scoring.level.window", "窗口"},
		{"hospital", "scoring.level.window", "科室、病区"},
		{"hospital", "scoring.level.person", p.Get("scoring.level.person")},
		{"center", "scoring.level.window", "窗口"},
	} {
		if got := p.As(c.kind).Get(c.key); got != c.want {
			t.Errorf("%s %s: %q, want %q", c.kind, c.key, got, c.want)
		}
	}
}
