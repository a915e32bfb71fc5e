package app

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
)

// bodyIndentXML re-encodes the tokens of an XML document with two-space
// indentation. It reads with RawToken and writes the tokens itself because
// xml.Encoder turns namespace prefixes (soap:Envelope) into xmlns
// attributes; RawToken does not check nesting, so that is checked here. An
// element holding only text stays on one line.
func bodyIndentXML(body []byte) (string, error) {
	d := xml.NewDecoder(bytes.NewReader(body))
	text := strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")
	attr := strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;")
	var b strings.Builder
	var open []xml.Name
	inline := false // the line ends with a start tag or its text: the end tag follows there
	elements := 0
	newline := func() {
		if b.Len() > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(strings.Repeat("  ", len(open)))
	}
	for {
		tok, err := d.RawToken()
		if err == io.EOF {
			break
		}
		if err != nil {
			return "", err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			newline()
			b.WriteString("<" + bodyXMLName(t.Name))
			for _, a := range t.Attr {
				b.WriteString(" " + bodyXMLName(a.Name) + `="` + attr.Replace(a.Value) + `"`)
			}
			b.WriteByte('>')
			open = append(open, t.Name)
			inline = true
			elements++
		case xml.EndElement:
			if len(open) == 0 || open[len(open)-1] != t.Name {
				return "", fmt.Errorf("unexpected </%s>", bodyXMLName(t.Name))
			}
			open = open[:len(open)-1]
			if !inline {
				newline()
			}
			b.WriteString("</" + bodyXMLName(t.Name) + ">")
			inline = false
		case xml.CharData:
			s := strings.TrimSpace(string(t))
			if s == "" {
				continue
			}
			if !inline {
				newline()
			}
			b.WriteString(text.Replace(s))
		case xml.Comment:
			newline()
			b.WriteString("<!--" + string(t) + "-->")
			inline = false
		case xml.ProcInst:
			newline()
			b.WriteString("<?" + t.Target + " " + string(t.Inst) + "?>")
			inline = false
		case xml.Directive:
			newline()
			b.WriteString("<!" + string(t) + ">")
			inline = false
		}
	}
	if len(open) > 0 {
		return "", fmt.Errorf("<%s> is not closed", bodyXMLName(open[len(open)-1]))
	}
	if elements == 0 {
		return "", errors.New("no elements")
	}
	return b.String(), nil
}

// bodyXMLName writes a raw name as sent: Space holds the prefix.
func bodyXMLName(n xml.Name) string {
	if n.Space == "" {
		return n.Local
	}
	return n.Space + ":" + n.Local
}
