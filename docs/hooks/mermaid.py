"""MkDocs hook: load the local Mermaid only on pages that have a diagram.

mkdocs.yml lists ``assets/javascripts/mermaid.min.js`` in ``extra_javascript``
so that Material finds a global ``mermaid`` and never fetches it from a CDN.
The file is 3.5 MB; pages without a diagram do not need it, so this hook
drops its ``<script>`` tag from them.
"""

from __future__ import annotations

import re

SCRIPT = re.compile(r'<script src="[^"]*assets/javascripts/mermaid\.min\.js"></script>\s*')


def on_post_page(output: str, page, config) -> str:
    if 'class="mermaid"' in output:
        return output
    return SCRIPT.sub("", output)
