package payload

import "testing"

// TestCallbackRoundTrip: what Encode* writes, Decode* reads back, in every
// format (replay rebuilds callbacks this way).
func TestCallbackRoundTrip(t *testing.T) {
	auth := AuthParams{To: "a+b&c=d@x.com", From: `"Q <N>"@x.com`, Size: 1234, HasSize: true,
		HeloDomain: "café.example", RemoteIP: "192.0.2.1", SPF: SPF{Result: "softfail", Domain: "x.com"}}
	noSize := auth
	noSize.Size, noSize.HasSize = 0, false
	for _, f := range []AuthFormat{AuthForm, AuthJSON, AuthXML} {
		for name, p := range map[string]AuthParams{"size": auth, "no size": noSize} {
			t.Run("authorization "+string(f)+" "+name, func(t *testing.T) {
				body, _, err := EncodeAuthorization(f, p)
				if err != nil {
					t.Fatal(err)
				}
				got, err := DecodeAuthorization(f, body)
				if err != nil {
					t.Fatal(err)
				}
				if got != p {
					t.Errorf("decoded %+v, want %+v", got, p)
				}
			})
		}
	}
	e := ErrorParams{Status: 422, To: "r@x.com", From: "s@x.com", Response: "bad & <wrong>\nsecond"}
	for _, f := range []AuthFormat{AuthForm, AuthJSON} {
		t.Run("error callback "+string(f), func(t *testing.T) {
			body, _ := EncodeErrorCallbackAs(f, e)
			got, err := DecodeErrorCallback(f, body)
			if err != nil {
				t.Fatal(err)
			}
			if got != e {
				t.Errorf("decoded %+v, want %+v", got, e)
			}
		})
	}
	if _, err := DecodeAuthorization(AuthJSON, []byte("{")); err == nil {
		t.Error("broken JSON decoded without error")
	}
}
