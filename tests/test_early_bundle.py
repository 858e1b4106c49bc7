"""The line that makes a page import the components' bundle early (server/early_bundle.py); the browser
test `tests/browser/test_early_bundle.py` checks what the page then does."""

from __future__ import annotations

from types import SimpleNamespace

from playground.server import early_bundle, early_link, page_head


def _doc():
    return SimpleNamespace(template=None, template_variables={})


def test_no_address_adds_nothing():
    doc = _doc()
    assert early_bundle.install(doc, None) is False
    assert page_head.lines(doc) == {} and doc.template is None


def test_the_address_is_quoted_so_it_cannot_end_the_script():
    doc = _doc()
    assert early_bundle.install(doc, './a/</script><script>alert("x")</script>.js') is True
    line = page_head.lines(doc)[early_bundle.HEAD_LINE]
    assert line.count("</script>") == 1 and line.endswith("</script>")
    assert '"./a/\\u003c/script>\\u003cscript>alert(\\"x\\")\\u003c/script>.js"' in line


def test_the_head_lines_keep_the_order_they_were_added_in():
    doc = _doc()
    page_head.add(doc, early_link.HEAD_LINE, "<script>first</script>")
    early_bundle.install(doc, "./bundle.js")
    assert list(page_head.lines(doc)) == [early_link.HEAD_LINE, early_bundle.HEAD_LINE]
    assert doc.template == page_head.TEMPLATE
