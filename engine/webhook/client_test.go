package webhook

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/mailhook/mailhook/storage"
)

func newClient(t *testing.T, o Options) *Client {
	t.Helper()
	c := New(o)
	t.Cleanup(c.CloseIdleConnections)
	return c
}

func header(hs []storage.Header, name string) string {
	for _, h := range hs {
		if strings.EqualFold(h.Name, name) {
			return h.Value
		}
	}
	return ""
}

func reason(err error) string {
	var fe *FailureError
	if errors.As(err, &fe) {
		return fe.Reason
	}
	return ""
}

func TestDoStatus(t *testing.T) {
	for _, status := range []int{200, 201, 204, 404, 422, 500, 503} {
		t.Run(strconv.Itoa(status), func(t *testing.T) {
			var gotMethod, gotUA, gotCT, gotBody string
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				b, _ := io.ReadAll(r.Body)
				gotMethod, gotUA, gotCT, gotBody = r.Method, r.UserAgent(), r.Header.Get("Content-Type"), string(b)
				w.Header().Set("Content-Type", "text/plain")
				w.Header().Set("X-Answer", "yes")
				w.WriteHeader(status)
				fmt.Fprintf(w, "answer %d", status)
			}))
			defer srv.Close()

			res := newClient(t, Options{}).Do(context.Background(), Request{
				URL: srv.URL + "/hook", ContentType: "application/json", Body: []byte(`{"a":1}`),
				Header: []storage.Header{{Name: "X-Extra", Value: "1"}},
			})
			if res.Err != nil {
				t.Fatalf("Err = %v", res.Err)
			}
			wantBody := fmt.Sprintf("answer %d", status)
			if status == 204 {
				wantBody = ""
			}
			if res.Status != status || string(res.ResponseBody) != wantBody || res.Truncated {
				t.Errorf("got %d %q truncated=%v", res.Status, res.ResponseBody, res.Truncated)
			}
			if gotMethod != "POST" || gotUA != "CloudMailin Server" || gotCT != "application/json" || gotBody != `{"a":1}` {
				t.Errorf("server saw %s UA=%q CT=%q body=%q", gotMethod, gotUA, gotCT, gotBody)
			}
			if header(res.ResponseHeaders, "X-Answer") != "yes" {
				t.Errorf("response headers %v", res.ResponseHeaders)
			}
			want := []storage.Header{{Name: "Content-Length", Value: "7"}, {Name: "Content-Type", Value: "application/json"},
				{Name: "User-Agent", Value: "CloudMailin Server"}, {Name: "X-Extra", Value: "1"}}
			if fmt.Sprint(res.RequestHeaders) != fmt.Sprint(want) {
				t.Errorf("request headers %v, want %v", res.RequestHeaders, want)
			}
			if res.Method != "POST" || res.URL != srv.URL+"/hook" || string(res.RequestBody) != `{"a":1}` {
				t.Errorf("request record %s %s %q", res.Method, res.URL, res.RequestBody)
			}
			if len(res.Hops) != 1 || res.Hops[0] != (storage.Hop{URL: srv.URL + "/hook", Status: status}) {
				t.Errorf("hops %v", res.Hops)
			}
			if res.StartedAt.IsZero() || res.Duration <= 0 {
				t.Errorf("timing %v %v", res.StartedAt, res.Duration)
			}
		})
	}
}

func TestDoBasicAuth(t *testing.T) {
	var user, pass, path, rawAuth string
	var ok bool
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		user, pass, ok = r.BasicAuth()
		rawAuth, path = r.Header.Get("Authorization"), r.URL.String()
	}))
	defer srv.Close()
	host := strings.TrimPrefix(srv.URL, "http://")

	res := newClient(t, Options{}).Do(context.Background(), Request{URL: "http://user%40x:p%3Ass@" + host + "/path?q=1"})
	if res.Err != nil || res.Status != 200 {
		t.Fatalf("Do: %d %v", res.Status, res.Err)
	}
	if !ok || user != "user@x" || pass != "p:ss" || path != "/path?q=1" {
		t.Errorf("server saw user=%q pass=%q ok=%v path=%q", user, pass, ok, path)
	}
	if res.URL != "http://****:****@"+host+"/path?q=1" {
		t.Errorf("URL = %q", res.URL)
	}
	if got := header(res.RequestHeaders, "Authorization"); got != "Basic ****" {
		t.Errorf("recorded Authorization = %q", got)
	}
	if res.Hops[0].URL != "http://"+host+"/path?q=1" {
		t.Errorf("hop URL = %q", res.Hops[0].URL)
	}
	dump := fmt.Sprintf("%+v", res)
	for _, secret := range []string{"p:ss", "p%3Ass", "user%40x", "user@x", strings.TrimPrefix(rawAuth, "Basic ")} {
		if strings.Contains(dump, secret) {
			t.Errorf("result holds %q: %s", secret, dump)
		}
	}
}

