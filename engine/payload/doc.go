// Package payload turns a raw RFC 5322 message and its SMTP envelope into the
// HTTP POST bodies CloudMailin sends: JSON normalized (json+n), multipart
// normalized (multipart+n) and raw (SPEC.md section 2).
//
// It is deliberately standalone: no engine, storage or GUI imports, no
// package-level state, so the SMTP path, replay and test fire can all call
// Parse once and Encode as many times as they like.
//
// Parsing is lenient, like a real MX: malformed mail (broken boundaries, bad
// base64, unknown charsets, junk header lines) yields a best-effort Message
// plus Warnings instead of an error, because the developer wants to see what
// their webhook gets for exactly that mail. enmime supplies the MIME tree; the
// header block, transfer decoding and charset conversion are done here so that
// header order is kept and attachment bytes are never charset-converted.
//
// Choices where SPEC.md is silent:
//   - Text bodies (plain, html, reply_plain) have CRLF turned into LF, as in
//     CloudMailin's published examples; attachments keep their exact bytes.
//   - The body parts are the first text/plain and the first text/html leaf
//     that are not attachments (no "attachment" disposition, no file name).
//     Every other leaf, including further text parts, is an attachment.
//   - An attachment's disposition is "inline" when its Content-Disposition
//     says so, or when it has none but carries a Content-ID; else "attachment".
//   - content_id is left out of the JSON when the part has no Content-ID, as
//     in CloudMailin's examples; when present it is the header value with <>.
//   - file_name is "" in JSON when the part names no file; multipart uses
//     "noname" there, because Rack and others drop file parts whose filename
//     is empty.
//   - reply_plain is "" (not null) when a cut marker is the first line.
//   - Header values that are not valid UTF-8 and carry no RFC 2047 charset are
//     read as windows-1252 (the usual culprit), with a warning.
package payload
