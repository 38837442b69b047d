package locale

import (
	"regexp"
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
