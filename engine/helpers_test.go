package engine_test

import (
	"encoding/json"
	"fmt"
	"testing"
)

func itoa(n int) string { return fmt.Sprint(n) }

func decodeJSON(t *testing.T, b []byte) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatalf("body is not JSON: %v\n%s", err, b)
	}
	return m
}

// equalAny compares a decoded JSON array with strings.
func equalAny(v any, want []string) bool {
	arr, ok := v.([]any)
	if !ok || len(arr) != len(want) {
		return false
	}
	for i := range arr {
		if arr[i] != want[i] {
			return false
		}
	}
	return true
}
