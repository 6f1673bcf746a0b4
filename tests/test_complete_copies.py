"""The build hook that makes a block showing one section of a file copy the whole script up to it."""

import html

import pytest
from complete_copies import on_page_markdown
from generators.copies import copied_script, setup_summary, with_setup
from mkdocs.exceptions import PluginError

SNIPPET = """import numpy as np

x = np.ones(3)
# --8<-- [start:first]
print(x.sum())
#> 3.0
# --8<-- [end:first]

# --8<-- [start:second]
print(x.shape)
#> (3,)
# --8<-- [end:second]
print("after the last section")
"""


@pytest.fixture
def snippet(tmp_path):
    path = tmp_path / "snippets" / "example.py"
    path.parent.mkdir()
    path.write_text(SNIPPET)
    return path


def test_the_copy_is_the_file_up_to_the_section_without_markers(snippet):
    setup, script = copied_script(snippet, "second")
    assert setup == "import numpy as np\n\nx = np.ones(3)\nprint(x.sum())\n#> 3.0"
    assert script == setup + "\n\nprint(x.shape)\n#> (3,)\n"
    assert "--8<--" not in script and "after the last section" not in script


@pytest.mark.parametrize("section", ["missing", "first-and-second"])
def test_a_section_that_is_not_marked_once_stops_the_build(snippet, section):
    with pytest.raises(PluginError, match=f"section '{section}' must be marked once"):
        copied_script(snippet, section)


def test_a_section_whose_end_comes_first_stops_the_build(tmp_path):
    path = tmp_path / "reversed.py"
    path.write_text("# --8<-- [end:backwards]\nx = 1\n# --8<-- [start:backwards]\n")
    with pytest.raises(PluginError, match="start before end"):
        copied_script(path, "backwards")


def test_the_page_gets_a_setup_box_and_a_block_that_copies_both(snippet):
    config = {"config_file_path": str(snippet.parent.parent / "mkdocs.yml")}
    fence = '```python\n--8<-- "snippets/example.py:second"\n```'
    markdown = on_page_markdown(f"Text.\n\n{fence}\n", page=None, config=config, files=None)
    assert '<details class="setup" markdown>' in markdown
    assert (
        "5 lines of set-up: imports, x</summary>" in markdown
        and "snippets/example.py" not in markdown.split("</summary>")[0]
    )
    assert f"markdown>\n\n{fence}\n\n</div>" in markdown  # the include itself is left to pymdownx


def test_a_section_with_nothing_above_it_is_left_as_it_is(tmp_path):
    (tmp_path / "alone.py").write_text("# --8<-- [start:all]\nprint(1)\n#> 1\n# --8<-- [end:all]\n")
    fence = '```python\n--8<-- "alone.py:all"\n```'
    config = {"config_file_path": str(tmp_path / "mkdocs.yml")}
    assert on_page_markdown(fence, page=None, config=config, files=None) == fence


def test_the_copied_script_is_escaped_in_its_attribute():
    script = 'print("<script>alert(1)</script>" & "it\'s")\n'
    markdown = with_setup("import os", "```python\npass\n```", script, "a test")
    attribute = markdown.split('data-copy="', 1)[1].split('" markdown>', 1)[0]
    assert "<" not in attribute and '"' not in attribute and "\n" not in attribute
    assert html.unescape(attribute) == script


@pytest.mark.parametrize(
    ("setup", "summary"),
    [
        ("import keras", "1 line of set-up: imports"),
        (
            "import keras\nimport numpy as np\n\nx = 1\nlayer, other = 2, 3",
            "5 lines of set-up: imports, x, layer, other",
        ),
        (
            "def f():\n    return 1\n\n\nclass C:\n    pass\n\nx: int = 1\ny = 2",
            "9 lines of set-up: f, C, x, y",
        ),
        ("a = 1\nb = 2\nc = 3\nd = 4\ne = 5", "5 lines of set-up: a, b, c, d, …"),
        ("print(1)\nfor i in range(2):\n    pass", "3 lines of set-up"),
    ],
)
def test_the_setup_toggle_names_what_its_lines_define(setup, summary):
    """The toggle says how many lines it hides and the names they define, not the file they come from."""
    assert setup_summary(setup) == summary


def test_a_setup_toggles_words_are_escaped():
    """The toggle's words are the build's, but a name is shown as text, never as HTML."""
    from generators.copies import setup_box

    box = setup_box("x = 1", "<b>bold</b>")
    assert "<b>" not in box and "&lt;b&gt;bold&lt;/b&gt;" in box
