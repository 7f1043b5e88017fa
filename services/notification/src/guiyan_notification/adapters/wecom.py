"""A WeCom group robot (企业微信群机器人): one markdown message, cut to WeCom's limit."""

from __future__ import annotations

import httpx

from .outcome import Outcome, post, query_values, robot_outcome

# WeCom refuses markdown over 4,096 bytes of UTF-8 (errcode 40058) rather than cutting it.
MARKDOWN_LIMIT = 4096
CUT_MARKER = "…"
# Frequency limit (45009: more than 20 a minute) waits a minute; system busy (-1) the usual backoff.
WAITS: dict[int, float | None] = {45009: 60.0, -1: None}


def fit_markdown(text: str, limit: int = MARKDOWN_LIMIT) -> str:
    """`text` in at most `limit` bytes of UTF-8. A longer one is cut between characters, at the
    last line break when one is in the last quarter kept, and ends with "…" so that a reader
    knows there was more. A lone surrogate, which no UTF-8 can carry, becomes "?"."""
    encoded = text.encode(errors="replace")
    if len(encoded) <= limit:
        return encoded.decode()
    budget = limit - len(CUT_MARKER.encode())
    # The text was whole UTF-8, so only the last character can be split: drop what is left of it.
    kept = encoded[:budget].decode(errors="ignore")
    line_end = kept.rfind("\n") + 1
    if line_end and len(kept) - line_end <= len(kept) // 4:
        kept = kept[:line_end]
    return kept + CUT_MARKER


async def send(client: httpx.AsyncClient, url: str, markdown: str) -> Outcome:
    payload = {"msgtype": "markdown", "markdown": {"content": fit_markdown(markdown)}}
    answer = await post(client, url, json=payload)
    if isinstance(answer, Outcome):
        return answer
    return robot_outcome(answer, WAITS, query_values(url))
