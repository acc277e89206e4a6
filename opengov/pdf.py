"""The one-page PDF machinery shared by the executive brief and the jurisdiction profiles: Letter paper,
the shipped DejaVu fonts (accents and non-breaking spaces), the document's language, a footer with the
page number, and headings and paragraphs in the report's two colours. No browser needed."""

from __future__ import annotations

from fpdf import FPDF

from opengov.assets import FONT_BOLD, FONT_REGULAR
from opengov.i18n import t

__all__ = ["INK", "MUTED", "PAPER", "Pdf", "heading", "para"]

#: The one paper size of every PDF the product makes (executive brief, profiles, the working group's yearly report).
PAPER = "Letter"
INK = (20, 24, 30)
MUTED = (70, 76, 84)


class Pdf(FPDF):
    """A Letter page in `lang`, with a translated footer (`footer_key`, given the page number)."""

    def __init__(self, lang: str, footer_key: str = "brief.footer") -> None:
        super().__init__(format=PAPER)
        self.lang_code = lang
        self.footer_key = footer_key
        self.add_font("DejaVu", "", str(FONT_REGULAR))
        self.add_font("DejaVu", "B", str(FONT_BOLD))
        self.set_auto_page_break(True, margin=18)
        self.set_margins(18, 16, 18)
        self.set_lang("fr-CA" if lang == "fr" else "en-CA")

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font("DejaVu", "", 8)
        self.set_text_color(*MUTED)
        self.cell(0, 6, t(self.footer_key, self.lang_code, page=self.page_no()), align="C")


def heading(pdf: Pdf, text: str, size: int = 13) -> None:
    """A bold heading on its own lines."""
    pdf.ln(2)
    pdf.set_font("DejaVu", "B", size)
    pdf.set_text_color(*INK)
    pdf.multi_cell(0, size * 0.55, text, align="L")
    pdf.ln(1)


def para(pdf: Pdf, text: str, size: float = 9.5, color: tuple[int, int, int] = INK) -> None:
    """A paragraph that wraps to the page's width."""
    pdf.set_font("DejaVu", "", size)
    pdf.set_text_color(*color)
    pdf.multi_cell(0, size * 0.5, text, align="L")
    pdf.ln(0.8)
