"""The build hook that writes numbers into a page's prose from code."""

import re

import pytest
from computed_values import on_page_markdown
from generators.computed import evaluate
from mkdocs.exceptions import PluginError


def render(markdown: str) -> str:
    return on_page_markdown(markdown, page=None, config={}, files=None)


def test_a_value_is_written_with_the_expression_that_gave_it():
    shown = render('An LSTM(4) on 5 features has {{ params("LSTM(4)", features=5) }} parameters.')
    assert shown == (
        'An LSTM(4) on 5 features has <span class="computed" '
        'data-expr="params(&quot;LSTM(4)&quot;, features=5)">160</span> parameters.'
    )


def test_backquotes_set_the_value_in_code_font():
    assert '"><code>(3, 8)</code></span>' in render('{{ `output_shape("GRU(8)", (3, 7, 5))` }}')


def test_code_blocks_keep_their_braces():
    fenced = '```python\nprint(f"{{ {1} }}")\n```\n{{ len("abc") }}'
    assert render(fenced).startswith('```python\nprint(f"{{ {1} }}")\n```\n<span')


def test_the_expression_is_escaped_in_its_attribute():
    assert render("{{ len('<b>\"') }}") == (
        '<span class="computed" data-expr="len(&#x27;&lt;b&gt;&quot;&#x27;)">4</span>'
    )


@pytest.mark.parametrize(
    "expression, problem",
    [
        ('params("LSTM(4)")', "TypeError"),  # features missing
        ('params("NoSuchLayer(4)", features=5)', "NameError"),
        ('open("/etc/passwd")', "NameError"),  # no builtins beyond the listed functions
        ("1 / 0", "ZeroDivisionError"),
    ],
)
def test_a_broken_expression_stops_the_build_and_names_itself(expression, problem):
    with pytest.raises(PluginError, match=re.escape(f"{{{{ {expression} }}}}: {problem}")):
        evaluate(expression)
