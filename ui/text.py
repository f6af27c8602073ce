"""Text from data or from a person shown as text: names, addresses, the municipality, notes, motivations, remarks
and file names go into the page's markdown only through `literal`, so that `![x](http://…)`, `[a](http://…)`,
`**b**`, `<img>` or a bare address show as typed and never become an image, a link, bold text or HTML."""

import re

# CommonMark lets every ASCII punctuation character be escaped with a backslash; escaping them all leaves no
# markdown, HTML, LaTeX ($) or Streamlit directive (:red[…], :material/…:) to recognise.
_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")
# Streamlit's markdown (GitHub's flavour) also turns a bare http://…, www.… or name@domain into a link after parsing,
# escaped or not. An invisible word joiner right after '://', '@' and 'www' (before its dot) breaks those patterns
# without changing what a reader sees.
_JOINER = "\u2060"
_AUTOLINK = re.compile(r"(:\\/\\/|\\@|(?i:www)(?=\\\.))")


def literal(value) -> str:
    """This value as literal markdown text ('' for None); a line break stays a line break."""
    if value is None:
        return ""
    escaped = _AUTOLINK.sub(lambda m: m.group(1) + _JOINER, _PUNCTUATION.sub(r"\\\1", str(value)))
    return "  \n".join(line.strip() for line in escaped.replace("\r\n", "\n").replace("\r", "\n").split("\n"))
