"""The weights the step-through page computes with, as the element its JavaScript reads."""

from __future__ import annotations

import json


def script_element(weights: dict) -> str:
    """``weights`` as a JSON script element, which the page's JavaScript reads.

    The JSON holds numbers and names only: nothing a browser could take for the end of the element.
    """
    return f'<script type="application/json" data-step-through-weights>{json.dumps(weights)}</script>'