func TestDoRedirects(t *testing.T) {
	type seen struct{ method, body string }
	var final []seen
	mux := http.NewServeMux()
	for _, code := range []int{301, 302, 303, 307, 308} {
		mux.HandleFunc(fmt.Sprintf("/moved/%d", code), func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Location", "/final")
			w.WriteHeader(code)
		})
	}
	mux.HandleFunc("/final", func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		final = append(final, seen{r.Method, string(b)})
		io.WriteString(w, "done")
	})
	// /chain/N redirects to N-1 with a relative Location; /chain/0 answers 200.
	mux.HandleFunc("/chain/{n}", func(w http.ResponseWriter, r *http.Request) {
		n, _ := strconv.Atoi(r.PathValue("n"))
		if n == 0 {
			io.WriteString(w, "end of chain")
			return
		}
		w.Header().Set("Location", strconv.Itoa(n-1))
		w.WriteHeader(http.StatusFound)
	})
	mux.HandleFunc("/nowhere", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusFound) })
	srv := httptest.NewServer(mux)
	defer srv.Close()

	for _, tc := range []struct {
		name, path string
		status     int
		hops       int
		reason     string
	}{
		{"301 re-posts", "/moved/301", 200, 2, ""},
		{"302 re-posts", "/moved/302", 200, 2, ""},
		{"303 re-posts", "/moved/303", 200, 2, ""},
		{"307 re-posts", "/moved/307", 200, 2, ""},
		{"308 re-posts", "/moved/308", 200, 2, ""},
		{"three relative redirects", "/chain/3", 200, 4, ""},
		{"fourth redirect is too many", "/chain/4", 302, 4, ReasonTooManyRedirects},
		{"3xx without Location is the answer", "/nowhere", 302, 1, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			final = nil
			res := newClient(t, Options{}).Do(context.Background(), Request{URL: srv.URL + tc.path, Body: []byte("same body")})
			if res.Status != tc.status || len(res.Hops) != tc.hops || reason(res.Err) != tc.reason {
				t.Fatalf("got status %d, hops %v, err %v", res.Status, res.Hops, res.Err)
			}
			if tc.reason == "" && res.Err != nil {
				t.Fatalf("Err = %v", res.Err)
			}
			if strings.HasPrefix(tc.path, "/moved/") {
				if len(final) != 1 || final[0] != (seen{"POST", "same body"}) {
					t.Errorf("final hop saw %v", final)
				}
				if res.Hops[1] != (storage.Hop{URL: srv.URL + "/final", Status: 200}) {
					t.Errorf("hops %v", res.Hops)
				}
			}
			if tc.path == "/chain/3" && res.Hops[3].URL != srv.URL+"/chain/0" {
				t.Errorf("relative Location resolved to %v", res.Hops)
			}
		})
	}
}

// Credentials follow a redirect on the same host only, as with net/http.
func TestDoRedirectAuthorization(t *testing.T) {
	var auths []string
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		auths = append(auths, "other:"+r.Header.Get("Authorization"))
	}))
	defer other.Close()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		auths = append(auths, r.URL.Path+":"+r.Header.Get("Authorization"))
		switch r.URL.Path {
		case "/a":
			http.Redirect(w, r, "/b", http.StatusFound)
		case "/b": // localhost is another host name than 127.0.0.1
			http.Redirect(w, r, strings.Replace(other.URL, "127.0.0.1", "localhost", 1), http.StatusFound)
		}
	}))
	defer srv.Close()

	res := newClient(t, Options{}).Do(context.Background(), Request{URL: strings.Replace(srv.URL, "://", "://u:p@", 1) + "/a"})
	if res.Err != nil || res.Status != 200 {
		t.Fatalf("Do: %d %v", res.Status, res.Err)
	}
	want := []string{"/a:Basic dTpw", "/b:Basic dTpw", "other:"}
	if fmt.Sprint(auths) != fmt.Sprint(want) {
		t.Errorf("Authorization per hop %q, want %q", auths, want)
	}
}

