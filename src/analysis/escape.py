"""Strings from data, made safe where they are written: HTML text and attributes, links, and
Markdown for notebooks. The registries and tables are contributors' edits: nothing read from
them is ever written into a page as markup.

- `attr(text)`: an HTML attribute value (quotes escaped).
- `safe_url(url)`: the URL if it is http(s) (anything else, `javascript:` included, gives "").
- `href(url)`: ` href="..."` for a safe URL, "" otherwise: a link is only made to the web.
- `md(text)`: text for Markdown that renders as the same text (HTML and Markdown markup escaped).
- `md_link(text, url)`: a Markdown link, or the escaped text alone when the URL is not http(s).
- `csp_meta(*inline)`: the Content-Security-Policy every page carries: scripts only from the
  site's own files (or the page's own inline scripts, named by hash, for a page that stands
  alone), nothing from another origin.
"""
from __future__ import annotations

import base64
import hashlib
import html
import re
from urllib.parse import quote, urlsplit

# 'self' on a page opened from the file system is the file scheme (Chromium, Firefox): scripts
# and images load from the site's own folder; every other origin and every inline script are
# refused. Styles may be inline (the pages carry their stylesheet); images may be data: (the
# notebooks' charts).
CSP = ("default-src 'none'; script-src 'self'{hashes}; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
       "font-src 'self' data:; connect-src 'none'; object-src 'none'; base-uri 'none'; form-action 'none'")


def csp_meta(*inline_scripts: str) -> str:
    """The policy as a <meta> tag; `inline_scripts`: the exact text of the page's own <script>
    elements, allowed by their SHA-256 (an injected script has another hash and is refused)."""
    hashes = "".join(f" 'sha256-{base64.b64encode(hashlib.sha256(s.encode()).digest()).decode()}'" for s in inline_scripts)
    return f'<meta http-equiv="Content-Security-Policy" content="{CSP.format(hashes=hashes)}">'


def attr(text) -> str:
    return html.escape(str(text), quote=True)


def safe_url(url) -> str:
    """`url` when it is an absolute http(s) URL with a host, else "" (no link is made)."""
    url = str(url or "").strip()
    if any(c in url for c in "\x00\r\n\t<>\"'` ") or not url:
        return ""
    try:
        parts = urlsplit(url)
    except ValueError:
        return ""
    return url if parts.scheme.lower() in ("http", "https") and parts.netloc else ""


def href(url) -> str:
    url = safe_url(url)
    return f' href="{attr(url)}"' if url else ""


# Characters that start Markdown markup (emphasis, links, code, headings, tables, HTML).
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+!|~>-])")


def md(text) -> str:
    """Text for a Markdown cell that renders as exactly this text: HTML characters as entities,
    Markdown's markup characters backslash-escaped, no line break (a data string is one line)."""
    text = " ".join(str(text).split())
    return _MD_SPECIAL.sub(r"\\\1", html.escape(text, quote=False))


def md_link(text, url) -> str:
    """[text](url) for an http(s) URL (its parentheses and spaces percent-encoded), else the text."""
    url = safe_url(url)
    if not url:
        return md(text)
    return f"[{md(text)}](<{quote(url, safe=':/?#[]@!$&*+,;=%~.-_')}>)"
