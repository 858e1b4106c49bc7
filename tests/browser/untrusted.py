"""The payload corpus and the checks the untrusted-text tests share.

Each payload tries a different way for text to become markup or script: an element with an event handler,
closing a script block, breaking out of an attribute, a `javascript:` link (plain, in Markdown, in a link),
a newline (a Markdown heading or a broken table row), and a 100 KB value.
"""

from __future__ import annotations

PAYLOADS = {
    "img-onerror": "<img src=x onerror=alert(91) class=pwned>",
    "script-close": "</script><script>alert(92)</script>",
    "attribute-break": "\"><svg onload=alert(93) class=pwned>",
    "single-quote-break": "'><iframe src=javascript:alert(94) class=pwned></iframe>",
    "javascript-link": "javascript:alert(95)",
    "markdown-link": "[click](javascript:alert(96)) <javascript:alert(96)>",
    "newline": "1\n# pwned\n| broken | table |\n<b class=pwned>x</b>",
    "huge": "<img src=x onerror=alert(97) class=pwned>" + "A" * 100_000,
}

# Whatever the payloads could have made (their scripts call alert(9N), which no library does): counted
# in the page, through every shadow root.
INJECTED_JS = """() => {
  const found = [];
  const walk = (root) => {
    for (const el of root.querySelectorAll('*')) {
      if (el.classList && el.classList.contains('pwned')) found.push('pwned ' + el.tagName);
      for (const attr of el.attributes || []) {
        if (/^on/i.test(attr.name)) found.push(el.tagName + ' ' + attr.name);
        if (/^\\s*javascript:/i.test(attr.value) && /^(href|src|action|formaction|xlink:href)$/i.test(attr.name))
          found.push(el.tagName + ' ' + attr.name + '=' + attr.value.slice(0, 40));
      }
      if (el.tagName === 'SCRIPT' && /alert\\(9\\d\\)/.test(el.textContent)) found.push('script ' + el.textContent.slice(0, 40));
      if (el.shadowRoot) walk(el.shadowRoot);
    }
  };
  walk(document);
  return found;
}"""


def watch_dialogs(page) -> list[str]:
    """Every dialog the page opens (alert, confirm, prompt), dismissed and recorded."""
    opened: list[str] = []

    def on_dialog(dialog):
        opened.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    page.on("dialog", on_dialog)
    return opened


def assert_nothing_ran(page, opened: list[str], where: str) -> None:
    page.wait_for_timeout(200)  # an <img src=x> fails to load asynchronously: give its onerror a chance
    assert not opened, f"{where}: a dialog opened: {opened}"
    injected = page.evaluate(INJECTED_JS)
    assert not injected, f"{where}: injected elements: {injected}"
