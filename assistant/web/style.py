"""The page's look: CSS (chat, banner, staff, phone layout) and the Gradio theme. Data and one factory."""

from __future__ import annotations

import gradio as gr

from assistant.web.mapview import MAP_CSS

CSS = (
    MAP_CSS
    + """
#derci-chat blockquote { border-left: 4px solid #d97706; background: #fff7ed; color: #3b2a12;
  padding: .35rem .8rem; margin: .4rem 0; border-radius: 4px; }
#derci-chat details { margin-top: .7rem; border-top: 1px solid #d0d7de; padding-top: .4rem; }
#derci-chat details summary { cursor: pointer; font-weight: 600; }
#derci-chat details blockquote { border-left-color: #8c959f; background: transparent; color: inherit;
  font-size: .92em; }
.derci-examples button { text-align: left; justify-content: flex-start; white-space: normal;
  font-weight: normal; }
.derci-persona p { margin: .6rem 0 .1rem; font-weight: 600; }
.gradio-container h2, .gradio-container h3, .gradio-container h4 { font-weight: 600; }
#derci-banner, #derci-store-notice { border: 1px solid #d97706; background: #fff7ed; border-radius: 8px;
  padding: .3rem .8rem; }
.derci-download { font-weight: 600; }

/* The header: the title takes the room it needs and the language picker goes under it when the
   screen is too narrow for both (a phone), instead of squeezing the title to a letter per line. */
#derci-header { flex-wrap: wrap; align-items: center; gap: .25rem 1rem; }
#derci-title { flex: 1 1 18rem; min-width: min(18rem, 100%); }
#derci-title h2 { margin: .2rem 0; overflow-wrap: normal; word-break: normal; }
#derci-lang { flex: 0 0 auto; min-width: 15rem !important; }
#derci-lang .wrap { flex-wrap: nowrap; }

@media (max-width: 640px) {
  .gradio-container { padding-left: .5rem !important; padding-right: .5rem !important; }
  #derci-title h2 { font-size: 1.3rem; }
  #derci-chat { height: 58vh !important; min-height: 320px !important; }
  .derci-examples { min-width: 100% !important; }
}
"""
)


def theme() -> gr.themes.Base:
    """Gradio's default theme on system fonts: its bundled Source Sans Pro SemiBold lacks "A" and "B"."""
    return gr.themes.Default(
        font=("ui-sans-serif", "system-ui", "Segoe UI", "Roboto", "sans-serif"),
        font_mono=("ui-monospace", "SFMono-Regular", "Menlo", "Consolas", "monospace"),
    )
