package views

import (
	"os"
	"strings"
	"testing"
)

func TestZZDump(t *testing.T) {
	css, _ := os.ReadFile("static/css/app.css")
	for _, lang := range Languages() {
		for _, c := range cases(lang) {
			out := render(t, c.page, c.p)
			os.WriteFile("/tmp/vr/"+lang+"-"+c.name+".raw.html", []byte(out), 0o644)
			inl := strings.Replace(out, `<link rel="stylesheet" href="`, `<style>`+strings.ReplaceAll(string(css), "../fonts/", "/work/main/views/static/fonts/")+`</style><link rel="x" href="`, 1)
			inl = strings.ReplaceAll(inl, `src="/static/img/`, `src="/work/main/views/static/img/`)
			os.WriteFile("/tmp/vr/"+lang+"-"+c.name+".html", []byte(inl), 0o644)
		}
	}
}
