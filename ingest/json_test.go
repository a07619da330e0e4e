package ingest

import "testing"

func TestJSONLines(t *testing.T) {
	data := []byte("{\n \"deployments\": [\n  {\"id\": \"a\",\n   \"vendors\": [\n     {\"vendor\": \"x\", \"role\": \"bad\"}\n   ]\n  }\n ]\n}\n")
	set, src, err := Parse("f.json", data, JSON)
	if err != nil {
		t.Fatal(err)
	}
	_ = set
	for path, want := range map[string]int{"deployments[0].id": 3, "deployments[0].vendors[0].role": 5, "deployments[0].title": 3, "deployments": 2} {
		if _, line, _ := src.Locate(path); line != want {
			t.Errorf("%s: line %d, want %d", path, line, want)
		}
	}
}
