package app

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/url"
	"strings"
)

// bodyFormView lists the fields of an application/x-www-form-urlencoded
// body. It splits by hand because url.ParseQuery returns a map: the order
// and the repeats are what a developer debugging a webhook needs to see.
func bodyFormView(body []byte) bodyView {
	v := bodyView{Kind: bodyKindForm}
	more := 0
	for piece := range strings.SplitSeq(strings.TrimRight(string(body), "\r\n"), "&") {
		if piece == "" {
			continue
		}
		if len(v.Fields) == bodyFieldLimit {
			more++
			continue
		}
		k, val, _ := strings.Cut(piece, "=")
		v.Fields = append(v.Fields, [2]string{bodyUnescape(k), bodyCapAt(bodyUnescape(val), bodyValueLimit)})
	}
	v.Summary = fmt.Sprintf("form, %d fields, %d bytes", len(v.Fields)+more, len(body))
	if more > 0 {
		v.Summary += fmt.Sprintf(" (first %d listed)", len(v.Fields))
	}
	return v
}

// bodyUnescape decodes a form key or value, keeping it as sent when its
// escapes are broken.
func bodyUnescape(s string) string {
	if u, err := url.QueryUnescape(s); err == nil {
		return u
	}
	return s
}

// bodyMultipartView lists the parts of a multipart body in order. Each part
// is read through, but only a small text part's bytes are kept.
func bodyMultipartView(mt, boundary string, body []byte) (bodyView, error) {
	if boundary == "" {
		return bodyView{}, errors.New("no boundary")
	}
	v := bodyView{Kind: bodyKindMultipart}
	r := multipart.NewReader(bytes.NewReader(body), boundary)
	more := 0
	for {
		// NextRawPart: show the part as sent, no quoted-printable decoding.
		p, err := r.NextRawPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			return bodyView{}, err
		}
		bp := bodyPart{Name: p.FormName(), FileName: p.FileName(), ContentType: p.Header.Get("Content-Type")}
		head, err := io.ReadAll(io.LimitReader(p, bodyValueLimit+1))
		if err != nil {
			return bodyView{}, err
		}
		rest, err := io.Copy(io.Discard, p)
		if err != nil {
			return bodyView{}, err
		}
		bp.Size = int64(len(head)) + rest
		if bp.Size <= bodyValueLimit && bodyIsTextPart(bp.ContentType) && !bodyIsBinary(head) {
			bp.Value, bp.HasValue = string(head), true
		}
		if len(v.Parts) == bodyFieldLimit {
			more++
			continue
		}
		v.Parts = append(v.Parts, bp)
	}
	if len(v.Parts) == 0 {
		return bodyView{}, errors.New("no parts")
	}
	v.Summary = fmt.Sprintf("%s, %d parts, %d bytes", mt, len(v.Parts)+more, len(body))
	if more > 0 {
		v.Summary += fmt.Sprintf(" (first %d listed)", len(v.Parts))
	}
	return v, nil
}

// bodyIsTextPart says whether a part's declared type is worth showing as
// text; a part without a type is text by MIME's default.
func bodyIsTextPart(contentType string) bool {
	mt, _ := bodyMediaType(contentType)
	return mt == "" || strings.HasPrefix(mt, "text/") || bodyIsJSONType(mt) || bodyIsXMLType(mt)
}
