"""The pages of mkdocs.yml's ``nav``, in order, with the section each sits in.

The navigation nests: a tab (Learn, Layers, How-to, Reference) holds sections, a section holds
pages, each written ``Title: page.md``. The ledger's index, ``llms.txt`` and the tests read it here.
"""

from __future__ import annotations

from typing import NamedTuple


class NavPage(NamedTuple):
    """One page of the navigation: its source, its title, and the sections above it (outermost first)."""

    source: str
    title: str
    sections: tuple[str, ...]

    @property
    def section(self) -> str:
        """The section the page is listed in: the innermost, or the page's own title at the top."""
        return self.sections[-1] if self.sections else self.title


def pages(nav: list, sections: tuple[str, ...] = ()) -> list[NavPage]:
    """Every page of ``nav``, in the order the navigation lists them."""
    found = []
    for item in nav:
        for title, value in item.items():
            if isinstance(value, list):
                found += pages(value, (*sections, title))
            else:
                found.append(NavPage(value, title, sections))
    return found
