"""What a policy maker may read of the loket's own words: who decided as a full name (never a user name), and free
text with every request or child id masked. Pure functions; the ids to mask come from llko.requests.queries."""

import re

MASK = "[id]"
LOKET = "het loket"  # who decided, when the account has no full name (or no longer exists)
_CANDIDATE = re.compile(r"[^\W_](?:[\w./-]*[^\W_])?")  # a run of letters, digits and . / - _ inside, as ids are typed


def candidates(text: str) -> set[str]:
    """Every run of the text that could be an id: whole words and their parts between . / - _ (so 'A5012/A5013'
    offers A5012 and A5013)."""
    found = set()
    for run in _CANDIDATE.findall(text or ""):
        found.add(run)
        found.update(p for p in re.split(r"[./_-]", run) if p)
    return found


def mask_ids(text: str, ids: set[str]) -> str:
    """The text with every occurrence of one of these ids, not part of a longer word, replaced by [id]."""
    if not text or not ids:
        return text or ""
    pattern = "|".join(re.escape(i) for i in sorted(ids, key=len, reverse=True))
    return re.sub(rf"(?<![^\W_])(?:{pattern})(?![^\W_])", MASK, text)


def decided_by(username: str, full_names: dict[str, str]) -> str:
    """Who decided, as a policy maker sees it: the account's full name, else 'het loket'."""
    name = (full_names.get(username) or "").strip()
    return name or LOKET
