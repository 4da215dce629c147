package browser_test

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"shilpkosh/views"
)

// approve marks the record at path (/artisans/ID) approved, as the workflow would.
func (s *site) approve(t *testing.T, path string) {
	t.Helper()
	id := strings.TrimPrefix(path, "/artisans/")
	if _, err := s.db.NewRaw("UPDATE artisans SET status = 'approved', registration_no = ? WHERE id = ?",
		"RJ-JAIPUR-2026-"+id, id).Exec(context.Background()); err != nil {
		t.Fatal(err)
	}
}

// cardIn is the card of the one artisan in the column of stage.
func cardIn(stage string) string { return `[data-cards="` + stage + `"] [data-card]` }

// TestOnboardingBoardMoves: on Amazon's board a DIC officer drags the card from "not
// started" to "training" and sees it there without a reload; a move to "account created"
// through the card's form is refused for want of a PAN, the message is shown on the card
// and the card stays where it was.
func TestOnboardingBoardMoves(t *testing.T) {
	eachSite(t, func(t *testing.T, s *site) {
		s.approve(t, s.seedRecord(t))
		dic := s.signIn(t, "dic.jaipur")
		dic.do(chromedp.EmulateViewport(1280, 1600)) // the card and its target column in view together
		if status := dic.visit("/onboarding?platform=amazon&district=jaipur"); status != 200 {
			t.Fatalf("board: status %d", status)
		}
		eval[bool](dic, "window.notReloaded = true")
		dic.do(chromedp.DragAndDrop(chromedp.CSS(cardIn("not_started")+" .muted"), chromedp.CSS(`section[data-stage="training"] h2`)))
		dic.waitFor(`document.querySelector('` + cardIn("training") + `') !== null`)
		if !eval[bool](dic, "window.notReloaded === true") {
			t.Fatal("the page reloaded to move the card")
		}
		counts := eval[[]string](dic, `["not_started", "training"].map(s => document.querySelector('section[data-stage="' + s + '"] [data-count]').textContent)`)
		if counts[0] != "0" || counts[1] != "1" {
			t.Errorf("column counts after the drag: not started %s, training %s; want 0 and 1", counts[0], counts[1])
		}
		if got, want := dic.text("[data-board-status]"), "Meera Devi"; !strings.Contains(got, want) {
			t.Errorf("the move was announced as %q", got)
		}

		// The keyboard's way: the card's form, refused by the server.
		card := cardIn("training")
		dic.do(
			chromedp.Click(chromedp.CSS(card+" summary")),
			chromedp.SetValue(chromedp.CSS(card+" select[name=stage]"), "account_created"),
			chromedp.Click(chromedp.CSS(card+" button[type=submit]")),
		)
		dic.waitFor(`document.querySelector('` + card + ` [data-onboarding-status]').textContent !== ""`)
		if got, want := dic.text(card+" [data-onboarding-status]"), views.T("en", "onboarding.missing.pan", nil); !strings.Contains(got, want) {
			t.Errorf("refusal reads %q, want it to name the missing PAN (%q)", got, want)
		}
		if !eval[bool](dic, "window.notReloaded === true") || eval[bool](dic, `document.querySelector('`+cardIn("account_created")+`') !== null`) {
			t.Error("the refused move reloaded the page or moved the card")
		}
		dic.screenshot("onboarding-board-refused-1280")

		// On a phone the columns stack: the page does not scroll sideways.
		dic.do(chromedp.EmulateViewport(360, 780))
		if w := eval[float64](dic, "document.scrollingElement.scrollWidth"); w > 360 {
			t.Errorf("the board scrolls sideways at 360 px (width %.0f)", w)
		}
		dic.screenshot("onboarding-board-refused-360")
	})
}

// waitFor polls a JavaScript condition until it holds (or the session's time runs out).
func (s *session) waitFor(condition string) {
	s.t.Helper()
	if _, err := chromedp.Run(s.ctx, chromedp.Poll[bool](condition)); err != nil {
		s.t.Fatalf("wait for %s: %v", condition, err)
	}
}
