"""fit_markdown keeps WeCom's byte limit without breaking a character, and says when it cut."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from guiyan_notification.adapters.wecom import fit_markdown

# Chinese, emoji (four bytes each), line breaks and ASCII, so that cuts land everywhere.
texts = st.text(st.one_of(st.characters(exclude_categories=["Cs"]),
                          st.sampled_from("归雁园区补链\n🚀é a")), max_size=400)


@given(texts, st.integers(min_value=3, max_value=300))
def test_fitted_text_is_a_whole_prefix_within_the_limit(text: str, limit: int) -> None:
    fitted = fit_markdown(text, limit)

    assert len(fitted.encode()) <= limit
    if len(text.encode()) <= limit:
        assert fitted == text
    else:
        assert fitted.endswith("…")
        assert text.startswith(fitted.removesuffix("…"))


@given(st.lists(st.text("返乡创业园补链强链", min_size=1, max_size=30), min_size=2, max_size=40))
def test_a_cut_near_a_line_end_is_made_there(lines: list[str]) -> None:
    text = "\n".join(lines)
    fitted = fit_markdown(text, 200)

    if fitted != text:
        kept = fitted.removesuffix("…")
        assert kept.endswith("\n") or "\n" not in kept[-len(kept) // 4:]


def test_the_default_limit_is_wecoms_4096_bytes() -> None:
    fitted = fit_markdown("汉" * 2000)  # 6,000 bytes

    assert len(fitted.encode()) == 4095  # 1,364 whole characters and the marker
    assert fitted == "汉" * 1364 + "…"


def test_a_lone_surrogate_becomes_a_question_mark_that_utf8_can_carry() -> None:
    assert fit_markdown("归雁\ud800") == "归雁?"
