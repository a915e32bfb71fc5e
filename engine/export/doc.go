// Package export renders recorded exchanges for use outside Mailhook: a
// curl command that sends the same request again (Curl) and an HTTP Archive
// (HAR 1.2) that browser devtools and HTTP tools open (HAR). Both are pure
// functions of what storage holds; the engine supplies the URL with its
// credentials, which storage never holds.
package export
