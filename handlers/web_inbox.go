package handlers

// The inbox: what waits for the reader, oldest first.

import (
	"github.com/gofiber/fiber/v2"

	"shilpkosh/app"
	"shilpkosh/views"
)

// inboxData is the Data of inbox/index.
type inboxData struct {
	Rows []inboxRow
}

type inboxRow struct {
	Href, District, Task, Age, Since, Status string
	personName
}

func (s *Server) inboxPage(c *fiber.Ctx) error {
	lang := s.lang(c)
	items, err := s.artisans.Inbox(c.UserContext(), actor(c))
	if err != nil {
		return err
	}
	refs, err := s.refLabels(c, lang)
	if err != nil {
		return err
	}
	data := &inboxData{}
	for _, it := range items {
		data.Rows = append(data.Rows, inboxRow{
			Href: "/artisans/" + idString(it.Artisan.ID), personName: nameFor(lang, it.Artisan.Name, it.Artisan.NameHi),
			District: refs.district[it.Artisan.District], Task: views.T(lang, "inbox.task."+it.Task, nil),
			Age: ageText(lang, it.AgeDays), Since: formatDate(it.Since), Status: it.Artisan.Status,
		})
	}
	return s.render(c, fiber.StatusOK, "inbox/index", "inbox.title", data)
}

// ageText says how long an item has waited: "today", "1 day", "3 days".
func ageText(lang string, days int) string {
	switch {
	case days <= 0:
		return views.T(lang, "inbox.age.today", nil)
	case days == 1:
		return views.T(lang, "inbox.age.one", nil)
	}
	return views.T(lang, "inbox.age.many", map[string]string{"n": app.FormatIndian(int64(days))})
}
