"""games.ui.plain_text: what someone typed is shown as typed, never as Markdown or HTML."""

from games.ui import plain_text


def test_typed_text_is_escaped_for_markdown():
    typed = "**bold** _x_ <b>tag</b> [link](http://x) :smile: $x^2$ `code` # head\nnext"
    escaped = plain_text(typed)
    for ch in "*_<>[]():$`#":
        assert f"\\{ch}" in escaped
    assert "\\**" not in escaped and "  \n" in escaped  # each star escaped; line break kept
    assert escaped.replace("\\", "").replace("  \n", "\n") == typed
