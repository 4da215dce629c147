package handlers

import (
	"strings"
	"testing"
	"testing/fstest"
)

func TestMergeOpenAPIRefusesDuplicates(t *testing.T) {
	base := `{"openapi":"3.0.3","paths":{},"components":{"schemas":{"Error":{}}}}`
	ok := fstest.MapFS{
		"openapi/base.json": {Data: []byte(base)},
		"openapi/a.json":    {Data: []byte(`{"paths":{"/x":{"get":{}}},"components":{"schemas":{"A":{}}}}`)},
		"openapi/b.json":    {Data: []byte(`{"paths":{"/x":{"post":{}}},"components":{"schemas":{"B":{}}}}`)},
	}
	out, err := mergeOpenAPI(ok)
	if err != nil || !strings.Contains(string(out), `"post"`) || !strings.Contains(string(out), `"B"`) {
		t.Fatalf("merge: %v\n%s", err, out)
	}
	for name, frag := range map[string]string{
		"same operation": `{"paths":{"/x":{"get":{}}}}`,
		"same schema":    `{"components":{"schemas":{"Error":{}}}}`,
	} {
		bad := fstest.MapFS{"openapi/base.json": ok["openapi/base.json"], "openapi/a.json": ok["openapi/a.json"],
			"openapi/c.json": {Data: []byte(frag)}}
		if _, err := mergeOpenAPI(bad); err == nil {
			t.Errorf("%s: duplicate not refused", name)
		}
	}
}
