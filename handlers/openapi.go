package handlers

import (
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"sort"

	"github.com/gofiber/fiber/v2"
)

// The OpenAPI 3 document of the JSON API is kept as one file per feature under openapi/:
// base.json holds the info, security and shared components; each other file adds its paths
// and schemas. They are merged once at start; a test keeps the result and the route table in
// step and checks real responses against its schemas.
//
//go:embed openapi/*.json
var openAPIFiles embed.FS

var openAPIDocument = mustMergeOpenAPI(openAPIFiles)

// OpenAPIDocument returns the merged document.
func OpenAPIDocument() []byte { return openAPIDocument }

func (s *Server) openAPI(c *fiber.Ctx) error {
	c.Set(fiber.HeaderContentType, fiber.MIMEApplicationJSONCharsetUTF8)
	return c.Send(openAPIDocument)
}

func mustMergeOpenAPI(fsys fs.FS) []byte {
	b, err := mergeOpenAPI(fsys)
	if err != nil {
		panic(err.Error())
	}
	return b
}

// mergeOpenAPI folds every feature file into base.json. A path operation or a component
// defined twice is an error, so two features cannot silently overwrite each other.
func mergeOpenAPI(fsys fs.FS) ([]byte, error) {
	var doc map[string]any
	if err := readJSON(fsys, "openapi/base.json", &doc); err != nil {
		return nil, err
	}
	names, err := fs.Glob(fsys, "openapi/*.json")
	if err != nil {
		return nil, err
	}
	sort.Strings(names)
	for _, name := range names {
		if name == "openapi/base.json" {
			continue
		}
		var part map[string]any
		if err := readJSON(fsys, name, &part); err != nil {
			return nil, err
		}
		if err := mergeSection(doc, part, "paths", name, 2); err != nil {
			return nil, err
		}
		if err := mergeSection(doc, part, "components", name, 2); err != nil {
			return nil, err
		}
	}
	return json.MarshalIndent(doc, "", "  ")
}

// mergeSection copies part[key] into doc[key], descending depth levels of objects (paths →
// path → method; components → kind → name) and refusing a leaf that exists already.
func mergeSection(doc, part map[string]any, key, file string, depth int) error {
	src, ok := part[key].(map[string]any)
	if !ok {
		return nil
	}
	dst, ok := doc[key].(map[string]any)
	if !ok {
		dst = map[string]any{}
		doc[key] = dst
	}
	for k := range src {
		if depth > 1 {
			if _, isObj := src[k].(map[string]any); isObj {
				if err := mergeSection(dst, src, k, file, depth-1); err != nil {
					return err
				}
				continue
			}
		}
		if _, dup := dst[k]; dup {
			return fmt.Errorf("openapi: %s defines %s/%s again", file, key, k)
		}
		dst[k] = src[k]
	}
	return nil
}

func readJSON(fsys fs.FS, name string, dest any) error {
	b, err := fs.ReadFile(fsys, name)
	if err != nil {
		return fmt.Errorf("openapi: %s: %w", name, err)
	}
	if err := json.Unmarshal(b, dest); err != nil {
		return fmt.Errorf("openapi: %s: %w", name, err)
	}
	return nil
}
