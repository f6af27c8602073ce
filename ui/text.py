"""Text from data or from a person shown as text: names, addresses, the municipality, notes, motivations, remarks
and file names go into the page's markdown only through `literal`, so that `![x](http://…)`, `[a](http://…)`,
`**b**` or `<img>` show as typed and never become an image, a link, bold text or HTML."""

import re

# CommonMark lets every ASCII punctuation character be escaped with a backslash; escaping them all leaves no
# markdown, HTML, LaTeX ($) or Streamlit directive (:red[…], :material/…:) to recognise.
_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")


def literal(value) -> str:
    """This value as literal markdown text ('' for None); a line break stays a line break."""
    if value is None:
        return ""
    escaped = _PUNCTUATION.sub(r"\\\1", str(value))
    return "  \n".join(line.strip() for line in escaped.replace("\r\n", "\n").replace("\r", "\n").split("\n"))
