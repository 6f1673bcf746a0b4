"""The ``#>`` lines of the built pages, what the code printed, are marked to be drawn as output."""

import re

import printed_output
from paths import PAGES
from site_build import built_file


def test_only_comments_that_start_with_the_mark_are_output():
    html = '<span class="c1"># a comment</span>\n<span class="c1">#&gt; (3, 4)</span>'
    assert printed_output.on_page_content(html, None, None, None) == (
        '<span class="c1"># a comment</span>\n<span class="c1 printed">#&gt; (3, 4)</span>'
    )


def test_every_printed_line_on_the_site_is_marked(built_site):
    """No ``#>`` line of any page is left drawn as a muted comment."""
    marked = 0
    for page in PAGES:
        html = built_file(built_site, page).read_text()
        assert not re.search(r'<span class="c1">#&gt;', html), page
        marked += html.count('<span class="c1 printed">#&gt;')
    assert marked > 100  # the site shows hundreds of printed lines
