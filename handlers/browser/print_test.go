package browser_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

// emulateMedia renders the page for media ("print"), or for the screen again with "".
func emulateMedia(media string) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := cdp.Call(ctx, t, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: media})
		return err
	})
}

// printed tells which of the page's parts show when it is printed.
const printed = `(() => { const shown = sel => { const e = document.querySelector(sel);
		return !!e && getComputedStyle(e).display !== "none" && e.getBoundingClientRect().height > 0; };
	return {nav: shown(".site-nav"), tools: shown(".header-tools"), title: shown("main h1"), content: shown(%q)}; })()`

// TestPrintLayout: printed, a list page and a record page keep their title and content and
// drop the menu and the header's tools.
func TestPrintLayout(t *testing.T) {
	eachSite(t, func(t *testing.T, s *site) {
		record := s.seedRecord(t)
		sess := s.signIn(t, "board")
		for _, p := range []struct{ path, content string }{
			{"/artisans", "main table"},
			{record, "main .pairs"},
		} {
			sess.visit(p.path)
			sess.do(emulateMedia("print"))
			got := eval[map[string]bool](sess, fmt.Sprintf(printed, p.content))
			if got["nav"] || got["tools"] || !got["title"] || !got["content"] {
				t.Errorf("%s printed: %v, want the menu and tools hidden, the title and %s shown", p.path, got, p.content)
			}
			sess.do(emulateMedia(""))
			if !eval[map[string]bool](sess, fmt.Sprintf(printed, p.content))["nav"] {
				t.Errorf("%s: the menu stays hidden on screen after printing", p.path)
			}
		}
	})
}