func TestDoFailures(t *testing.T) {
	// A handler only learns that the caller left once it has read the body.
	hang := make(chan struct{})
	wait := func(r *http.Request) {
		io.Copy(io.Discard, r.Body)
		select {
		case <-hang:
		case <-r.Context().Done():
		}
	}
	hijack := func(reply string) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			io.Copy(io.Discard, r.Body) // unread input would turn the close into an RST race
			conn, _, err := w.(http.Hijacker).Hijack()
			if err != nil {
				t.Error(err)
				return
			}
			io.WriteString(conn, reply)
			conn.Close()
		}
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/hang", func(w http.ResponseWriter, r *http.Request) { wait(r) })
	mux.HandleFunc("/hang-body", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", "100")
		io.WriteString(w, "partial")
		w.(http.Flusher).Flush()
		wait(r)
	})
	mux.HandleFunc("/reset", hijack(""))
	mux.HandleFunc("/cut", hijack("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly this"))
	mux.HandleFunc("/garbage", hijack("this is not http\r\n\r\n"))
	srv := httptest.NewServer(mux)
	defer srv.Close()
	defer close(hang) // before srv.Close, which waits for handlers

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	refused := "http://u:secret@" + ln.Addr().String() + "/"
	ln.Close()

	for _, tc := range []struct{ name, url, reason string }{
		{"timeout before headers", srv.URL + "/hang", ReasonTimeout},
		{"timeout during body", srv.URL + "/hang-body", ReasonTimeout},
		{"refused", refused, ReasonRefused},
		{"reset before answer", srv.URL + "/reset", ReasonReset},
		{"reset mid body", srv.URL + "/cut", ReasonReset},
		{"bad response", srv.URL + "/garbage", ReasonBadResponse},
		{"not http", "ftp://u:secret@example.com/", ReasonInvalidURL},
		{"no host", "http:///path", ReasonInvalidURL},
		{"unparsable", "http://u:secret@host:port/", ReasonInvalidURL},
	} {
		t.Run(tc.name, func(t *testing.T) {
			start := time.Now()
			res := newClient(t, Options{Timeout: 200 * time.Millisecond}).Do(context.Background(), Request{URL: tc.url, Body: []byte("x")})
			if got := reason(res.Err); got != tc.reason {
				t.Fatalf("reason %q (%v), want %q", got, res.Err, tc.reason)
			}
			if elapsed := time.Since(start); elapsed > 2*time.Second {
				t.Errorf("took %v with a 200ms timeout", elapsed)
			}
			if s := res.Err.Error() + fmt.Sprintf("%+v", res); strings.Contains(s, "secret") {
				t.Errorf("secret leaked: %s", s)
			}
			if tc.reason != ReasonInvalidURL && (len(res.Hops) != 1 || res.Hops[0].Status != res.Status) {
				t.Errorf("hops %v", res.Hops)
			}
		})
	}
}

func TestDoCanceled(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		<-r.Context().Done()
	}))
	defer srv.Close()
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(50*time.Millisecond, cancel)
	res := newClient(t, Options{Timeout: 5 * time.Second}).Do(ctx, Request{URL: srv.URL})
	if reason(res.Err) != ReasonCanceled {
		t.Errorf("Err = %v", res.Err)
	}
}

func TestDoTruncated(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n, _ := strconv.Atoi(r.URL.Query().Get("n"))
		w.Write([]byte(strings.Repeat("a", n)))
	}))
	defer srv.Close()
	for _, tc := range []struct {
		name      string
		n         int
		keep      int
		truncated bool
	}{
		{"3 MiB answer keeps 1 MiB", 3 << 20, 1 << 20, true},
		{"exactly the limit", 1 << 20, 1 << 20, false},
		{"one byte over", 1<<20 + 1, 1 << 20, true},
		{"small", 10, 10, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := newClient(t, Options{MaxResponseBody: 1 << 20}).Do(context.Background(), Request{URL: fmt.Sprintf("%s/?n=%d", srv.URL, tc.n)})
			if res.Err != nil || res.Status != 200 || len(res.ResponseBody) != tc.keep || res.Truncated != tc.truncated {
				t.Errorf("got %d, %d bytes, truncated=%v, err %v", res.Status, len(res.ResponseBody), res.Truncated, res.Err)
			}
		})
	}
}

func TestDoOptions(t *testing.T) {
	var ua, method string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { ua, method = r.UserAgent(), r.Method }))
	defer srv.Close()
	for _, tc := range []struct {
		name     string
		opts     Options
		req      Request
		ua, meth string
	}{
		{"default", Options{}, Request{}, "CloudMailin Server", "POST"},
		{"option user agent", Options{UserAgent: "CloudMailin Server (Mailhook)"}, Request{}, "CloudMailin Server (Mailhook)", "POST"},
		{"request header wins", Options{}, Request{Header: []storage.Header{{Name: "User-Agent", Value: "curl/8"}}}, "curl/8", "POST"},
		{"method", Options{}, Request{Method: "PUT"}, "CloudMailin Server", "PUT"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.req.URL = srv.URL
			res := newClient(t, tc.opts).Do(context.Background(), tc.req)
			if res.Err != nil || ua != tc.ua || method != tc.meth || header(res.RequestHeaders, "User-Agent") != tc.ua || res.Method != tc.meth {
				t.Errorf("server saw %s %q; recorded %s %v; err %v", method, ua, res.Method, res.RequestHeaders, res.Err)
			}
		})
	}
}

// TestDoRedirectLocationMasked: a Location carrying credentials is stored
// masked, like every other URL.
func TestDoRedirectLocationMasked(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Location", "http://user:s3cret@127.0.0.1:1/elsewhere")
		w.WriteHeader(http.StatusFound)
	}))
	defer srv.Close()
	res := newClient(t, Options{MaxRedirects: -1}).Do(context.Background(), Request{URL: srv.URL})
	if res.Status != http.StatusFound {
		t.Fatalf("status %d (%v), want the 302 itself", res.Status, res.Err)
	}
	for _, h := range res.ResponseHeaders {
		if strings.Contains(h.Value, "s3cret") {
			t.Errorf("stored header %s: %q leaks the password", h.Name, h.Value)
		}
		if h.Name == "Location" && !strings.Contains(h.Value, "****") {
			t.Errorf("Location %q not masked", h.Value)
		}
	}
}
